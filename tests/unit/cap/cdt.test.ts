import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../../abi/errors.ts";
import { lookupCap, lookupError } from "../../../kernel/cap/cap-table.ts";
import {
  capCopy,
  capDelete,
  capMint,
  capMove,
  capRevoke,
  countDescendants,
  accountReclaim,
  capNew,
  revokeSubtree,
  tableDestroy,
} from "../../../kernel/cap/cdt.ts";
import { liveCount, Pool } from "../../../kernel/cap/counters.ts";
import { Right, RIGHTS_ALL } from "../../../abi/rights.ts";
import { endpointCreate, endpointSend } from "../../../kernel/object/endpoint.ts";
import { Message } from "../../../kernel/cap/message.ts";
import { CapPlace, capPlace } from "../../../kernel/cap/capability.ts";
import { checkInvariants, collectCaps, makeProc, makeRoot, snapshotCounts } from "./harness.ts";
import { OBJECT_TYPE_COUNT, ObjectType } from "../../../abi/object-type.ts";
import { MsgFlag } from "../../../abi/message.ts";

describe("derivation", () => {
  it("copy keeps or shrinks rights, never grows them", () => {
    const p = makeProc(makeRoot());
    const ep = endpointCreate(p.table, 2);
    const rw = capCopy(p.table, ep, p.table, Right.Read | Right.Write | Right.Duplicate);
    expect(rw).toBeGreaterThan(0);
    expect(lookupCap(p.table, rw).rights).toBe(Right.Read | Right.Write | Right.Duplicate);
    const r = capCopy(p.table, rw, p.table, Right.Read | Right.Duplicate);
    expect(capCopy(p.table, r, p.table, Right.Read | Right.Write)).toBe(-ErrorCode.RightsEscalation);
    expect(capCopy(p.table, r, p.table, 1 << 12)).toBe(-ErrorCode.InvalidArgument);
    expect(lookupCap(p.table, r).parent).toBe(lookupCap(p.table, rw));
    checkInvariants([p.table]);
  });

  it("mint badges only unbadged capabilities, and the badge is inherited", () => {
    const p = makeProc(makeRoot());
    const ep = endpointCreate(p.table, 2);
    expect(capMint(p.table, ep, p.table, Right.Write, 0n)).toBe(-ErrorCode.InvalidArgument);
    const b = capMint(p.table, ep, p.table, Right.Write | Right.Duplicate, 0x1234n);
    expect(lookupCap(p.table, b).badge).toBe(0x1234n);
    expect(capMint(p.table, b, p.table, Right.Write, 7n)).toBe(-ErrorCode.AlreadyBadged);
    expect(capMint(p.table, ep, p.table, RIGHTS_ALL + 1, 7n)).toBe(-ErrorCode.InvalidArgument);
    const c = capCopy(p.table, b, p.table, Right.Write);
    expect(lookupCap(p.table, c).badge).toBe(0x1234n);
    const d = capMint(p.table, ep, p.table, Right.Read, 9n);
    expect(capCopy(p.table, d, p.table, Right.Read)).toBe(-ErrorCode.MissingRights);
    checkInvariants([p.table]);
  });

  it("move keeps the capability's place in the tree", () => {
    const root = makeRoot();
    const a = makeProc(root);
    const b = makeProc(root);
    const ep = endpointCreate(a.table, 2);
    const child = capCopy(a.table, ep, a.table, Right.Read | Right.Grant);
    const rec = lookupCap(a.table, child);
    const moved = capMove(a.table, child, b.table);
    expect(moved).toBeGreaterThan(0);
    expect(lookupCap(b.table, moved)).toBe(rec);
    expect(rec.parent).toBe(lookupCap(a.table, ep));
    expect(lookupError(a.table, child, ObjectType.Any, 0)).toBe(ErrorCode.InvalidHandle);
    expect(capMove(b.table, moved, b.table)).toBe(moved);
    // Revoking in a still reaches the moved capability in b.
    expect(capRevoke(a.table, ep)).toBe(ErrorCode.Ok);
    expect(lookupError(b.table, moved, ObjectType.Any, 0)).toBe(ErrorCode.Revoked);
    checkInvariants([a.table, b.table]);
  });

  it("delete re-parents children so a later revoke still reaches them", () => {
    const p = makeProc(makeRoot());
    const ep = endpointCreate(p.table, 2);
    const mid = capCopy(p.table, ep, p.table, RIGHTS_ALL);
    const leaf1 = capCopy(p.table, mid, p.table, Right.Read);
    const leaf2 = capCopy(p.table, mid, p.table, Right.Write);
    expect(capDelete(p.table, mid)).toBe(ErrorCode.Ok);
    expect(lookupCap(p.table, leaf1).parent).toBe(lookupCap(p.table, ep));
    expect(lookupCap(p.table, leaf2).parent).toBe(lookupCap(p.table, ep));
    checkInvariants([p.table]);
    expect(capRevoke(p.table, ep)).toBe(ErrorCode.Ok);
    expect(lookupError(p.table, leaf1, ObjectType.Any, 0)).toBe(ErrorCode.Revoked);
    expect(lookupError(p.table, leaf2, ObjectType.Any, 0)).toBe(ErrorCode.Revoked);
    expect(lookupCap(p.table, ep).object.capCount).toBe(1);
  });

  it("revoke keeps the revoking capability and unrelated branches", () => {
    const p = makeProc(makeRoot());
    const ep = endpointCreate(p.table, 2);
    const left = capCopy(p.table, ep, p.table, RIGHTS_ALL);
    const right = capCopy(p.table, ep, p.table, RIGHTS_ALL);
    const ll = capCopy(p.table, left, p.table, Right.Read);
    const rr = capCopy(p.table, right, p.table, Right.Read);
    expect(capRevoke(p.table, left)).toBe(ErrorCode.Ok);
    expect(lookupError(p.table, left, ObjectType.Any, 0)).toBe(ErrorCode.Ok);
    expect(lookupError(p.table, ll, ObjectType.Any, 0)).toBe(ErrorCode.Revoked);
    expect(lookupError(p.table, rr, ObjectType.Any, 0)).toBe(ErrorCode.Ok);
    expect(countDescendants(lookupCap(p.table, ep))).toBe(3);
    checkInvariants([p.table]);
  });

  it("deleting the last capability destroys the object and returns counts to baseline", () => {
    const root = makeRoot();
    const p = makeProc(root);
    const before = snapshotCounts();
    const used = p.account.used;
    const ep = endpointCreate(p.table, 8);
    expect(liveCount(ObjectType.Endpoint)).toBe(before[ObjectType.Endpoint]! + 1);
    const c = capCopy(p.table, ep, p.table, Right.Read);
    expect(capDelete(p.table, ep)).toBe(ErrorCode.Ok);
    expect(liveCount(ObjectType.Endpoint)).toBe(before[ObjectType.Endpoint]! + 1);
    expect(capDelete(p.table, c)).toBe(ErrorCode.Ok);
    expect(snapshotCounts()).toEqual(before);
    expect(p.account.used).toBe(used);
  });

  it("revokes a very deep derivation chain without recursion", () => {
    const a = makeProc(makeRoot(), 4);
    const before = snapshotCounts();
    const ep = endpointCreate(a.table, 1);
    // A chain far deeper than any kernel stack could recurse through. The links are held outside
    // any table, as the kernel would park them, so the chain costs no slots.
    let tip = lookupCap(a.table, ep);
    const depth = 200000;
    for (let i = 0; i < depth; i++) tip = capNew(tip.object, tip.rights, tip.badge, tip);
    expect(countDescendants(lookupCap(a.table, ep))).toBe(depth);
    expect(revokeSubtree(lookupCap(a.table, ep))).toBe(depth);
    expect(lookupCap(a.table, ep).object.capCount).toBe(1);
    expect(lookupCap(a.table, ep).firstChild).toBeNull();
    expect(capDelete(a.table, ep)).toBe(ErrorCode.Ok);
    expect(snapshotCounts()).toEqual(before);
  });

  it("destroying a table deletes its capabilities", () => {
    const root = makeRoot();
    const a = makeProc(root);
    const b = makeProc(root);
    const before = snapshotCounts();
    const ep = endpointCreate(a.table, 2);
    const c = capCopy(a.table, ep, b.table, Right.Read);
    expect(c).toBeGreaterThan(0);
    tableDestroy(a.table);
    expect(lookupCap(b.table, c).object.capCount).toBe(1);
    expect(lookupCap(b.table, c).parent).toBeNull();
    expect(capDelete(b.table, c)).toBe(ErrorCode.Ok);
    expect(liveCount(Pool.Capability)).toBe(before[Pool.Capability]!);
    expect(liveCount(ObjectType.Endpoint)).toBe(before[ObjectType.Endpoint]!);
  });

  it("reclaiming an account destroys its objects, breaking cycles of queues", () => {
    const root = makeRoot();
    const a = makeProc(root);
    const b = makeProc(root);
    const before = snapshotCounts();
    const e1 = endpointCreate(a.table, 1);
    const e2 = endpointCreate(a.table, 1);
    const s1 = capCopy(a.table, e1, a.table, Right.Write);
    const s2 = capCopy(a.table, e2, a.table, Right.Write);
    const fromB = capCopy(a.table, e1, b.table, Right.Write);
    const m = new Message();
    m.capCount = 1;
    m.handles[0] = e2;
    expect(endpointSend(a.table, s1, m)).toBe(ErrorCode.Ok); // e1's queue holds e2's root
    m.handles[0] = e1;
    expect(endpointSend(a.table, s2, m)).toBe(ErrorCode.Ok); // e2's queue holds e1's root
    expect(capDelete(a.table, s1)).toBe(ErrorCode.Ok);
    expect(capDelete(a.table, s2)).toBe(ErrorCode.Ok);
    expect(liveCount(ObjectType.Endpoint)).toBe(before[ObjectType.Endpoint]! + 2);
    expect(capDelete(b.table, fromB)).toBe(ErrorCode.Ok);
    // Deleting every capability in the tables cannot free the pair: each holds the other.
    expect(a.table.used).toBe(0);
    expect(liveCount(ObjectType.Endpoint)).toBe(before[ObjectType.Endpoint]! + 2);
    const keep = endpointCreate(b.table, 1); // b's own objects are untouched
    const fromB2 = capCopy(b.table, keep, b.table, Right.Read);
    accountReclaim(a.account);
    expect(liveCount(ObjectType.Endpoint)).toBe(before[ObjectType.Endpoint]! + 1);
    expect(a.account.used).toBe(a.table.charged);
    expect(lookupError(b.table, fromB2, ObjectType.Endpoint, Right.Read)).toBe(ErrorCode.Ok);
  });

  it("a cycle of queues no table reaches is live, not leaked, and reclaim frees it", () => {
    // The smallest sequence the property test found: b's queue holds a copy of a, a's queue holds
    // b itself, then a's table capability goes. Both records stay alive in flight (a keeps a
    // receiver, so its queue is not drained) with nothing in any table.
    const p = makeProc(makeRoot());
    const baseCaps = liveCount(Pool.Capability);
    const baseEndpoints = liveCount(ObjectType.Endpoint);
    const a = endpointCreate(p.table, 1);
    const b = endpointCreate(p.table, 1);
    const m = new Message();
    m.capCount = 1;
    m.flags = MsgFlag.CopyCaps;
    m.handles[0] = a;
    expect(endpointSend(p.table, b, m)).toBe(ErrorCode.Ok);
    m.flags = 0;
    m.handles[0] = b;
    expect(endpointSend(p.table, a, m)).toBe(ErrorCode.Ok);
    expect(capDelete(p.table, a)).toBe(ErrorCode.Ok);
    expect(p.table.used).toBe(0);
    expect(collectCaps([p.table])).toHaveLength(0);
    const live = checkInvariants([p.table]);
    expect(live).toHaveLength(2);
    expect(live.every((c) => capPlace(c) === CapPlace.InFlight)).toBe(true);
    expect(liveCount(Pool.Capability) - baseCaps).toBe(live.length);
    expect(liveCount(ObjectType.Endpoint) - baseEndpoints).toBe(2);
    accountReclaim(p.account);
    expect(checkInvariants([p.table])).toHaveLength(0);
    expect(liveCount(Pool.Capability)).toBe(baseCaps);
    expect(liveCount(ObjectType.Endpoint)).toBe(baseEndpoints);
  });

  it("reclaim revokes other processes' capabilities to the reclaimed objects", () => {
    const root = makeRoot();
    const a = makeProc(root);
    const b = makeProc(root);
    const ep = endpointCreate(a.table, 1);
    const held = capCopy(a.table, ep, b.table, Right.Write);
    accountReclaim(a.account);
    expect(lookupError(b.table, held, ObjectType.Any, 0)).toBe(ErrorCode.Revoked);
    expect(lookupError(a.table, ep, ObjectType.Any, 0)).toBe(ErrorCode.Revoked);
  });
});
