// The object-level pieces of register messages (kernel/syscall/ipc-regs.ts): a register receive
// (deliverToRegisters) and the reply slot it fills, in its two forms (the caller's waiter itself
// for a direct call, a reply capability in flight for a call that was queued), answered by
// replyFromSlot, dropped by dropReplySlot, and unlinked when either side stops waiting.
import { beforeEach, describe, expect, it } from "vitest";
import { ErrorCode } from "../../../abi/errors.ts";
import { lookupCap, lookupError } from "../../../kernel/cap/cap-table.ts";
import { CapPlace, capPlace, NO_CAP } from "../../../kernel/cap/capability.ts";
import { capDelete, capMint, tableDestroy } from "../../../kernel/cap/cdt.ts";
import { Right } from "../../../abi/rights.ts";
import {
  deliverToRegisters, Endpoint, endpointCreate, endpointReceive, endpointSend, endpointService,
} from "../../../kernel/object/endpoint.ts";
import { Message } from "../../../kernel/cap/message.ts";
import { notificationCreate } from "../../../kernel/object/notification.ts";
import { dropReplySlot, endpointCall, replyFromSlot, replySend } from "../../../kernel/object/reply.ts";
import {
  cancelWaiter, completeWaiter, FOREVER, setWakeHook, timeoutWaiter, WaitKind, Waiter, waiterBlock, WaitState,
} from "../../../kernel/cap/waiter.ts";
import { checkInvariants, makeProc, makeRoot, Proc, snapshotCounts } from "../cap/harness.ts";
import { ObjectType } from "../../../abi/object-type.ts";
import { MsgFlag } from "../../../abi/message.ts";

const woken: Waiter[] = [];
function recordWake(w: Waiter): void {
  woken.push(w);
}

beforeEach(() => {
  woken.length = 0;
  setWakeHook(recordWake);
});

function msg(label: number, ...words: bigint[]): Message {
  const m = new Message();
  m.label = label;
  words.forEach((w, i) => (m.words[i] = w));
  return m;
}

class World {
  constructor(
    readonly server: Proc,
    readonly client: Proc,
    /** The server's handle (every right) and the client's (Write, Grant), badged 0x99. */
    readonly ep: number,
    readonly send: number,
    readonly sw: Waiter,
    readonly cw: Waiter,
  ) {}

  get endpoint(): Endpoint {
    return lookupCap(this.server.table, this.ep).object.endpoint!;
  }

  /** Frees both tables: every object they held goes. */
  close(): void {
    tableDestroy(this.client.table);
    tableDestroy(this.server.table);
  }
}

function setup(): World {
  const root = makeRoot();
  const server = makeProc(root);
  const client = makeProc(root);
  const ep = endpointCreate(server.table, 4);
  const send = capMint(server.table, ep, client.table, Right.Write | Right.Grant, 0x99n);
  const sw = new Waiter(1);
  sw.noCaps = true;
  return new World(server, client, ep, send, sw, new Waiter(2));
}

/** The client calls with `m` (queued, reply capability in flight); its waiter blocks. */
function queueCall(w: World, m: Message): void {
  w.cw.deadline = FOREVER;
  expect(endpointCall(w.client.table, w.send, m, w.cw)).toBe(ErrorCode.WouldBlock);
}

/** A direct call: the client's waiter sits in the server's reply slot, as sysCallRegisters leaves it. */
function linkDirect(w: World): void {
  waiterBlock(w.cw, WaitKind.Call, null, w.client.table, w.send, lookupCap(w.client.table, w.send));
  w.cw.noCaps = true;
  w.sw.replyTo = w.cw;
  w.cw.replyHolder = w.sw;
}

describe("deliverToRegisters", () => {
  it("takes a plain message with its badge and leaves the slot empty", () => {
    const w = setup();
    expect(endpointSend(w.client.table, w.send, msg(5, 1n, 2n, 3n, 4n, 5n, 0xffffffffffffffffn))).toBe(ErrorCode.Ok);
    expect(deliverToRegisters(w.endpoint, w.sw)).toBe(ErrorCode.Ok);
    expect(w.endpoint.count).toBe(0);
    expect(w.sw.msg.label).toBe(5);
    expect([...w.sw.msg.words]).toEqual([1n, 2n, 3n, 4n, 5n, 0xffffffffffffffffn]);
    expect(w.sw.msg.badge).toBe(0x99n);
    expect(w.sw.msg.capCount).toBe(0);
    expect(w.sw.msg.replyCap).toBe(NO_CAP);
    w.close();
  });

  it("keeps a call's reply capability in the slot, in flight, never in the table", () => {
    const w = setup();
    const before = snapshotCounts();
    const used = w.server.table.used;
    queueCall(w, msg(7, 70n));
    expect(deliverToRegisters(w.endpoint, w.sw)).toBe(ErrorCode.Ok);
    const rc = w.sw.msg.replyCap;
    expect(rc).not.toBe(NO_CAP);
    expect(capPlace(rc)).toBe(CapPlace.InFlight);
    expect(rc.message).toBe(w.sw.msg);
    expect(rc.object.type).toBe(ObjectType.Reply);
    expect(w.server.table.used).toBe(used);
    expect(w.sw.msg.replyHandle).toBe(0);
    // Answered from the slot: the caller gets the data, no badge, and is woken through the hook.
    expect(replyFromSlot(w.server.table, w.sw, msg(8, 80n, 81n))).toBeNull();
    expect(w.cw.state).toBe(WaitState.Done);
    expect(w.cw.result).toBe(ErrorCode.Ok);
    expect(w.cw.msg.label).toBe(8);
    expect(w.cw.msg.words[1]).toBe(81n);
    expect(w.cw.msg.badge).toBe(0n);
    expect(woken).toEqual([w.cw]);
    expect(w.sw.msg.replyCap).toBe(NO_CAP);
    expect(snapshotCounts()).toEqual(before);
    checkInvariants([w.server.table, w.client.table]);
    w.close();
  });

  it("refuses a message carrying capabilities and leaves it queued for a buffer receive", () => {
    const w = setup();
    const n = notificationCreate(w.client.table);
    const m = msg(3, 33n);
    m.capCount = 1;
    m.handles[0] = n;
    m.flags = MsgFlag.CopyCaps;
    expect(endpointSend(w.client.table, w.send, m)).toBe(ErrorCode.Ok);
    expect(deliverToRegisters(w.endpoint, w.sw)).toBe(ErrorCode.CapsNotAccepted);
    expect(w.endpoint.count).toBe(1);
    const out = new Message();
    expect(endpointReceive(w.server.table, w.ep, out)).toBe(ErrorCode.Ok);
    expect(out.words[0]).toBe(33n);
    expect(out.capCount).toBe(1);
    expect(lookupError(w.server.table, out.handles[0]!, ObjectType.Notification, 0)).toBe(ErrorCode.Ok);
    checkInvariants([w.server.table, w.client.table]);
    w.close();
  });

  it("lets go of a caller still in the slot (PeerClosed) rather than leave it waiting", () => {
    const w = setup();
    queueCall(w, msg(1));
    expect(deliverToRegisters(w.endpoint, w.sw)).toBe(ErrorCode.Ok);
    const other = new Waiter(3);
    other.deadline = FOREVER;
    expect(endpointCall(w.client.table, w.send, msg(2), other)).toBe(ErrorCode.WouldBlock);
    expect(deliverToRegisters(w.endpoint, w.sw)).toBe(ErrorCode.Ok);
    expect(w.cw.result).toBe(ErrorCode.PeerClosed);
    expect(woken).toEqual([w.cw]);
    expect(w.sw.msg.label).toBe(2);
    replyFromSlot(w.server.table, w.sw, msg(4));
    expect(other.result).toBe(ErrorCode.Ok);
    expect(other.msg.label).toBe(4);
    w.close();
  });
});

describe("endpointService and a register receiver", () => {
  function blockRegisterReceiver(w: World): void {
    waiterBlock(w.sw, WaitKind.Receive, w.endpoint.recvWaiters, w.server.table, w.ep, lookupCap(w.server.table, w.ep));
  }

  it("delivers a plain message straight into the waiting register receiver", () => {
    const w = setup();
    blockRegisterReceiver(w);
    expect(endpointSend(w.client.table, w.send, msg(6, 60n))).toBe(ErrorCode.Ok);
    expect(w.sw.result).toBe(ErrorCode.Ok);
    expect(w.sw.msg.label).toBe(6);
    expect(w.sw.msg.badge).toBe(0x99n);
    expect(w.endpoint.count).toBe(0);
    w.close();
  });

  it("wakes it with CapsNotAccepted for a message with capabilities, which stays queued", () => {
    const w = setup();
    blockRegisterReceiver(w);
    const n = notificationCreate(w.client.table);
    const m = msg(3);
    m.capCount = 1;
    m.handles[0] = n;
    expect(endpointSend(w.client.table, w.send, m)).toBe(ErrorCode.Ok);
    expect(w.sw.state).toBe(WaitState.Done);
    expect(w.sw.result).toBe(ErrorCode.CapsNotAccepted);
    expect(woken).toEqual([w.sw]);
    expect(w.endpoint.count).toBe(1);
    // Moved, not lost: it is in flight in the queue.
    expect(lookupError(w.client.table, n, ObjectType.Any, 0)).toBe(ErrorCode.InvalidHandle);
    endpointService(w.endpoint);
    expect(w.endpoint.count).toBe(1);
    checkInvariants([w.server.table, w.client.table]);
    w.close();
  });
});

describe("the direct form of the slot", () => {
  it("replyFromSlot completes the caller without its wake hook and empties the slot", () => {
    const w = setup();
    linkDirect(w);
    const got = replyFromSlot(w.server.table, w.sw, msg(9, 90n, 91n, 92n, 93n, 94n, 95n));
    expect(got).toBe(w.cw);
    expect(woken).toEqual([]);
    expect(w.cw.state).toBe(WaitState.Done);
    expect(w.cw.result).toBe(ErrorCode.Ok);
    expect(w.cw.msg.label).toBe(9);
    expect([...w.cw.msg.words]).toEqual([90n, 91n, 92n, 93n, 94n, 95n]);
    expect(w.cw.msg.badge).toBe(0n);
    expect(w.sw.replyTo).toBeNull();
    expect(w.cw.replyHolder).toBeNull();
    // Nothing left to answer.
    expect(replyFromSlot(w.server.table, w.sw, msg(1))).toBeNull();
    expect(w.client.table.blocked).toBe(0);
    w.close();
  });

  it("unlinks both sides when the caller times out or is cancelled, so the answer is dropped", () => {
    for (const end of [timeoutWaiter, cancelWaiter]) {
      const w = setup();
      linkDirect(w);
      end(w.cw);
      expect(w.sw.replyTo).toBeNull();
      expect(w.cw.replyHolder).toBeNull();
      expect(replyFromSlot(w.server.table, w.sw, msg(1))).toBeNull();
      expect(w.cw.result).toBe(end === timeoutWaiter ? ErrorCode.TimedOut : ErrorCode.Cancelled);
      w.close();
    }
  });

  it("completeWaiter refuses a waiter that is not waiting and unlinks one that is", () => {
    const w = setup();
    expect(completeWaiter(w.cw, ErrorCode.Ok)).toBe(false);
    linkDirect(w);
    expect(completeWaiter(w.cw, ErrorCode.PeerClosed)).toBe(true);
    expect(w.sw.replyTo).toBeNull();
    expect(woken).toEqual([]);
    expect(completeWaiter(w.cw, ErrorCode.Ok)).toBe(false);
    expect(w.cw.result).toBe(ErrorCode.PeerClosed);
    w.close();
  });
});

describe("dropReplySlot (the server goes away)", () => {
  it("wakes a direct caller with PeerClosed", () => {
    const w = setup();
    linkDirect(w);
    dropReplySlot(w.sw);
    expect(w.cw.result).toBe(ErrorCode.PeerClosed);
    expect(woken).toEqual([w.cw]);
    expect(w.sw.replyTo).toBeNull();
    w.close();
  });

  it("frees a queued call's reply capability, which fails its caller with PeerClosed", () => {
    const w = setup();
    const before = snapshotCounts();
    queueCall(w, msg(1));
    expect(deliverToRegisters(w.endpoint, w.sw)).toBe(ErrorCode.Ok);
    dropReplySlot(w.sw);
    expect(w.sw.msg.replyCap).toBe(NO_CAP);
    expect(w.cw.result).toBe(ErrorCode.PeerClosed);
    expect(woken).toEqual([w.cw]);
    expect(snapshotCounts()).toEqual(before);
    w.close();
  });

  it("does nothing to an empty slot", () => {
    const w = setup();
    dropReplySlot(w.sw);
    expect(woken).toEqual([]);
    w.close();
  });
});

describe("a reply to a register caller through a reply capability", () => {
  it("is refused with CapsNotAccepted when it carries capabilities; the capability stays usable", () => {
    const w = setup();
    w.cw.noCaps = true;
    queueCall(w, msg(1));
    const out = new Message();
    expect(endpointReceive(w.server.table, w.ep, out)).toBe(ErrorCode.Ok);
    const rh = out.replyHandle;
    const n = notificationCreate(w.server.table);
    const withCap = msg(2);
    withCap.capCount = 1;
    withCap.handles[0] = n;
    expect(replySend(w.server.table, rh, withCap)).toBe(ErrorCode.CapsNotAccepted);
    expect(w.cw.state).toBe(WaitState.Waiting);
    expect(lookupError(w.server.table, n, ObjectType.Notification, 0)).toBe(ErrorCode.Ok);
    expect(lookupError(w.server.table, rh, ObjectType.Reply, Right.Write)).toBe(ErrorCode.Ok);
    expect(replySend(w.server.table, rh, msg(3, 30n))).toBe(ErrorCode.Ok);
    expect(w.cw.result).toBe(ErrorCode.Ok);
    expect(w.cw.msg.words[0]).toBe(30n);
    expect(lookupError(w.server.table, rh, ObjectType.Reply, Right.Write)).toBe(ErrorCode.ReplyUsed);
    capDelete(w.server.table, n);
    w.close();
  });

  it("answers a caller that timed out with nothing, and frees the reply object", () => {
    const w = setup();
    const before = snapshotCounts();
    queueCall(w, msg(1));
    expect(deliverToRegisters(w.endpoint, w.sw)).toBe(ErrorCode.Ok);
    timeoutWaiter(w.cw);
    woken.length = 0;
    expect(replyFromSlot(w.server.table, w.sw, msg(2))).toBeNull();
    expect(woken).toEqual([]);
    expect(w.sw.msg.replyCap).toBe(NO_CAP);
    expect(snapshotCounts()).toEqual(before);
    w.close();
  });
});
