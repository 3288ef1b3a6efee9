// Blocking on a condition: a thread appends itself to a WaitQueue (thread.ts) and blocks; whoever
// changes the condition wakes one or all of the waiters. A timeout wakes a waiter alone.
//
// The `Locked` variants expect interrupts already off, so that checking the condition and starting
// to wait form one critical section (no wake-up can slip in between).
import { restoreInterrupts, saveDisableInterrupts } from "../arch/x86_64/cpu.ts";
import { blockCurrent, currentThread, preemptIfNeeded, wakeThread } from "./scheduler.ts";
import { WaitQueue, WakeReason, waitQueueAppend, waitQueueShift } from "./thread.ts";

export { WaitQueue } from "./thread.ts";

/** Blocks on `q` until woken (true) or until timeoutNs passes (false); FOREVER waits unbounded. */
export function waitOnLocked(q: WaitQueue, timeoutNs: number): boolean {
  waitQueueAppend(q, currentThread());
  return blockCurrent(timeoutNs) === WakeReason.Signalled;
}

export function waitOn(q: WaitQueue, timeoutNs: number): boolean {
  const on = saveDisableInterrupts();
  const woken = waitOnLocked(q, timeoutNs);
  restoreInterrupts(on);
  return woken;
}

/** Wakes the longest waiter; false when nobody waits. Interrupts must be off. */
export function wakeOneLocked(q: WaitQueue): boolean {
  const t = waitQueueShift(q);
  if (t === null) return false;
  return wakeThread(t, WakeReason.Signalled);
}

/** Wakes every waiter; returns how many. Interrupts must be off. */
export function wakeAllLocked(q: WaitQueue): number {
  let n = 0;
  for (let t = waitQueueShift(q); t !== null; t = waitQueueShift(q)) {
    if (wakeThread(t, WakeReason.Signalled)) n++;
  }
  return n;
}

export function wakeOne(q: WaitQueue): boolean {
  const on = saveDisableInterrupts();
  const woke = wakeOneLocked(q);
  restoreInterrupts(on);
  preemptIfNeeded(on);
  return woke;
}

export function wakeAll(q: WaitQueue): number {
  const on = saveDisableInterrupts();
  const n = wakeAllLocked(q);
  restoreInterrupts(on);
  preemptIfNeeded(on);
  return n;
}
