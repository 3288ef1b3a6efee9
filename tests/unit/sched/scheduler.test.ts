// The scheduler's state machine on the host: a fake context switch records each switch and returns
// at once, so these tests check decisions (who runs next, who is ready, blocked or freed), not
// execution. Running threads for real is the job of the in-kernel scheduler suite.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { attachMemory, detachAllMemory } from "../../../lang/host/memory.ts";
import { fpuAreaSize } from "../../../kernel/arch/x86_64/fpu.ts";
import { load16, load64 } from "../../../lang/mem.ts";
import { fakeCpu, resetFakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { SwitchFrame } from "../../../kernel/arch/x86_64/frame.ts";
import { addrToWord, wordToAddr } from "../../../kernel/arch/x86_64/words.ts";
import { clockInit } from "../../../kernel/time/clock.ts";
import { Priority } from "../../../kernel/sched/run-queue.ts";
import {
  currentThread, exitThread, FOREVER, killThread, MAX_THREADS, schedulerInitWith, schedulerInterruptReturn, schedulerStart, schedulerTick, sleepMs,
  spawnKernelThread, thisCpu, threadById, threadCount, TIME_SLICE_TICKS, wakeThread, yieldNow,
} from "../../../kernel/sched/scheduler.ts";
import { STACK_PAGES, Thread, ThreadState, WakeReason, waitQueueAppend } from "../../../kernel/sched/thread.ts";
import { Mutex, mutexLock, mutexTryLock, mutexUnlock } from "../../../kernel/test/support/mutex.ts";
import { Event, eventSet, eventWait } from "../../../kernel/test/support/event.ts";
import { allocationDelta, liveAllocations } from "../../../lang/host/allocations.ts";
import { WaitQueue, wakeAll, wakeOne, waitOn } from "../../../kernel/sched/wait-queue.ts";

const SP_TABLE = -0x800000000000 + 0x100000;
const STACKS = -0x800000000000 + 0x200000;
const STACK_BYTES = STACK_PAGES * 4096;

let switches: Array<[number, number]> = [];
let freed: number[] = [];
let nextStack = 0;

function entry(arg: number): void {
  void arg;
}

function name(t: Thread): string {
  return t.name;
}

beforeEach(() => {
  detachAllMemory();
  resetFakeCpu();
  attachMemory(SP_TABLE, 4096);
  attachMemory(STACKS, STACK_BYTES * (MAX_THREADS + 1));
  switches = [];
  freed = [];
  nextStack = 0;
  clockInit(1_000_000_000n); // 1 TSC tick per ns
  vi.spyOn(console, "log").mockImplementation(() => {});
  schedulerInitWith(
    SP_TABLE,
    (save, sp) => switches.push([save, sp]),
    (pages) => {
      expect(pages).toBe(STACK_PAGES);
      return nextStack < MAX_THREADS ? STACKS + STACK_BYTES * nextStack++ : 0;
    },
    (base) => freed.push(base),
  );
  fakeCpu.interruptsEnabled = true;
});
afterEach(() => {
  vi.restoreAllMocks();
  detachAllMemory();
});

function spawn(n: string, prio: number): Thread {
  const t = spawnKernelThread(n, entry, 7, prio);
  expect(t).not.toBeNull();
  return t!;
}

describe("threads", () => {
  it("prepares a new thread's stack to return into the trampoline", () => {
    const t = spawn("a", Priority.Application);
    // The FPU save area takes the top of the stack pages, 64-byte aligned; the stack is below it.
    expect(wordToAddr(t.stackTop)).toBe(t.fpuArea);
    expect(Math.abs(t.fpuArea % 64)).toBe(0);
    expect(t.stackBase + STACK_BYTES - t.fpuArea).toBeGreaterThanOrEqual(fpuAreaSize());
    expect(t.stackBase + STACK_BYTES - t.fpuArea).toBeLessThan(fpuAreaSize() + 64);
    expect(load16(t.fpuArea)).toBe(0x37f);
    const sp = wordToAddr(load64(SP_TABLE + t.id * 8));
    expect(sp).toBeLessThan(t.fpuArea);
    expect(sp).toBeGreaterThan(t.stackBase);
    // Before the return address: six callee-saved registers, all zero.
    for (let off = 0; off < SwitchFrame.RET; off += 8) expect(load64(sp + off)).toBe(0n);
    expect(load64(sp + SwitchFrame.RET)).toBe(addrToWord(0x1000)); // host threadTrampolineAddr()
    // After the trampoline's `ret` the stack is 8 mod 16, like a function entered by `call`.
    expect((sp + SwitchFrame.SIZE) % 16).toBe(-8);
    expect(t.arg).toBe(7);
    expect(threadCount()).toBe(3); // boot, idle, a
  });

  it("runs threads of one class round robin on yield", () => {
    const a = spawn("a", Priority.Application);
    const b = spawn("b", Priority.Application);
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      yieldNow();
      order.push(name(currentThread()));
    }
    expect(order).toEqual(["a", "b", "boot", "a", "b", "boot"]);
    expect(a.state).toBe(ThreadState.Ready);
    expect(b.state).toBe(ThreadState.Ready);
    expect(switches.length).toBe(6);
    // Each switch saves into the previous thread's slot and loads the next one's saved sp.
    expect(switches[0]![0]).toBe(SP_TABLE + 0);
    expect(switches[1]![0]).toBe(SP_TABLE + a.id * 8);
  });

  it("runs a more urgent thread at once and never an idle-class one before others", () => {
    const idleClass = spawn("background", Priority.Idle);
    expect(currentThread().name).toBe("boot");
    const drv = spawn("driver", Priority.Driver);
    expect(currentThread()).toBe(drv);
    yieldNow(); // the driver thread is still the most urgent
    expect(currentThread()).toBe(drv);
    drv.state = ThreadState.Blocked; // as if it waited for an IRQ
    yieldNow();
    const boot = currentThread();
    expect(boot.name).toBe("boot");
    yieldNow(); // boot's class still beats the idle class
    expect(currentThread()).toBe(boot);
    boot.state = ThreadState.Blocked;
    yieldNow();
    expect(currentThread()).toBe(idleClass);
  });

  it("lets a thread preempted by a more urgent one keep its turn", () => {
    const boot = currentThread();
    const app = spawn("app", Priority.Application);
    const drv = spawn("driver", Priority.Driver);
    expect(currentThread()).toBe(drv);
    drv.state = ThreadState.Blocked;
    yieldNow();
    expect(currentThread()).toBe(boot); // not `app`, which was queued after boot ran
    yieldNow();
    expect(currentThread()).toBe(app);
  });

  it("does not preempt from a critical section with interrupts off", () => {
    fakeCpu.interruptsEnabled = false;
    const drv = spawn("driver", Priority.Driver);
    expect(currentThread().name).toBe("boot");
    expect(thisCpu().needResched).toBe(true);
    schedulerInterruptReturn();
    expect(currentThread()).toBe(drv);
  });

  it("switches to the idle thread when nothing is ready, and away from it on wake", () => {
    const boot = currentThread();
    boot.state = ThreadState.Blocked;
    yieldNow();
    expect(currentThread()).toBe(thisCpu().idle);
    wakeThread(boot, WakeReason.Signalled);
    expect(thisCpu().needResched).toBe(true);
    schedulerInterruptReturn();
    expect(currentThread()).toBe(boot);
  });

  it("frees an exited thread's stack once switched away from it", () => {
    const a = spawn("a", Priority.Application);
    yieldNow();
    expect(currentThread()).toBe(a);
    const before = threadCount();
    // With the fake switch, control comes back to the dead thread, which the scheduler reports.
    expect(() => exitThread()).toThrow(/exited thread was resumed/);
    expect(currentThread().name).toBe("boot");
    expect(freed).toEqual([a.stackBase]);
    expect(threadCount()).toBe(before - 1);
    expect(threadById(a.id)).toBeNull();
  });

  it("reuses thread ids and reports exhaustion", () => {
    const made: Thread[] = [];
    for (;;) {
      const t = spawnKernelThread("t", entry, 0, Priority.Idle);
      if (t === null) break;
      made.push(t);
    }
    expect(made.length).toBe(MAX_THREADS - 2);
    expect(new Set(made.map((t) => t.id)).size).toBe(made.length);
  });
});

describe("the boot thread's exit", () => {
  it("with interrupts on, a tick could run the first thread while the boot thread still existed", () => {
    // What main.ts did before it kept interrupts off: init made ready, a tick ending the boot
    // thread's slice, init running with the boot thread's Thread alive (freed only later).
    const init = spawn("init", Priority.Application);
    for (let i = 0; i < TIME_SLICE_TICKS; i++) schedulerTick(i);
    schedulerInterruptReturn();
    expect(currentThread()).toBe(init);
    expect(threadById(0)!.name).toBe("boot");
    expect(() => schedulerStart()).toThrow(/interrupts were on/);
  });

  it("frees the boot thread before the first thread runs when interrupts stay off", () => {
    fakeCpu.interruptsEnabled = false;
    const boot = currentThread();
    const init = spawn("init", Priority.Application);
    const before = liveAllocations();
    // With the fake switch control comes back to the exited boot thread, which the scheduler reports.
    expect(() => schedulerStart()).toThrow(/exited thread was resumed/);
    expect(currentThread()).toBe(init);
    expect(boot.state).toBe(ThreadState.Dead);
    expect(threadById(0)).toBeNull();
    expect(threadCount()).toBe(2); // idle, init
    expect(allocationDelta(before, liveAllocations())).toEqual({ Thread: -1 });
  });
});

describe("preemption", () => {
  it("preempts after a time slice only when a thread of the same class waits", () => {
    const boot = currentThread();
    for (let i = 0; i < TIME_SLICE_TICKS * 3; i++) schedulerTick(i);
    expect(thisCpu().needResched).toBe(false); // alone: the slice just renews
    const a = spawn("a", Priority.Application);
    for (let i = 1; i < TIME_SLICE_TICKS; i++) {
      schedulerTick(i);
      expect(thisCpu().needResched).toBe(false);
    }
    schedulerTick(TIME_SLICE_TICKS);
    expect(thisCpu().needResched).toBe(true);
    schedulerInterruptReturn();
    expect(currentThread()).toBe(a);
    expect(boot.state).toBe(ThreadState.Ready);
    expect(thisCpu().preemptions).toBe(1);
  });

  it("does not let a less urgent class preempt", () => {
    spawn("bg", Priority.Idle);
    for (let i = 0; i < TIME_SLICE_TICKS * 2; i++) schedulerTick(i);
    expect(thisCpu().needResched).toBe(false);
    expect(currentThread().name).toBe("boot");
  });
});

describe("sleep and timeouts", () => {
  it("wakes a sleeper on the first tick at or after its deadline", () => {
    const boot = currentThread();
    const a = spawn("a", Priority.Application);
    fakeCpu.tsc = 0n;
    clockInit(1_000_000_000n);
    sleepMs(5); // host: returns at once, leaving boot blocked and `a` running
    expect(boot.state).toBe(ThreadState.Blocked);
    expect(currentThread()).toBe(a);
    // The deadline is 5 ms after the clock read inside sleepMs (the fake TSC advances 100 per read).
    fakeCpu.tsc = 4_999_000n;
    schedulerTick(1);
    expect(boot.state).toBe(ThreadState.Blocked);
    fakeCpu.tsc = 5_001_000n;
    schedulerTick(2);
    expect(boot.state).toBe(ThreadState.Ready);
    expect(boot.wakeReason).toBe(WakeReason.TimedOut);
    expect(thisCpu().timers.count()).toBe(0);
  });

  it("times out a wait-queue waiter and unlinks it", () => {
    const q = new WaitQueue();
    const boot = currentThread();
    spawn("a", Priority.Application);
    fakeCpu.tsc = 0n;
    clockInit(1_000_000_000n);
    expect(waitOn(q, 1_000_000)).toBe(false); // host: returns before any wake
    expect(q.count).toBe(1);
    fakeCpu.tsc = 2_000_000n;
    schedulerTick(1);
    expect(q.count).toBe(0);
    expect(boot.wakeReason).toBe(WakeReason.TimedOut);
    expect(boot.state).toBe(ThreadState.Ready);
  });

  it("cancels the timeout of a waiter woken in time", () => {
    const q = new WaitQueue();
    const boot = currentThread();
    const a = spawn("a", Priority.Application);
    waitOn(q, 1_000_000);
    expect(currentThread()).toBe(a);
    expect(thisCpu().timers.count()).toBe(1);
    expect(wakeOne(q)).toBe(true);
    expect(wakeOne(q)).toBe(false);
    expect(boot.wakeReason).toBe(WakeReason.Signalled);
    expect(thisCpu().timers.count()).toBe(0);
    fakeCpu.tsc += 10_000_000n;
    schedulerTick(1);
    expect(boot.wakeReason).toBe(WakeReason.Signalled);
  });
});

describe("mutex and event", () => {
  it("hands a mutex to the longest waiter on unlock", () => {
    const m = new Mutex("m");
    mutexLock(m);
    const boot = currentThread();
    const a = spawn("a", Priority.Application);
    const b = spawn("b", Priority.Application);
    // Simulate a and b having blocked in mutexLock, in that order.
    for (const t of [a, b]) {
      expect(thisCpu().runQueue.remove(t.id)).toBe(true);
      t.state = ThreadState.Blocked;
      waitQueueAppend(m.waiters, t);
    }
    expect(mutexTryLock(m)).toBe(false);
    mutexUnlock(m);
    expect(m.owner).toBe(a);
    expect(a.state).toBe(ThreadState.Ready);
    expect(b.state).toBe(ThreadState.Blocked);
    expect(() => mutexUnlock(m)).toThrow(/does not own/);
    expect(currentThread()).toBe(boot);
  });

  it("refuses a recursive lock", () => {
    const m = new Mutex("m");
    mutexLock(m);
    expect(() => mutexLock(m)).toThrow(/locked twice/);
  });

  it("releases every waiter of a manual-reset event and one of an auto-reset event", () => {
    const manual = new Event(false);
    const auto = new Event(true);
    const ts = [spawn("a", Priority.Application), spawn("b", Priority.Application), spawn("c", Priority.Application)];
    for (const t of ts) {
      thisCpu().runQueue.remove(t.id);
      t.state = ThreadState.Blocked;
    }
    waitQueueAppend(manual.waiters, ts[0]!);
    waitQueueAppend(manual.waiters, ts[1]!);
    waitQueueAppend(auto.waiters, ts[2]!);
    eventSet(manual);
    expect(ts[0]!.state).toBe(ThreadState.Ready);
    expect(ts[1]!.state).toBe(ThreadState.Ready);
    expect(eventWait(manual, FOREVER)).toBe(true); // stays set
    eventSet(auto);
    expect(ts[2]!.state).toBe(ThreadState.Ready);
    expect(auto.signalled).toBe(false); // consumed by the waiter
    eventSet(auto);
    expect(eventWait(auto, 0)).toBe(true);
    expect(auto.signalled).toBe(false);
  });

  it("wakes all waiters of a queue in FIFO order", () => {
    const q = new WaitQueue();
    const ts = [spawn("a", Priority.Application), spawn("b", Priority.Application), spawn("c", Priority.Application)];
    for (const t of [ts[1]!, ts[0]!, ts[2]!]) {
      thisCpu().runQueue.remove(t.id);
      t.state = ThreadState.Blocked;
      waitQueueAppend(q, t);
    }
    fakeCpu.interruptsEnabled = false; // no preemption: inspect the queue as wakeAll left it
    expect(wakeAll(q)).toBe(3);
    expect(q.count).toBe(0);
    expect([1, 2, 3].map(() => thisCpu().runQueue.dequeue())).toEqual([ts[1]!.id, ts[0]!.id, ts[2]!.id]);
  });
});

describe("killing a thread that is not running", () => {
  it("takes a blocked thread off its wait queue and timer and frees its stack at once", () => {
    const q = new WaitQueue();
    const a = spawn("a", Priority.Application);
    const b = spawn("b", Priority.Application);
    yieldNow();
    expect(currentThread()).toBe(a);
    waitOn(q, 1_000_000); // host: returns at once, `a` blocked with a timeout, `b` running
    expect(currentThread()).toBe(b);
    expect(q.count).toBe(1);
    expect(thisCpu().timers.count()).toBe(1);
    const live = threadCount();
    expect(killThread(a.id)).toBe(true);
    expect(q.count).toBe(0);
    expect(q.head).toBeNull();
    expect(thisCpu().timers.count()).toBe(0);
    expect(threadById(a.id)).toBeNull();
    expect(threadCount()).toBe(live - 1);
    expect(freed).toEqual([a.stackBase]);
    // Neither the queue nor a later tick finds it again.
    fakeCpu.tsc += 10_000_000n;
    schedulerTick(1);
    expect(wakeOne(q)).toBe(false);
    expect(killThread(a.id)).toBe(false);
  });

  it("takes a ready thread off the run queue, keeping the others' order", () => {
    const a = spawn("a", Priority.Application);
    const b = spawn("b", Priority.Application);
    const c = spawn("c", Priority.Application);
    expect(killThread(b.id)).toBe(true);
    expect(thisCpu().runQueue.contains(b.id)).toBe(false);
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      yieldNow();
      order.push(name(currentThread()));
    }
    expect(order).toEqual(["a", "c", "boot", "a"]);
    expect(c.state).toBe(ThreadState.Ready);
  });

  it("refuses the running thread, the idle thread and unused ids", () => {
    expect(killThread(currentThread().id)).toBe(false);
    expect(killThread(thisCpu().idle.id)).toBe(false);
    expect(killThread(MAX_THREADS - 1)).toBe(false);
    expect(killThread(-1)).toBe(false);
    expect(freed).toEqual([]);
  });
});
