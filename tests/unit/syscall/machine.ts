// A simulated machine for driving the capability and IPC system calls through syscallDispatch:
// RAM behind the direct map, the kernel's own memoryInit (so the frame allocator memory objects
// use is the kernel's), boot modules, the process table, and the real scheduler with a fake
// context switch.
//
// Each process's user thread is a scheduler thread. `sys(p, ...)` first makes p's thread the
// running one, so a call that blocks really parks that thread in blockCurrent. The fake switch is
// where "the rest of the machine" runs while a thread is blocked: the actions queued with
// `whileBlocked` (other processes' system calls), then, if nothing woke the thread, the clock
// advances one tick at a time so its timeout expires; then the switch goes back to it. A thread
// blocked without a timeout that nobody wakes is a deadlock and fails the test.
import { vi } from "vitest";
import { attachMemory, detachAllMemory, readBytes, writeBytes } from "../../../lang/host/memory.ts";
import { allocationDelta, doubleReleaseCount, liveAllocations } from "../../../lang/host/allocations.ts";
import { load64, store64 } from "../../../lang/mem.ts";
import { fakeCpu, resetFakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { framebufferDisable } from "../../../kernel/console/framebuffer.ts";
import { serialSetEnabled } from "../../../kernel/console/serial.ts";
import { DIRECT_MAP_BASE, KERNEL_BASE, PAGE_SIZE, physToVirt } from "../../../kernel/arch/x86_64/layout.ts";
import { kernelAddressSpace, kernelFrames, memoryInit } from "../../../kernel/mm/mm.ts";
import { translate } from "../../../kernel/arch/x86_64/paging.ts";
import { FrameAllocator } from "../../../kernel/mm/frame-allocator.ts";
import { shmInit } from "../../../kernel/object/memory.ts";
import {
  ExitHow, Process, processByPid, processExit, processInit, processOfThread, processThreadExit, ProcState, spawnModule,
} from "../../../kernel/proc/process.ts";
import { setThreadExitHook } from "../../../kernel/syscall/thread-calls.ts";
import { Priority } from "../../../kernel/sched/run-queue.ts";
import {
  killThread, MAX_THREADS, schedulerInitWith, schedulerTick, spawnKernelThread, thisCpu, threadById, yieldNow,
} from "../../../kernel/sched/scheduler.ts";
import { STACK_PAGES, Thread, ThreadState } from "../../../kernel/sched/thread.ts";
import { clockInit } from "../../../kernel/time/clock.ts";
import { Frame } from "../../../kernel/arch/x86_64/frame.ts";
import { setWakeHook } from "../../../kernel/cap/waiter.ts";
import { objectLayerInit } from "../../../kernel/object/object-type.ts";
import { wakeWaiterThread } from "../../../kernel/proc/user-thread.ts";
import { Sys } from "../../../abi/numbers.ts";
import { RAM, writeBootModules } from "../proc/harness.ts";
import { setSyscallHooks } from "../../../kernel/syscall/process-calls.ts";
import { syscallDispatch, syscallFromFrame } from "../../../kernel/syscall/entry.ts";

/** Scheduler bookkeeping (saved stack pointers, thread stacks) lives outside RAM. */
const SCHED_BASE = DIRECT_MAP_BASE + 0x100000000;
/** The saved user registers `sysWords` passes to the system call entry. */
/** Where the simulated system calls keep their saved register frame. */
export const FRAME_BASE = DIRECT_MAP_BASE + 0x200000000;
const STACK_BYTES = STACK_PAGES * PAGE_SIZE;
/** One scheduler tick of simulated time (the TSC runs at 1 GHz: one tick per ns). */
export const TICK_NS = 1_000_000;
/** Where each test process keeps its message buffers: a writable region made with `map`. */
export const HEAP = 0x10000000;
export const HEAP_PAGES = 4;
/** A read-only page (map flags 0), then an unmapped page after it. */
export const RO_PAGE = HEAP + 0x100000;
export const UNMAPPED = RO_PAGE + PAGE_SIZE;
/** A kernel address (the kernel image). */
export const KERNEL_PTR = KERNEL_BASE;

export class Sim {
  /** Free frames once the kernel space exists: every process must give back all it took. */
  baseline = 0;
  frames: FrameAllocator;
  /** Actions run, in order, the next times a thread blocks (one per block). */
  pending: Array<() => void> = [];
  /** Processes started through the fixture, for teardown. */
  procs: Process[] = [];
  exits: Array<[number, number]> = [];
  /** Blocks that ended by the clock rather than a wake-up. */
  timedOutBlocks = 0;
  blocks = 0;
  /** A thread blocked without a timeout after its pending actions ran: kill its process instead of failing. */
  killDeadlocked = false;
  /** Live kernel allocations per type, and double releases, once the machine is built. */
  allocations: Record<string, number> = {};
  doubleReleases = 0;

  constructor(frames: FrameAllocator) {
    this.frames = frames;
  }
}

export let sim: Sim;

/** Unwinds a system call whose thread was blocked when its process ended. */
class ThreadEnded extends Error {}

/** What `sys` returns for a call that never returned because its process ended while it waited. */
export const NEVER_RETURNED = Number.NaN;

function threadEntry(arg: number): void {
  void arg;
}

/** The thread the simulated CPU runs now. */
export function runningThread(): Thread {
  return thisCpu().current;
}

/** Makes `t` the running thread the way the scheduler would, through a yield. */
function switchTo(t: Thread): void {
  const c = thisCpu();
  if (c.current === t) return;
  if (t.state === ThreadState.Blocked) throw new Error(`thread ${t.id} is blocked and cannot run`);
  c.runQueue.remove(t.id);
  c.runQueue.enqueueFront(t.id, t.priority);
  yieldNow();
  if (c.current !== t) throw new Error(`switch to thread ${t.id} failed`);
}

/**
 * The context switch: when the thread switched away from has blocked, run the world until it is
 * ready again, then switch back to it (blockCurrent returns there).
 */
function fakeSwitch(saveSpAddr: number, newSp: number): void {
  void newSp;
  const prevId = (saveSpAddr - SCHED_BASE) / 8;
  const prev = threadById(prevId);
  if (prev === null || prev.state !== ThreadState.Blocked) return;
  sim.blocks++;
  const action = sim.pending.shift();
  if (action !== undefined) action();
  // Its process ended meanwhile: the kernel never runs the thread again, so neither does the rest
  // of this system call.
  if (processOfThread(prev.id) === null) throw new ThreadEnded();
  if (prev.timer < 0 && sim.killDeadlocked) {
    // Blocked for good with nothing left to wake it: end its process, as a supervisor would.
    const p = processOfThread(prev.id);
    if (p !== null) {
      processExit(p, 137, ExitHow.Killed);
      throw new ThreadEnded();
    }
  }
  // With a timeout armed, time runs until it fires: tick by tick at first, then in steps that
  // double every thousand ticks, so a wait of hours or years (a random timeout) ends in a few
  // thousand steps, as in a simulation where nothing happens between two events.
  let step = TICK_NS;
  let ticks = 0;
  while (prev.state === ThreadState.Blocked) {
    if (prev.timer < 0) throw new Error(`deadlock: thread ${prev.id} blocked and nothing will wake it`);
    fakeCpu.tsc += BigInt(step);
    schedulerTick(0);
    if (prev.state !== ThreadState.Blocked) sim.timedOutBlocks++;
    if (++ticks % 1000 === 0) step *= 2;
  }
  switchTo(prev);
}

/**
 * A fresh machine: modules 0 "init", 1 "prog" (the minimal static executable), 2 "blob" (not an
 * ELF); the kernel address space and frame allocator from memoryInit; scheduler and processes.
 */
export function makeSim(): Sim {
  detachAllMemory();
  const cpu = resetFakeCpu();
  framebufferDisable();
  serialSetEnabled(false);
  attachMemory(DIRECT_MAP_BASE, RAM);
  attachMemory(SCHED_BASE, PAGE_SIZE + STACK_BYTES * MAX_THREADS);
  attachMemory(FRAME_BASE, PAGE_SIZE);
  const info = writeBootModules();
  // The kernel image: physical 0x200000..0x400000.
  const K = KERNEL_BASE + 0x200000;
  cpu.sections = [K, K + 0x1000, K + 0x2000, K + 0x3000, K + 0x200000, K + 0x200000];
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  memoryInit(info);
  const frames = kernelFrames();
  // Memory objects take frames from the kernel's allocator; a new machine has a new one.
  shmInit(frames);
  clockInit(1_000_000_000n);
  // Stacks from MAX_THREADS slots, reused once freed (many short-lived processes come and go).
  const freeStacks: number[] = [];
  for (let i = MAX_THREADS - 1; i >= 0; i--) freeStacks.push(SCHED_BASE + PAGE_SIZE + STACK_BYTES * i);
  schedulerInitWith(
    SCHED_BASE,
    fakeSwitch,
    () => freeStacks.pop() ?? 0,
    (base) => {
      freeStacks.push(base);
    },
  );
  log.mockRestore();
  sim = new Sim(frames);
  processInit(frames, kernelAddressSpace(), info, (pid) => {
    const t = spawnKernelThread(`pid${pid}`, threadEntry, pid, Priority.Application);
    // As the kernel's user threads: the scheduler loads the process's space (and ports) with it.
    const space = processByPid(pid)?.space ?? null;
    if (t !== null && space !== null) t.spaceRoot = space.root;
    return t === null ? -1 : t.id;
  }, () => {}, () => {});
  setSyscallHooks((p, status) => {
    sim.exits.push([p.pid, status]);
    processExit(p, status, ExitHow.Exited);
  }, () => {});
  // thread_exit as the kernel's, without the switch away: the scheduler thread stays until the
  // teardown ends it (reapThreads), as the exit hook leaves a process's.
  setThreadExitHook((p, status) => {
    if (!processThreadExit(p, thisCpu().current.id, status)) {
      sim.exits.push([p.pid, status]);
      processExit(p, status, ExitHow.Exited);
    }
  });
  // What the kernel entry installs at boot: the object types' operations and the scheduler's wake.
  objectLayerInit();
  setWakeHook(wakeWaiterThread);
  sim.baseline = frames.freeFrames;
  // A first process with a capability table creates what lives for good (the root account).
  liveObjects();
  sim.allocations = liveAllocations();
  sim.doubleReleases = doubleReleaseCount();
  return sim;
}

/**
 * Ends the scheduler threads of processes that have ended. The kernel's exit path ends the thread
 * itself (exitThread after processExit); the fixture's exit hook and processExit calls do not,
 * so the threads are ended here, from the boot thread, as process_kill would end them.
 */
function reapThreads(): void {
  const boot = threadById(0);
  if (boot === null) return;
  switchTo(boot);
  for (let id = 1; id < MAX_THREADS; id++) {
    if (threadById(id) !== null && processOfThread(id) === null) killThread(id);
  }
}

/**
 * Starts a process running module `index` (1, "prog", by default) with a message heap, a
 * read-only page and an unmapped page after it. `mayStart` gives it init's right to start modules.
 */
export function startProcess(index = 1, mayStart = false): Process {
  const pid = spawnModule(index, 0, mayStart);
  if (pid < 0) throw new Error(`spawn failed: ${pid}`);
  const p = processByPid(pid)!;
  adopt(p);
  return p;
}

/** Gives a process started some other way (spawn_caps) the fixture's heap and teardown. */
export function adopt(p: Process): void {
  sim.procs.push(p);
  const t = threadById(p.threadId)!;
  switchTo(t);
  if (syscallDispatch(p, Sys.Map, HEAP, HEAP_PAGES * PAGE_SIZE, 1, 0, 0, 0) !== 0) throw new Error("heap map failed");
  if (syscallDispatch(p, Sys.Map, RO_PAGE, PAGE_SIZE, 0, 0, 0, 0) !== 0) throw new Error("read-only map failed");
}

/** Runs system call `n` as process `p` (on its first thread). */
export function sys(p: Process, n: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0): number {
  return sysOn(p.threadId, p, n, a0, a1, a2, a3, a4, a5);
}

/** Runs system call `n` as thread `tid` of process `p`. */
export function sysOn(tid: number, p: Process, n: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0): number {
  if (processByPid(p.pid) !== p || p.state !== ProcState.Running) throw new Error(`pid ${p.pid} is not running`);
  if (processOfThread(tid) !== p) throw new Error(`thread ${tid} is not a thread of pid ${p.pid}`);
  switchTo(threadById(tid)!);
  let r: number;
  try {
    r = syscallDispatch(p, n, a0, a1, a2, a3, a4, a5);
  } catch (e) {
    if (e instanceof ThreadEnded) return NEVER_RETURNED;
    throw e;
  }
  // `return -e` with e = 0 is -0 in JavaScript; rax holds plain 0.
  return r === 0 ? 0 : r;
}

/** The argument registers of the system call convention, in order (docs/syscalls.md). */
const ARG_REGS = [Frame.RDI, Frame.RSI, Frame.RDX, Frame.R10, Frame.R8, Frame.R9];

/**
 * Runs system call `n` as process `p` the way the entry stub does: the arguments are whole 64-bit
 * register words (two's complement for negative numbers) in a saved register frame, decoded by the
 * kernel's own path (syscallFromFrame). `extra` sets other registers (the register-message calls).
 */
export function sysWords(p: Process, n: number | bigint, args: Array<bigint | number>, extra: Array<[number, bigint]> = []): number {
  if (processByPid(p.pid) !== p || p.state !== ProcState.Running) throw new Error(`pid ${p.pid} is not running`);
  switchTo(threadById(p.threadId)!);
  for (let off = 0; off < Frame.SIZE; off += 8) store64(FRAME_BASE + off, 0n);
  store64(FRAME_BASE + Frame.RAX, BigInt.asUintN(64, BigInt(n)));
  args.forEach((a, i) => store64(FRAME_BASE + ARG_REGS[i]!, BigInt.asUintN(64, BigInt(a))));
  for (const [reg, v] of extra) store64(FRAME_BASE + reg, BigInt.asUintN(64, v));
  let r: number;
  try {
    r = syscallFromFrame(p, FRAME_BASE);
  } catch (e) {
    if (e instanceof ThreadEnded) return NEVER_RETURNED;
    throw e;
  }
  return r === 0 ? 0 : r;
}

/** Queues an action to run while the next thread that blocks is blocked. */
export function whileBlocked(action: () => void): void {
  sim.pending.push(action);
}

/** Ends every process still running (as exit would), as a process's end releases everything. */
export function exitAll(): void {
  for (const p of sim.procs) if (processByPid(p.pid) === p && p.state === ProcState.Running) processExit(p, 0, ExitHow.Exited);
  sim.procs = [];
  reapThreads();
}

// ---- user memory ----

export function poke64(p: Process, addr: number, v: bigint): void {
  store64(physToVirt(translate(p.space!, addr)), BigInt.asUintN(64, v));
}

export function peek64(p: Process, addr: number): bigint {
  return load64(physToVirt(translate(p.space!, addr)));
}

export function pokeBytes(p: Process, addr: number, bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length; i++) writeBytes(physToVirt(translate(p.space!, addr + i)), bytes.subarray(i, i + 1));
}

export function peekBytes(p: Process, addr: number, len: number): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = readBytes(physToVirt(translate(p.space!, addr + i)), 1)[0]!;
  return out;
}

/** A message as user code lays it out (docs/syscalls.md, "Messages"). */
export interface UserMsg {
  label?: number | bigint;
  capCount?: number | bigint;
  flags?: number | bigint;
  words?: Array<number | bigint>;
  handles?: Array<number | bigint>;
}

export interface ReceivedMsg {
  label: number;
  capCount: number;
  flags: number;
  badge: bigint;
  replyHandle: number;
  words: bigint[];
  handles: number[];
}

export const MSG_BYTES = 120;

/** Writes a message at `addr`; unnamed fields are zero (whole 15 words are written). */
export function writeMsg(p: Process, addr: number, m: UserMsg): void {
  const words = new Array<bigint>(15).fill(0n);
  words[0] = BigInt(m.label ?? 0);
  words[1] = BigInt(m.capCount ?? m.handles?.length ?? 0);
  words[2] = BigInt(m.flags ?? 0);
  (m.words ?? []).forEach((w, i) => (words[5 + i] = BigInt(w)));
  (m.handles ?? []).forEach((h, i) => (words[11 + i] = BigInt(h)));
  words.forEach((w, i) => poke64(p, addr + i * 8, w));
}

export function readMsg(p: Process, addr: number): ReceivedMsg {
  const w = (i: number) => peek64(p, addr + i * 8);
  return {
    label: Number(w(0)),
    capCount: Number(w(1)),
    flags: Number(w(2)),
    badge: w(3),
    replyHandle: Number(w(4)),
    words: [5, 6, 7, 8, 9, 10].map(w),
    handles: [11, 12, 13, 14].map((i) => Number(w(i))),
  };
}

/** Fills the message buffer with a marker so a test can tell "untouched" from "written". */
export function fillMarker(p: Process, addr: number, words = 15): void {
  for (let i = 0; i < words; i++) poke64(p, addr + i * 8, 0xa5a5a5a5a5a5a5a5n);
}

export function isMarker(p: Process, addr: number, words = 15): boolean {
  for (let i = 0; i < words; i++) if (peek64(p, addr + i * 8) !== 0xa5a5a5a5a5a5a5a5n) return false;
  return true;
}

/** kernel_objects as a fresh process sees it (the probe's own table holds no objects). */
export function liveObjects(): number {
  const probe = startProcess();
  const n = sys(probe, Sys.KernelObjects);
  processExit(probe, 0, ExitHow.Exited);
  sim.procs = sim.procs.filter((q) => q !== probe);
  reapThreads();
  return n;
}

/**
 * Per-test machine with leak checks: after the test every process is ended, and kernel objects,
 * capabilities, message slots, frames and every kind of kernel allocation (objects, arrays, typed
 * arrays, counted per type as the hosted runtime counts them) must be back where they were
 * before it.
 */
export function useSim(hooks: { beforeEach: (fn: () => void) => void; afterEach: (fn: () => void) => void }): void {
  let objects = 0;
  hooks.beforeEach(() => {
    makeSim();
    objects = liveObjects();
  });
  hooks.afterEach(() => {
    exitAll();
    const after = liveObjects();
    if (after !== objects) throw new Error(`kernel objects leaked: ${objects} before, ${after} after`);
    if (sim.frames.freeFrames !== sim.baseline) throw new Error(`frames leaked: ${sim.baseline - sim.frames.freeFrames}`);
    // Against the latest machine: a test may build a fresh one (its boot-time objects stay).
    assertNoAllocationLeak(sim.allocations, sim.doubleReleases);
  });
}

/** Throws when live kernel allocations differ from `before` per type, or something was released twice. */
export function assertNoAllocationLeak(before: Record<string, number>, doublesBefore = 0): void {
  const delta = allocationDelta(before, liveAllocations());
  if (Object.keys(delta).length > 0) throw new Error(`kernel allocations leaked (type: count): ${JSON.stringify(delta)}`);
  const doubles = doubleReleaseCount() - doublesBefore;
  if (doubles !== 0) throw new Error(`${doubles} kernel allocations released twice`);
}

/** Scratch words (handle lists, batch vectors, wait-set output) in the last heap page. */
export const SCRATCH = HEAP + (HEAP_PAGES - 1) * PAGE_SIZE;

/**
 * spawn_caps from `parent`: a child running "prog" holding `handles` (copies, or moved with
 * flags 1) at 4096, 4097, ...; returns the child, adopted by the fixture.
 */
export function spawnWith(parent: Process, handles: number[], flags = 0, quota = 1 << 18, exitNotify = 0): Process {
  handles.forEach((h, i) => poke64(parent, SCRATCH + i * 8, BigInt(h)));
  const pid = sys(parent, Sys.SpawnCaps, 1, SCRATCH, handles.length | (flags << 8), quota, exitNotify);
  if (pid < 0) throw new Error(`spawn_caps failed: ${pid}`);
  const child = processByPid(pid)!;
  adopt(child);
  return child;
}
