// Notifications: a 64-bit word of signal bits. A signal ORs bits in (the signalling capability's
// badge when it has one, so a receiver can tell signallers apart, else the bits given); a wait
// returns the accumulated bits and clears them, or blocks until some arrive. IRQ lines and kernel
// events (message arrived, peer closed, child exited) signal through notifySignal.
import { release } from "../../toolchain/lib/core.ts";
import { CapError } from "../cap/errors.ts";
import { Cost } from "../cap/quota.ts";
import { KernelObject, objectCreate, ObjectType, setDestroyHook } from "../cap/object.ts";
import { CapTable, lookupCap, lookupError } from "../cap/cap-table.ts";
import { capInstallRoot } from "../cap/cdt.ts";
import { Right, RIGHTS_ALL } from "../cap/rights.ts";
import { NO_WAIT, WaitKind, WaitQueue, Waiter, waiterBlock, waitQueuePop, wakeAll, wakeWaiter } from "./waiter.ts";
import { Ready, setReadiness, waitSetDetachSource } from "./wait-set.ts";

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
  if (obj === null) return -CapError.QuotaExceeded;
  obj.notification = new Notification(obj);
  return capInstallRoot(t, obj, RIGHTS_ALL);
}

/** Signals through a capability with the Signal right. Zero bits from an unbadged cap is invalid. */
export function notificationSignal(t: CapTable, handle: number, bits: bigint): CapError {
  const e = lookupError(t, handle, ObjectType.Notification, Right.Signal);
  if (e !== CapError.Ok) return e;
  const cap = lookupCap(t, handle);
  const b = cap.badge !== 0n ? cap.badge : bits;
  if (b === 0n) return CapError.InvalidArgument;
  notifySignal(cap.object.notification!, b);
  return CapError.Ok;
}

/** Kernel-internal signal (IRQ delivery, kernel events): ORs `bits`, hands them to a waiter. */
export function notifySignal(n: Notification, bits: bigint): void {
  n.word = n.word | bits;
  while (n.word !== 0n && n.waiters.count > 0) {
    const w = waitQueuePop(n.waiters)!;
    const t = w.table!;
    let r = lookupError(t, w.handle, ObjectType.Notification, Right.Read);
    if (r === CapError.Ok && lookupCap(t, w.handle).object !== n.obj) r = CapError.StaleHandle;
    if (r === CapError.Ok) {
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
export function notificationWait(t: CapTable, handle: number, w: Waiter): CapError {
  const e = lookupError(t, handle, ObjectType.Notification, Right.Read);
  if (e !== CapError.Ok) return e;
  const n = lookupCap(t, handle).object.notification!;
  if (n.word !== 0n) {
    w.bits = n.word;
    n.word = 0n;
    setReadiness(n.obj, 0);
    return CapError.Ok;
  }
  if (w.deadline === NO_WAIT) return CapError.QueueEmpty;
  waiterBlock(w, WaitKind.Notification, n.waiters, t, handle);
  return CapError.WouldBlock;
}

function destroyNotification(obj: KernelObject): void {
  const n = obj.notification!;
  wakeAll(n.waiters, CapError.ObjectDestroyed);
  waitSetDetachSource(obj);
  obj.notification = null;
  release(n);
}

setDestroyHook(ObjectType.Notification, destroyNotification);
