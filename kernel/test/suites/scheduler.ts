// In-kernel suite `scheduler` (keel.test=scheduler): real threads on the real CPU. Runs on the boot
// thread after schedulerInit, with the timer ticking. Threads talk through module state (entry
// functions cannot capture), and every test waits for its threads to exit before the next starts.
import { cpuRelax } from "../../arch/x86_64/cpu.ts";
import { Priority } from "../../sched/run-queue.ts";
import { FOREVER, sleepMs, spawnKernelThread, threadCount, yieldNow } from "../../sched/scheduler.ts";
import { Mutex, mutexLock, mutexUnlock } from "../support/mutex.ts";
import { Event, eventSet, eventWait } from "../support/event.ts";
import { WaitQueue, waitOn } from "../../sched/wait-queue.ts";
import { nowNs } from "../../time/clock.ts";
import type { TestRunner } from "../runner.ts";

const MS = 1000000;
/**
 * Upper bound on any single wait in this suite, so a bug fails a test instead of hanging it. The
 * clock is real time, and a loaded host can stop QEMU's vCPU for a long while, so it is generous:
 * nothing here needs more than a few milliseconds of CPU.
 */
const PATIENCE_NS = 20000000000;
/** Upper bound on a 20 ms sleep: 250 times over, yet a unit mix-up (20 s) or a lost wake-up fails. */
const SLEEP_BOUND_NS = 5000000000;

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
  afterApp = -1;
  afterDriver = -1;
}

/**
 * Spins without ever yielding: only preemption lets anyone else run. cpuRelax makes every
 * iteration read `stop` again (another thread sets it); it does not yield.
 */
function busyThread(index: number): void {
  while (!stop) {
    counters[index] = counters[index]! + 1;
    cpuRelax();
  }
  finishOne();
}

function recordOrder(tag: number): void {
  order[orderLen] = tag;
  orderLen++;
  finishOne();
}

// What the priority test's spawner saw: how many threads had run after each of its spawns.
let afterApp = -1;
let afterDriver = -1;

/**
 * Runs at Server priority: spawns a less urgent thread, which must wait, then a more urgent one,
 * which must run at once; then records itself.
 */
function prioritySpawner(tag: number): void {
  spawnKernelThread("app", recordOrder, 2, Priority.Application);
  afterApp = orderLen;
  spawnKernelThread("driver", recordOrder, 0, Priority.Driver);
  afterDriver = orderLen;
  recordOrder(tag);
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

  // Sleeping N ms takes at least N ms on the clock. The upper bound is loose on purpose: a host
  // may hold QEMU's vCPU back for long after the deadline.
  const s0 = nowNs();
  sleepMs(20);
  const slept = nowNs() - s0;
  t.expect("sleep-at-least", slept >= 20 * MS, `slept ${slept} ns for 20 ms`);
  t.expect("sleep-bounded", slept < SLEEP_BOUND_NS, `slept ${slept} ns for 20 ms`);

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

  // A more urgent class runs first, and a less urgent one waits. This thread (Application) spawns
  // a Server spawner, which runs before this thread resumes; the spawner spawns an Application
  // thread, which must not run while the spawner can, and a Driver thread, which runs before the
  // spawner's spawn call returns. Only the classes decide: no time slice can reorder any of it,
  // since a slice passes the CPU only within a class or to a more urgent one. (That a preempted
  // thread keeps its turn within its class is tested on the host, tests/unit/sched.)
  resetShared();
  spawnKernelThread("server", prioritySpawner, 1, Priority.Server);
  const afterServer = orderLen;
  t.expect(
    "priority-preempts-spawner",
    afterApp === 0 && afterDriver === 1 && afterServer === 2,
    `ran ${afterApp} after the application spawn, ${afterDriver} after the driver spawn, ${afterServer} after the server spawn`,
  );
  t.expect("priority-finish", awaitFinished(3), `${finished} of 3 finished`);
  t.expect("priority-order", order[0]! === 0 && order[1]! === 1 && order[2]! === 2, `order ${order[0]!}, ${order[1]!}, ${order[2]!}`);

  // Exited threads are reaped: the thread count is back where it started.
  sleepMs(5);
  t.expectEqual("threads-reaped", threadCount(), baseline);
  void FOREVER;
}
