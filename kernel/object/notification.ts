// Notifications: a 64-bit word of signal bits. A signal ORs bits in (the signalling capability's
// badge when it has one, so a receiver can tell signallers apart, else the bits given); a wait
// returns the accumulated bits and clears them, or blocks until some arrive. IRQ lines and kernel
// events (message arrived, peer closed, child exited) signal through notifySignal; an endpoint can
// be bound to a notification so that its events arrive as bits beside the others (one thread then
// waits for IRQs and messages at once).
import { release } from "../../lang/core.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { Cost } from "../cap/quota.ts";
import { KernelObject, objectCreate } from "../cap/object.ts";
import { CapTable, lookupCap, lookupError, lookupValid } from "../cap/cap-table.ts";
import { capInstallRoot } from "../cap/cdt.ts";
import { NO_CAP } from "../cap/capability.ts";
import { Right, RIGHTS_ALL } from "../../abi/rights.ts";
import { NO_WAIT, WaitKind, WaitQueue, Waiter, waiterBlock, waitQueuePop, wakeAll, wakeWaiter } from "../cap/waiter.ts";
import { Ready, setReadiness, waitSetDetachSource } from "./wait-set.ts";
import { ObjectType } from "../../abi/object-type.ts";
import type { Message } from "../cap/message.ts";
import { BITS_LIMIT, Method } from "../../abi/message.ts";

export class Notification {
  obj: KernelObject;
  word = 0n;
  waiters = new WaitQueue();

  constructor(obj: KernelObject) {
    this.obj = obj;
  }
}

export function notificationCreate(t: CapTable): number {
  const obj = objectCreate(ObjectType.Notification, t.account, Cost.Notification);
  if (obj === null) return -ErrorCode.QuotaExceeded;
  obj.notification = new Notification(obj);
  return capInstallRoot(t, obj, RIGHTS_ALL);
}

/** Signals through a capability with the Signal right. Zero bits from an unbadged cap is invalid. */
export function notificationSignal(t: CapTable, handle: number, bits: bigint): ErrorCode {
  // One pass over the handle; the precise error only when it fails.
  const cap = lookupValid(t, handle, ObjectType.Notification, Right.Signal);
  if (cap === NO_CAP) return lookupError(t, handle, ObjectType.Notification, Right.Signal);
  const b = cap.badge !== 0n ? cap.badge : bits;
  if (b === 0n) return ErrorCode.InvalidArgument;
  notifySignal(cap.object.notification!, b);
  return ErrorCode.Ok;
}

/** Kernel-internal signal (IRQ delivery, kernel events): ORs `bits`, hands them to a waiter. */
export function notifySignal(n: Notification, bits: bigint): void {
  n.word = n.word | bits;
  while (n.word !== 0n && n.waiters.count > 0) {
    const w = waitQueuePop(n.waiters)!;
    const t = w.table!;
    let r = lookupError(t, w.handle, ObjectType.Notification, Right.Read);
    if (r === ErrorCode.Ok && lookupCap(t, w.handle).object !== n.obj) r = ErrorCode.StaleHandle;
    if (r === ErrorCode.Ok) {
      w.bits = n.word;
      n.word = 0n;
    }
    wakeWaiter(w, r);
  }
  setReadiness(n.obj, n.word !== 0n ? Ready.Signalled : 0);
}

/**
 * Takes the pending bits into `w.bits`: Ok at once if any, QueueEmpty when polling, else `w` is
 * queued (WouldBlock) and completes with Ok and the bits, ObjectDestroyed or TimedOut.
 */
export function notificationWait(t: CapTable, handle: number, w: Waiter): ErrorCode {
  const cap = lookupValid(t, handle, ObjectType.Notification, Right.Read);
  if (cap === NO_CAP) return lookupError(t, handle, ObjectType.Notification, Right.Read);
  const n = cap.object.notification!;
  if (n.word !== 0n) {
    w.bits = n.word;
    n.word = 0n;
    setReadiness(n.obj, 0);
    return ErrorCode.Ok;
  }
  if (w.deadline === NO_WAIT) return ErrorCode.QueueEmpty;
  waiterBlock(w, WaitKind.Notification, n.waiters, t, handle, cap);
  return ErrorCode.WouldBlock;
}

/**
 * Binds endpoint `srcHandle` (Read and Manage) to notification `nHandle` (Signal): from now on a
 * message arriving, or the peer closing, signals `bits`. An endpoint has at most one binding; a
 * notification takes any number. Binding to an endpoint that already has messages signals at once.
 */
export function notificationBind(t: CapTable, srcHandle: number, nHandle: number, bits: bigint): ErrorCode {
  const e = lookupError(t, srcHandle, ObjectType.Endpoint, Right.Read | Right.Manage);
  if (e !== ErrorCode.Ok) return e;
  const ne = lookupError(t, nHandle, ObjectType.Notification, Right.Signal);
  if (ne !== ErrorCode.Ok) return ne;
  if (bits === 0n) return ErrorCode.InvalidArgument;
  const src = lookupCap(t, srcHandle).object;
  const nobj = lookupCap(t, nHandle).object;
  if (src.boundTo !== null) return ErrorCode.AlreadyExists;
  bindSource(src, nobj, bits);
  if ((src.readiness & (Ready.Readable | Ready.PeerClosed)) !== 0) notifySignal(nobj.notification!, bits);
  return ErrorCode.Ok;
}

/** Removes the binding of endpoint `srcHandle` (Manage). */
export function notificationUnbind(t: CapTable, srcHandle: number): ErrorCode {
  const e = lookupError(t, srcHandle, ObjectType.Endpoint, Right.Manage);
  if (e !== ErrorCode.Ok) return e;
  const src = lookupCap(t, srcHandle).object;
  if (src.boundTo === null) return ErrorCode.NotFound;
  unbindSource(src);
  return ErrorCode.Ok;
}

/** Makes `src` (unbound) signal `bits` to notification `nobj`: endpoints, IRQ lines, timers. */
export function bindSource(src: KernelObject, nobj: KernelObject, bits: bigint): void {
  src.boundTo = nobj;
  src.boundBits = bits;
  src.nextBound = nobj.firstBound;
  nobj.firstBound = src;
}

/**
 * The bind method of an IRQ line or timer `h` (Manage, of `type`): from now on it signals `bits`
 * (1 .. BITS_LIMIT-1) to notification `nHandle` (Signal), replacing any earlier binding.
 */
export function sourceBind(t: CapTable, h: number, type: ObjectType, nHandle: number, bits: number): ErrorCode {
  const e = lookupError(t, h, type, Right.Manage);
  if (e !== ErrorCode.Ok) return e;
  const ne = lookupError(t, nHandle, ObjectType.Notification, Right.Signal);
  if (ne !== ErrorCode.Ok) return ne;
  if (bits <= 0 || bits >= BITS_LIMIT) return ErrorCode.InvalidArgument;
  const src = lookupCap(t, h).object;
  unbindSource(src);
  bindSource(src, lookupCap(t, nHandle).object, BigInt(bits));
  return ErrorCode.Ok;
}

/** Takes `src` off its notification's list of bound sources (also when `src` is destroyed). */
export function unbindSource(src: KernelObject): void {
  const nobj = src.boundTo;
  if (nobj === null) return;
  if (nobj.firstBound === src) {
    nobj.firstBound = src.nextBound;
  } else {
    let p = nobj.firstBound;
    while (p !== null && p.nextBound !== src) p = p.nextBound;
    if (p !== null) p.nextBound = src.nextBound;
  }
  src.boundTo = null;
  src.boundBits = 0n;
  src.nextBound = null;
}

/** A bound source's readiness rose by `rising`: message arrival and peer closed are signalled. */
export function signalBound(src: KernelObject, rising: number): void {
  const nobj = src.boundTo;
  if (nobj === null || (rising & (Ready.Readable | Ready.PeerClosed)) === 0) return;
  notifySignal(nobj.notification!, src.boundBits);
}

export function destroyNotification(obj: KernelObject): void {
  const n = obj.notification!;
  wakeAll(n.waiters, ErrorCode.ObjectDestroyed);
  let src = obj.firstBound;
  while (src !== null) {
    const next = src.nextBound;
    src.boundTo = null;
    src.boundBits = 0n;
    src.nextBound = null;
    src = next;
  }
  obj.firstBound = null;
  waitSetDetachSource(obj);
  obj.notification = null;
  release(n.waiters);
  release(n);
}

/**
 * A notification's methods (the kernel API as messages, object-type.ts): Signal ORs `a0` in,
 * Poll takes the pending bits into words[0] without waiting. The answer's words are already clear.
 */
export function notificationInvoke(t: CapTable, h: number, m: Message, w: Waiter, a0: number): ErrorCode {
  switch (m.label) {
    case Method.Signal:
      if (a0 < 0 || a0 >= BITS_LIMIT) return ErrorCode.InvalidArgument;
      return notificationSignal(t, h, BigInt(a0));
    case Method.Poll: {
      w.deadline = NO_WAIT;
      const r = notificationWait(t, h, w);
      if (r !== ErrorCode.Ok) return r;
      m.words[0] = w.bits;
      w.bits = 0n;
      return ErrorCode.Ok;
    }
    default:
      return ErrorCode.InvalidArgument;
  }
}
