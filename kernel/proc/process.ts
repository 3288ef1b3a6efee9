// Processes: a private user address space (the kernel half shared with every other space), one
// user thread, a name (the boot module's), a parent, an exit status the parent collects with
// wait, and the memory the process mapped. Everything a process holds is released when it exits
// or is killed; only its slot stays, as a zombie, until the parent has seen the status.
//
// A process's thread is an ordinary kernel thread of the scheduler (its own kernel stack, which
// is where interrupts and system calls from ring 3 land: the scheduler points TSS.rsp0 at it)
// whose entry function drops to ring 3. The kernel half being shared, kernel threads run in any
// address space; CR3 matters only on the way back to user mode: the thread's first entry loads it
// (activateSpace), and the scheduler loads each thread's space when it switches to it.
import { load8, store32, store8 } from "../../lang/mem.ts";
import { heapReserve, release } from "../../lang/core.ts";
import { BootInfo } from "../boot/bootinfo.ts";
import { klog, klogBytes } from "../console/log.ts";
import { LogLevel } from "../../abi/log.ts";
import { FrameAllocator } from "../mm/frame-allocator.ts";
import { PAGE_SIZE, physToVirt } from "../arch/x86_64/layout.ts";
import { AddressSpace, MapResult, PageFlags, destroyAddressSpace, isCurrent, loadRoot, map, shareKernelHalf, switchTo, translate, unmap } from "../arch/x86_64/paging.ts";
import { ElfError, ElfImage, freeElfImage } from "../loader/elf.ts";
import { DEFAULT_STACK_SIZE, DEFAULT_STACK_TOP, LoadPlan, freeLoadPlan } from "../loader/load-plan.ts";
import { loadProgram, unloadPlan } from "../loader/load-program.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { WaitQueue } from "../sched/thread.ts";
import { copyToUser, userRangeInBounds, writeUserNumber, writeUserWord } from "./user-copy.ts";
import { clockHz, clockOrigin } from "../time/clock.ts";
import { ExitHow, MapFlag, Startup, STARTUP_MAY_SPAWN, STARTUP_NAME_MAX, STARTUP_STRINGS_MAX } from "../../abi/process.ts";
import { flagsValid } from "../../abi/rights.ts";
import { type ProcCaps, procCapsRelease, procCapsThreadGone, procCapsUse } from "./proc-caps.ts";
import { MAX_PROCESSES, MAX_THREADS_PER_PROCESS } from "./limits.ts";
import { Priority } from "../sched/run-queue.ts";
import { threadObjectEnded } from "../object/thread.ts";
import { accountRefund } from "../cap/quota.ts";
import type { CapTable } from "../cap/cap-table.ts";
import type { Message } from "../cap/message.ts";
import { processTableInstall } from "../object/process-table.ts";
import { threadById } from "../sched/scheduler.ts";
import { ThreadState } from "../sched/thread.ts";
import { PROC_NAME_BYTES, ProcRunState, ProcWord, procCountsWord } from "../../abi/process-table.ts";

/** Anonymous memory regions (map system call) a process may hold at once. */
export const MAX_REGIONS = 32;
/** Largest program image, page-rounded, a boot module may ask for. */
export const MAX_IMAGE_BYTES = 0x4000000;
/** Largest anonymous region, and total anonymous memory, per process. */
export const MAX_REGION_BYTES = 0x4000000;

export const enum ProcState {
  Free = 0,
  Running = 1,
  Zombie = 2,
}

// The startup block and exit reports are ABI (abi/process.ts), re-exported for the kernel.
export { ExitHow, Startup, STARTUP_MAY_SPAWN, STARTUP_NAME_MAX } from "../../abi/process.ts";

export class Process {
  pid = 0;
  state: number = ProcState.Free;
  /** Parent pid, 0 for none (init, orphans). */
  parent = 0;
  /**
   * The name: bytes of the boot module's command line, in the boot information (never freed), or
   * in `nameFrame`, a frame of its own (spawn_image), freed with the record.
   */
  nameAddr = 0;
  nameLength = 0;
  nameFrame = -1;
  moduleIndex = -1;
  space: AddressSpace | null = null;
  elf: ElfImage = new ElfImage();
  plan: LoadPlan = new LoadPlan();
  /** Its first live thread (the scheduler's id), -1 once none is left. */
  threadId = -1;
  /** Its threads by slot (scheduler ids, -1 for a free slot), how many, and what each was charged. */
  threads: number[] = new Array<number>(MAX_THREADS_PER_PROCESS).fill(-1);
  threadCharged: number[] = new Array<number>(MAX_THREADS_PER_PROCESS).fill(0);
  threadCount = 0;
  /** Its priority class (run-queue.ts Priority): no thread of it runs in a more urgent one. */
  priority: number = Priority.Application;
  mayStartModules = false;
  exitStatus = 0;
  exitHow: number = ExitHow.Exited;
  /** Anonymous regions: start address and length in pages, 0 pages for a free slot. */
  regionStart: number[] = new Array<number>(MAX_REGIONS).fill(0);
  regionPages: number[] = new Array<number>(MAX_REGIONS).fill(0);
  mappedBytes = 0;
  /** System calls made other than the null call (answered before the process is looked up). */
  syscalls = 0;
  /** Where the parent blocks in wait until a child exits. */
  childExits: WaitQueue = new WaitQueue();
  /** The fault that killed the process: vector, rip, page-fault address. */
  faultVector = -1;
  faultRip = 0;
  faultAddr = 0;
  /** Its capability context (proc-caps.ts), once it has one. */
  caps: ProcCaps | null = null;
}

/** Starts the user thread of process `pid`; returns its thread id or -1. */
export type ThreadStarter = (pid: number) => number;
/** Blocks the calling thread until a child of `parent` changes state (interrupts off). */
export type ChildWaiter = (parent: Process) => void;
/** Wakes whatever waits for children of `parent`. */
export type ChildWaker = (parent: Process) => void;

function noThread(pid: number): number {
  void pid;
  return -1;
}
function noWait(parent: Process): void {
  void parent;
}

const procs = new Array<Process>(MAX_PROCESSES).fill(new Process());
const freeSlot = procs[0]!;
/**
 * The process each scheduler thread id runs, null for kernel threads: set when the thread is bound
 * (before it first runs), cleared when the process ends, so a reused id never finds a stale one.
 * The system call path looks the caller up here on every call.
 */
const procOfThread = new Array<Process | null>(256).fill(null);
let frames: FrameAllocator | null = null;
let kernelSpace: AddressSpace | null = null;
let info: BootInfo | null = null;
let startThread: ThreadStarter = noThread;
let waitChild: ChildWaiter = noWait;
let wakeChild: ChildWaker = noWait;
let nextPid = 1;
/** Ends a scheduler thread that is not the running one (kernel/sched/scheduler.ts killThread). */
export type ThreadKiller = (tid: number) => void;
function noKill(tid: number): void {
  void tid;
}
let killThreadHook: ThreadKiller = noKill;
export function setThreadKiller(fn: ThreadKiller): void {
  killThreadHook = fn;
}
/** Counters: processes created, exited normally, killed. */
export let processesCreated = 0;
export let processesExited = 0;
export let processesKilled = 0;

/**
 * Sets up the process table. `kernel` is the address space whose kernel half every process
 * shares (and which is loaded while a dying process's tables are freed); `allocator` provides
 * the frames of every user space; `boot` names the modules processes are started from.
 */
export function processInit(allocator: FrameAllocator, kernel: AddressSpace, boot: BootInfo, starter: ThreadStarter, waiter: ChildWaiter, waker: ChildWaker): void {
  frames = allocator;
  kernelSpace = kernel;
  info = boot;
  startThread = starter;
  waitChild = waiter;
  wakeChild = waker;
  for (let i = 0; i < MAX_PROCESSES; i++) {
    // Records of an earlier machine (host tests): their name frames were another allocator's.
    procs[i]!.nameFrame = -1;
    if (procs[i]! !== freeSlot) releaseSlot(procs[i]!);
    procs[i] = freeSlot;
  }
  for (let i = 0; i < procOfThread.length; i++) procOfThread[i] = null;
  nextPid = 1;
  processesCreated = 0;
  processesExited = 0;
  processesKilled = 0;
  processTableInstall(processRecord, processKillByPid);
}

function slotOf(pid: number): number {
  return pid % MAX_PROCESSES;
}

/** The live or zombie process with this pid, or null. */
export function processByPid(pid: number): Process | null {
  if (pid <= 0) return null;
  const p = procs[slotOf(pid)]!;
  return p !== freeSlot && p.pid === pid ? p : null;
}

/**
 * The process the scheduler thread `tid` runs, or null for a kernel thread.
 * @inline
 */
export function processOfThread(tid: number): Process | null {
  if (tid < 0 || tid >= procOfThread.length) return null;
  return procOfThread[tid]!;
}

function bindThread(p: Process, tid: number): void {
  p.threadId = tid;
  processAddThread(p, tid, 0);
}

/**
 * Records scheduler thread `tid` as a thread of `p`, charged `charged` bytes to p's account (0 for
 * the first thread, which the process table pays for). False when p has MAX_THREADS_PER_PROCESS.
 */
export function processAddThread(p: Process, tid: number, charged: number): boolean {
  if (tid < 0 || tid >= procOfThread.length) return false;
  for (let i = 0; i < MAX_THREADS_PER_PROCESS; i++) {
    if (p.threads[i]! >= 0) continue;
    p.threads[i] = tid;
    p.threadCharged[i] = charged;
    p.threadCount++;
    procOfThread[tid] = p;
    if (p.threadId < 0) p.threadId = tid;
    return true;
  }
  return false;
}

/**
 * Thread `tid` of `p` ended with `status`: its waits are cancelled and its waiter freed, its
 * Thread object told (join), its charge refunded, and the scheduler id forgotten. The caller ends
 * (or has ended) the scheduler thread.
 */
function threadGone(p: Process, slot: number, status: number): void {
  const tid = p.threads[slot]!;
  procCapsThreadGone(p, tid);
  threadObjectEnded(tid, status);
  const charged = p.threadCharged[slot]!;
  if (charged > 0 && p.caps !== null) accountRefund(p.caps!.account, charged);
  p.threads[slot] = -1;
  p.threadCharged[slot] = 0;
  p.threadCount--;
  procOfThread[tid] = null;
  if (p.threadId === tid) {
    p.threadId = -1;
    for (let i = 0; i < MAX_THREADS_PER_PROCESS && p.threadId < 0; i++) if (p.threads[i]! >= 0) p.threadId = p.threads[i]!;
  }
  // A process with one thread left makes its calls with that thread's waiter without repointing
  // it on every entry (kernel/syscall/entry.ts): point it there now.
  if (p.threadCount === 1 && p.caps !== null) procCapsUse(p.caps!, p.threadId);
}

/**
 * thread_exit of thread `tid` of `p`, when other threads of p live on: everything the thread held
 * is released; the caller then ends the scheduler thread. False (nothing done) when it is p's
 * last thread: its exit is the process's.
 */
export function processThreadExit(p: Process, tid: number, status: number): boolean {
  if (p.threadCount <= 1) return false;
  for (let i = 0; i < MAX_THREADS_PER_PROCESS; i++) {
    if (p.threads[i]! === tid) {
      threadGone(p, i, status);
      return true;
    }
  }
  return false;
}

/** Threads `p` has now. */
export function processThreadCount(p: Process): number {
  return p.threadCount;
}

/** Number of processes running or waiting to be reaped. */
export function processCount(): number {
  let n = 0;
  for (let i = 0; i < MAX_PROCESSES; i++) if (procs[i]! !== freeSlot) n++;
  return n;
}

function allocPid(): number {
  for (let i = 0; i < MAX_PROCESSES * 4; i++) {
    const pid = nextPid;
    nextPid = nextPid >= 0x7fffffff ? 1 : nextPid + 1;
    if (procs[slotOf(pid)]! === freeSlot) return pid;
  }
  return -1;
}

function releaseSlot(p: Process): void {
  procs[slotOf(p.pid)] = freeSlot;
  freeProcess(p);
}

/** Frees the record and the arrays it owns (its resources are released already, or never were). */
function freeProcess(p: Process): void {
  if (p.nameFrame >= 0) frames!.free(p.nameFrame);
  freeElfImage(p.elf);
  freeLoadPlan(p.plan);
  release(p.regionStart);
  release(p.regionPages);
  release(p.threads);
  release(p.threadCharged);
  release(p.childExits);
  release(p);
}

/**
 * Where a new process's program comes from (spawnProgram): an ELF image at a contiguous kernel
 * address, the name, and the argument and environment strings, all in kernel memory (a boot
 * module's, or spawn_image's copy of what the caller gave).
 */
export class ProgramSource {
  image = 0;
  length = 0;
  name = 0;
  nameLength = 0;
  /** The boot module, -1 for an image from a memory object. */
  moduleIndex = -1;
  /** The strings (Startup.Strings' encoding, checked): 0 for the default, argv = [name], no environment. */
  strings = 0;
  stringsLength = 0;
  argCount = 0;
  envCount = 0;
}

/** Writes the startup block (docs/syscalls.md) through the new space's page tables. */
function fillStartupBlock(p: Process, src: ProgramSource): void {
  const space = p.space!;
  const at = p.plan.startupInfo;
  writeUserNumber(space, at + Startup.Pid, p.pid);
  writeUserNumber(space, at + Startup.ParentPid, p.parent);
  writeUserNumber(space, at + Startup.Flags, p.mayStartModules ? STARTUP_MAY_SPAWN : 0);
  writeUserNumber(space, at + Startup.ModuleIndex, p.moduleIndex);
  const n = Math.min(p.nameLength, STARTUP_NAME_MAX);
  writeUserNumber(space, at + Startup.NameLength, n);
  copyToUser(space, at + Startup.Name, p.nameAddr, n);
  writeUserWord(space, at + Startup.ClockHz, clockHz());
  writeUserWord(space, at + Startup.ClockOrigin, clockOrigin());
  if (src.strings !== 0) {
    writeUserNumber(space, at + Startup.ArgCount, src.argCount);
    writeUserNumber(space, at + Startup.EnvCount, src.envCount);
    writeUserNumber(space, at + Startup.StringsLength, src.stringsLength);
    copyToUser(space, at + Startup.Strings, src.strings, src.stringsLength);
    return;
  }
  // A boot module: its name is argv[0] (the block was zeroed, so the NUL is there already).
  const a = Math.min(p.nameLength, STARTUP_STRINGS_MAX - 1);
  writeUserNumber(space, at + Startup.ArgCount, 1);
  writeUserNumber(space, at + Startup.StringsLength, a + 1);
  copyToUser(space, at + Startup.Strings, p.nameAddr, a);
}

/** Kernel heap bytes a process's own records take at most: Process, ELF image, load plan, space, thread. */
const SPAWN_HEAP_BYTES = 64 * 1024;

/**
 * Creates a process from boot module `index` with parent `parentPid` (0 for none) and starts its
 * thread in priority class `priority` (run-queue.ts Priority; applications unless given). Returns the pid, or a negated
 * ErrorCode.
 */
export function spawnModule(index: number, parentPid: number, mayStartModules: boolean, priority: number = Priority.Application): number {
  const src = moduleSource(index);
  if (src === null) return -ErrorCode.NotFound;
  const pid = spawnProgram(src, parentPid, mayStartModules, priority);
  release(src);
  return pid;
}

/** Boot module `index` as a ProgramSource (the caller releases it), or null when there is no such module. */
export function moduleSource(index: number): ProgramSource | null {
  const boot = info;
  if (boot === null || index < 0 || index >= boot.moduleCount) return null;
  const mod = boot.modules[index]!;
  const src = new ProgramSource();
  src.image = physToVirt(mod.start);
  src.length = mod.end - mod.start;
  src.name = physToVirt(mod.nameAddr);
  src.nameLength = mod.nameLength;
  src.moduleIndex = index;
  return src;
}

/**
 * Creates a process running the program `src` describes, with parent `parentPid` (0 for none),
 * and starts its thread in priority class `priority`. Returns the pid, or a negated ErrorCode:
 * BadExecutable for an image the loader refuses, NoMemory when memory or process slots run out.
 * A boot module's name stays in the boot information; any other name is copied into a frame the
 * process owns (the caller's copy does not outlive the call).
 */
export function spawnProgram(src: ProgramSource, parentPid: number, mayStartModules: boolean, priority: number): number {
  if (frames === null || kernelSpace === null) return -ErrorCode.NoMemory;
  // The process's own records (not charged to a quota: the process table bounds them) must find
  // room in the kernel heap, or the spawn is refused instead of the allocation panicking.
  if (!heapReserve(SPAWN_HEAP_BYTES)) return -ErrorCode.NoMemory;
  const pid = allocPid();
  if (pid < 0) {
    klogBytes(LogLevel.Warn, `proc: process table full (MAX_PROCESSES ${MAX_PROCESSES}): `, src.name, src.nameLength, " not started");
    return -ErrorCode.NoMemory;
  }
  const p = new Process();
  p.pid = pid;
  p.parent = parentPid;
  p.nameAddr = src.name;
  p.nameLength = src.nameLength;
  if (src.moduleIndex < 0) {
    const f = frames!.alloc();
    if (f < 0) {
      freeProcess(p);
      return -ErrorCode.NoMemory;
    }
    p.nameFrame = f;
    p.nameAddr = physToVirt(f);
    for (let i = 0; i < src.nameLength; i++) store8(p.nameAddr + i, load8(src.name + i));
  }
  p.moduleIndex = src.moduleIndex;
  p.mayStartModules = mayStartModules;
  p.priority = priority;
  const space = loadProgram(frames!, src.image, src.length, src.moduleIndex >= 0 ? "module" : "image", MAX_IMAGE_BYTES, DEFAULT_STACK_TOP, DEFAULT_STACK_SIZE, p.elf, p.plan);
  if (space === null) {
    klogBytes(LogLevel.Warn, "proc: cannot load ", p.nameAddr, p.nameLength, "");
    // A refused image leaves its reason in the ElfImage; without one, memory ran out.
    const refused = p.elf.error !== ElfError.None;
    freeProcess(p);
    return refused ? -ErrorCode.BadExecutable : -ErrorCode.NoMemory;
  }
  shareKernelHalf(space, kernelSpace!);
  p.space = space;
  p.state = ProcState.Running;
  procs[slotOf(pid)] = p;
  fillStartupBlock(p, src);
  const tid = startThread(pid);
  if (tid < 0) {
    releaseResources(p);
    releaseSlot(p);
    return -ErrorCode.NoMemory;
  }
  bindThread(p, tid);
  processesCreated++;
  klogBytes(LogLevel.Debug, "proc: started ", p.nameAddr, p.nameLength, ` as pid ${pid}`);
  return pid;
}

/** Loads the process's space into CR3 unless it is there already. */
export function activateSpace(p: Process): void {
  const space = p.space;
  if (space === null) return;
  loadRoot(space.root);
}

/** Frees the address space, its mapped frames and regions. Leaves the slot. */
function releaseResources(p: Process): void {
  const space = p.space;
  if (space === null) return;
  if (isCurrent(space)) switchTo(kernelSpace!);
  for (let r = 0; r < MAX_REGIONS; r++) {
    if (p.regionPages[r]! > 0) unmapPages(space, p.regionStart[r]!, p.regionPages[r]!);
    p.regionPages[r] = 0;
  }
  p.mappedBytes = 0;
  unloadPlan(space, p.plan);
  destroyAddressSpace(space);
  release(space);
  p.space = null;
}

function unmapPages(space: AddressSpace, start: number, pages: number): void {
  for (let i = 0; i < pages; i++) {
    const phys = unmap(space, start + i * PAGE_SIZE);
    if (phys >= 0) space.frames.free(phys);
  }
}

/**
 * Ends process `p` with `status` (ExitHow.Exited: the exit code; Killed: the exception vector, or
 * the status process_kill gave): releases everything it holds, hands its children to nobody, and
 * leaves a zombie for the parent (or frees the slot when there is no parent to collect it). The
 * caller then ends the thread.
 */
export function processExit(p: Process, status: number, how: number): void {
  // Every thread ends first: the scheduler drops those that are not running (wherever they
  // wait), then each one's waits, waiter, Thread object and charge go while the account exists.
  for (let i = 0; i < MAX_THREADS_PER_PROCESS; i++) {
    const tid = p.threads[i]!;
    if (tid < 0) continue;
    killThreadHook(tid);
    threadGone(p, i, status);
  }
  // Capabilities, shared mappings and kernel objects next, while the address space still exists.
  procCapsRelease(p);
  releaseResources(p);
  p.exitStatus = status;
  p.exitHow = how;
  if (how === ExitHow.Killed) {
    processesKilled++;
  } else {
    processesExited++;
  }
  p.threadId = -1;
  for (let i = 0; i < MAX_PROCESSES; i++) {
    const c = procs[i]!;
    if (c === freeSlot || c.parent !== p.pid || c === p) continue;
    if (c.state === ProcState.Zombie) {
      releaseSlot(c);
    } else {
      c.parent = 0;
    }
  }
  const parent = processByPid(p.parent);
  if (parent === null || parent.state !== ProcState.Running) {
    releaseSlot(p);
    return;
  }
  p.state = ProcState.Zombie;
  wakeChild(parent);
}

/**
 * Kills process `p`, which is not the caller's (process_kill; the caller's own kill is its exit).
 * The kill takes effect at once, on p's behalf: with one CPU and interrupts off in the kernel, p's
 * thread is not running but stopped at a switch point (blocked in a system call, preempted in
 * ring 3, or not started yet), holding no kernel lock. Everything it could be waiting in is
 * reachable from here: its thread leaves the scheduler's queues and timer first (its kernel stack
 * is never resumed, so it is freed), then processExit cancels its IPC wait and releases what it
 * holds, exactly as its own exit would. Waiting for it to run again instead would leave its
 * objects alive, and its parent's wait blocked, for as long as the scheduler did not pick it.
 */
export function processKill(p: Process, status: number, killer: number): void {
  klogBytes(LogLevel.Info, "proc: ", p.nameAddr, p.nameLength, ` (pid ${p.pid}) killed by pid ${killer}, status ${status}`);
  // processExit ends each of its threads (none of them is the running one).
  processExit(p, status, ExitHow.Killed);
}

/** Blocked when every thread of `p` waits, Zombie once it ended, else Running. */
function runState(p: Process): number {
  if (p.state === ProcState.Zombie) return ProcRunState.Zombie;
  let live = 0;
  for (let i = 0; i < MAX_THREADS_PER_PROCESS; i++) {
    const tid = p.threads[i]!;
    if (tid < 0) continue;
    const t = threadById(tid);
    if (t === null || t.state !== ThreadState.Blocked) return ProcRunState.Running;
    live++;
  }
  return live > 0 ? ProcRunState.Blocked : ProcRunState.Running;
}

/**
 * The process table object's ProcessRecord (object/process-table.ts): the record of the process
 * in `slot` in `m`'s words (ProcWord); NotFound for an empty slot. A zombie holds no capability
 * and no kernel memory any more: its counts are 0.
 */
function processRecord(slot: number, m: Message): ErrorCode {
  const p = procs[slot]!;
  if (p === freeSlot) return ErrorCode.NotFound;
  const pc = p.caps;
  const live = p.state === ProcState.Running;
  m.words[ProcWord.Pid] = BigInt(p.pid);
  m.words[ProcWord.Counts] = BigInt(procCountsWord(runState(p), p.priority, live ? p.threadCount : 0, live && pc !== null ? pc.table.used : 0));
  m.words[ProcWord.MemoryUsed] = BigInt(live && pc !== null ? pc.account.used : 0);
  m.words[ProcWord.MemoryLimit] = BigInt(live && pc !== null ? pc.account.limit : 0);
  let w0 = 0n;
  let w1 = 0n;
  const n = Math.min(p.nameLength, PROC_NAME_BYTES);
  for (let i = 0; i < n; i++) {
    const b = BigInt(load8(p.nameAddr + i));
    if (i < 8) {
      w0 = w0 | BigInt.asUintN(64, b << BigInt(i * 8));
    } else {
      w1 = w1 | BigInt.asUintN(64, b << BigInt((i - 8) * 8));
    }
  }
  m.words[ProcWord.Name0] = w0;
  m.words[ProcWord.Name1] = w1;
  return ErrorCode.Ok;
}

/**
 * The process table object's ProcessKillPid: kills process `pid` as process_kill does, on behalf
 * of the process whose table is `killer`. NotFound for no such pid, ProcessExited for a zombie,
 * InvalidArgument for the killer itself (its own end is exit, which does not return).
 */
function processKillByPid(killer: CapTable, pid: number, status: number): ErrorCode {
  const target = processByPid(pid);
  if (target === null) return ErrorCode.NotFound;
  if (target.state !== ProcState.Running) return ErrorCode.ProcessExited;
  if (target.caps !== null && target.caps.table === killer) return ErrorCode.InvalidArgument;
  let by = 0;
  for (let i = 0; i < MAX_PROCESSES; i++) {
    const c = procs[i]!;
    if (c !== freeSlot && c.caps !== null && c.caps.table === killer) by = c.pid;
  }
  processKill(target, status, by);
  return ErrorCode.Ok;
}

/**
 * wait: reaps a zombie child (`pid`, or any child when pid is -1), writes its status and how it
 * ended as two 64-bit words at user `statusAddr` (unless 0), and returns its pid. Blocks while
 * matching children are still running. Returns a negated ErrorCode when there is none.
 */
export function processWait(p: Process, pid: number, statusAddr: number): number {
  if (statusAddr !== 0 && !userRangeInBounds(statusAddr, 16)) return -ErrorCode.BadAddress;
  for (;;) {
    let matching = 0;
    for (let i = 0; i < MAX_PROCESSES; i++) {
      const c = procs[i]!;
      if (c === freeSlot || c.parent !== p.pid || c === p) continue;
      if (pid !== -1 && c.pid !== pid) continue;
      matching++;
      if (c.state !== ProcState.Zombie) continue;
      if (statusAddr !== 0) {
        if (!writeUserNumber(p.space!, statusAddr, c.exitStatus) || !writeUserNumber(p.space!, statusAddr + 8, c.exitHow)) {
          return -ErrorCode.BadAddress;
        }
      }
      const reaped = c.pid;
      releaseSlot(c);
      return reaped;
    }
    if (matching === 0) return -ErrorCode.NoChild;
    waitChild(p);
  }
}

/** Frees `pages` fresh zeroed frames mapped at `start` in `space`; false (nothing left) on failure. */
function mapZeroed(space: AddressSpace, start: number, pages: number, flags: number): number {
  for (let i = 0; i < pages; i++) {
    const phys = space.frames.alloc();
    if (phys < 0) {
      unmapPages(space, start, i);
      return ErrorCode.NoMemory;
    }
    const v = physToVirt(phys);
    for (let off = 0; off < PAGE_SIZE; off += 4) store32(v + off, 0);
    const r = map(space, start + i * PAGE_SIZE, phys, flags);
    if (r !== MapResult.Ok) {
      space.frames.free(phys);
      unmapPages(space, start, i);
      return r === MapResult.NoMemory ? ErrorCode.NoMemory : ErrorCode.InvalidArgument;
    }
  }
  return ErrorCode.Ok;
}

/**
 * map: `len` bytes (whole pages) of zeroed memory at page-aligned `addr`, which must be free.
 * Writable and executable together are refused (W^X). Returns 0 or a negated ErrorCode.
 */
export function processMap(p: Process, addr: number, len: number, flags: number): number {
  const space = p.space!;
  if (addr % PAGE_SIZE !== 0 || len <= 0 || len % PAGE_SIZE !== 0 || len > MAX_REGION_BYTES) return -ErrorCode.InvalidArgument;
  if (!flagsValid(flags, MapFlag.Writable | MapFlag.Executable)) return -ErrorCode.InvalidArgument;
  if ((flags & MapFlag.Writable) !== 0 && (flags & MapFlag.Executable) !== 0) return -ErrorCode.InvalidArgument;
  // Never over the stack's guard page or above it: the guard must stay unmapped, and so must the
  // last user page, next to the non-canonical hole.
  if (!userRangeInBounds(addr, len) || addr + len > p.plan.guardBase) return -ErrorCode.BadAddress;
  if (p.mappedBytes + len > MAX_REGION_BYTES) return -ErrorCode.NoMemory;
  for (let v = addr; v < addr + len; v += PAGE_SIZE) if (translate(space, v) >= 0) return -ErrorCode.InvalidArgument;
  let slot = -1;
  for (let r = 0; r < MAX_REGIONS && slot < 0; r++) if (p.regionPages[r]! === 0) slot = r;
  if (slot < 0) return -ErrorCode.NoMemory;
  let pf = PageFlags.User;
  if ((flags & MapFlag.Writable) !== 0) pf |= PageFlags.Writable;
  if ((flags & MapFlag.Executable) === 0) pf |= PageFlags.NoExecute;
  const r = mapZeroed(space, addr, len / PAGE_SIZE | 0, pf);
  if (r !== ErrorCode.Ok) return -r;
  p.regionStart[slot] = addr;
  p.regionPages[slot] = len / PAGE_SIZE | 0;
  p.mappedBytes += len;
  return 0;
}

/** unmap: releases the whole region that map created at `addr` with length `len`. */
export function processUnmap(p: Process, addr: number, len: number): number {
  for (let r = 0; r < MAX_REGIONS; r++) {
    if (p.regionPages[r]! > 0 && p.regionStart[r]! === addr && p.regionPages[r]! * PAGE_SIZE === len) {
      unmapPages(p.space!, addr, p.regionPages[r]!);
      p.regionPages[r] = 0;
      p.mappedBytes -= len;
      return 0;
    }
  }
  return -ErrorCode.NotFound;
}

/** Boot information the process layer was given (module names for the module system calls). */
export function processBootInfo(): BootInfo | null {
  return info;
}

/**
 * Copies the bytes of module `index` from byte `offset` to user `buf` (at most `len`, none past the
 * module's end); returns the module's size. Only for a process that may start modules: they are
 * its programs and data (the console font), which it hands on as it sees fit.
 */
export function copyModuleBytes(p: Process, index: number, offset: number, buf: number, len: number): number {
  if (!p.mayStartModules) return -ErrorCode.PermissionDenied;
  const boot = info;
  if (boot === null || index < 0 || index >= boot.moduleCount) return -ErrorCode.NotFound;
  const m = boot.modules[index]!;
  const size = m.end - m.start;
  if (offset < 0 || len < 0) return -ErrorCode.InvalidArgument;
  const n = Math.min(len, Math.max(size - offset, 0));
  if (n > 0 && !copyToUser(p.space!, buf, physToVirt(m.start + offset), n)) return -ErrorCode.BadAddress;
  return size;
}

/** Copies the name of module `index` to user `buf` (at most `cap` bytes); returns its full length. */
export function copyModuleName(p: Process, index: number, buf: number, cap: number): number {
  const boot = info;
  if (boot === null || index < 0 || index >= boot.moduleCount) return -ErrorCode.NotFound;
  const m = boot.modules[index]!;
  const n = Math.min(m.nameLength, Math.max(cap, 0));
  if (!copyToUser(p.space!, buf, physToVirt(m.nameAddr), n)) return -ErrorCode.BadAddress;
  return m.nameLength;
}
