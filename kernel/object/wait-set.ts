// Wait sets: one thread waits on many endpoints and notifications. Readiness is level-triggered:
// each source keeps its current readiness bits in its object header; a wait completes as soon as
// any member is ready, and the thread then polls the set to learn which members (by the key it
// chose when adding them) are ready and how. A member does not keep its source alive: when the
// source is destroyed, its memberships are removed from every set.
import { panic, release } from "../../lang/core.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { countAlloc, countFree, Pool } from "../cap/counters.ts";
import { Cost } from "../cap/quota.ts";
import { KernelObject, objectCreate } from "../cap/object.ts";
import { CapTable, lookupCap, lookupError } from "../cap/cap-table.ts";
import { capInstallRoot } from "../cap/cdt.ts";
import { Right, RIGHTS_ALL } from "../../abi/rights.ts";
import { NO_WAIT, WaitKind, WaitQueue, Waiter, waiterBlock, wakeAll } from "../cap/waiter.ts";
import { READY_ALL } from "../../abi/message.ts";
import { ObjectType } from "../../abi/object-type.ts";

// Readiness bits are ABI (abi/message.ts), re-exported for the kernel's IPC modules.
export { Ready, READY_ALL } from "../../abi/message.ts";

export const MAX_WAIT_SET = 64;

export class WaitSetMember {
  set: WaitSet;
  source: KernelObject;
  key: number;
  /** Readiness bits this member watches (an endpoint with room is always Writable). */
  mask = READY_ALL;
  nextInSet: WaitSetMember | null = null;
  nextInSource: WaitSetMember | null = null;

  constructor(set: WaitSet, source: KernelObject, key: number) {
    this.set = set;
    this.source = source;
    this.key = key;
  }
}

export class WaitSet {
  obj: KernelObject;
  capacity: number;
  count = 0;
  first: WaitSetMember | null = null;
  waiters = new WaitQueue();

  constructor(obj: KernelObject, capacity: number) {
    this.obj = obj;
    this.capacity = capacity;
  }
}

/** Creates a wait set of up to `capacity` members: handle or -error. */
export function waitSetCreate(t: CapTable, capacity: number): number {
  if (capacity <= 0 || capacity > MAX_WAIT_SET) return -ErrorCode.InvalidArgument;
  const obj = objectCreate(ObjectType.WaitSet, t.account, Cost.WaitSet + capacity * Cost.WaitSetMember);
  if (obj === null) return -ErrorCode.QuotaExceeded;
  obj.waitSet = new WaitSet(obj, capacity);
  return capInstallRoot(t, obj, RIGHTS_ALL);
}

function setOf(t: CapTable, handle: number, rights: number): WaitSet | null {
  if (lookupError(t, handle, ObjectType.WaitSet, rights) !== ErrorCode.Ok) return null;
  return lookupCap(t, handle).object.waitSet;
}

/** Adds the endpoint or notification `srcHandle` under `key` (needs Manage on the set, Read on it). */
export function waitSetAdd(t: CapTable, wsHandle: number, srcHandle: number, key: number): ErrorCode {
  return waitSetAddMask(t, wsHandle, srcHandle, key, READY_ALL);
}

/** As waitSetAdd, watching only the readiness bits in `mask` (non-zero, within READY_ALL). */
export function waitSetAddMask(t: CapTable, wsHandle: number, srcHandle: number, key: number, mask: number): ErrorCode {
  if (mask <= 0 || (mask & ~READY_ALL) !== 0) return ErrorCode.InvalidArgument;
  const e = lookupError(t, wsHandle, ObjectType.WaitSet, Right.Manage);
  if (e !== ErrorCode.Ok) return e;
  const se = lookupError(t, srcHandle, ObjectType.Any, Right.Read);
  if (se !== ErrorCode.Ok) return se;
  const ws = lookupCap(t, wsHandle).object.waitSet!;
  const src = lookupCap(t, srcHandle).object;
  if (src.type !== ObjectType.Endpoint && src.type !== ObjectType.Notification) return ErrorCode.WrongType;
  for (let m = ws.first; m !== null; m = m.nextInSet) {
    if (m.source === src || m.key === key) return ErrorCode.AlreadyExists;
  }
  if (ws.count >= ws.capacity) return ErrorCode.SetFull;
  const m = new WaitSetMember(ws, src, key);
  m.mask = mask;
  countAlloc(Pool.WaitSetMember);
  m.nextInSet = ws.first;
  ws.first = m;
  ws.count++;
  m.nextInSource = src.members;
  src.members = m;
  if ((src.readiness & mask) !== 0) wakeAll(ws.waiters, ErrorCode.Ok);
  return ErrorCode.Ok;
}

function unlinkFromSource(m: WaitSetMember): void {
  const src = m.source;
  if (src.members === m) {
    src.members = m.nextInSource;
  } else {
    let p = src.members;
    while (p !== null && p.nextInSource !== m) p = p.nextInSource;
    if (p === null) panic("wait-set member missing from its source");
    p.nextInSource = m.nextInSource;
  }
  m.nextInSource = null;
}

function unlinkFromSet(m: WaitSetMember): void {
  const ws = m.set;
  if (ws.first === m) {
    ws.first = m.nextInSet;
  } else {
    let p = ws.first;
    while (p !== null && p.nextInSet !== m) p = p.nextInSet;
    if (p === null) panic("wait-set member missing from its set");
    p.nextInSet = m.nextInSet;
  }
  m.nextInSet = null;
  ws.count--;
}

function freeMember(m: WaitSetMember): void {
  countFree(Pool.WaitSetMember);
  release(m);
}

/** Removes the member added under `key`. */
export function waitSetRemove(t: CapTable, wsHandle: number, key: number): ErrorCode {
  const e = lookupError(t, wsHandle, ObjectType.WaitSet, Right.Manage);
  if (e !== ErrorCode.Ok) return e;
  const ws = lookupCap(t, wsHandle).object.waitSet!;
  for (let m = ws.first; m !== null; m = m.nextInSet) {
    if (m.key === key) {
      unlinkFromSource(m);
      unlinkFromSet(m);
      freeMember(m);
      return ErrorCode.Ok;
    }
  }
  return ErrorCode.NotFound;
}

/**
 * Fills `keys[i]`, `ready[i]` with the members that are ready now (up to keys.length of them) and
 * returns how many, or -error. Needs Read on the set.
 */
export function waitSetPoll(t: CapTable, wsHandle: number, keys: Int32Array, ready: Int32Array): number {
  const ws = setOf(t, wsHandle, Right.Read);
  if (ws === null) return -lookupError(t, wsHandle, ObjectType.WaitSet, Right.Read);
  let n = 0;
  for (let m = ws.first; m !== null && n < keys.length && n < ready.length; m = m.nextInSet) {
    if ((m.source.readiness & m.mask) !== 0) {
      keys[n] = m.key;
      ready[n] = m.source.readiness & m.mask;
      n++;
    }
  }
  return n;
}

function anyReady(ws: WaitSet): boolean {
  for (let m = ws.first; m !== null; m = m.nextInSet) {
    if ((m.source.readiness & m.mask) !== 0) return true;
  }
  return false;
}

/**
 * Waits until some member is ready: Ok at once if one is, QueueEmpty when polling (deadline
 * NO_WAIT), else WouldBlock with `w` queued; it completes with Ok when a member becomes ready (then
 * poll the set), or ObjectDestroyed / TimedOut.
 */
export function waitSetWait(t: CapTable, wsHandle: number, w: Waiter): ErrorCode {
  const e = lookupError(t, wsHandle, ObjectType.WaitSet, Right.Read);
  if (e !== ErrorCode.Ok) return e;
  const cap = lookupCap(t, wsHandle);
  const ws = cap.object.waitSet!;
  if (anyReady(ws)) return ErrorCode.Ok;
  if (w.deadline === NO_WAIT) return ErrorCode.QueueEmpty;
  waiterBlock(w, WaitKind.WaitSet, ws.waiters, t, wsHandle, cap);
  return ErrorCode.WouldBlock;
}

/** Sources call this whenever their readiness may have changed; new bits wake the sets' waiters. */
export function setReadiness(src: KernelObject, bits: number): void {
  const old = src.readiness;
  src.readiness = bits;
  const rising = bits & ~old;
  if (rising === 0) return;
  for (let m = src.members; m !== null; m = m.nextInSource) {
    if ((rising & m.mask) !== 0) wakeAll(m.set.waiters, ErrorCode.Ok);
  }
}

/** A source is being destroyed: remove it from every set it belongs to. */
export function waitSetDetachSource(src: KernelObject): void {
  let m = src.members;
  while (m !== null) {
    const next = m.nextInSource;
    m.nextInSource = null;
    unlinkFromSet(m);
    freeMember(m);
    m = next;
  }
  src.members = null;
  src.readiness = 0;
}

export function destroyWaitSet(obj: KernelObject): void {
  const ws = obj.waitSet!;
  wakeAll(ws.waiters, ErrorCode.ObjectDestroyed);
  let m = ws.first;
  while (m !== null) {
    const next = m.nextInSet;
    unlinkFromSource(m);
    freeMember(m);
    m = next;
  }
  ws.first = null;
  ws.count = 0;
  obj.waitSet = null;
  release(ws.waiters);
  release(ws);
}
