// In-kernel suite `scheduler` (keel.test=scheduler): real threads on the real CPU. Runs on the boot
// thread after schedulerInit, with the timer ticking. Threads talk through module state (entry
// functions cannot capture), and every test waits for its threads to exit before the next starts.
import { Priority } from "../../sched/run-queue.ts";
import { FOREVER, sleepMs, spawnKernelThread, threadCount, yieldNow } from "../../sched/scheduler.ts";
import { Mutex, mutexLock, mutexUnlock } from "../../sched/mutex.ts";
import { Event, eventSet, eventWait } from "../../sched/event.ts";
import { WaitQueue, waitOn } from "../../sched/wait-queue.ts";
import { nowNs } from "../../time/clock.ts";
import type { TestRunner } from "../runner.ts";

const MS = 1000000;
/** Upper bound on any single wait in this suite (5 s), so a bug fails a test instead of hanging it. */
const PATIENCE_NS = 5000000000;

// Shared with the threads.
const counters = new Array<number>(8).fill(0);
let stop = false;
let finished = 0;
const done = new Event(true);
const order = new Array<number>(8).fill(-1);
let orderLen = 0;
let shared = 0;
let inside = 0;
let violations = 0;
const lock = new Mutex("suite");
const gate = new Event(false);
let woken = 0;

function finishOne(): void {
  finished++;
  eventSet(done);
}

/** Waits until `n` threads called finishOne, at most PATIENCE_NS; returns whether they all did. */
function awaitFinished(n: number): boolean {
  const deadline = nowNs() + PATIENCE_NS;
  while (finished < n) {
    const left = deadline - nowNs();
    if (left <= 0) return false;
    eventWait(done, left);
    if (finished < n) sleepMs(1);
  }
  return true;
}

function resetShared(): void {
  for (let i = 0; i < counters.length; i++) counters[i] = 0;
  stop = false;
  finished = 0;
  orderLen = 0;
  shared = 0;
  inside = 0;
  violations = 0;
  woken = 0;
}

/** Spins without ever yielding: only preemption lets anyone else run. */
function busyThread(index: number): void {
  while (!stop) counters[index] = counters[index]! + 1;
  finishOne();
}

function recordOrder(tag: number): void {
  order[orderLen] = tag;
  orderLen++;
  finishOne();
}

function mutexThread(rounds: number): void {
  for (let i = 0; i < rounds; i++) {
    mutexLock(lock);
    if (inside !== 0) violations++;
    inside++;
    const v = shared;
    yieldNow(); // give everyone a chance to break in while the lock is held
    shared = v + 1;
    inside--;
    mutexUnlock(lock);
  }
  finishOne();
}

function gateWaiter(arg: number): void {
  void arg;
  if (eventWait(gate, PATIENCE_NS)) woken++;
  finishOne();
}

export function runSchedulerSuite(t: TestRunner): void {
  t.begin("scheduler");
  const baseline = threadCount();

  // Two threads that never yield both run, and so does this one: preemption works.
  resetShared();
  const a = spawnKernelThread("busy-a", busyThread, 0, Priority.Application);
  const b = spawnKernelThread("busy-b", busyThread, 1, Priority.Application);
  t.expect("spawn", a !== null && b !== null, "spawnKernelThread returned null");
  sleepMs(100);
  const ca = counters[0]!;
  const cb = counters[1]!;
  stop = true;
  t.expect("busy-threads-all-run", ca > 0 && cb > 0, `counters ${ca} and ${cb}`);
  t.expect("busy-threads-finish", awaitFinished(2), `${finished} of 2 finished`);

  // Sleeping N ms takes at least N ms on the clock (and not absurdly more).
  const s0 = nowNs();
  sleepMs(20);
  const slept = nowNs() - s0;
  t.expect("sleep-at-least", slept >= 20 * MS, `slept ${slept} ns for 20 ms`);
  t.expect("sleep-bounded", slept < 1000 * MS, `slept ${slept} ns for 20 ms`);

  // A wait with a timeout that nobody satisfies returns false after the timeout.
  const q = new WaitQueue();
  const w0 = nowNs();
  const signalled = waitOn(q, 5 * MS);
  const waited = nowNs() - w0;
  t.expect("wait-timeout", !signalled && waited >= 5 * MS, `signalled ${signalled} after ${waited} ns`);

  // Mutual exclusion with contention forced by yielding inside the critical section.
  resetShared();
  for (let i = 0; i < 3; i++) spawnKernelThread("mutex", mutexThread, 50, Priority.Application);
  t.expect("mutex-threads-finish", awaitFinished(3), `${finished} of 3 finished`);
  t.expectEqual("mutex-no-overlap", violations, 0);
  t.expectEqual("mutex-no-lost-update", shared, 150);
  t.expect("mutex-was-contended", lock.contended > 0, "no thread ever waited for the lock");

  // An event releases every waiter; none passes before it is set.
  resetShared();
  for (let i = 0; i < 3; i++) spawnKernelThread("waiter", gateWaiter, i, Priority.Server);
  sleepMs(10);
  t.expectEqual("event-holds-waiters", woken, 0);
  eventSet(gate);
  t.expect("event-waiters-finish", awaitFinished(3), `${finished} of 3 finished`);
  t.expectEqual("event-wakes-all", woken, 3);
  const e0 = nowNs();
  const never = new Event(false);
  const got = eventWait(never, 3 * MS);
  t.expect("event-wait-timeout", !got && nowNs() - e0 >= 3 * MS, "event wait did not time out");

  // A more urgent class runs first: the application thread was spawned first, yet the driver
  // thread runs as soon as it exists, before the application thread and before this thread resumes.
  resetShared();
  spawnKernelThread("app", recordOrder, 2, Priority.Application);
  spawnKernelThread("server", recordOrder, 1, Priority.Server);
  const afterServer = orderLen;
  spawnKernelThread("driver", recordOrder, 0, Priority.Driver);
  const afterDriver = orderLen;
  t.expect("priority-preempts-spawner", afterServer === 1 && afterDriver === 2, `ran ${afterServer} then ${afterDriver}`);
  t.expect("priority-finish", awaitFinished(3), `${finished} of 3 finished`);
  t.expect("priority-order", order[0]! === 1 && order[1]! === 0 && order[2]! === 2, `order ${order[0]!}, ${order[1]!}, ${order[2]!}`);

  // Exited threads are reaped: the thread count is back where it started.
  sleepMs(5);
  t.expectEqual("threads-reaped", threadCount(), baseline);
  void FOREVER;
}
