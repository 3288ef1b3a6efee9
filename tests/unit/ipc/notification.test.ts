import { describe, expect, it } from "vitest";
import { CapError } from "../../../kernel/cap/errors.ts";
import { lookupCap } from "../../../kernel/cap/cap-table.ts";
import { capCopy, capDelete, capMint, capRevoke } from "../../../kernel/cap/cdt.ts";
import { Right } from "../../../kernel/cap/rights.ts";
import { endpointCreate, endpointReceive, endpointSend } from "../../../kernel/ipc/endpoint.ts";
import { Message } from "../../../kernel/ipc/message.ts";
import {
  notificationBind,
  notificationCreate,
  notificationSignal,
  notificationUnbind,
  notificationWait,
  notifySignal,
} from "../../../kernel/ipc/notification.ts";
import { NO_WAIT, timeoutWaiter, Waiter, WaitState } from "../../../kernel/ipc/waiter.ts";
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
    expect(notificationSignal(owner.table, n, 0b0101n)).toBe(CapError.Ok);
    expect(notificationSignal(owner.table, n, 0b0011n)).toBe(CapError.Ok);
    const w = new Waiter(1);
    w.deadline = NO_WAIT;
    expect(notificationWait(owner.table, n, w)).toBe(CapError.Ok);
    expect(w.bits).toBe(0b0111n);
    expect(notificationWait(owner.table, n, w)).toBe(CapError.QueueEmpty);
    expect(notificationSignal(owner.table, n, 1n << 63n)).toBe(CapError.Ok);
    expect(notificationWait(owner.table, n, w)).toBe(CapError.Ok);
    expect(w.bits).toBe(1n << 63n);
  });

  it("a badged capability signals its badge, whatever bits are passed", () => {
    const { owner, other, n } = setup();
    const a = capMint(owner.table, n, other.table, Right.Signal, 0x10n);
    const b = capMint(owner.table, n, other.table, Right.Signal, 0x20n);
    expect(notificationSignal(other.table, a, 0xffn)).toBe(CapError.Ok);
    expect(notificationSignal(other.table, b, 0n)).toBe(CapError.Ok);
    const w = new Waiter(1);
    expect(notificationWait(owner.table, n, w)).toBe(CapError.Ok);
    expect(w.bits).toBe(0x30n);
  });

  it("checks rights, types and zero signals", () => {
    const { owner, other, n } = setup();
    const waitOnly = capCopy(owner.table, n, other.table, Right.Read);
    const signalOnly = capCopy(owner.table, n, other.table, Right.Signal);
    expect(notificationSignal(other.table, waitOnly, 1n)).toBe(CapError.MissingRights);
    expect(notificationWait(other.table, signalOnly, new Waiter(1))).toBe(CapError.MissingRights);
    expect(notificationSignal(owner.table, n, 0n)).toBe(CapError.InvalidArgument);
    const ep = endpointCreate(owner.table, 1);
    expect(notificationSignal(owner.table, ep, 1n)).toBe(CapError.WrongType);
  });

  it("a waiter blocks and is woken by the next signal, in FIFO order", () => {
    const { owner, other, n } = setup();
    const sig = capCopy(owner.table, n, other.table, Right.Signal);
    const w1 = new Waiter(1);
    const w2 = new Waiter(2);
    expect(notificationWait(owner.table, n, w1)).toBe(CapError.WouldBlock);
    expect(notificationWait(owner.table, n, w2)).toBe(CapError.WouldBlock);
    expect(notificationSignal(other.table, sig, 4n)).toBe(CapError.Ok);
    expect(w1.result).toBe(CapError.Ok);
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
    expect(notificationWait(owner.table, n, w)).toBe(CapError.WouldBlock);
    expect(timeoutWaiter(w)).toBe(true);
    expect(w.result).toBe(CapError.TimedOut);
    const waitCap = capCopy(owner.table, n, other.table, Right.Read);
    const w2 = new Waiter(2);
    expect(notificationWait(other.table, waitCap, w2)).toBe(CapError.WouldBlock);
    expect(capDelete(owner.table, n)).toBe(CapError.Ok);
    expect(w2.state).toBe(WaitState.Waiting);
    expect(capDelete(other.table, waitCap)).toBe(CapError.Ok);
    expect(w2.result).toBe(CapError.ObjectDestroyed);
  });

  it("a waiter whose capability was revoked does not receive the bits", () => {
    const { owner, other, n } = setup();
    const waitCap = capCopy(owner.table, n, other.table, Right.Read);
    const w = new Waiter(1);
    expect(notificationWait(other.table, waitCap, w)).toBe(CapError.WouldBlock);
    expect(capRevoke(owner.table, n)).toBe(CapError.Ok);
    expect(notificationSignal(owner.table, n, 2n)).toBe(CapError.Ok);
    expect(w.result).toBe(CapError.Revoked);
    const mine = new Waiter(2);
    expect(notificationWait(owner.table, n, mine)).toBe(CapError.Ok);
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
    expect(capDelete(p.table, ep)).toBe(CapError.Ok);
    expect(notificationBind(p.table, recv, n, 0x100n)).toBe(CapError.Ok);
    expect(notificationBind(p.table, recv, n, 0x200n)).toBe(CapError.AlreadyExists);
    const w = new Waiter(1);
    expect(notificationWait(p.table, n, w)).toBe(CapError.WouldBlock);
    expect(endpointSend(client.table, send, new Message())).toBe(CapError.Ok);
    expect(w.result).toBe(CapError.Ok);
    expect(w.bits).toBe(0x100n);
    // Further messages while the queue is non-empty do not signal again: drain until empty.
    expect(endpointSend(client.table, send, new Message())).toBe(CapError.Ok);
    const poll = new Waiter(2);
    poll.deadline = NO_WAIT;
    expect(notificationWait(p.table, n, poll)).toBe(CapError.QueueEmpty);
    const out = new Message();
    expect(endpointReceive(p.table, recv, out)).toBe(CapError.Ok);
    expect(endpointReceive(p.table, recv, out)).toBe(CapError.Ok);
    expect(endpointSend(client.table, send, new Message())).toBe(CapError.Ok);
    expect(notificationWait(p.table, n, poll)).toBe(CapError.Ok);
    expect(poll.bits).toBe(0x100n);
    expect(endpointReceive(p.table, recv, out)).toBe(CapError.Ok);
    // The client goes away: peer closed is signalled.
    expect(capDelete(client.table, send)).toBe(CapError.Ok);
    expect(notificationWait(p.table, n, poll)).toBe(CapError.Ok);
    expect(poll.bits).toBe(0x100n);
  });

  it("binding checks its arguments and is undone by unbind and by destruction", () => {
    const p = makeProc(makeRoot());
    const n = notificationCreate(p.table);
    const ep = endpointCreate(p.table, 1);
    const ep2 = endpointCreate(p.table, 1);
    const readOnly = capCopy(p.table, ep, p.table, Right.Read);
    expect(notificationBind(p.table, readOnly, n, 1n)).toBe(CapError.MissingRights);
    expect(notificationBind(p.table, n, n, 1n)).toBe(CapError.WrongType);
    expect(notificationBind(p.table, ep, n, 0n)).toBe(CapError.InvalidArgument);
    const noSignal = capCopy(p.table, n, p.table, Right.Read);
    expect(notificationBind(p.table, ep, noSignal, 1n)).toBe(CapError.MissingRights);
    expect(notificationUnbind(p.table, ep)).toBe(CapError.NotFound);
    expect(notificationBind(p.table, ep, n, 1n)).toBe(CapError.Ok);
    expect(notificationBind(p.table, ep2, n, 2n)).toBe(CapError.Ok);
    const nobj = lookupCap(p.table, n).object;
    expect(notificationUnbind(p.table, ep)).toBe(CapError.Ok);
    expect(nobj.firstBound).toBe(lookupCap(p.table, ep2).object);
    expect(nobj.firstBound!.nextBound).toBeNull();
    // Destroying the endpoint unbinds it; destroying the notification unbinds the others.
    expect(notificationBind(p.table, ep, n, 1n)).toBe(CapError.Ok);
    expect(capDelete(p.table, ep)).toBe(CapError.Ok);
    expect(capDelete(p.table, readOnly)).toBe(CapError.Ok);
    expect(nobj.firstBound).toBe(lookupCap(p.table, ep2).object);
    expect(nobj.firstBound!.nextBound).toBeNull();
    const ep2obj = lookupCap(p.table, ep2).object;
    expect(capDelete(p.table, n)).toBe(CapError.Ok);
    expect(capDelete(p.table, noSignal)).toBe(CapError.Ok);
    expect(ep2obj.boundTo).toBeNull();
    expect(endpointSend(p.table, ep2, new Message())).toBe(CapError.Ok);
  });
});
