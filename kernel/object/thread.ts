// Thread objects: a capability naming one thread of a process, made by thread_create. Through it
// the creator joins the thread (ThreadBind: a notification signalled when it ends), reads its id
// and exit status (ThreadInfo) and sets its priority class (ThreadSetPriority), never more urgent
// than its process's class.
//
// The object does not keep the thread alive, nor the thread the object: deleting the last Thread
// capability leaves the thread running, detached; a thread that ends leaves the object with its
// status for whoever holds it. The thread's kernel stack and records are charged to its process
// apart from the object (kernel/proc/process.ts), for as long as the thread lives.
import { release } from "../../lang/core.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { Method } from "../../abi/message.ts";
import { ObjectType } from "../../abi/object-type.ts";
import { Right, RIGHTS_ALL } from "../../abi/rights.ts";
import { CapTable, lookupCap, lookupError } from "../cap/cap-table.ts";
import { capInstallRoot } from "../cap/cdt.ts";
import type { Message } from "../cap/message.ts";
import { KernelObject, objectCreate } from "../cap/object.ts";
import { Cost } from "../cap/quota.ts";
import { MAX_THREADS, setThreadPriority } from "../sched/scheduler.ts";
import { PRIORITY_CLASSES } from "../sched/run-queue.ts";
import { notifySignal, sourceBind, unbindSource } from "./notification.ts";
import { RecordTable, recordAdd, recordAt, recordRemove } from "./record-table.ts";

export class ThreadObject {
  obj: KernelObject;
  /** The scheduler's id of the thread while it lives; -1 before it is bound. */
  tid = -1;
  ended = false;
  status = 0;
  priority = 0;
  /** Its process's class: the most urgent class the thread may be given. */
  ceiling = 0;

  constructor(obj: KernelObject) {
    this.obj = obj;
  }
}

class ThreadObjects {
  records = new RecordTable<ThreadObject>(16);
  /** The object naming each live thread (by scheduler id), or null. */
  byThread: Array<ThreadObject | null> = new Array<ThreadObject | null>(MAX_THREADS).fill(null);
}

const threads = new ThreadObjects();

/** The record of a Thread object (its `index` names the slot). */
function recordOf(obj: KernelObject): ThreadObject {
  return recordAt(threads.records, obj.index)!;
}

/** A Thread capability (every right) in `t` naming no thread yet: its handle, or -error. */
export function threadObjectCreate(t: CapTable): number {
  const obj = objectCreate(ObjectType.Thread, t.account, Cost.ThreadObject);
  if (obj === null) return -ErrorCode.QuotaExceeded;
  obj.index = recordAdd(threads.records, new ThreadObject(obj));
  return capInstallRoot(t, obj, RIGHTS_ALL);
}

/** Names thread `tid`, running at `priority` in a process of class `ceiling`, with the capability `h` made above. */
export function threadObjectBind(t: CapTable, h: number, tid: number, priority: number, ceiling: number): void {
  const r = recordOf(lookupCap(t, h).object);
  r.tid = tid;
  r.priority = priority;
  r.ceiling = ceiling;
  threads.byThread[tid] = r;
}

/** Thread `tid` ended with `status`: its object (if any) keeps the status and signals its binding. */
export function threadObjectEnded(tid: number, status: number): void {
  if (tid < 0 || tid >= MAX_THREADS) return;
  const r = threads.byThread[tid]!;
  if (r === null) return;
  threads.byThread[tid] = null;
  r.ended = true;
  r.status = status;
  r.tid = -1;
  const n = r.obj.boundTo;
  if (n !== null) notifySignal(n.notification!, r.obj.boundBits);
}

export function destroyThreadObject(obj: KernelObject): void {
  const slot = obj.index;
  obj.index = -1;
  const r = recordAt(threads.records, slot)!;
  if (r.tid >= 0 && threads.byThread[r.tid]! === r) threads.byThread[r.tid] = null;
  unbindSource(obj);
  recordRemove(threads.records, slot);
  release(r);
}

function answer(m: Message, i: number, v: number): void {
  m.words[i] = BigInt(v);
}

/**
 * ThreadBind (Manage; the notification needs Signal), ThreadInfo (Read), ThreadSetPriority
 * (Manage: a class from the process's own down to the least urgent).
 */
export function threadInvoke(t: CapTable, h: number, m: Message, a0: number, a1: number): ErrorCode {
  const obj = lookupCap(t, h).object;
  const r = recordOf(obj);
  switch (m.label) {
    case Method.ThreadBind: {
      const e = sourceBind(t, h, ObjectType.Thread, a0, a1);
      if (e !== ErrorCode.Ok) return e;
      // A join bound after the end is told at once: no end is missed between a create and a bind.
      if (r.ended) notifySignal(obj.boundTo!.notification!, obj.boundBits);
      return ErrorCode.Ok;
    }
    case Method.ThreadInfo: {
      const e = lookupError(t, h, ObjectType.Thread, Right.Read);
      if (e !== ErrorCode.Ok) return e;
      answer(m, 0, r.ended ? 0 : r.tid);
      answer(m, 1, r.ended ? 1 : 0);
      m.words[2] = r.status >= 0 ? BigInt(r.status) : BigInt.asUintN(64, BigInt(r.status));
      answer(m, 3, r.priority);
      return ErrorCode.Ok;
    }
    case Method.ThreadSetPriority: {
      const e = lookupError(t, h, ObjectType.Thread, Right.Manage);
      if (e !== ErrorCode.Ok) return e;
      if (a0 < 0 || a0 >= PRIORITY_CLASSES) return ErrorCode.InvalidArgument;
      if (a0 < r.ceiling) return ErrorCode.PermissionDenied;
      if (r.ended || r.tid < 0) return ErrorCode.ProcessExited;
      setThreadPriority(r.tid, a0);
      r.priority = a0;
      return ErrorCode.Ok;
    }
    default:
      return ErrorCode.InvalidArgument;
  }
}
