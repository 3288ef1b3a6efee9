import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../../abi/errors.ts";
import { lookupCap } from "../../../kernel/cap/cap-table.ts";
import { capCopy, capDelete, capMint, capRevoke } from "../../../kernel/cap/cdt.ts";
import { Right } from "../../../abi/rights.ts";
import { endpointCreate, endpointReceive, endpointSend } from "../../../kernel/object/endpoint.ts";
import { Message } from "../../../kernel/cap/message.ts";
import {
  notificationBind,
  notificationCreate,
  notificationSignal,
  notificationUnbind,
  notificationWait,
  notifySignal,
} from "../../../kernel/object/notification.ts";
import { NO_WAIT, timeoutWaiter, Waiter, WaitState } from "../../../kernel/cap/waiter.ts";
import { makeProc, makeRoot, recordWakes } from "./fixture.ts";

const woken = recordWakes();

function setup() {
  const root = makeRoot();
  const owner = makeProc(root);
  const other = makeProc(root);
  const n = notificationCreate(owner.table);
  return { owner, other, n };
}

describe("notifications", () => {
  it("signals accumulate by OR and a wait takes and clears them", () => {
    const { owner, n } = setup();
    expect(notificationSignal(owner.table, n, 0b0101n)).toBe(ErrorCode.Ok);
    expect(notificationSignal(owner.table, n, 0b0011n)).toBe(ErrorCode.Ok);
    const w = new Waiter(1);
    w.deadline = NO_WAIT;
    expect(notificationWait(owner.table, n, w)).toBe(ErrorCode.Ok);
    expect(w.bits).toBe(0b0111n);
    expect(notificationWait(owner.table, n, w)).toBe(ErrorCode.QueueEmpty);
    expect(notificationSignal(owner.table, n, 1n << 63n)).toBe(ErrorCode.Ok);
    expect(notificationWait(owner.table, n, w)).toBe(ErrorCode.Ok);
    expect(w.bits).toBe(1n << 63n);
  });

  it("a badged capability signals its badge, whatever bits are passed", () => {
    const { owner, other, n } = setup();
    const a = capMint(owner.table, n, other.table, Right.Signal, 0x10n);
    const b = capMint(owner.table, n, other.table, Right.Signal, 0x20n);
    expect(notificationSignal(other.table, a, 0xffn)).toBe(ErrorCode.Ok);
    expect(notificationSignal(other.table, b, 0n)).toBe(ErrorCode.Ok);
    const w = new Waiter(1);
    expect(notificationWait(owner.table, n, w)).toBe(ErrorCode.Ok);
    expect(w.bits).toBe(0x30n);
  });

  it("checks rights, types and zero signals", () => {
    const { owner, other, n } = setup();
    const waitOnly = capCopy(owner.table, n, other.table, Right.Read);
    const signalOnly = capCopy(owner.table, n, other.table, Right.Signal);
    expect(notificationSignal(other.table, waitOnly, 1n)).toBe(ErrorCode.MissingRights);
    expect(notificationWait(other.table, signalOnly, new Waiter(1))).toBe(ErrorCode.MissingRights);
    expect(notificationSignal(owner.table, n, 0n)).toBe(ErrorCode.InvalidArgument);
    const ep = endpointCreate(owner.table, 1);
    expect(notificationSignal(owner.table, ep, 1n)).toBe(ErrorCode.WrongType);
  });

  it("a waiter blocks and is woken by the next signal, in FIFO order", () => {
    const { owner, other, n } = setup();
    const sig = capCopy(owner.table, n, other.table, Right.Signal);
    const w1 = new Waiter(1);
    const w2 = new Waiter(2);
    expect(notificationWait(owner.table, n, w1)).toBe(ErrorCode.WouldBlock);
    expect(notificationWait(owner.table, n, w2)).toBe(ErrorCode.WouldBlock);
    expect(notificationSignal(other.table, sig, 4n)).toBe(ErrorCode.Ok);
    expect(w1.result).toBe(ErrorCode.Ok);
    expect(w1.bits).toBe(4n);
    expect(w2.state).toBe(WaitState.Waiting);
    notifySignal(lookupCap(owner.table, n).object.notification!, 8n);
    expect(w2.bits).toBe(8n);
    expect(woken).toEqual([w1, w2]);
  });

  it("a wait times out; destruction wakes waiters with an error", () => {
    const { owner, other, n } = setup();
    const w = new Waiter(1);
    w.deadline = 10;
    expect(notificationWait(owner.table, n, w)).toBe(ErrorCode.WouldBlock);
    expect(timeoutWaiter(w)).toBe(true);
    expect(w.result).toBe(ErrorCode.TimedOut);
    const waitCap = capCopy(owner.table, n, other.table, Right.Read);
    const w2 = new Waiter(2);
    expect(notificationWait(other.table, waitCap, w2)).toBe(ErrorCode.WouldBlock);
    expect(capDelete(owner.table, n)).toBe(ErrorCode.Ok);
    expect(w2.state).toBe(WaitState.Waiting);
    expect(capDelete(other.table, waitCap)).toBe(ErrorCode.Ok);
    expect(w2.result).toBe(ErrorCode.ObjectDestroyed);
  });

  it("a waiter whose capability was revoked does not receive the bits", () => {
    const { owner, other, n } = setup();
    const waitCap = capCopy(owner.table, n, other.table, Right.Read);
    const w = new Waiter(1);
    expect(notificationWait(other.table, waitCap, w)).toBe(ErrorCode.WouldBlock);
    expect(capRevoke(owner.table, n)).toBe(ErrorCode.Ok);
    expect(notificationSignal(owner.table, n, 2n)).toBe(ErrorCode.Ok);
    expect(w.result).toBe(ErrorCode.Revoked);
    const mine = new Waiter(2);
    expect(notificationWait(owner.table, n, mine)).toBe(ErrorCode.Ok);
    expect(mine.bits).toBe(2n);
  });

  it("a bound endpoint signals message arrival and peer closed", () => {
    const root = makeRoot();
    const p = makeProc(root);
    const client = makeProc(root);
    const n = notificationCreate(p.table);
    const ep = endpointCreate(p.table, 4);
    const recv = capCopy(p.table, ep, p.table, Right.Read | Right.Manage);
    const send = capCopy(p.table, ep, client.table, Right.Write);
    expect(capDelete(p.table, ep)).toBe(ErrorCode.Ok);
    expect(notificationBind(p.table, recv, n, 0x100n)).toBe(ErrorCode.Ok);
    expect(notificationBind(p.table, recv, n, 0x200n)).toBe(ErrorCode.AlreadyExists);
    const w = new Waiter(1);
    expect(notificationWait(p.table, n, w)).toBe(ErrorCode.WouldBlock);
    expect(endpointSend(client.table, send, new Message())).toBe(ErrorCode.Ok);
    expect(w.result).toBe(ErrorCode.Ok);
    expect(w.bits).toBe(0x100n);
    // Further messages while the queue is non-empty do not signal again: drain until empty.
    expect(endpointSend(client.table, send, new Message())).toBe(ErrorCode.Ok);
    const poll = new Waiter(2);
    poll.deadline = NO_WAIT;
    expect(notificationWait(p.table, n, poll)).toBe(ErrorCode.QueueEmpty);
    const out = new Message();
    expect(endpointReceive(p.table, recv, out)).toBe(ErrorCode.Ok);
    expect(endpointReceive(p.table, recv, out)).toBe(ErrorCode.Ok);
    expect(endpointSend(client.table, send, new Message())).toBe(ErrorCode.Ok);
    expect(notificationWait(p.table, n, poll)).toBe(ErrorCode.Ok);
    expect(poll.bits).toBe(0x100n);
    expect(endpointReceive(p.table, recv, out)).toBe(ErrorCode.Ok);
    // The client goes away: peer closed is signalled.
    expect(capDelete(client.table, send)).toBe(ErrorCode.Ok);
    expect(notificationWait(p.table, n, poll)).toBe(ErrorCode.Ok);
    expect(poll.bits).toBe(0x100n);
  });

  it("binding checks its arguments and is undone by unbind and by destruction", () => {
    const p = makeProc(makeRoot());
    const n = notificationCreate(p.table);
    const ep = endpointCreate(p.table, 1);
    const ep2 = endpointCreate(p.table, 1);
    const readOnly = capCopy(p.table, ep, p.table, Right.Read);
    expect(notificationBind(p.table, readOnly, n, 1n)).toBe(ErrorCode.MissingRights);
    expect(notificationBind(p.table, n, n, 1n)).toBe(ErrorCode.WrongType);
    expect(notificationBind(p.table, ep, n, 0n)).toBe(ErrorCode.InvalidArgument);
    const noSignal = capCopy(p.table, n, p.table, Right.Read);
    expect(notificationBind(p.table, ep, noSignal, 1n)).toBe(ErrorCode.MissingRights);
    expect(notificationUnbind(p.table, ep)).toBe(ErrorCode.NotFound);
    expect(notificationBind(p.table, ep, n, 1n)).toBe(ErrorCode.Ok);
    expect(notificationBind(p.table, ep2, n, 2n)).toBe(ErrorCode.Ok);
    const nobj = lookupCap(p.table, n).object;
    expect(notificationUnbind(p.table, ep)).toBe(ErrorCode.Ok);
    expect(nobj.firstBound).toBe(lookupCap(p.table, ep2).object);
    expect(nobj.firstBound!.nextBound).toBeNull();
    // Destroying the endpoint unbinds it; destroying the notification unbinds the others.
    expect(notificationBind(p.table, ep, n, 1n)).toBe(ErrorCode.Ok);
    expect(capDelete(p.table, ep)).toBe(ErrorCode.Ok);
    expect(capDelete(p.table, readOnly)).toBe(ErrorCode.Ok);
    expect(nobj.firstBound).toBe(lookupCap(p.table, ep2).object);
    expect(nobj.firstBound!.nextBound).toBeNull();
    const ep2obj = lookupCap(p.table, ep2).object;
    expect(capDelete(p.table, n)).toBe(ErrorCode.Ok);
    expect(capDelete(p.table, noSignal)).toBe(ErrorCode.Ok);
    expect(ep2obj.boundTo).toBeNull();
    expect(endpointSend(p.table, ep2, new Message())).toBe(ErrorCode.Ok);
  });
});
