import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../../abi/errors.ts";
import { lookupCap, lookupError, NULL_HANDLE } from "../../../kernel/cap/cap-table.ts";
import { capCopy, capDelete, capRevoke, tableDestroy } from "../../../kernel/cap/cdt.ts";
import { liveCount } from "../../../kernel/cap/counters.ts";
import { Right } from "../../../abi/rights.ts";
import {
  endpointCreate,
  endpointQueued,
  endpointReceive,
  endpointReceiveWait,
  endpointSend,
  endpointSendWait,
} from "../../../kernel/object/endpoint.ts";
import { Message } from "../../../kernel/cap/message.ts";
import { notificationCreate } from "../../../kernel/object/notification.ts";
import { cancelWaiter, FOREVER, NO_WAIT, timeoutWaiter, Waiter, WaitState } from "../../../kernel/cap/waiter.ts";
import { checkInvariants, connect as connectWith, makeProc, makeRoot, msg, recordWakes, snapshotCounts, withCaps } from "./fixture.ts";
import { ObjectType } from "../../../abi/object-type.ts";
import { MSG_WORDS, MsgFlag } from "../../../abi/message.ts";

const woken = recordWakes();

/** A server owning an endpoint and a client holding a badged send capability to it. */
function connect(capacity = 4) {
  return connectWith(capacity, 0xbadn);
}

describe("endpoint queue", () => {
  it("delivers words, label and the sender's badge in order", () => {
    const { server, client, ep, send } = connect();
    const big = (1n << 64n) - 1n;
    expect(endpointSend(client.table, send, msg(1, 10n, big))).toBe(ErrorCode.Ok);
    expect(endpointSend(client.table, send, msg(2, 20n))).toBe(ErrorCode.Ok);
    const out = new Message();
    expect(endpointReceive(server.table, ep, out)).toBe(ErrorCode.Ok);
    expect(out.label).toBe(1);
    expect(out.words[0]).toBe(10n);
    expect(out.words[1]).toBe(big);
    expect(out.badge).toBe(0xbadn);
    expect(endpointReceive(server.table, ep, out)).toBe(ErrorCode.Ok);
    expect(out.label).toBe(2);
    expect(out.words[1]).toBe(0n);
    expect(out.words.length).toBe(MSG_WORDS);
  });

  it("full queue and empty queue are errors; the ring wraps", () => {
    const { server, client, ep, send } = connect(2);
    const out = new Message();
    expect(endpointReceive(server.table, ep, out)).toBe(ErrorCode.QueueEmpty);
    for (let round = 0; round < 5; round++) {
      expect(endpointSend(client.table, send, msg(round))).toBe(ErrorCode.Ok);
      expect(endpointSend(client.table, send, msg(round + 100))).toBe(ErrorCode.Ok);
      expect(endpointSend(client.table, send, msg(999))).toBe(ErrorCode.QueueFull);
      expect(endpointReceive(server.table, ep, out)).toBe(ErrorCode.Ok);
      expect(out.label).toBe(round);
      expect(endpointReceive(server.table, ep, out)).toBe(ErrorCode.Ok);
      expect(out.label).toBe(round + 100);
      expect(endpointReceive(server.table, ep, out)).toBe(ErrorCode.QueueEmpty);
    }
  });

  it("checks rights and types of the endpoint handle", () => {
    const { server, client, ep, send } = connect();
    expect(endpointReceive(client.table, send, new Message())).toBe(ErrorCode.MissingRights);
    const n = notificationCreate(client.table);
    expect(endpointSend(client.table, n, msg(1))).toBe(ErrorCode.WrongType);
    expect(endpointSend(client.table, 12345, msg(1))).toBe(ErrorCode.InvalidHandle);
    void server;
    void ep;
  });

  it("moves capabilities through the queue, or copies them with the copy flag", () => {
    const { server, client, ep, send } = connect();
    const n = notificationCreate(client.table);
    const nRec = lookupCap(client.table, n);
    expect(endpointSend(client.table, send, withCaps(msg(1), 0, n))).toBe(ErrorCode.Ok);
    expect(lookupError(client.table, n, ObjectType.Any, 0)).toBe(ErrorCode.InvalidHandle);
    checkInvariants([server.table, client.table]);
    const out = new Message();
    expect(endpointReceive(server.table, ep, out)).toBe(ErrorCode.Ok);
    expect(out.capCount).toBe(1);
    expect(lookupCap(server.table, out.handles[0]!)).toBe(nRec);

    const n2 = notificationCreate(client.table);
    expect(endpointSend(client.table, send, withCaps(msg(2), MsgFlag.CopyCaps, n2))).toBe(ErrorCode.Ok);
    expect(lookupError(client.table, n2, ObjectType.Notification, 0)).toBe(ErrorCode.Ok);
    expect(endpointReceive(server.table, ep, out)).toBe(ErrorCode.Ok);
    const copy = lookupCap(server.table, out.handles[0]!);
    expect(copy.parent).toBe(lookupCap(client.table, n2));
    checkInvariants([server.table, client.table]);
  });

  it("rejects bad transfers without moving anything", () => {
    const { server, client, ep, send } = connect();
    const n = notificationCreate(client.table);
    const noGrant = capCopy(client.table, n, client.table, Right.Read);
    expect(endpointSend(client.table, send, withCaps(msg(1), 0, noGrant))).toBe(ErrorCode.MissingRights);
    const grantOnly = capCopy(client.table, n, client.table, Right.Read | Right.Grant);
    expect(endpointSend(client.table, send, withCaps(msg(1), MsgFlag.CopyCaps, grantOnly))).toBe(ErrorCode.MissingRights);
    expect(endpointSend(client.table, send, withCaps(msg(1), 0, n, n))).toBe(ErrorCode.InvalidArgument);
    expect(endpointSend(client.table, send, withCaps(msg(1), 0, n, 777))).toBe(ErrorCode.InvalidHandle);
    const m = msg(1);
    m.capCount = 5;
    expect(endpointSend(client.table, send, m)).toBe(ErrorCode.InvalidArgument);
    // The endpoint's own capability cannot travel through it.
    const self = capCopy(server.table, ep, server.table, Right.Read | Right.Grant);
    expect(endpointSend(server.table, ep, withCaps(msg(1), 0, self))).toBe(ErrorCode.InvalidArgument);
    expect(lookupError(client.table, n, ObjectType.Notification, 0)).toBe(ErrorCode.Ok);
    expect(endpointQueued(lookupCap(server.table, ep).object)).toBe(0);
  });

  it("a receiver without room for the capabilities leaves the message queued", () => {
    const root = makeRoot();
    const server = makeProc(root, 2);
    const client = makeProc(root);
    const ep = endpointCreate(server.table, 4);
    const send = capCopy(server.table, ep, client.table, Right.Write);
    expect(server.table.used).toBe(1);
    const a = notificationCreate(client.table);
    const b = notificationCreate(client.table);
    expect(endpointSend(client.table, send, withCaps(msg(5), 0, a, b))).toBe(ErrorCode.Ok);
    const out = new Message();
    expect(endpointReceive(server.table, ep, out)).toBe(ErrorCode.TableFull);
    expect(endpointQueued(lookupCap(server.table, ep).object)).toBe(1);
    checkInvariants([server.table, client.table]);
  });

  it("revoke reaches capabilities in flight; the receiver gets a null handle in their place", () => {
    const { server, client, ep, send } = connect();
    const n = notificationCreate(client.table);
    const granted = capCopy(client.table, n, client.table, Right.Read | Right.Grant);
    const keep = notificationCreate(client.table);
    expect(endpointSend(client.table, send, withCaps(msg(7), 0, granted, keep))).toBe(ErrorCode.Ok);
    expect(capRevoke(client.table, n)).toBe(ErrorCode.Ok);
    expect(lookupCap(client.table, n).object.capCount).toBe(1);
    checkInvariants([server.table, client.table]);
    const out = new Message();
    expect(endpointReceive(server.table, ep, out)).toBe(ErrorCode.Ok);
    expect(out.label).toBe(7);
    expect(out.capCount).toBe(2);
    expect(out.handles[0]).toBe(NULL_HANDLE);
    expect(lookupError(server.table, out.handles[1]!, ObjectType.Notification, 0)).toBe(ErrorCode.Ok);
  });

  it("destroying an endpoint deletes the capabilities in flight in its queue", () => {
    const { server, client, ep, send } = connect();
    const before = liveCount(ObjectType.Notification);
    const n = notificationCreate(client.table);
    expect(endpointSend(client.table, send, withCaps(msg(1), 0, n))).toBe(ErrorCode.Ok);
    expect(liveCount(ObjectType.Notification)).toBe(before + 1);
    expect(capDelete(client.table, send)).toBe(ErrorCode.Ok);
    expect(capDelete(server.table, ep)).toBe(ErrorCode.Ok);
    expect(liveCount(ObjectType.Notification)).toBe(before);
  });

  it("a chain of endpoints each holding the last capability to the next is reclaimed", () => {
    const root = makeRoot(1 << 28);
    const p = makeProc(root, 8, 1 << 26);
    const before = snapshotCounts();
    // ep_k holds in its queue the only capability to ep_{k+1}; the table keeps ep_0 and a send
    // capability to the newest endpoint.
    const first = endpointCreate(p.table, 1);
    let cur = first;
    for (let k = 0; k < 2000; k++) {
      const next = endpointCreate(p.table, 1);
      const sendNext = capCopy(p.table, next, p.table, Right.Write);
      expect(endpointSend(p.table, cur, withCaps(msg(k), 0, next))).toBe(ErrorCode.Ok);
      if (cur !== first) expect(capDelete(p.table, cur)).toBe(ErrorCode.Ok);
      cur = sendNext;
    }
    expect(p.table.used).toBe(2);
    expect(capDelete(p.table, cur)).toBe(ErrorCode.Ok);
    expect(liveCount(ObjectType.Endpoint)).toBe(before[ObjectType.Endpoint]! + 2001);
    expect(capDelete(p.table, first)).toBe(ErrorCode.Ok);
    expect(snapshotCounts()).toEqual(before);
  });
});

describe("peer closed", () => {
  it("receivers drain the queue, then see peer closed when the last sender goes", () => {
    const { server, client, ep, send } = connect();
    const recv = capCopy(server.table, ep, server.table, Right.Read);
    expect(capDelete(server.table, ep)).toBe(ErrorCode.Ok); // only the client's send cap can send
    expect(endpointSend(client.table, send, msg(1))).toBe(ErrorCode.Ok);
    expect(capDelete(client.table, send)).toBe(ErrorCode.Ok);
    const out = new Message();
    expect(endpointReceive(server.table, recv, out)).toBe(ErrorCode.Ok);
    expect(endpointReceive(server.table, recv, out)).toBe(ErrorCode.PeerClosed);
  });

  it("senders see peer closed when the last receiver goes, and blocked ones are woken", () => {
    const { server, client, ep, send } = connect(1);
    expect(endpointSend(client.table, send, msg(1))).toBe(ErrorCode.Ok);
    const w = new Waiter(3);
    w.deadline = FOREVER;
    expect(endpointSendWait(client.table, send, msg(2), w)).toBe(ErrorCode.WouldBlock);
    tableDestroy(server.table); // the server exits
    expect(w.state).toBe(WaitState.Done);
    expect(w.result).toBe(ErrorCode.PeerClosed);
    expect(woken).toContain(w);
    expect(endpointSend(client.table, send, msg(3))).toBe(ErrorCode.PeerClosed);
  });

  it("a blocked receiver is woken with peer closed", () => {
    const { server, client, ep, send } = connect();
    const recv = capCopy(server.table, ep, server.table, Right.Read);
    expect(capDelete(server.table, ep)).toBe(ErrorCode.Ok);
    const w = new Waiter(1);
    expect(endpointReceiveWait(server.table, recv, w)).toBe(ErrorCode.WouldBlock);
    expect(capDelete(client.table, send)).toBe(ErrorCode.Ok);
    expect(w.result).toBe(ErrorCode.PeerClosed);
  });
});

describe("blocking operations", () => {
  it("a blocked receiver gets the next message directly, capabilities installed", () => {
    const { server, client, ep, send } = connect();
    const w = new Waiter(7);
    expect(endpointReceiveWait(server.table, ep, w)).toBe(ErrorCode.WouldBlock);
    expect(w.state).toBe(WaitState.Waiting);
    const n = notificationCreate(client.table);
    expect(endpointSend(client.table, send, withCaps(msg(42, 5n), 0, n))).toBe(ErrorCode.Ok);
    expect(w.state).toBe(WaitState.Done);
    expect(w.result).toBe(ErrorCode.Ok);
    expect(w.msg.label).toBe(42);
    expect(w.msg.badge).toBe(0xbadn);
    expect(lookupError(server.table, w.msg.handles[0]!, ObjectType.Notification, 0)).toBe(ErrorCode.Ok);
    expect(woken).toEqual([w]);
    expect(endpointQueued(lookupCap(server.table, ep).object)).toBe(0);
  });

  it("polling never blocks", () => {
    const { server, ep } = connect();
    const w = new Waiter(1);
    w.deadline = NO_WAIT;
    expect(endpointReceiveWait(server.table, ep, w)).toBe(ErrorCode.QueueEmpty);
    expect(w.state).toBe(WaitState.Idle);
  });

  it("a receive times out, and a timeout after completion is ignored", () => {
    const { server, client, ep, send } = connect();
    const w = new Waiter(1);
    w.deadline = 100;
    expect(endpointReceiveWait(server.table, ep, w)).toBe(ErrorCode.WouldBlock);
    expect(timeoutWaiter(w)).toBe(true);
    expect(w.result).toBe(ErrorCode.TimedOut);
    expect(timeoutWaiter(w)).toBe(false);
    // The message goes to the queue, not to the timed-out waiter.
    expect(endpointSend(client.table, send, msg(9))).toBe(ErrorCode.Ok);
    expect(endpointQueued(lookupCap(server.table, ep).object)).toBe(1);
  });

  it("a blocked sender is served in order when room appears", () => {
    const { server, client, ep, send } = connect(1);
    expect(endpointSend(client.table, send, msg(1))).toBe(ErrorCode.Ok);
    const w1 = new Waiter(1);
    const w2 = new Waiter(2);
    expect(endpointSendWait(client.table, send, msg(2), w1)).toBe(ErrorCode.WouldBlock);
    expect(endpointSendWait(client.table, send, msg(3), w2)).toBe(ErrorCode.WouldBlock);
    const out = new Message();
    expect(endpointReceive(server.table, ep, out)).toBe(ErrorCode.Ok);
    expect(out.label).toBe(1);
    expect(w1.result).toBe(ErrorCode.Ok);
    expect(w2.state).toBe(WaitState.Waiting);
    expect(endpointReceive(server.table, ep, out)).toBe(ErrorCode.Ok);
    expect(out.label).toBe(2);
    expect(w2.result).toBe(ErrorCode.Ok);
    expect(endpointReceive(server.table, ep, out)).toBe(ErrorCode.Ok);
    expect(out.label).toBe(3);
  });

  it("a blocked sender whose capability was revoked meanwhile fails instead of sending", () => {
    const { server, client, ep, send } = connect(1);
    expect(endpointSend(client.table, send, msg(1))).toBe(ErrorCode.Ok);
    const w = new Waiter(1);
    expect(endpointSendWait(client.table, send, msg(2), w)).toBe(ErrorCode.WouldBlock);
    expect(capRevoke(server.table, ep)).toBe(ErrorCode.Ok);
    const out = new Message();
    expect(endpointReceive(server.table, ep, out)).toBe(ErrorCode.Ok);
    expect(w.state).toBe(WaitState.Done);
    expect(w.result).not.toBe(ErrorCode.Ok);
    expect(endpointReceive(server.table, ep, out)).toBe(ErrorCode.QueueEmpty);
  });

  it("a table cannot be freed under a thread blocked through it", () => {
    const { server, ep } = connect();
    const w = new Waiter(1);
    expect(endpointReceiveWait(server.table, ep, w)).toBe(ErrorCode.WouldBlock);
    expect(server.table.blocked).toBe(1);
    expect(() => tableDestroy(server.table)).toThrow(/blocked/);
    cancelWaiter(w);
    expect(server.table.blocked).toBe(0);
    tableDestroy(server.table);
  });

  it("destroying the endpoint wakes its waiters with an error", () => {
    const root = makeRoot();
    const p = makeProc(root);
    const ep = endpointCreate(p.table, 1);
    const w = new Waiter(1);
    expect(endpointReceiveWait(p.table, ep, w)).toBe(ErrorCode.WouldBlock);
    expect(capDelete(p.table, ep)).toBe(ErrorCode.Ok);
    expect(w.state).toBe(WaitState.Done);
    // The last capability held both rights: its removal closes both sides before destruction.
    expect([ErrorCode.PeerClosed, ErrorCode.ObjectDestroyed]).toContain(w.result);
  });
});
