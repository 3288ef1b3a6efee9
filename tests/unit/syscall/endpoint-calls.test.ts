// Endpoint system calls through syscallDispatch, with real processes' address spaces: create, send,
// receive (poll, timeout, blocked and woken), peer closed, capability transfer, call and reply.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ErrorCode } from "../../../abi/errors.ts";
import { Right, RIGHTS_ALL } from "../../../abi/rights.ts";
import { ExitHow, processExit } from "../../../kernel/proc/process.ts";
import { Sys } from "../../../abi/numbers.ts";
import { nowNs } from "../../../kernel/time/clock.ts";
import {
  HEAP, readMsg, sim, spawnWith, startProcess, sys, TICK_NS, useSim, whileBlocked, writeMsg,
} from "./machine.ts";
import { ObjectType } from "../../../abi/object-type.ts";

useSim({ beforeEach, afterEach });

const OUT = HEAP + 512;
const FIRST = 4096;

function identify(type: number, rights: number): number {
  return type * 256 + rights;
}

/** A server holding an endpoint and a client started with a badged Write|Grant copy of it. */
function connect(capacity = 2, badge = 0x5eed) {
  const server = startProcess(1, true);
  const ep = sys(server, Sys.EndpointCreate, capacity);
  expect(ep).toBeGreaterThan(0);
  const send = sys(server, Sys.CapMint, ep, Right.Write | Right.Grant | Right.Duplicate, badge);
  expect(send).toBeGreaterThan(0);
  const client = spawnWith(server, [send], 1);
  return { server, client, ep, send: FIRST };
}

describe("endpoint_create", () => {
  it("returns a handle with every right to an endpoint, for capacities 1 to 256", () => {
    const p = startProcess();
    for (const cap of [1, 256]) {
      const ep = sys(p, Sys.EndpointCreate, cap);
      expect(ep).toBeGreaterThan(0);
      expect(sys(p, Sys.CapIdentify, ep)).toBe(identify(ObjectType.Endpoint, RIGHTS_ALL));
      expect(sys(p, Sys.CapBadge, ep)).toBe(0);
    }
  });
});

describe("send and receive", () => {
  it("deliver label, words and the sender's badge in FIFO order; full and empty are errors", () => {
    const { server, client, ep, send } = connect(2);
    const big = (1n << 64n) - 1n;
    writeMsg(client, HEAP, { label: 1, words: [10, big, 3, 4, 5, 6] });
    expect(sys(client, Sys.Send, send, HEAP, 0)).toBe(0);
    writeMsg(client, HEAP, { label: 2 });
    expect(sys(client, Sys.Send, send, HEAP, 0)).toBe(0);
    expect(sys(client, Sys.Send, send, HEAP, 0)).toBe(-ErrorCode.QueueFull);
    expect(sys(server, Sys.Receive, ep, OUT, 0)).toBe(0);
    const m = readMsg(server, OUT);
    expect(m).toMatchObject({ label: 1, capCount: 0, flags: 0, badge: 0x5eedn, replyHandle: 0 });
    expect(m.words).toEqual([10n, big, 3n, 4n, 5n, 6n]);
    expect(sys(server, Sys.Receive, ep, OUT, 0)).toBe(0);
    expect(readMsg(server, OUT).label).toBe(2);
    expect(sys(server, Sys.Receive, ep, OUT, 0)).toBe(-ErrorCode.QueueEmpty);
  });

  it("a receive with a timeout fails with TimedOut once that much time has passed", () => {
    const { server, ep } = connect();
    const t0 = nowNs();
    expect(sys(server, Sys.Receive, ep, OUT, 5 * TICK_NS)).toBe(-ErrorCode.TimedOut);
    const waited = nowNs() - t0;
    expect(waited).toBeGreaterThanOrEqual(5 * TICK_NS);
    expect(waited).toBeLessThanOrEqual(7 * TICK_NS);
    expect(sim.timedOutBlocks).toBe(1);
  });

  it("a blocked receiver is woken by the next send and gets the message directly", () => {
    const { server, client, ep, send } = connect();
    whileBlocked(() => {
      writeMsg(client, HEAP, { label: 77, words: [0xabc] });
      expect(sys(client, Sys.Send, send, HEAP, 0)).toBe(0);
    });
    expect(sys(server, Sys.Receive, ep, OUT, -1)).toBe(0);
    expect(sim.blocks).toBe(1);
    expect(sim.timedOutBlocks).toBe(0);
    const m = readMsg(server, OUT);
    expect(m.label).toBe(77);
    expect(m.words[0]).toBe(0xabcn);
    expect(m.badge).toBe(0x5eedn);
    // Nothing was left queued.
    expect(sys(server, Sys.Receive, ep, OUT, 0)).toBe(-ErrorCode.QueueEmpty);
  });

  it("a sender waits for room when given a timeout, and is let in by a receive", () => {
    const { server, client, ep, send } = connect(1);
    writeMsg(client, HEAP, { label: 1 });
    expect(sys(client, Sys.Send, send, HEAP, 0)).toBe(0);
    writeMsg(client, HEAP, { label: 2 });
    // Full, and nobody receives: the wait times out and the message is not queued.
    expect(sys(client, Sys.Send, send, HEAP, 3 * TICK_NS)).toBe(-ErrorCode.TimedOut);
    whileBlocked(() => {
      expect(sys(server, Sys.Receive, ep, OUT, 0)).toBe(0);
      expect(readMsg(server, OUT).label).toBe(1);
    });
    expect(sys(client, Sys.Send, send, HEAP, -1)).toBe(0);
    expect(sys(server, Sys.Receive, ep, OUT, 0)).toBe(0);
    expect(readMsg(server, OUT).label).toBe(2);
    expect(sys(server, Sys.Receive, ep, OUT, 0)).toBe(-ErrorCode.QueueEmpty);
  });

  it("report PeerClosed: to senders once no receiver is left, to receivers after draining", () => {
    const { server, client, ep, send } = connect(2);
    const recv = sys(server, Sys.CapCopy, ep, Right.Read);
    writeMsg(client, HEAP, { label: 5 });
    expect(sys(client, Sys.Send, send, HEAP, 0)).toBe(0);
    // The server's root (Write) and the client's capability are the senders.
    expect(sys(server, Sys.CapDelete, ep)).toBe(0);
    expect(sys(client, Sys.CapDelete, send)).toBe(0);
    expect(sys(server, Sys.Receive, recv, OUT, 0)).toBe(0);
    expect(readMsg(server, OUT).label).toBe(5);
    expect(sys(server, Sys.Receive, recv, OUT, 0)).toBe(-ErrorCode.PeerClosed);
    expect(sys(server, Sys.Receive, recv, OUT, -1)).toBe(-ErrorCode.PeerClosed);

    const b = connect(2);
    const sendOnly = sys(b.server, Sys.CapCopy, b.ep, Right.Write);
    expect(sys(b.server, Sys.CapDelete, b.ep)).toBe(0);
    writeMsg(b.server, HEAP, { label: 1 });
    expect(sys(b.server, Sys.Send, sendOnly, HEAP, 0)).toBe(-ErrorCode.PeerClosed);
    expect(sys(b.client, Sys.Send, b.send, HEAP, 0)).toBe(-ErrorCode.PeerClosed);
  });

  it("a receiver blocked without limit is woken with PeerClosed when the last sender exits", () => {
    const { server, client, ep, send } = connect(2);
    const recv = sys(server, Sys.CapCopy, ep, Right.Read);
    expect(sys(server, Sys.CapDelete, ep)).toBe(0);
    void send;
    whileBlocked(() => processExit(client, 0, ExitHow.Exited));
    expect(sys(server, Sys.Receive, recv, OUT, -1)).toBe(-ErrorCode.PeerClosed);
    expect(sim.timedOutBlocks).toBe(0);
  });
});

describe("capability transfer", () => {
  it("moves by default: the sender loses the handle, the receiver gets the same rights and badge", () => {
    const { server, client, ep, send } = connect();
    const n = sys(client, Sys.NotificationCreate);
    const minted = sys(client, Sys.CapMint, n, Right.Signal | Right.Grant, 0x77);
    writeMsg(client, HEAP, { label: 1, handles: [minted] });
    expect(sys(client, Sys.Send, send, HEAP, 0)).toBe(0);
    expect(sys(client, Sys.CapIdentify, minted)).toBe(-ErrorCode.InvalidHandle);
    expect(sys(server, Sys.Receive, ep, OUT, 0)).toBe(0);
    const m = readMsg(server, OUT);
    expect(m.capCount).toBe(1);
    expect(m.badge).toBe(0x5eedn);
    const got = m.handles[0]!;
    expect(got).toBeGreaterThan(0);
    expect(m.handles.slice(1)).toEqual([0, 0, 0]);
    expect(sys(server, Sys.CapIdentify, got)).toBe(identify(ObjectType.Notification, Right.Signal | Right.Grant));
    expect(sys(server, Sys.CapBadge, got)).toBe(0x77);
    // The server signals through it: the client's notification sees the badge.
    expect(sys(server, Sys.Signal, got, 1)).toBe(0);
    expect(sys(client, Sys.NotificationWait, n, 0)).toBe(0x77);
  });

  it("copies with flag 1, which needs Duplicate; every transferred capability needs Grant", () => {
    const { server, client, ep, send } = connect();
    const n = sys(client, Sys.NotificationCreate);
    const dup = sys(client, Sys.CapCopy, n, Right.Signal | Right.Grant | Right.Duplicate);
    const noDup = sys(client, Sys.CapCopy, n, Right.Signal | Right.Grant);
    const noGrant = sys(client, Sys.CapCopy, n, Right.Signal | Right.Duplicate);
    writeMsg(client, HEAP, { label: 1, flags: 1, handles: [noDup] });
    expect(sys(client, Sys.Send, send, HEAP, 0)).toBe(-ErrorCode.MissingRights);
    writeMsg(client, HEAP, { label: 1, handles: [noGrant] });
    expect(sys(client, Sys.Send, send, HEAP, 0)).toBe(-ErrorCode.MissingRights);
    // Nothing moved on failure.
    expect(sys(client, Sys.CapIdentify, noDup)).toBeGreaterThan(0);
    expect(sys(client, Sys.CapIdentify, noGrant)).toBeGreaterThan(0);
    expect(sys(server, Sys.Receive, ep, OUT, 0)).toBe(-ErrorCode.QueueEmpty);

    writeMsg(client, HEAP, { label: 2, flags: 1, handles: [dup, noDup] });
    expect(sys(client, Sys.Send, send, HEAP, 0)).toBe(-ErrorCode.MissingRights);
    writeMsg(client, HEAP, { label: 2, flags: 1, handles: [dup] });
    expect(sys(client, Sys.Send, send, HEAP, 0)).toBe(0);
    expect(sys(client, Sys.CapIdentify, dup)).toBe(identify(ObjectType.Notification, Right.Signal | Right.Grant | Right.Duplicate));
    expect(sys(server, Sys.Receive, ep, OUT, 0)).toBe(0);
    const got = readMsg(server, OUT).handles[0]!;
    expect(sys(server, Sys.CapIdentify, got)).toBe(identify(ObjectType.Notification, Right.Signal | Right.Grant | Right.Duplicate));
    // A copy is a child of the sender's capability: revoking that takes it back.
    expect(sys(client, Sys.CapRevoke, dup)).toBe(0);
    expect(sys(server, Sys.CapIdentify, got)).toBe(-ErrorCode.Revoked);
  });

  it("refuses a capability to the endpoint the message is sent on, and repeated handles", () => {
    const { server, ep } = connect();
    const self = sys(server, Sys.CapCopy, ep, RIGHTS_ALL);
    writeMsg(server, HEAP, { label: 1, handles: [self] });
    expect(sys(server, Sys.Send, ep, HEAP, 0)).toBe(-ErrorCode.InvalidArgument);
    const n = sys(server, Sys.NotificationCreate);
    writeMsg(server, HEAP, { label: 1, handles: [n, n] });
    expect(sys(server, Sys.Send, ep, HEAP, 0)).toBe(-ErrorCode.InvalidArgument);
    expect(sys(server, Sys.CapIdentify, n)).toBeGreaterThan(0);
  });

  it("a capability revoked in flight arrives as handle 0, the message still delivered", () => {
    const { server, client, ep, send } = connect();
    const n = sys(client, Sys.NotificationCreate);
    const child = sys(client, Sys.CapCopy, n, RIGHTS_ALL);
    writeMsg(client, HEAP, { label: 9, handles: [child] });
    expect(sys(client, Sys.Send, send, HEAP, 0)).toBe(0);
    expect(sys(client, Sys.CapRevoke, n)).toBe(0);
    expect(sys(server, Sys.Receive, ep, OUT, 0)).toBe(0);
    const m = readMsg(server, OUT);
    expect(m.label).toBe(9);
    expect(m.capCount).toBe(1);
    expect(m.handles[0]).toBe(0);
  });
});

describe("call and reply", () => {
  it("the caller blocks until the one-shot reply, which carries words and capabilities back", () => {
    const { server, client, ep, send } = connect();
    let replyHandle = 0;
    whileBlocked(() => {
      expect(sys(server, Sys.Receive, ep, OUT, 0)).toBe(0);
      const req = readMsg(server, OUT);
      expect(req.label).toBe(40);
      expect(req.words[0]).toBe(41n);
      expect(req.badge).toBe(0x5eedn);
      replyHandle = req.replyHandle;
      expect(replyHandle).toBeGreaterThan(0);
      // One-shot: Write|Grant, no Duplicate.
      expect(sys(server, Sys.CapIdentify, replyHandle)).toBe(identify(ObjectType.Reply, Right.Write | Right.Grant));
      expect(sys(server, Sys.CapCopy, replyHandle, Right.Write)).toBe(-ErrorCode.MissingRights);
      const n = sys(server, Sys.NotificationCreate);
      writeMsg(server, HEAP, { label: 3, words: [42], handles: [n] });
      expect(sys(server, Sys.Reply, replyHandle, HEAP)).toBe(0);
    });
    writeMsg(client, HEAP, { label: 40, words: [41] });
    expect(sys(client, Sys.Call, send, HEAP, 0)).toBe(0);
    const r = readMsg(client, HEAP);
    expect(r.label).toBe(3);
    expect(r.words[0]).toBe(42n);
    expect(r.replyHandle).toBe(0);
    expect(sys(client, Sys.CapIdentify, r.handles[0]!)).toBe(identify(ObjectType.Notification, RIGHTS_ALL));
    // Used up.
    writeMsg(server, HEAP, { label: 4 });
    expect(sys(server, Sys.Reply, replyHandle, HEAP)).toBe(-ErrorCode.ReplyUsed);
    expect(sys(server, Sys.CapIdentify, replyHandle)).toBe(-ErrorCode.ReplyUsed);
  });

  it("a reply after the caller timed out is CallerGone and uses the capability up", () => {
    const { server, client, ep, send } = connect();
    writeMsg(client, HEAP, { label: 1 });
    expect(sys(client, Sys.Call, send, HEAP, 2 * TICK_NS)).toBe(-ErrorCode.TimedOut);
    expect(sys(server, Sys.Receive, ep, OUT, 0)).toBe(0);
    const rh = readMsg(server, OUT).replyHandle;
    const n = sys(server, Sys.NotificationCreate);
    writeMsg(server, HEAP, { label: 2, handles: [n] });
    expect(sys(server, Sys.Reply, rh, HEAP)).toBe(-ErrorCode.CallerGone);
    // The capabilities offered stay with the server.
    expect(sys(server, Sys.CapIdentify, n)).toBe(identify(ObjectType.Notification, RIGHTS_ALL));
    expect(sys(server, Sys.Reply, rh, HEAP)).toBe(-ErrorCode.ReplyUsed);
  });

  it("a reply after the calling process ended finds the reply capability revoked", () => {
    const { server, client, ep, send } = connect();
    whileBlocked(() => {
      expect(sys(server, Sys.Receive, ep, OUT, 0)).toBe(0);
      processExit(client, 0, ExitHow.Exited);
    });
    writeMsg(client, HEAP, { label: 1 });
    // The client's thread never runs again.
    expect(sys(client, Sys.Call, send, HEAP, 0)).toBeNaN();
    const rh = readMsg(server, OUT).replyHandle;
    // The reply object was paid for by the caller, so the caller's end reclaimed it (as every
    // object of a process's account) and the server's capability to it reports Revoked.
    writeMsg(server, HEAP, { label: 2 });
    expect(sys(server, Sys.Reply, rh, HEAP)).toBe(-ErrorCode.Revoked);
    expect(sys(server, Sys.Reply, rh, HEAP)).toBe(-ErrorCode.Revoked);
  });

  it("the caller gets PeerClosed when the server drops the reply capability or exits", () => {
    const { server, client, ep, send } = connect();
    whileBlocked(() => {
      expect(sys(server, Sys.Receive, ep, OUT, 0)).toBe(0);
      expect(sys(server, Sys.CapDelete, readMsg(server, OUT).replyHandle)).toBe(0);
    });
    writeMsg(client, HEAP, { label: 1 });
    expect(sys(client, Sys.Call, send, HEAP, 0)).toBe(-ErrorCode.PeerClosed);

    whileBlocked(() => {
      expect(sys(server, Sys.Receive, ep, OUT, 0)).toBe(0);
      processExit(server, 0, ExitHow.Exited);
    });
    writeMsg(client, HEAP, { label: 2 });
    expect(sys(client, Sys.Call, send, HEAP, -1)).toBe(-ErrorCode.PeerClosed);
    expect(sim.timedOutBlocks).toBe(0);
  });

  it("a reply capability can be moved through a message and used where it lands", () => {
    const { server, client, ep, send } = connect();
    whileBlocked(() => {
      expect(sys(server, Sys.Receive, ep, OUT, 0)).toBe(0);
      const rh = readMsg(server, OUT).replyHandle;
      // It cannot be copied, but it can be moved (Grant): here through the server's own queue.
      writeMsg(server, HEAP, { label: 1, flags: 1, handles: [rh] });
      expect(sys(server, Sys.Send, ep, HEAP, 0)).toBe(-ErrorCode.MissingRights);
      writeMsg(server, HEAP, { label: 1, handles: [rh] });
      expect(sys(server, Sys.Send, ep, HEAP, 0)).toBe(0);
      expect(sys(server, Sys.CapIdentify, rh)).toBe(-ErrorCode.InvalidHandle);
      expect(sys(server, Sys.Receive, ep, OUT, 0)).toBe(0);
      const moved = readMsg(server, OUT).handles[0]!;
      writeMsg(server, HEAP, { label: 8, words: [99] });
      expect(sys(server, Sys.Reply, moved, HEAP)).toBe(0);
    });
    writeMsg(client, HEAP, { label: 1 });
    expect(sys(client, Sys.Call, send, HEAP, 0)).toBe(0);
    expect(readMsg(client, HEAP)).toMatchObject({ label: 8, words: [99n, 0n, 0n, 0n, 0n, 0n] });
  });
});
