// Waiter records: the explicit form of "a thread blocked in the kernel". A blocking operation
// that cannot complete queues the thread's waiter on the object and returns WouldBlock; the
// scheduler then suspends the thread. Whoever completes the wait (a send, a signal, a reply, a
// destruction, a timeout) fills the waiter's result, takes it off its queue and makes the thread
// ready again through the installed wake (the scheduler's). Waits are made through capabilities and end when the
// capability goes (capGone), which is why waiters belong to the capability layer. No threads are
// needed to test this logic on the host.
import { panic, release } from "../../lang/core.ts";
import { ErrorCode } from "../../abi/errors.ts";
import type { CapTable } from "./cap-table.ts";
import type { Capability } from "./capability.ts";
import { Message, messageFree } from "./message.ts";
import type { Reply } from "../object/reply.ts";
import type { Thread } from "../sched/thread.ts";

/** Deadline values: NO_WAIT polls, FOREVER never times out, others are absolute timer ticks. */
export const NO_WAIT = 0;
export const FOREVER = -1;

export const enum WaitState {
  Idle = 0,
  Waiting = 1,
  Done = 2,
}

export const enum WaitKind {
  None = 0,
  Send = 1,
  Receive = 2,
  Call = 3,
  Notification = 4,
  WaitSet = 5,
}

export class WaitQueue {
  head: Waiter | null = null;
  tail: Waiter | null = null;
  count = 0;
}

export class Waiter {
  threadId: number;
  /** The thread itself when known (the syscall layer sets it): no lookup on the fast path. */
  thread: Thread | null = null;
  deadline = FOREVER;
  state = WaitState.Idle;
  kind = WaitKind.None;
  result = ErrorCode.Ok;
  /** The table and handle the wait was made through (re-checked when the wait completes). */
  table: CapTable | null = null;
  handle = 0;
  /**
   * The capability that handle named, linked to the waiter (its `waiters`, through `nextOnCap`)
   * so that freeing it ends the wait (capGone). The link stays after the wait, to the last
   * capability waited through: a thread that waits again through the same one (a server's
   * reply_wait, a client's call_regs) finds it in place, and the fast path pays one comparison.
   */
  cap: Capability | null = null;
  nextOnCap: Waiter | null = null;
  prevOnCap: Waiter | null = null;
  /** Send: the message to send. Receive, call: where the received message or reply lands. */
  msg = new Message();
  /** Notification wait: the bits received. */
  bits = 0n;
  /** Call: the reply object bound to this caller while it waits. */
  reply: Reply | null = null;
  /**
   * Register-message wait (ipc-regs.ts): what arrives must fit in registers, so a message or
   * reply carrying capabilities is refused instead of delivered.
   */
  noCaps = false;
  /**
   * Register-message call: the address of the thread's saved user registers while it is in one,
   * and whether the partner has written the answer there already (a direct call or reply).
   */
  frame = 0;
  filled = false;
  /**
   * Server side of a register call: the caller waiting for this thread's reply (its reply slot).
   * A call that was queued before a register receive took it leaves its reply capability in
   * flight in `msg.replyCap` instead: the other form of the same slot.
   */
  replyTo: Waiter | null = null;
  /** Caller side: the server whose reply slot holds this waiter. */
  replyHolder: Waiter | null = null;
  queue: WaitQueue | null = null;
  next: Waiter | null = null;
  prev: Waiter | null = null;

  constructor(threadId: number) {
    this.threadId = threadId;
  }
}

export type WakeHook = (w: Waiter) => void;

function wakeNotInstalled(w: Waiter): void {
  panic(`waking thread ${w.threadId}: no wake installed (setWakeHook)`);
}

class WakeRegistry {
  hook: WakeHook = wakeNotInstalled;
}

const wake = new WakeRegistry();

/**
 * Installs how a completed waiter's thread is made ready: the scheduler's wake, from
 * userModeInit (kernel/proc/user-thread.ts). The scheduler sits below this layer, so it is handed
 * in rather than imported; host tests that run the object layer without threads install their own.
 */
export function setWakeHook(hook: WakeHook): void {
  wake.hook = hook;
}

/** @inline */
function waitQueuePush(q: WaitQueue, w: Waiter): void {
  w.queue = q;
  w.next = null;
  w.prev = q.tail;
  if (q.tail !== null) q.tail.next = w;
  else q.head = w;
  q.tail = w;
  q.count++;
}

/** @inline */
function waitQueueRemove(w: Waiter): void {
  const q = w.queue;
  if (q === null) return;
  if (w.prev !== null) w.prev.next = w.next;
  else q.head = w.next;
  if (w.next !== null) w.next.prev = w.prev;
  else q.tail = w.prev;
  q.count--;
  w.queue = null;
  w.next = null;
  w.prev = null;
}

/** Takes the oldest waiter off `q` (null when empty). */
export function waitQueuePop(q: WaitQueue): Waiter | null {
  const w = q.head;
  if (w !== null) waitQueueRemove(w);
  return w;
}

/**
 * Marks `w` as blocked of `kind` on `q` (q null: blocked on something that holds w directly),
 * through capability `cap`, which `handle` names in `t`.
 * @inline
 */
export function waiterBlock(w: Waiter, kind: WaitKind, q: WaitQueue | null, t: CapTable, handle: number, cap: Capability): void {
  // One thread, one waiter, one wait at a time: blocking twice means the scheduler lost track.
  if (w.state === WaitState.Waiting) panic(`thread ${w.threadId} blocks while already waiting`);
  w.state = WaitState.Waiting;
  w.kind = kind;
  w.result = ErrorCode.WouldBlock;
  w.table = t;
  w.handle = handle;
  t.blocked++;
  if (w.cap !== cap) relink(w, cap);
  if (q !== null) waitQueuePush(q, w);
}

/** Moves `w` from the waiters of the capability it is linked to onto those of `cap`. */
function relink(w: Waiter, cap: Capability): void {
  unlinkFromCap(w);
  const first = cap.waiters;
  w.cap = cap;
  w.prevOnCap = null;
  w.nextOnCap = first;
  if (first !== null) first.prevOnCap = w;
  cap.waiters = w;
}

function unlinkFromCap(w: Waiter): void {
  const c = w.cap;
  if (c === null) return;
  const next = w.nextOnCap;
  const prev = w.prevOnCap;
  if (prev !== null) prev.nextOnCap = next;
  else c.waiters = next;
  if (next !== null) next.prevOnCap = prev;
  w.cap = null;
  w.nextOnCap = null;
  w.prevOnCap = null;
}

/**
 * Every wait made through capability `c` ends now with `result`, not at the next event on the
 * object (objectRevokeAll, before it frees the object's capabilities). A waiter linked to `c`
 * that is waiting waits through `c` (waiterBlock links it to the capability of each wait).
 */
export function endWaitsThrough(c: Capability, result: ErrorCode): void {
  let w = c.waiters;
  while (w !== null) {
    const next = w.nextOnCap;
    if (w.state === WaitState.Waiting) wakeWaiter(w, result);
    w = next;
  }
}

/**
 * Capability `c` is being freed (capFree): the waits through it end with `result`, and no waiter
 * keeps a link to it.
 */
export function capGone(c: Capability, result: ErrorCode): void {
  let w = c.waiters;
  while (w !== null) {
    unlinkFromCap(w);
    if (w.state === WaitState.Waiting) wakeWaiter(w, result);
    w = c.waiters;
  }
}

/**
 * Completes a waiting waiter with `result`: off its queue, unbound from its reply object, marked
 * done, then the wake hook runs. Returns false when it was not waiting (already completed).
 */
export function wakeWaiter(w: Waiter, result: ErrorCode): boolean {
  if (!completeWaiter(w, result)) return false;
  wake.hook(w);
  return true;
}

/**
 * wakeWaiter without the wake hook: the caller makes the thread run itself (a direct switch).
 * False when it was not waiting.
 * @inline
 */
export function completeWaiter(w: Waiter, result: ErrorCode): boolean {
  if (w.state !== WaitState.Waiting) return false;
  endWait(w);
  w.state = WaitState.Done;
  w.result = result;
  return true;
}

/**
 * Off its queue, unbound from the table and from whatever would reply to it.
 * @inline
 */
function endWait(w: Waiter): void {
  waitQueueRemove(w);
  unblockTable(w);
  const r = w.reply;
  if (r !== null) {
    r.caller = null;
    w.reply = null;
  }
  const holder = w.replyHolder;
  if (holder !== null) {
    holder.replyTo = null;
    w.replyHolder = null;
  }
}

/** The scheduler's timer calls this when `w.deadline` passes. False if it completed first. */
export function timeoutWaiter(w: Waiter): boolean {
  return wakeWaiter(w, ErrorCode.TimedOut);
}

/** The thread is going away: end its wait without waking it. A pending reply is dropped. */
export function cancelWaiter(w: Waiter): void {
  if (w.state !== WaitState.Waiting) return;
  endWait(w);
  w.state = WaitState.Done;
  w.result = ErrorCode.Cancelled;
}

/** @inline */
function unblockTable(w: Waiter): void {
  const t = w.table;
  if (t !== null) t.blocked--;
}

/** Wakes every waiter of `q` with `result`. */
export function wakeAll(q: WaitQueue, result: ErrorCode): void {
  let w = waitQueuePop(q);
  while (w !== null) {
    // Pop already unlinked it; wakeWaiter's unlink is then a no-op.
    wakeWaiter(w, result);
    w = waitQueuePop(q);
  }
}

/**
 * Makes a completed waiter reusable for the thread's next blocking call.
 * @inline
 */
export function waiterReset(w: Waiter): void {
  w.state = WaitState.Idle;
  w.kind = WaitKind.None;
  w.result = ErrorCode.Ok;
  w.table = null;
  w.handle = 0;
  w.bits = 0n;
}

/** Frees a waiter that is not waiting, with its message buffer (a thread's exit path). */
export function waiterFree(w: Waiter): void {
  if (w.state === WaitState.Waiting) panic(`freeing the waiter of thread ${w.threadId} while it waits`);
  unlinkFromCap(w);
  messageFree(w.msg);
  release(w);
}
