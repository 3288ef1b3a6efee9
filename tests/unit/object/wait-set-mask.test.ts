// Wait-set members that watch only some readiness bits (waitSetAddMask): an endpoint with room is
// always Writable, so a member watching everything would make every wait complete at once; a
// receiver watches Readable and PeerClosed instead.
import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../../abi/errors.ts";
import { capCopy, capDelete } from "../../../kernel/cap/cdt.ts";
import { Right } from "../../../abi/rights.ts";
import { endpointCreate, endpointReceive, endpointSend } from "../../../kernel/object/endpoint.ts";
import { Message } from "../../../kernel/cap/message.ts";
import { Ready, READY_ALL, waitSetAddMask, waitSetCreate, waitSetPoll, waitSetWait } from "../../../kernel/object/wait-set.ts";
import { NO_WAIT, Waiter, WaitState } from "../../../kernel/cap/waiter.ts";
import { makeProc, makeRoot, pollSet, recordWakes, snapshotCounts } from "./fixture.ts";

const woken = recordWakes();

function poll(table: Parameters<typeof waitSetPoll>[0], ws: number): Array<[number, number]> {
  return pollSet(table, ws);
}

describe("wait-set members with a readiness mask", () => {
  it("ignore bits outside the mask, report only the watched ones, and wake on them", () => {
    const root = makeRoot();
    const p = makeProc(root);
    const client = makeProc(root);
    const ws = waitSetCreate(p.table, 4);
    const ep = endpointCreate(p.table, 2);
    const send = capCopy(p.table, ep, client.table, Right.Write);
    expect(waitSetAddMask(p.table, ws, ep, 1, Ready.Readable | Ready.PeerClosed)).toBe(ErrorCode.Ok);
    // Writable (room, a receiver) is set on the object but not watched.
    expect(poll(p.table, ws)).toEqual([]);
    const w = new Waiter(1);
    expect(waitSetWait(p.table, ws, w)).toBe(ErrorCode.WouldBlock);
    expect(endpointSend(client.table, send, new Message())).toBe(ErrorCode.Ok);
    expect(w.state).toBe(WaitState.Done);
    expect(w.result).toBe(ErrorCode.Ok);
    expect(woken).toEqual([w]);
    expect(poll(p.table, ws)).toEqual([[1, Ready.Readable]]);
    expect(endpointReceive(p.table, ep, new Message())).toBe(ErrorCode.Ok);
    expect(poll(p.table, ws)).toEqual([]);
    // The last sender goes: PeerClosed rises and is watched.
    const w2 = new Waiter(2);
    expect(waitSetWait(p.table, ws, w2)).toBe(ErrorCode.WouldBlock);
    const recv = capCopy(p.table, ep, p.table, Right.Read);
    expect(recv).toBeGreaterThan(0);
    expect(capDelete(p.table, ep)).toBe(ErrorCode.Ok);
    expect(w2.state).toBe(WaitState.Waiting);
    expect(capDelete(client.table, send)).toBe(ErrorCode.Ok);
    expect(w2.state).toBe(WaitState.Done);
    expect(w2.result).toBe(ErrorCode.Ok);
    expect(poll(p.table, ws)).toEqual([[1, Ready.PeerClosed]]);
  });

  it("a rising bit outside every member's mask wakes nobody", () => {
    const root = makeRoot();
    const p = makeProc(root);
    const ws = waitSetCreate(p.table, 4);
    const ep = endpointCreate(p.table, 2);
    const recv = capCopy(p.table, ep, p.table, Right.Read);
    expect(capDelete(p.table, ep)).toBe(ErrorCode.Ok);
    // Only a Read capability left: no receiver room problem, but no sender either (PeerClosed).
    expect(waitSetAddMask(p.table, ws, recv, 7, Ready.Readable)).toBe(ErrorCode.Ok);
    const w = new Waiter(3);
    w.deadline = NO_WAIT;
    expect(waitSetWait(p.table, ws, w)).toBe(ErrorCode.QueueEmpty);
    expect(poll(p.table, ws)).toEqual([]);
  });

  it("masks outside the readiness bits are refused, and teardown returns every count", () => {
    const root = makeRoot();
    const p = makeProc(root);
    const before = snapshotCounts();
    const ws = waitSetCreate(p.table, 4);
    const ep = endpointCreate(p.table, 2);
    expect(waitSetAddMask(p.table, ws, ep, 1, 0)).toBe(ErrorCode.InvalidArgument);
    expect(waitSetAddMask(p.table, ws, ep, 1, READY_ALL + 1)).toBe(ErrorCode.InvalidArgument);
    expect(waitSetAddMask(p.table, ws, ep, 1, -1)).toBe(ErrorCode.InvalidArgument);
    expect(waitSetAddMask(p.table, ws, ep, 1, READY_ALL)).toBe(ErrorCode.Ok);
    expect(capDelete(p.table, ws)).toBe(ErrorCode.Ok);
    expect(capDelete(p.table, ep)).toBe(ErrorCode.Ok);
    expect(snapshotCounts()).toEqual(before);
  });
});
