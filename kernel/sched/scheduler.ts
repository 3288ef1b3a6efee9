// The scheduler: per-CPU run queues of priority classes (driver > server > application > idle),
// round robin within a class with a time slice, preemption from the timer tick, sleeping and
// timeouts through a timer queue, thread exit and reaping, and an idle thread.
//
// Everything that touches scheduler state runs with interrupts disabled; on one CPU that is the
// lock. State is gathered in a Cpu object (run queue, timers, current and idle thread) so SMP can
// give each CPU its own and add a lock per CPU without reshaping the code.
//
// A thread's saved stack pointer must sit at an address keel_context_switch can write, so it lives
// in a page-sized table indexed by thread id rather than in the (non-addressable) Thread object.
import { load64, store64 } from "../../lang/mem.ts";
import { panic, release } from "../../lang/core.ts";
import { contextSwitch, fastLeave, restoreInterrupts, saveDisableInterrupts, sti, threadTrampolineAddr, waitForInterrupt } from "../arch/x86_64/cpu.ts";
import { inInterrupt, setInterruptReturnHook, setKernelEntryStack } from "../arch/x86_64/interrupts.ts";
import { setTickHook } from "../arch/x86_64/timer.ts";
import { ioMapSwitch } from "../arch/x86_64/io-bitmap.ts";
import { allocGuardedStack, allocKernelPages, freeGuardedStack } from "../mm/pages.ts";
import { addrToWord } from "../arch/x86_64/words.ts";
import { loadRoot } from "../arch/x86_64/paging.ts";
import { FPU_AREA_ALIGN, fpuAreaSize, fpuForget, fpuInitArea, fpuSwitch } from "../arch/x86_64/fpu.ts";
import { nowNs } from "../time/clock.ts";
import { NONE, PRIORITY_CLASSES, Priority, RunQueue } from "./run-queue.ts";
import { NO_TIMER, TimerQueue } from "./timer-queue.ts";
import { SwitchFrame } from "../arch/x86_64/frame.ts";
import { STACK_PAGES, Thread, ThreadState, WakeReason, prepareStack, waitQueueUnlink } from "./thread.ts";
import type { ThreadEntry } from "./thread.ts";

export const MAX_THREADS = 256;
/** Ticks a thread may run before another ready thread of its class gets the CPU (10 ms). */
export const TIME_SLICE_TICKS = 10;
/** The idle thread's priority: below every class, so any ready thread runs before it. */
export const IDLE_PRIORITY = PRIORITY_CLASSES;
/** Timeout meaning "wait until woken". */
export const FOREVER = -1;
const PAGE = 4096;

/** Saves the running thread's stack pointer at saveSpAddr and resumes the one saved at loadSpAddr. */
export type SwitchFn = (saveSpAddr: number, loadSpAddr: number) => void;
/** handOffLeave's way out: keel_fast_leave's arguments (cpu.ts fastLeave). */
export type LeaveFn = (saveSpAddr: number, ownFrame: number, loadSpAddr: number, nextFrame: number) => void;
export type StackAlloc = (pages: number) => number;
export type StackFree = (base: number, pages: number) => void;

export class Cpu {
  id = 0;
  runQueue: RunQueue = new RunQueue(MAX_THREADS);
  timers: TimerQueue = new TimerQueue(MAX_THREADS);
  current: Thread;
  idle: Thread;
  /** Set when a more urgent thread became ready or the slice ran out; acted on at the next switch point. */
  needResched = false;
  /** A thread that exited on this CPU, freed once we are off its stack. */
  reap: Thread | null = null;
  ticks = 0;
  switches = 0;
  preemptions = 0;

  constructor(boot: Thread) {
    this.current = boot;
    this.idle = boot;
  }
}

function realSwitch(saveSpAddr: number, loadSpAddr: number): void {
  contextSwitch(saveSpAddr, loadSpAddr);
}

function realLeave(saveSpAddr: number, ownFrame: number, loadSpAddr: number, nextFrame: number): void {
  fastLeave(saveSpAddr, ownFrame, loadSpAddr, nextFrame);
}

// Free slots hold NO_THREAD rather than null, so reading a slot needs no null check.
const NO_THREAD = new Thread(-1, "none", IDLE_PRIORITY);
const threads = new Array<Thread>(MAX_THREADS).fill(NO_THREAD);
let cpu: Cpu = new Cpu(new Thread(0, "boot", Priority.Application));
let spTable = 0;
let switchFn: SwitchFn = realSwitch;
let leaveFn: LeaveFn = realLeave;
/** The switch schedulerInitWith was given, behind switchSaving (host tests). */
let givenSwitch: SwitchFn = realSwitch;
let stackAlloc: StackAlloc = allocGuardedStack;
let stackFree: StackFree = freeGuardedStack;
let liveThreads = 0;
let nextId = 1;

function spSlot(id: number): number {
  return spTable + id * 8;
}

/** The CPU the caller runs on. */
export function thisCpu(): Cpu {
  return cpu;
}

/** @inline */
export function currentThread(): Thread {
  return cpu.current;
}

export function threadById(id: number): Thread | null {
  if (id < 0 || id >= MAX_THREADS) return null;
  const t = threads[id]!;
  return t === NO_THREAD ? null : t;
}

/** Threads alive (boot and idle included). */
export function threadCount(): number {
  return liveThreads;
}

function allocId(): number {
  for (let i = 0; i < MAX_THREADS; i++) {
    const id = (nextId + i) % MAX_THREADS;
    if (id !== 0 && threads[id]! === NO_THREAD) {
      nextId = id + 1;
      return id;
    }
  }
  return -1;
}

/** Creates a thread with its own stack, in state Ready but not queued. Interrupts must be off. */
function createThread(name: string, entry: ThreadEntry, arg: number, priority: number): Thread | null {
  const id = allocId();
  if (id < 0) return null;
  const base = stackAlloc(STACK_PAGES);
  if (base === 0) return null;
  const t = new Thread(id, name, priority);
  t.entry = entry;
  t.arg = arg;
  t.stackBase = base;
  // The FPU save area takes the top of the stack pages; the stack starts below it.
  const size = fpuAreaSize();
  t.fpuArea = Math.floor((base + STACK_PAGES * PAGE - size) / FPU_AREA_ALIGN) * FPU_AREA_ALIGN;
  fpuInitArea(t.fpuArea, size);
  t.stackTop = addrToWord(t.fpuArea);
  store64(spSlot(id), addrToWord(prepareStack(t.fpuArea, threadTrampolineAddr())));
  threads[id] = t;
  liveThreads++;
  return t;
}

/** Queues a thread that became runnable; asks for a switch if it outranks the running one. */
function makeReady(t: Thread): void {
  t.state = ThreadState.Ready;
  cpu.runQueue.enqueue(t.id, t.priority);
  if (t.priority < cpu.current.priority) cpu.needResched = true;
}

/**
 * Frees the thread that exited before the last switch, now that its stack is not in use.
 * @inline
 */
function finishSwitch(): void {
  const dead = cpu.reap;
  if (dead === null || dead === cpu.current) return;
  cpu.reap = null;
  threads[dead.id] = NO_THREAD;
  liveThreads--;
  fpuForget(dead.fpuArea);
  if (dead.stackBase !== 0) stackFree(dead.stackBase, STACK_PAGES);
  release(dead);
}

/**
 * Picks the next thread and switches to it. Interrupts must be off. A running thread goes back to
 * the tail of its class, or to the head when a more urgent thread preempts it (`keepTurn`), so
 * that being preempted does not cost it its place in the round robin.
 */
function schedule(keepTurn: boolean): void {
  const c = cpu;
  const prev = c.current;
  if (prev.state === ThreadState.Running) {
    prev.state = ThreadState.Ready;
    if (prev !== c.idle) {
      if (keepTurn) {
        c.runQueue.enqueueFront(prev.id, prev.priority);
      } else {
        c.runQueue.enqueue(prev.id, prev.priority);
      }
    }
  }
  const nextId = c.runQueue.dequeue();
  const next = nextId === NONE ? c.idle : threads[nextId]!;
  if (next === NO_THREAD) panic("scheduler: queued thread has no Thread");
  c.needResched = false;
  switchTo(c, prev, next);
}

/**
 * Makes `next` the running thread and, unless it is `prev` already, switches to it.
 * @inline
 */
function switchTo(c: Cpu, prev: Thread, next: Thread): void {
  next.state = ThreadState.Running;
  next.sliceLeft = TIME_SLICE_TICKS;
  if (next === prev) return;
  switchState(c, prev, next);
  switchFn(spSlot(prev.id), spSlot(next.id));
  // Back on prev's stack (or, for a new thread, threadStart does this instead).
  finishSwitch();
}

/**
 * Everything of a switch from `prev` to `next` (not the same thread) but the change of stacks.
 * @inline
 */
function switchState(c: Cpu, prev: Thread, next: Thread): void {
  next.switches++;
  c.switches++;
  c.current = next;
  if (next.stackTop !== 0n) setKernelEntryStack(next.stackTop);
  if (next.spaceRoot !== 0) loadRoot(next.spaceRoot);
  // A user thread gets its own ports (none without a map): never those of the thread before it.
  // Kernel threads run in ring 0, where the bitmap does not apply, and leave it as it is.
  if (next.spaceRoot !== 0 || next.ioMap !== null) ioMapSwitch(next.ioMap);
  // Eager FPU switching for user threads; kernel threads never touch those registers.
  fpuSwitch(prev.spaceRoot !== 0 && prev.state !== ThreadState.Dead ? prev.fpuArea : 0, next.spaceRoot !== 0 ? next.fpuArea : 0);
}

/**
 * Starts a kernel thread running entry(arg) at `priority` (a run-queue.ts Priority class).
 * Returns it, or null when threads or memory run out. A more urgent new thread runs at once.
 */
export function spawnKernelThread(name: string, entry: ThreadEntry, arg: number, priority: number): Thread | null {
  if (priority < 0 || priority >= PRIORITY_CLASSES) panic("spawnKernelThread: bad priority class");
  const on = saveDisableInterrupts();
  const t = createThread(name, entry, arg, priority);
  if (t !== null) makeReady(t);
  restoreInterrupts(on);
  preemptIfNeeded(on);
  return t;
}

/** Where a new thread starts, called by keel_thread_trampoline on the thread's own stack. */
/** @export keel_thread_start */
export function threadStart(): void {
  finishSwitch();
  const t = cpu.current;
  sti();
  t.entry(t.arg);
  exitThread();
}

/** Ends the calling thread; its stack and Thread are freed after the switch away. */
export function exitThread(): void {
  saveDisableInterrupts();
  const t = cpu.current;
  if (t === cpu.idle) panic("the idle thread cannot exit");
  t.state = ThreadState.Dead;
  cpu.reap = t;
  schedule(false);
  panic("scheduler: an exited thread was resumed");
}

/** Gives the CPU to the next ready thread of the same or a more urgent class, if any. */
export function yieldNow(): void {
  const on = saveDisableInterrupts();
  schedule(false);
  restoreInterrupts(on);
}

/** Switches now if a more urgent thread is waiting and the caller can be preempted. */
export function preemptIfNeeded(interruptsWereOn: boolean): void {
  if (!interruptsWereOn || !cpu.needResched || inInterrupt()) return;
  const on = saveDisableInterrupts();
  cpu.preemptions++;
  schedule(true);
  restoreInterrupts(on);
}

/**
 * Blocks the current thread until wakeThread or, when timeoutNs >= 0, until the timeout passes.
 * Interrupts must be off (the caller checked its condition under the same critical section).
 * Returns the WakeReason.
 */
export function blockCurrent(timeoutNs: number): number {
  const t = markBlocked(cpu, timeoutNs);
  schedule(false);
  return t.wakeReason;
}

/** The running thread becomes Blocked, with a timer when timeoutNs >= 0; returns it. */
function markBlocked(c: Cpu, timeoutNs: number): Thread {
  const t = c.current;
  if (inInterrupt()) panic("scheduler: blocking inside an interrupt handler");
  if (t === c.idle) panic("scheduler: the idle thread cannot block");
  t.state = ThreadState.Blocked;
  t.wakeReason = WakeReason.None;
  if (timeoutNs >= 0) {
    t.timer = c.timers.add(nowNs() + timeoutNs, t.id);
    if (t.timer === NO_TIMER) panic("scheduler: timer queue full");
  }
  return t;
}

/** Makes a blocked thread ready (off its wait queue, timer cancelled). Interrupts must be off. */
export function wakeThread(t: Thread, reason: number): boolean {
  if (!unblock(t, reason)) return false;
  makeReady(t);
  return true;
}

/** Takes a blocked thread off its wait queue and timer with `reason`; false if it was not blocked. */
function unblock(t: Thread, reason: number): boolean {
  if (t.state !== ThreadState.Blocked) return false;
  if (t.timer !== NO_TIMER) {
    cpu.timers.cancel(t.timer);
    t.timer = NO_TIMER;
  }
  waitQueueUnlink(t);
  t.wakeReason = reason;
  return true;
}

/**
 * Blocks the current thread as blockCurrent does and wakes `next` (blocked until now) with
 * `reason`, handing it the CPU directly, without a pass through the run queue: the switch from a
 * caller to the server it just gave a message, and from the server back to the caller it just
 * answered. When a more urgent thread is ready, `next` is only made ready and the scheduler picks.
 * Returns the current thread's WakeReason once it runs again.
 */
export function blockAndSwitchTo(next: Thread, reason: number, timeoutNs: number): number {
  const c = cpu;
  if (!unblock(next, reason)) return blockCurrent(timeoutNs);
  const best = c.runQueue.highest();
  if (best !== NONE && best < next.priority) {
    makeReady(next);
    return blockCurrent(timeoutNs);
  }
  const t = markBlocked(c, timeoutNs);
  switchTo(c, t, next);
  return t.wakeReason;
}

/**
 * Whether blockAndSwitchTo(next, Signalled, FOREVER) would hand the CPU straight to `next` with
 * nothing to undo on the way: `next` is blocked on no wait queue and without a timer, no thread
 * more urgent than it is ready, and no exited thread waits to be reaped.
 * @inline
 */
export function canHandOff(next: Thread): boolean {
  const c = cpu;
  if (next.state !== ThreadState.Blocked || next.timer !== NO_TIMER || next.waitingOn !== null || c.reap !== null) return false;
  if (c.runQueue.total === 0) return true;
  const best = c.runQueue.highest();
  return best >= next.priority;
}

/**
 * Whether `next` (blocked) last left through handOffLeave from the system call whose Frame is at
 * `frame`: its saved stack pointer is then the SwitchFrame right below that Frame, and nothing of
 * its call is left on its stack (a thread blocked any other way saved a deeper one).
 * @inline
 */
export function resumesAtFrame(next: Thread, frame: number): boolean {
  return load64(spSlot(next.id)) === addrToWord(frame - SwitchFrame.SIZE);
}

/**
 * blockAndSwitchTo(next, Signalled, FOREVER) once canHandOff(next) said yes, from a system call
 * whose Frame is at `ownFrame` (not an interrupt, not the idle thread), without coming back: the current thread
 * blocks with nothing of its call left on its kernel stack, and a switch back to it finishes the
 * call with keel_fast_resume (kernel/syscall/entry.ts). With `nextFrame` non-zero (resumesAtFrame
 * said yes and the partner's answer is in that Frame), the CPU returns to user mode straight on
 * the partner's Frame; else the partner's stack is switched to. Once canHandOff(next) said yes;
 * never returns on the machine (host tests' switches return when the thread runs again).
 * @inline
 */
export function handOffLeave(next: Thread, ownFrame: number, nextFrame: number): void {
  const c = cpu;
  const t = c.current;
  next.wakeReason = WakeReason.Signalled;
  t.state = ThreadState.Blocked;
  t.wakeReason = WakeReason.None;
  next.state = ThreadState.Running;
  next.sliceLeft = TIME_SLICE_TICKS;
  switchState(c, t, next);
  leaveFn(spSlot(t.id), ownFrame, spSlot(next.id), nextFrame);
}

/**
 * A thread switched back to after handOffLeave, on its way out of the system call: frees what
 * the switch left to reap, as every switch's end does.
 */
export function switchResumed(): void {
  finishSwitch();
}

/** The host's handOffLeave: marks the stack as keel_fast_leave does, then the given switch. */
function leaveSwitching(saveSpAddr: number, ownFrame: number, loadSpAddr: number, nextFrame: number): void {
  void nextFrame;
  store64(saveSpAddr, addrToWord(ownFrame - SwitchFrame.SIZE));
  givenSwitch(saveSpAddr, loadSpAddr);
}

/** The host's context switch: a thread that switches away saves a stack pointer no Frame has. */
function switchSaving(saveSpAddr: number, loadSpAddr: number): void {
  store64(saveSpAddr, 0n);
  givenSwitch(saveSpAddr, loadSpAddr);
}

/**
 * Ends thread `id`, which is not the running thread, wherever it stopped: a blocked thread leaves
 * its wait queue and its timer is cancelled, a ready one leaves the run queue. Nothing runs on its
 * stack (one CPU: only the current thread runs), so the stack and the Thread are freed at once;
 * whatever state the thread would have cleaned up on its way out is its owner's to release
 * (kernel/proc/process.ts processKill). Interrupts must be off. False for the running thread, the
 * idle thread, or an id with no thread.
 */
export function killThread(id: number): boolean {
  const t = threadById(id);
  if (t === null || t === cpu.current || t === cpu.idle || t.state === ThreadState.Dead) return false;
  if (t.timer !== NO_TIMER) {
    cpu.timers.cancel(t.timer);
    t.timer = NO_TIMER;
  }
  waitQueueUnlink(t);
  cpu.runQueue.remove(t.id);
  t.state = ThreadState.Dead;
  threads[t.id] = NO_THREAD;
  liveThreads--;
  fpuForget(t.fpuArea);
  if (t.stackBase !== 0) stackFree(t.stackBase, STACK_PAGES);
  release(t);
  return true;
}

/**
 * Moves thread `id` to priority class `priority` (0 .. PRIORITY_CLASSES-1): a queued thread is
 * requeued at the tail of its new class; the running one asks for a switch when a ready thread
 * now outranks it. Interrupts must be off. False for no such thread or the idle thread.
 */
export function setThreadPriority(id: number, priority: number): boolean {
  const t = threadById(id);
  if (t === null || t === cpu.idle || priority < 0 || priority >= PRIORITY_CLASSES) return false;
  if (t.priority === priority) return true;
  if (t !== cpu.current && t.state === ThreadState.Ready && cpu.runQueue.remove(t.id)) {
    t.priority = priority;
    makeReady(t);
    return true;
  }
  t.priority = priority;
  if (t === cpu.current) {
    const best = cpu.runQueue.highest();
    if (best !== NONE && best < priority) cpu.needResched = true;
  }
  return true;
}

/** Wakes every thread whose timeout passed by `now`. */
function expireTimers(now: number): void {
  const c = cpu;
  for (let id = c.timers.popExpired(now); id >= 0; id = c.timers.popExpired(now)) {
    const t = threads[id]!;
    if (t === NO_THREAD || t.state !== ThreadState.Blocked) continue;
    t.timer = NO_TIMER;
    waitQueueUnlink(t);
    t.wakeReason = WakeReason.TimedOut;
    makeReady(t);
  }
}

/** Sleeps for at least `ns` nanoseconds of the monotonic clock. */
function sleepNs(ns: number): void {
  const on = saveDisableInterrupts();
  blockCurrent(ns > 0 ? ns : 0);
  restoreInterrupts(on);
}

export function sleepMs(ms: number): void {
  sleepNs(ms * 1000000);
}

/** Runs on every tick with the time, after the threads' timeouts (the object layer's timers). */
export type TickListener = (now: number) => void;

function noTickListener(now: number): void {
  void now;
}

let tickListener: TickListener = noTickListener;

/** Installs the tick listener (objectLayerInit: timer objects). */
export function setTickListener(fn: TickListener): void {
  tickListener = fn;
}

/** The timer tick (interrupt context): timeouts, time-slice accounting. */
export function schedulerTick(tick: number): void {
  void tick;
  const c = cpu;
  c.ticks++;
  const t = c.current;
  t.ticks++;
  const now = nowNs();
  expireTimers(now);
  tickListener(now);
  if (t === c.idle) {
    if (c.runQueue.size() > 0) c.needResched = true;
    return;
  }
  t.sliceLeft--;
  if (t.sliceLeft <= 0) {
    const best = c.runQueue.highest();
    if (best !== NONE && best <= t.priority) {
      c.needResched = true;
    } else {
      t.sliceLeft = TIME_SLICE_TICKS;
    }
  }
}

/** Runs after EOI on the way out of every interrupt: the preemption point. */
export function schedulerInterruptReturn(): void {
  if (cpu.needResched) {
    cpu.preemptions++;
    // A thread whose slice ran out goes to the back; one preempted by a wake-up keeps its turn.
    schedule(cpu.current.sliceLeft > 0);
  }
}

function idleLoop(arg: number): void {
  void arg;
  for (;;) {
    // sti; hlt: sleeps until an interrupt, whose return hook switches to whatever became ready.
    waitForInterrupt();
  }
}

/**
 * schedulerInit with explicit machinery: the address of a MAX_THREADS * 8 byte table for saved
 * stack pointers, the context switch, and the stack allocator (host tests substitute fakes).
 */
export function schedulerInitWith(spTableAddr: number, sw: SwitchFn, allocStack: StackAlloc, freeStack: StackFree): void {
  for (let i = 0; i < MAX_THREADS; i++) threads[i] = NO_THREAD;
  spTable = spTableAddr;
  // Host tests' switches save no stack pointer: switchSaving and leaveSwitching keep the slots as
  // the machine's would be for resumesAtFrame. schedulerInit puts the machine's back.
  givenSwitch = sw;
  switchFn = switchSaving;
  leaveFn = leaveSwitching;
  stackAlloc = allocStack;
  stackFree = freeStack;
  nextId = 1;
  liveThreads = 1;
  // The boot context becomes thread 0, running on the boot stack (never freed).
  const boot = new Thread(0, "boot", Priority.Application);
  boot.state = ThreadState.Running;
  boot.sliceLeft = TIME_SLICE_TICKS;
  threads[0] = boot;
  cpu = new Cpu(boot);
  const idle = createThread("idle", idleLoop, 0, IDLE_PRIORITY);
  if (idle === null) panic("scheduler: cannot create the idle thread");
  cpu.idle = idle;
  setTickHook(schedulerTick);
  setInterruptReturnHook(schedulerInterruptReturn);
}

/** Makes the boot context thread 0 of the scheduler and creates the idle thread. */
export function schedulerInit(): void {
  const on = saveDisableInterrupts();
  schedulerInitWith(allocKernelPages(1), realSwitch, allocGuardedStack, freeGuardedStack);
  switchFn = realSwitch;
  leaveFn = realLeave;
  restoreInterrupts(on);
  console.log(`scheduler: ${PRIORITY_CLASSES} priority classes, ${TIME_SLICE_TICKS}-tick slice, up to ${MAX_THREADS} threads`);
}

/**
 * Hands the CPU to the threads for good: the boot thread exits (its stack is the boot stack) and
 * its Thread is freed by the first thread to run. Interrupts must have stayed off since before the
 * first threads were made ready (kernel/main.ts starts init so). With them on, a tick ending the
 * boot thread's slice ran init first, while the boot thread's Thread (a 256-byte heap block) still
 * existed; it was freed only once init blocked or was preempted and the boot thread got the CPU
 * back. A baseline of kernel heap bytes that init took before that counted the block, and its
 * check later found 256 bytes fewer in use: whether the tick came first depended on how long the
 * boot took, so one class growing past a size class could flip it (docs/robustness.md).
 */
export function schedulerStart(): void {
  if (saveDisableInterrupts()) panic("schedulerStart: interrupts were on: a new thread could run before the boot thread exits");
  console.log(`scheduler: boot thread exits, ${liveThreads - 1} threads remain`);
  exitThread();
}
