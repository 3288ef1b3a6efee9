// The kernel object header. Every object a capability can name starts here: its type, how many
// capabilities point at it, the account its memory is charged to, and a pointer to the
// type-specific part. Deleting the last capability to an object destroys it; destruction is
// deferred onto a work list and drained in a loop, so a chain of objects each holding the last
// capability to the next (an endpoint queue holding an endpoint...) never recurses on the stack.
import { panic, release } from "../../lang/core.ts";
import { type Account, accountCharge, accountChargeOutside, accountRefund, Cost } from "./quota.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { countAlloc, countFree } from "./counters.ts";
import type { Endpoint } from "../object/endpoint.ts";
import type { Notification } from "../object/notification.ts";
import type { WaitSet, WaitSetMember } from "../object/wait-set.ts";
import type { Reply } from "../object/reply.ts";
import type { Capability } from "./capability.ts";
import type { ObjectType } from "../../abi/object-type.ts";

export class KernelObject {
  type: ObjectType;
  /** Serial number, for traces and debugging. */
  id: number;
  /** Capabilities (in tables or in flight) naming this object. */
  capCount = 0;
  /** Account charged for the object, and how much. */
  owner: Account | null;
  charged: number;
  alive = true;
  /** Readiness bits (Ready in wait-set.ts) that wait sets observe. */
  readiness = 0;
  /** Wait-set memberships of this object, linked through WaitSetMember.nextInSource. */
  members: WaitSetMember | null = null;
  /** Endpoint bound to a notification: events (message arrived, peer closed) signal `boundBits`. */
  boundTo: KernelObject | null = null;
  boundBits = 0n;
  /** Notification: the sources bound to it, linked through `nextBound`. */
  firstBound: KernelObject | null = null;
  nextBound: KernelObject | null = null;
  /** Link on the destruction work list. */
  nextDoomed: KernelObject | null = null;
  /** On the deferred-work list (objectPostWork), linked through `nextWork`. */
  workPending = false;
  nextWork: KernelObject | null = null;
  /** Every capability naming the object, linked through Capability.nextOfObject. */
  firstCap: Capability | null = null;
  /** Objects charged to the same account, so the account's creator can reclaim them all. */
  nextOwned: KernelObject | null = null;
  prevOwned: KernelObject | null = null;
  // The type-specific part: exactly one is set, matching `type`. Types implemented outside the
  // capability and IPC layer keep an index into their own pool in `index`.
  endpoint: Endpoint | null = null;
  notification: Notification | null = null;
  waitSet: WaitSet | null = null;
  reply: Reply | null = null;
  index = -1;

  constructor(type: ObjectType, id: number, owner: Account | null, charged: number) {
    this.type = type;
    this.id = id;
    this.owner = owner;
    this.charged = charged;
  }
}

/** Tears down an object's type-specific part when the object is destroyed. */
export type DestroyFn = (obj: KernelObject) => void;
/** A capability naming the object appears (delta 1) or disappears (delta -1). */
export type CapChangedFn = (obj: KernelObject, rights: number, delta: number) => void;

function notInstalled(obj: KernelObject): void {
  panic(`object ${obj.id}: object types not installed (objectLayerInit)`);
}

function capChangedNotInstalled(obj: KernelObject, rights: number, delta: number): void {
  void rights;
  void delta;
  notInstalled(obj);
}

class ObjectRegistry {
  nextId = 1;
  // What each type does, from kernel/object/object-type.ts (one switch over ObjectType per
  // operation): the object layer sits above this one, so it is handed down once at start-up.
  // Until then every operation panics, so a kernel that forgot never runs silently without it.
  destroy: DestroyFn = notInstalled;
  capChanged: CapChangedFn = capChangedNotInstalled;
  runWork: DestroyFn = notInstalled;
  doomed: KernelObject | null = null;
  /** Deferred work, first in first out. */
  work: KernelObject | null = null;
  workTail: KernelObject | null = null;
  draining = false;
  /**
   * How deeply teardown calls nest now (capability changes, work and destruction) and the most
   * since the last reset: the work lists keep it at a small constant whatever is torn down.
   */
  depth = 0;
  maxDepth = 0;
}

const registry = new ObjectRegistry();

/**
 * Installs the object layer's operations (kernel/object/object-type.ts calls this from
 * objectLayerInit, which the kernel entry and the host tests' set-up call once).
 */
export function objectOpsInstall(destroy: DestroyFn, capChanged: CapChangedFn, work: DestroyFn): void {
  registry.destroy = destroy;
  registry.capChanged = capChanged;
  registry.runWork = work;
}

/** The deepest nesting of teardown calls since the last objectNestingReset (tests assert on it). */
export function objectNestingMax(): number {
  return registry.maxDepth;
}

export function objectNestingReset(): void {
  registry.maxDepth = registry.depth;
}

function enter(): void {
  registry.depth++;
  if (registry.depth > registry.maxDepth) registry.maxDepth = registry.depth;
}

function leave(): void {
  registry.depth--;
}

/**
 * Creates an object header charging `ObjectHeader + extra` bytes of kernel heap to `owner`.
 * Returns null when the quota (or the heap) cannot cover it. The object is destroyed when its last
 * capability goes.
 */
export function objectCreate(type: ObjectType, owner: Account, extra: number): KernelObject | null {
  return objectCreateBacked(type, owner, extra, 0);
}

/**
 * objectCreate for an object that also holds `outside` bytes of memory that is not the kernel
 * heap's (a memory object's frames): charged to the quota with the rest, refunded with it, but
 * not reserved in the heap.
 */
export function objectCreateBacked(type: ObjectType, owner: Account, extra: number, outside: number): KernelObject | null {
  const cost = Cost.ObjectHeader + extra;
  if (accountCharge(owner, cost) !== ErrorCode.Ok) return null;
  if (accountChargeOutside(owner, outside) !== ErrorCode.Ok) {
    accountRefund(owner, cost);
    return null;
  }
  const obj = new KernelObject(type, registry.nextId, owner, cost + outside);
  registry.nextId++;
  obj.nextOwned = owner.firstOwned;
  if (owner.firstOwned !== null) owner.firstOwned.prevOwned = obj;
  owner.firstOwned = obj;
  countAlloc(type);
  return obj;
}

/** Bookkeeping for a new capability naming `obj`. */
export function objectCapAdded(obj: KernelObject, rights: number): void {
  if (!obj.alive) panic(`capability to destroyed object ${obj.id}`);
  obj.capCount++;
  registry.capChanged(obj, rights, 1);
}

/**
 * Bookkeeping for a capability naming `obj` going away; the last one destroys the object. The
 * type's reaction may free further capabilities (an endpoint drops its queue when its last
 * receiver goes), and through them the last capability to `obj` itself: destruction waits until
 * the reaction is done.
 */
export function objectCapRemoved(obj: KernelObject, rights: number): void {
  if (obj.capCount <= 0) panic(`capability count underflow on object ${obj.id}`);
  obj.capCount--;
  enter();
  const outermost = destroyDefer();
  registry.capChanged(obj, rights, -1);
  if (obj.capCount === 0) objectDestroy(obj);
  destroyResume(outermost);
  leave();
}

/**
 * Asks for `obj`'s work to run from the work loop rather than now: a capability change whose
 * work frees further capabilities (an endpoint dropping its queue) posts it, so freeing a chain of
 * such objects is a loop, never a recursion. Posted work runs before any object is destroyed, so
 * the object is still there when it runs; a posted object already doomed needs nothing (its
 * destructor drops everything).
 */
export function objectPostWork(obj: KernelObject): void {
  if (obj.workPending || !obj.alive) return;
  obj.workPending = true;
  obj.nextWork = null;
  if (registry.workTail !== null) registry.workTail.nextWork = obj;
  else registry.work = obj;
  registry.workTail = obj;
  if (registry.draining) return;
  registry.draining = true;
  drainDoomed();
  registry.draining = false;
}

/**
 * Defers object destruction until the matching destroyResume, so a caller can keep using objects
 * whose last capability goes under it. Returns whether this call started the deferral (nesting).
 */
export function destroyDefer(): boolean {
  if (registry.draining) return false;
  registry.draining = true;
  return true;
}

/** Ends a deferral destroyDefer started (`outermost`): destroys every object doomed meanwhile. */
export function destroyResume(outermost: boolean): void {
  if (!outermost) return;
  drainDoomed();
  registry.draining = false;
}

/**
 * Destroys an object: runs its type's destructor (which wakes waiters with an error and drops what
 * the object holds), refunds its owner and frees the header. Objects whose destructors free further
 * objects are queued and handled by the outermost call, iteratively.
 */
export function objectDestroy(obj: KernelObject): void {
  if (!obj.alive) return;
  if (obj.capCount !== 0) panic(`destroying object ${obj.id} with ${obj.capCount} capabilities`);
  obj.alive = false;
  obj.nextDoomed = registry.doomed;
  registry.doomed = obj;
  if (registry.draining) return;
  registry.draining = true;
  drainDoomed();
  registry.draining = false;
}

/**
 * Runs the posted work and destroys the doomed objects, including what their teardown adds: all posted
 * work first, so that no object is freed while work for it is still pending.
 */
function drainDoomed(): void {
  for (;;) {
    const w = registry.work;
    if (w !== null) {
      registry.work = w.nextWork;
      if (registry.work === null) registry.workTail = null;
      w.nextWork = null;
      w.workPending = false;
      enter();
      registry.runWork(w);
      leave();
      continue;
    }
    if (registry.doomed === null) break;
    const o: KernelObject = registry.doomed;
    registry.doomed = o.nextDoomed;
    o.nextDoomed = null;
    enter();
    registry.destroy(o);
    leave();
    const owner = o.owner;
    if (owner !== null) {
      if (o.prevOwned !== null) o.prevOwned.nextOwned = o.nextOwned;
      else owner.firstOwned = o.nextOwned;
      if (o.nextOwned !== null) o.nextOwned.prevOwned = o.prevOwned;
      accountRefund(owner, o.charged);
    }
    o.owner = null;
    countFree(o.type);
    release(o);
  }
}
