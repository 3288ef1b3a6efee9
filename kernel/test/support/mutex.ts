// Sleeping mutexes. Unlock hands the mutex straight to the longest waiter, so waiters are served
// in FIFO order and a thread that unlocks and relocks at once cannot starve them.
// Not priority-aware: a low-priority owner is not boosted while a more urgent thread waits
// (priority inheritance can be added in mutexLock without changing callers).
import { panic } from "../../../lang/core.ts";
import { restoreInterrupts, saveDisableInterrupts } from "../../arch/x86_64/cpu.ts";
import { currentThread, FOREVER, preemptIfNeeded, wakeThread } from "../../sched/scheduler.ts";
import { Thread, WaitQueue, WakeReason, waitQueueShift } from "../../sched/thread.ts";
import { waitOnLocked } from "../../sched/wait-queue.ts";

export class Mutex {
  name: string;
  owner: Thread | null = null;
  waiters: WaitQueue = new WaitQueue();
  /** Times a locker found the mutex taken and had to wait. */
  contended = 0;

  constructor(name: string) {
    this.name = name;
  }
}

export function mutexLock(m: Mutex): void {
  const on = saveDisableInterrupts();
  const me = currentThread();
  if (m.owner === null) {
    m.owner = me;
  } else {
    if (m.owner === me) panic("mutex: locked twice by the same thread");
    m.contended++;
    waitOnLocked(m.waiters, FOREVER);
    if (m.owner !== me) panic("mutex: woken without ownership");
  }
  restoreInterrupts(on);
}

/** Takes the mutex if it is free; never blocks. */
export function mutexTryLock(m: Mutex): boolean {
  const on = saveDisableInterrupts();
  const ok = m.owner === null;
  if (ok) m.owner = currentThread();
  restoreInterrupts(on);
  return ok;
}

export function mutexUnlock(m: Mutex): void {
  const on = saveDisableInterrupts();
  if (m.owner !== currentThread()) panic("mutex: unlocked by a thread that does not own it");
  const next = waitQueueShift(m.waiters);
  m.owner = next;
  if (next !== null) wakeThread(next, WakeReason.Signalled);
  restoreInterrupts(on);
  preemptIfNeeded(on);
}
