import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../../abi/errors.ts";
import { capCopy, capDelete } from "../../../kernel/cap/cdt.ts";
import { liveCount, Pool } from "../../../kernel/cap/counters.ts";
import { Right } from "../../../abi/rights.ts";
import { endpointCreate, endpointReceive, endpointSend } from "../../../kernel/object/endpoint.ts";
import { Message } from "../../../kernel/cap/message.ts";
import { notificationCreate, notificationSignal, notificationWait } from "../../../kernel/object/notification.ts";
import {
  MAX_WAIT_SET,
  Ready,
  waitSetAdd,
  waitSetCreate,
  waitSetPoll,
  waitSetRemove,
  waitSetWait,
} from "../../../kernel/object/wait-set.ts";
import { NO_WAIT, Waiter, WaitState } from "../../../kernel/cap/waiter.ts";
import { makeProc, makeRoot, pollSet, recordWakes, snapshotCounts } from "./fixture.ts";

// Waiters complete in place; the hook is recorded but these tests check waiter states.
recordWakes();

function poll(table: Parameters<typeof waitSetPoll>[0], ws: number): Array<[number, number]> {
  return pollSet(table, ws, true);
}

function setup() {
  const root = makeRoot();
  const p = makeProc(root);
  const client = makeProc(root);
  const ws = waitSetCreate(p.table, 4);
  const ep = endpointCreate(p.table, 2);
  const recv = capCopy(p.table, ep, p.table, Right.Read);
  const send = capCopy(p.table, ep, client.table, Right.Write);
  const n = notificationCreate(p.table);
  expect(waitSetAdd(p.table, ws, recv, 1)).toBe(ErrorCode.Ok);
  expect(waitSetAdd(p.table, ws, n, 2)).toBe(ErrorCode.Ok);
  return { p, client, ws, ep, recv, send, n };
}

describe("wait sets", () => {
  it("report level-triggered readiness of each member by key", () => {
    const { p, client, ws, recv, send, n } = setup();
    expect(poll(p.table, ws)).toEqual([[1, Ready.Writable]]);
    expect(endpointSend(client.table, send, new Message())).toBe(ErrorCode.Ok);
    expect(notificationSignal(p.table, n, 1n)).toBe(ErrorCode.Ok);
    expect(poll(p.table, ws)).toEqual([
      [1, Ready.Readable | Ready.Writable],
      [2, Ready.Signalled],
    ]);
    // Level-triggered: still ready until consumed.
    expect(poll(p.table, ws)).toHaveLength(2);
    expect(endpointReceive(p.table, recv, new Message())).toBe(ErrorCode.Ok);
    const w = new Waiter(1);
    expect(notificationWait(p.table, n, w)).toBe(ErrorCode.Ok);
    expect(poll(p.table, ws)).toEqual([[1, Ready.Writable]]);
  });

  it("a waiter is woken when a member becomes ready", () => {
    const { p, ws, n } = setup();
    // Only the notification: the endpoint is always writable.
    expect(waitSetRemove(p.table, ws, 1)).toBe(ErrorCode.Ok);
    const w = new Waiter(1);
    expect(waitSetWait(p.table, ws, w)).toBe(ErrorCode.WouldBlock);
    expect(notificationSignal(p.table, n, 4n)).toBe(ErrorCode.Ok);
    expect(w.state).toBe(WaitState.Done);
    expect(w.result).toBe(ErrorCode.Ok);
    expect(poll(p.table, ws)).toEqual([[2, Ready.Signalled]]);
    const w2 = new Waiter(2);
    expect(waitSetWait(p.table, ws, w2)).toBe(ErrorCode.Ok);
    w2.deadline = NO_WAIT;
    expect(notificationWait(p.table, n, new Waiter(3))).toBe(ErrorCode.Ok);
    expect(waitSetWait(p.table, ws, w2)).toBe(ErrorCode.QueueEmpty);
  });

  it("peer closed shows as readiness", () => {
    const { p, client, ws, ep, send } = setup();
    expect(capDelete(p.table, ep)).toBe(ErrorCode.Ok);
    expect(capDelete(client.table, send)).toBe(ErrorCode.Ok);
    // Room in the queue still shows as Writable: readiness describes the object, not a side.
    expect(poll(p.table, ws)).toEqual([[1, Ready.PeerClosed | Ready.Writable]]);
  });

  it("membership errors: duplicates, full set, wrong type, rights, unknown key", () => {
    const { p, ws, recv, n } = setup();
    expect(waitSetAdd(p.table, ws, recv, 9)).toBe(ErrorCode.AlreadyExists);
    const n2 = notificationCreate(p.table);
    expect(waitSetAdd(p.table, ws, n2, 1)).toBe(ErrorCode.AlreadyExists);
    const other = waitSetCreate(p.table, 1);
    expect(waitSetAdd(p.table, ws, other, 5)).toBe(ErrorCode.WrongType);
    const sigOnly = capCopy(p.table, n2, p.table, Right.Signal);
    expect(waitSetAdd(p.table, ws, sigOnly, 5)).toBe(ErrorCode.MissingRights);
    const wsRead = capCopy(p.table, ws, p.table, Right.Read);
    expect(waitSetAdd(p.table, wsRead, n2, 5)).toBe(ErrorCode.MissingRights);
    expect(waitSetAdd(p.table, ws, n2, 3)).toBe(ErrorCode.Ok);
    expect(waitSetAdd(p.table, ws, notificationCreate(p.table), 4)).toBe(ErrorCode.Ok);
    expect(waitSetAdd(p.table, ws, notificationCreate(p.table), 5)).toBe(ErrorCode.SetFull);
    expect(waitSetRemove(p.table, ws, 42)).toBe(ErrorCode.NotFound);
    expect(waitSetCreate(p.table, 0)).toBe(-ErrorCode.InvalidArgument);
    expect(waitSetCreate(p.table, MAX_WAIT_SET + 1)).toBe(-ErrorCode.InvalidArgument);
    expect(waitSetPoll(p.table, n, new Int32Array(1), new Int32Array(1))).toBe(-ErrorCode.WrongType);
  });

  it("membership goes away when a source is destroyed, and with the set", () => {
    const root = makeRoot();
    const p = makeProc(root);
    const before = snapshotCounts();
    const members = liveCount(Pool.WaitSetMember);
    const ws = waitSetCreate(p.table, 4);
    const n = notificationCreate(p.table);
    const n2 = notificationCreate(p.table);
    expect(waitSetAdd(p.table, ws, n, 1)).toBe(ErrorCode.Ok);
    expect(waitSetAdd(p.table, ws, n2, 2)).toBe(ErrorCode.Ok);
    expect(liveCount(Pool.WaitSetMember)).toBe(members + 2);
    expect(notificationSignal(p.table, n, 1n)).toBe(ErrorCode.Ok);
    expect(capDelete(p.table, n)).toBe(ErrorCode.Ok);
    expect(liveCount(Pool.WaitSetMember)).toBe(members + 1);
    expect(poll(p.table, ws)).toEqual([]);
    const w = new Waiter(1);
    expect(waitSetWait(p.table, ws, w)).toBe(ErrorCode.WouldBlock);
    expect(capDelete(p.table, ws)).toBe(ErrorCode.Ok);
    expect(w.result).toBe(ErrorCode.ObjectDestroyed);
    expect(liveCount(Pool.WaitSetMember)).toBe(members);
    expect(notificationSignal(p.table, n2, 1n)).toBe(ErrorCode.Ok);
    expect(capDelete(p.table, n2)).toBe(ErrorCode.Ok);
    expect(snapshotCounts()).toEqual(before);
  });
});
