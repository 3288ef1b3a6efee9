// Events: a flag threads can wait for. A manual-reset event stays set, releasing every waiter
// and every later wait, until reset; an auto-reset event releases exactly one waiter per set.
// Setting an event is safe from interrupt handlers.
import { restoreInterrupts, saveDisableInterrupts } from "../../arch/x86_64/cpu.ts";
import { preemptIfNeeded } from "../../sched/scheduler.ts";
import { WaitQueue } from "../../sched/thread.ts";
import { waitOnLocked, wakeAllLocked, wakeOneLocked } from "../../sched/wait-queue.ts";

export class Event {
  signalled = false;
  autoReset: boolean;
  waiters: WaitQueue = new WaitQueue();

  constructor(autoReset: boolean) {
    this.autoReset = autoReset;
  }
}

export function eventSet(e: Event): void {
  const on = saveDisableInterrupts();
  if (e.autoReset) {
    // Hand the signal to one waiter directly; keep it only if nobody was waiting.
    if (!wakeOneLocked(e.waiters)) e.signalled = true;
  } else {
    e.signalled = true;
    wakeAllLocked(e.waiters);
  }
  restoreInterrupts(on);
  preemptIfNeeded(on);
}

/** Waits until the event is set (true) or timeoutNs passes (false); FOREVER waits unbounded. */
export function eventWait(e: Event, timeoutNs: number): boolean {
  const on = saveDisableInterrupts();
  let ok = true;
  if (e.signalled) {
    if (e.autoReset) e.signalled = false;
  } else {
    ok = waitOnLocked(e.waiters, timeoutNs);
  }
  restoreInterrupts(on);
  return ok;
}
