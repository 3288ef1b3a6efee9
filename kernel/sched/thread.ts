// Kernel threads: the Thread object, the wait-queue list it can sit on, and the layout of a new
// thread's stack. Scheduling decisions live in scheduler.ts.
import { store64 } from "../../lang/mem.ts";
import { SwitchFrame } from "../arch/x86_64/frame.ts";
import { addrToWord } from "../arch/x86_64/words.ts";
import { NO_TIMER } from "./timer-queue.ts";
import type { IoMap } from "../arch/x86_64/io-bitmap.ts";

export const enum ThreadState {
  Ready = 0,
  Running = 1,
  Blocked = 2,
  Dead = 3,
}

/** Why a blocked thread was made ready again. */
export const enum WakeReason {
  None = 0,
  Signalled = 1,
  TimedOut = 2,
}

export type ThreadEntry = (arg: number) => void;

/** Kernel stack size of a thread, in pages (plus one guard page below it). */
export const STACK_PAGES = 4;

function noEntry(arg: number): void {
  void arg;
}

export class Thread {
  id: number;
  name: string;
  /** Priority class (run-queue.ts Priority); the idle thread sits below every class. */
  priority: number;
  state: number = ThreadState.Ready;
  entry: ThreadEntry = noEntry;
  arg = 0;
  /**
   * Lowest usable stack address and the top (initial rsp); 0 for the boot thread's borrowed stack.
   * The top is kept as a 64-bit word (addrToWord), the form the TSS takes at every switch to it.
   */
  stackBase = 0;
  stackTop = 0n;
  /** Ticks left in the current time slice. */
  sliceLeft = 0;
  /** Armed timeout (timer-queue handle), or NO_TIMER. */
  timer = NO_TIMER;
  wakeReason: number = WakeReason.None;
  /** The wait queue this thread is blocked on, and its neighbours there. */
  waitingOn: WaitQueue | null = null;
  wqNext: Thread | null = null;
  wqPrev: Thread | null = null;
  /**
   * Page-table root (CR3) the thread runs in, loaded as it is switched in; 0 for kernel threads,
   * which run in whichever space is loaded (they all share the kernel half).
   */
  spaceRoot = 0;
  /** The I/O ports the thread may use in ring 3 (its process's), loaded with its space; null: none. */
  ioMap: IoMap | null = null;
  /**
   * Where the thread's FPU/SSE/AVX registers are kept while it is switched out (fpu.ts): 64-byte
   * aligned, at the top of its kernel stack pages, so it is allocated, charged and freed with the
   * stack; saved and restored only for user threads (spaceRoot !== 0). 0 for the boot thread.
   */
  fpuArea = 0;
  /** Statistics: times switched in, ticks spent running. */
  switches = 0;
  ticks = 0;

  constructor(id: number, name: string, priority: number) {
    this.id = id;
    this.name = name;
    this.priority = priority;
  }
}

/** Threads blocked on one condition, in FIFO order (an intrusive list through the threads). */
export class WaitQueue {
  head: Thread | null = null;
  tail: Thread | null = null;
  count = 0;
}

export function waitQueueAppend(q: WaitQueue, t: Thread): void {
  t.waitingOn = q;
  t.wqNext = null;
  t.wqPrev = q.tail;
  if (q.tail === null) {
    q.head = t;
  } else {
    q.tail.wqNext = t;
  }
  q.tail = t;
  q.count++;
}

/** Unlinks `t` from the wait queue it is on, if any. */
export function waitQueueUnlink(t: Thread): void {
  const q = t.waitingOn;
  if (q === null) return;
  if (t.wqPrev === null) {
    q.head = t.wqNext;
  } else {
    t.wqPrev.wqNext = t.wqNext;
  }
  if (t.wqNext === null) {
    q.tail = t.wqPrev;
  } else {
    t.wqNext.wqPrev = t.wqPrev;
  }
  t.wqNext = null;
  t.wqPrev = null;
  t.waitingOn = null;
  q.count--;
}

/** Removes and returns the first waiter, or null. */
export function waitQueueShift(q: WaitQueue): Thread | null {
  const t = q.head;
  if (t !== null) waitQueueUnlink(t);
  return t;
}

/**
 * Lays out a new thread's stack so that the first keel_context_switch into it "returns" into
 * `trampoline` (SwitchFrame in frame.ts), and returns the stack pointer to save for it.
 */
export function prepareStack(stackTop: number, trampoline: number): number {
  // 16-byte aligned top, one spare word so the frame ends aligned like a call site's.
  const sp = stackTop - 16 - SwitchFrame.SIZE - 8;
  for (let off = 0; off < SwitchFrame.RET; off += 8) store64(sp + off, 0n);
  store64(sp + SwitchFrame.RET, addrToWord(trampoline));
  return sp;
}
