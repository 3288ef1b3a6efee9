// Revocation ends a wait. A thread blocked through a capability (receive, send on a full queue,
// call, notification wait, wait-set wait) is woken the moment that capability goes: Revoked when
// an ancestor revokes it, ObjectDestroyed when its object is destroyed by force (reclaim) or its
// deletion was the object's last, InvalidHandle when it is deleted and the object lives on. Not at
// the next send or signal, which may never come.
import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../../abi/errors.ts";
import { CapTable, lookupCap } from "../../../kernel/cap/cap-table.ts";
import { accountReclaim, capCopy, capDelete, capMint, capMove, capRevoke, tableDestroy } from "../../../kernel/cap/cdt.ts";
import { liveCount } from "../../../kernel/cap/counters.ts";
import { Right } from "../../../abi/rights.ts";
import { endpointCreate, endpointReceive, endpointReceiveWait, endpointSend, endpointSendWait } from "../../../kernel/object/endpoint.ts";
import { Message } from "../../../kernel/cap/message.ts";
import { notificationCreate, notificationSignal, notificationWait } from "../../../kernel/object/notification.ts";
import { endpointCall, replySend } from "../../../kernel/object/reply.ts";
import { waitSetAdd, waitSetCreate, waitSetWait } from "../../../kernel/object/wait-set.ts";
import { cancelWaiter, FOREVER, Waiter, WaitState } from "../../../kernel/cap/waiter.ts";
import { checkInvariants, makeProc, makeRoot, msg, recordWakes, snapshotCounts } from "./fixture.ts";
import { ObjectType } from "../../../abi/object-type.ts";

const woken = recordWakes();

/** A parent holding the root of an object and a child holding a copy with `rights`. */
function family() {
  const root = makeRoot();
  const parent = makeProc(root);
  const child = makeProc(root);
  return { root, parent, child };
}

function blocked(): Waiter {
  const w = new Waiter(7);
  w.deadline = FOREVER;
  return w;
}

/** `w` was woken (through the wake hook) with `result`, and nothing of its wait is left. */
function expectEnded(w: Waiter, result: ErrorCode): void {
  expect(w.state).toBe(WaitState.Done);
  expect(w.result).toBe(result);
  expect(woken).toContain(w);
  expect(w.queue).toBeNull();
  expect(w.cap).toBeNull();
  expect(w.reply).toBeNull();
}

type Kind = "receive" | "send on a full queue" | "call" | "notification wait" | "wait-set wait";
const KINDS: Kind[] = ["receive", "send on a full queue", "call", "notification wait", "wait-set wait"];

type Derive = (p: CapTable, root: number, c: CapTable, rights: number) => number;

function copyDown(p: CapTable, root: number, c: CapTable, rights: number): number {
  return capCopy(p, root, c, rights);
}

/** The parent's root handle of the object the last blockChild blocked on. */
let blockedRoot = 0;

/**
 * Blocks the child's waiter of `kind` through a capability `derive` makes from the parent's root
 * of a new object; returns the parent's handle to revoke and the child's handle waited through.
 */
function blockChild(kind: Kind, f: ReturnType<typeof family>, w: Waiter, derive: Derive = copyDown): { root: number; held: number } {
  const r = blockIn(kind, f, w, derive);
  blockedRoot = r.root;
  return r;
}

function blockIn(kind: Kind, f: ReturnType<typeof family>, w: Waiter, derive: Derive): { root: number; held: number } {
  const { parent, child } = f;
  const p = parent.table;
  const c = child.table;
  switch (kind) {
    case "receive": {
      const ep = endpointCreate(p, 2);
      const held = derive(p, ep, c, Right.Read);
      expect(endpointReceiveWait(c, held, w)).toBe(ErrorCode.WouldBlock);
      return { root: ep, held };
    }
    case "send on a full queue": {
      const ep = endpointCreate(p, 1);
      const held = derive(p, ep, c, Right.Write);
      expect(endpointSend(c, held, msg(1))).toBe(ErrorCode.Ok);
      expect(endpointSendWait(c, held, msg(2), w)).toBe(ErrorCode.WouldBlock);
      return { root: ep, held };
    }
    case "call": {
      const ep = endpointCreate(p, 2);
      const held = derive(p, ep, c, Right.Write);
      expect(endpointCall(c, held, msg(3), w)).toBe(ErrorCode.WouldBlock);
      return { root: ep, held };
    }
    case "notification wait": {
      const n = notificationCreate(p);
      const held = derive(p, n, c, Right.Read);
      expect(notificationWait(c, held, w)).toBe(ErrorCode.WouldBlock);
      return { root: n, held };
    }
    case "wait-set wait": {
      const ws = waitSetCreate(p, 4);
      const n = notificationCreate(p);
      expect(waitSetAdd(p, ws, n, 1)).toBe(ErrorCode.Ok);
      const held = derive(p, ws, c, Right.Read);
      expect(waitSetWait(c, held, w)).toBe(ErrorCode.WouldBlock);
      return { root: ws, held };
    }
  }
}

describe("revocation ends the wait", () => {
  for (const kind of KINDS) {
    it(`${kind}: the parent revokes the child's capability, and the child's wait ends at once with Revoked`, () => {
      const before = snapshotCounts();
      const f = family();
      const w = blocked();
      const { root, held } = blockChild(kind, f, w);
      expect(f.child.table.blocked).toBe(1);
      expect(w.cap).toBe(lookupCap(f.child.table, held));
      expect(capRevoke(f.parent.table, root)).toBe(ErrorCode.Ok);
      expectEnded(w, ErrorCode.Revoked);
      expect(f.child.table.blocked).toBe(0);
      expect(checkInvariants([f.parent.table, f.child.table]).length).toBeGreaterThan(0);
      tableDestroy(f.child.table);
      tableDestroy(f.parent.table);
      accountReclaim(f.child.account);
      accountReclaim(f.parent.account);
      expect(snapshotCounts()).toEqual(before);
    });

    it(`${kind}: an ancestor two levels up revokes, and the grandchild's wait ends`, () => {
      const f = family();
      const middle = makeProc(f.root);
      const w = blocked();
      // The parent's root → a capability minted for `middle` → the child's copy of that.
      blockChild(kind, f, w, (p, root, c, rights) => {
        const mid = capMint(p, root, middle.table, rights | Right.Duplicate | Right.Grant, 0x77n);
        expect(mid).toBeGreaterThan(0);
        return capCopy(middle.table, mid, c, rights);
      });
      expect(capRevoke(f.parent.table, blockedRoot)).toBe(ErrorCode.Ok);
      expectEnded(w, ErrorCode.Revoked);
      expect(middle.table.used).toBe(0);
    });

    it(`${kind}: the owner's account is reclaimed, and the wait ends with ObjectDestroyed`, () => {
      const f = family();
      const w = blocked();
      blockChild(kind, f, w);
      // Everything the parent's account paid for is destroyed by force, whoever holds it.
      accountReclaim(f.parent.account);
      expectEnded(w, ErrorCode.ObjectDestroyed);
      expect(f.child.table.blocked).toBe(0);
      expect(f.child.table.used).toBe(0);
    });
  }

  it("a revoke elsewhere in the tree leaves the wait alone", () => {
    const f = family();
    const ep = endpointCreate(f.parent.table, 2);
    const held = capCopy(f.parent.table, ep, f.child.table, Right.Read);
    const sibling = capCopy(f.parent.table, ep, f.child.table, Right.Read | Right.Duplicate);
    capCopy(f.child.table, sibling, f.child.table, Right.Read);
    const w = blocked();
    expect(endpointReceiveWait(f.child.table, held, w)).toBe(ErrorCode.WouldBlock);
    expect(capRevoke(f.child.table, sibling)).toBe(ErrorCode.Ok);
    expect(capDelete(f.child.table, sibling)).toBe(ErrorCode.Ok);
    expect(w.state).toBe(WaitState.Waiting);
    expect(endpointSend(f.parent.table, ep, msg(5))).toBe(ErrorCode.Ok);
    expect(w.state).toBe(WaitState.Done);
    expect(w.result).toBe(ErrorCode.Ok);
    expect(w.msg.label).toBe(5);
  });

  it("a revoked receiver no longer takes messages: the next one stays queued for another", () => {
    const f = family();
    const ep = endpointCreate(f.parent.table, 2);
    const held = capCopy(f.parent.table, ep, f.child.table, Right.Read);
    const w = blocked();
    expect(endpointReceiveWait(f.child.table, held, w)).toBe(ErrorCode.WouldBlock);
    expect(capRevoke(f.parent.table, ep)).toBe(ErrorCode.Ok);
    expect(endpointSend(f.parent.table, ep, msg(6))).toBe(ErrorCode.Ok);
    expect(w.result).toBe(ErrorCode.Revoked);
    const out = new Message();
    expect(endpointReceive(f.parent.table, ep, out)).toBe(ErrorCode.Ok);
    expect(out.label).toBe(6);
  });

  it("a revoked caller: the call stays queued, and its reply finds the caller gone", () => {
    const f = family();
    const ep = endpointCreate(f.parent.table, 2);
    const held = capCopy(f.parent.table, ep, f.child.table, Right.Write);
    const w = blocked();
    const replies = liveCount(ObjectType.Reply);
    expect(endpointCall(f.child.table, held, msg(8), w)).toBe(ErrorCode.WouldBlock);
    expect(capRevoke(f.parent.table, ep)).toBe(ErrorCode.Ok);
    expectEnded(w, ErrorCode.Revoked);
    const req = new Message();
    expect(endpointReceive(f.parent.table, ep, req)).toBe(ErrorCode.Ok);
    expect(req.label).toBe(8);
    expect(replySend(f.parent.table, req.replyHandle, msg(9))).toBe(ErrorCode.CallerGone);
    expect(liveCount(ObjectType.Reply)).toBe(replies);
  });

  it("a revoked notification waiter does not take the bits: they stay for the next wait", () => {
    const f = family();
    const n = notificationCreate(f.parent.table);
    const held = capCopy(f.parent.table, n, f.child.table, Right.Read);
    const w = blocked();
    expect(notificationWait(f.child.table, held, w)).toBe(ErrorCode.WouldBlock);
    expect(capRevoke(f.parent.table, n)).toBe(ErrorCode.Ok);
    expect(notificationSignal(f.parent.table, n, 4n)).toBe(ErrorCode.Ok);
    expect(w.bits).toBe(0n);
    const again = blocked();
    expect(notificationWait(f.parent.table, n, again)).toBe(ErrorCode.Ok);
    expect(again.bits).toBe(4n);
  });

  it("every waiter through one capability is woken (threads sharing a table)", () => {
    const f = family();
    const ep = endpointCreate(f.parent.table, 2);
    const held = capCopy(f.parent.table, ep, f.child.table, Right.Read);
    const ws = [blocked(), blocked(), blocked()];
    for (const w of ws) expect(endpointReceiveWait(f.child.table, held, w)).toBe(ErrorCode.WouldBlock);
    // One stops waiting on its own first; the others stay linked to the capability.
    cancelWaiter(ws[1]!);
    expect(lookupCap(f.child.table, held).waiters).not.toBeNull();
    expect(capRevoke(f.parent.table, ep)).toBe(ErrorCode.Ok);
    expectEnded(ws[0]!, ErrorCode.Revoked);
    expectEnded(ws[2]!, ErrorCode.Revoked);
    expect(ws[1]!.result).toBe(ErrorCode.Cancelled);
    expect(f.child.table.blocked).toBe(0);
  });

  it("deleting the capability waited through: InvalidHandle, or ObjectDestroyed when it was the last", () => {
    const f = family();
    const ep = endpointCreate(f.parent.table, 2);
    const held = capCopy(f.parent.table, ep, f.child.table, Right.Read);
    const w = blocked();
    expect(endpointReceiveWait(f.child.table, held, w)).toBe(ErrorCode.WouldBlock);
    // Another thread of the child deletes it; the endpoint lives on.
    expect(capDelete(f.child.table, held)).toBe(ErrorCode.Ok);
    expectEnded(w, ErrorCode.InvalidHandle);
    const n = notificationCreate(f.child.table);
    const w2 = blocked();
    expect(notificationWait(f.child.table, n, w2)).toBe(ErrorCode.WouldBlock);
    expect(capDelete(f.child.table, n)).toBe(ErrorCode.Ok);
    expectEnded(w2, ErrorCode.ObjectDestroyed);
  });

  it("moving the capability waited through out of its table ends the wait with InvalidHandle", () => {
    const f = family();
    const ep = endpointCreate(f.parent.table, 2);
    const held = capCopy(f.parent.table, ep, f.child.table, Right.Read | Right.Grant);
    const w = blocked();
    expect(endpointReceiveWait(f.child.table, held, w)).toBe(ErrorCode.WouldBlock);
    // Another thread of the child moves it to a third table: the handle names nothing now.
    const other = makeProc(f.root);
    const moved = capMove(f.child.table, held, other.table);
    expect(moved).toBeGreaterThan(0);
    expectEnded(w, ErrorCode.InvalidHandle);
    expect(lookupCap(other.table, moved).waiters).toBeNull();
    // Or sends it away in a message.
    const n = notificationCreate(f.child.table);
    const give = capCopy(f.child.table, n, f.child.table, Right.Read | Right.Grant);
    const sendSide = capCopy(f.parent.table, ep, f.child.table, Right.Write);
    const w2 = blocked();
    expect(notificationWait(f.child.table, give, w2)).toBe(ErrorCode.WouldBlock);
    const m = msg(1);
    m.capCount = 1;
    m.handles[0] = give;
    expect(endpointSend(f.child.table, sendSide, m)).toBe(ErrorCode.Ok);
    expectEnded(w2, ErrorCode.InvalidHandle);
    expect(f.child.table.blocked).toBe(0);
  });
});
