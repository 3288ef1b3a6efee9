// The capability derivation tree and the operations on capabilities: copy, mint, move, delete,
// revoke. Every capability records the one it was derived from; rights only shrink from parent to
// child, and a badge, once minted, is inherited by every descendant. Revocation walks the subtree
// iteratively (kernel stacks are small) and reaches capabilities in tables and in flight alike,
// because both are the same records linked into the same tree.
import { panic, release } from "../../lang/core.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { countAlloc, countFree, Pool } from "./counters.ts";
import { Capability, CapPlace, capPlace, NO_CAP } from "./capability.ts";
import { destroyDefer, destroyResume, KernelObject, objectCapAdded, objectCapRemoved, objectDestroy } from "./object.ts";
import {
  CapTable,
  lookupCap,
  lookupError,
  SlotMark,
  tableFree,
  tableInsert,
  tableRemove,
} from "./cap-table.ts";
import { Right, rightsSubset, rightsValid } from "../../abi/rights.ts";
import type { Message } from "./message.ts";
import { capGone, endWaitsThrough } from "./waiter.ts";
import type { Account } from "./quota.ts";
import { ObjectType } from "../../abi/object-type.ts";

/** Allocates a capability to `obj` as the newest child of `parent` (or as a root). */
export function capNew(obj: KernelObject, rights: number, badge: bigint, parent: Capability | null): Capability {
  const c = new Capability(obj, rights, badge);
  countAlloc(Pool.Capability);
  if (parent !== null) linkChild(parent, c);
  c.nextOfObject = obj.firstCap;
  if (obj.firstCap !== null) obj.firstCap.prevOfObject = c;
  obj.firstCap = c;
  objectCapAdded(obj, rights);
  return c;
}

function linkChild(parent: Capability, c: Capability): void {
  c.parent = parent;
  c.prevSibling = null;
  c.nextSibling = parent.firstChild;
  if (parent.firstChild !== null) parent.firstChild.prevSibling = c;
  parent.firstChild = c;
}

function unlinkSibling(c: Capability): void {
  const p = c.parent;
  if (c.prevSibling !== null) c.prevSibling.nextSibling = c.nextSibling;
  else if (p !== null) p.firstChild = c.nextSibling;
  if (c.nextSibling !== null) c.nextSibling.prevSibling = c.prevSibling;
  c.prevSibling = null;
  c.nextSibling = null;
  c.parent = null;
}

/**
 * Takes `c` out of the tree. Its children move up to its parent (or become roots), so that a
 * revoke of any ancestor still reaches them; rights stay monotone because child ⊆ c ⊆ parent.
 */
function unlinkFromTree(c: Capability): void {
  const p = c.parent;
  let child = c.firstChild;
  while (child !== null) {
    const next = child.nextSibling;
    child.parent = null;
    child.prevSibling = null;
    child.nextSibling = null;
    if (p !== null) linkChild(p, child);
    child = next;
  }
  c.firstChild = null;
  unlinkSibling(c);
}

/**
 * What a thread waiting through `c` gets when `c` is freed: Revoked after a revoke; after a
 * delete, ObjectDestroyed when `c` is the object's last capability (the object goes with it),
 * else InvalidHandle, what the handle reports from then on.
 */
function waitEndResult(c: Capability, mark: SlotMark): ErrorCode {
  if (mark === SlotMark.Revoked) return ErrorCode.Revoked;
  return c.object.capCount === 1 ? ErrorCode.ObjectDestroyed : ErrorCode.InvalidHandle;
}

/**
 * Removes `c` from where it sits (table slot or message) and frees it; may destroy its object.
 * Threads waiting through `c` are woken first (waitEndResult).
 */
export function capFree(c: Capability, mark: SlotMark): void {
  if (c === NO_CAP) panic("freeing the empty capability");
  if (c.waiters !== null) capGone(c, waitEndResult(c, mark));
  if (capPlace(c) === CapPlace.Table) tableRemove(c, mark);
  else if (capPlace(c) === CapPlace.InFlight) flightRemove(c);
  unlinkFromTree(c);
  const obj = c.object;
  if (c.prevOfObject !== null) c.prevOfObject.nextOfObject = c.nextOfObject;
  else obj.firstCap = c.nextOfObject;
  if (c.nextOfObject !== null) c.nextOfObject.prevOfObject = c.prevOfObject;
  const rights = c.rights;
  countFree(Pool.Capability);
  release(c);
  objectCapRemoved(obj, rights);
}

/** Puts a new object's first capability (a root of the tree) into `t`: handle or -error. */
export function capInstallRoot(t: CapTable, obj: KernelObject, rights: number): number {
  if (t.used >= t.size) {
    objectDestroy(obj);
    return -ErrorCode.TableFull;
  }
  const c = capNew(obj, rights, 0n, null);
  return tableInsert(t, c);
}

/** Copies a capability into `dst` (possibly `src`) with `rights` ⊆ its rights: handle or -error. */
export function capCopy(src: CapTable, handle: number, dst: CapTable, rights: number): number {
  const need = src === dst ? Right.Duplicate : Right.Duplicate | Right.Grant;
  const e = lookupError(src, handle, ObjectType.Any, need);
  if (e !== ErrorCode.Ok) return -e;
  const c = lookupCap(src, handle);
  if (!rightsValid(rights)) return -ErrorCode.InvalidArgument;
  if (!rightsSubset(rights, c.rights)) return -ErrorCode.RightsEscalation;
  if (dst.used >= dst.size) return -ErrorCode.TableFull;
  return tableInsert(dst, capNew(c.object, rights, c.badge, c));
}

/**
 * Mints a badged child: only from an unbadged capability, with `rights` ⊆ its rights and a
 * non-zero badge. Receivers see the badge of the capability a message was sent with.
 */
export function capMint(src: CapTable, handle: number, dst: CapTable, rights: number, badge: bigint): number {
  const need = src === dst ? Right.Duplicate : Right.Duplicate | Right.Grant;
  const e = lookupError(src, handle, ObjectType.Any, need);
  if (e !== ErrorCode.Ok) return -e;
  const c = lookupCap(src, handle);
  if (c.badge !== 0n) return -ErrorCode.AlreadyBadged;
  if (badge === 0n || !rightsValid(rights)) return -ErrorCode.InvalidArgument;
  if (!rightsSubset(rights, c.rights)) return -ErrorCode.RightsEscalation;
  if (dst.used >= dst.size) return -ErrorCode.TableFull;
  return tableInsert(dst, capNew(c.object, rights, badge, c));
}

/** Moves a capability to `dst`; it keeps its place in the tree. Returns its new handle or -error. */
export function capMove(src: CapTable, handle: number, dst: CapTable): number {
  const need = src === dst ? 0 : Right.Grant;
  const e = lookupError(src, handle, ObjectType.Any, need);
  if (e !== ErrorCode.Ok) return -e;
  if (src === dst) return handle;
  if (dst.used >= dst.size) return -ErrorCode.TableFull;
  const c = lookupCap(src, handle);
  leaveTable(c);
  return tableInsert(dst, c);
}

/** Deletes one capability. Its children survive (re-parented); the last one destroys the object. */
export function capDelete(t: CapTable, handle: number): ErrorCode {
  const e = lookupError(t, handle, ObjectType.Any, 0);
  if (e !== ErrorCode.Ok) return e;
  capFree(lookupCap(t, handle), SlotMark.Deleted);
  return ErrorCode.Ok;
}

/**
 * Revokes every capability derived from this one, recursively, wherever it is (any table, or in
 * flight in a queued message); the capability itself stays. Iterative post-order walk: descend to
 * a leaf, free it, step back to its parent. Each edge is walked down once and up once: O(n).
 * All descendants name the same object as the root, which keeps the object alive throughout.
 */
export function capRevoke(t: CapTable, handle: number): ErrorCode {
  const e = lookupError(t, handle, ObjectType.Any, 0);
  if (e !== ErrorCode.Ok) return e;
  revokeSubtree(lookupCap(t, handle));
  return ErrorCode.Ok;
}

/** Frees every descendant of `root` (kernel-internal form of capRevoke). Returns how many. */
export function revokeSubtree(root: Capability): number {
  let freed = 0;
  let node = root.firstChild;
  while (node !== null) {
    if (node.firstChild !== null) {
      node = node.firstChild;
      continue;
    }
    const up = node.parent;
    capFree(node, SlotMark.Revoked);
    freed++;
    node = up === root || up === null ? root.firstChild : up;
  }
  return freed;
}

/** Counts the descendants of `root` (iteratively). */
export function countDescendants(root: Capability): number {
  let n = 0;
  let node = root.firstChild;
  while (node !== null) {
    n++;
    if (node.firstChild !== null) {
      node = node.firstChild;
      continue;
    }
    while (node !== null && node !== root && node.nextSibling === null) node = node.parent;
    if (node === null || node === root) break;
    node = node.nextSibling;
  }
  return n;
}

/**
 * Destroys an object by force: every capability naming it, in any table or in flight, is deleted
 * (old handles report Revoked), and the last deletion destroys it.
 */
export function objectRevokeAll(obj: KernelObject): void {
  // Freeing one capability can free others to `obj` (a queue drop reaching its capabilities in
  // flight), so its last one may go at any step: `obj` stays readable until the loop is done.
  const outermost = destroyDefer();
  // Threads waiting through any of them learn that the object itself is gone.
  for (let c = obj.firstCap; c !== null; c = c.nextOfObject) {
    if (c.waiters !== null) endWaitsThrough(c, ErrorCode.ObjectDestroyed);
  }
  while (obj.capCount > 0) capFree(obj.firstCap!, SlotMark.Revoked);
  destroyResume(outermost);
}

/**
 * Reclaims everything charged to `a` (the creator of a process takes back its quota): destroys
 * every object the account paid for, whoever holds capabilities to it. This also breaks cycles
 * of queues holding each other's last capabilities, which deleting capabilities alone cannot.
 */
export function accountReclaim(a: Account): void {
  while (a.firstOwned !== null) {
    const obj = a.firstOwned;
    if (!obj.alive) panic("reclaim inside object destruction");
    objectRevokeAll(obj);
  }
}

/** Deletes every capability in `t` (the process is going away) and frees the table. */
export function tableDestroy(t: CapTable): void {
  // Its threads' waits are cancelled first (they must not be woken into a table going away).
  if (t.blocked !== 0) panic("freeing a capability table with threads blocked through it (cancel their waiters first)");
  for (let i = 0; i < t.size; i++) {
    const c = t.slots[i]!;
    if (c !== NO_CAP) capFree(c, SlotMark.Deleted);
  }
  tableFree(t);
}

// ---- capabilities in flight (used by the IPC layer) ----

/** Moves a capability out of its table into position `index` of a queued message. */
export function capToFlight(c: Capability, msg: Message, index: number): void {
  if (capPlace(c) === CapPlace.Table) leaveTable(c);
  flightPut(c, msg, index);
}

/** Derives a child of `c` with `rights` directly in flight (a copy transfer). */
export function capCopyToFlight(c: Capability, rights: number, msg: Message, index: number): Capability {
  const child = capNew(c.object, rights, c.badge, c);
  flightPut(child, msg, index);
  return child;
}

/** Puts a capability that belongs to no table into a message position. */
export function flightPut(c: Capability, msg: Message, index: number): void {
  if (capPlace(c) !== CapPlace.Nowhere) panic("capability put in flight while placed");
  c.message = msg;
  c.index = index;
  if (index === msg.caps.length) msg.replyCap = c;
  else msg.caps[index] = c;
}

/** Takes a capability out of its message position (it then belongs nowhere until placed). */
export function flightRemove(c: Capability): void {
  const msg = c.message;
  if (capPlace(c) !== CapPlace.InFlight || msg === null) panic("capability is not in flight");
  if (c.index === msg.caps.length) msg.replyCap = NO_CAP;
  else msg.caps[c.index] = NO_CAP;
  c.message = null;
  c.index = -1;
}

/** Installs an in-flight capability into `t` (caller checked for a free slot): its handle. */
export function capFromFlight(c: Capability, t: CapTable): number {
  flightRemove(c);
  return tableInsert(t, c);
}

/**
 * Transfers a table capability straight into another table (a reply needs no queue): a move keeps
 * the record and its place in the tree, a copy derives a child with equal rights. Returns the
 * handle in `dst`, which the caller checked has room.
 */
export function capTransfer(c: Capability, dst: CapTable, copy: boolean): number {
  if (copy) return tableInsert(dst, capNew(c.object, c.rights, c.badge, c));
  leaveTable(c);
  return tableInsert(dst, c);
}

/**
 * Takes a capability that stays alive out of its table slot (a move). A wait made through its
 * handle ends (InvalidHandle, what the handle now reports): so a thread that waits does so through
 * a capability that is in its table under its handle, for as long as it waits.
 */
function leaveTable(c: Capability): void {
  if (c.waiters !== null) capGone(c, ErrorCode.InvalidHandle);
  tableRemove(c, SlotMark.Deleted);
}
