// The glue between processes and the rest of the kernel: a process's thread is a scheduler thread
// that drops to ring 3; system calls arrive at keel_syscall; a fault in ring 3 kills the process
// with a report instead of the kernel; the right address space is loaded on every way back to
// user mode (the scheduler loads each thread's spaceRoot); init is the first process.
import { panic } from "../../lang/core.ts";
import { readCr, restoreInterrupts, saveDisableInterrupts } from "../arch/x86_64/cpu.ts";
import { Frame } from "../arch/x86_64/frame.ts";
import { printFpuFault } from "../arch/x86_64/fpu.ts";
import { exceptionName, ioInstructionPort, isIoPrefix, printPageFaultCause, reportException, setUserFaultHook, Vector } from "../arch/x86_64/exceptions.ts";
import { setInterruptReturnHook } from "../arch/x86_64/interrupts.ts";
import { enterUser, frameAddr, frameArg, redirectToKill } from "../arch/x86_64/usermode.ts";
import { BootInfo, findModule } from "../boot/bootinfo.ts";
import { klogBytes } from "../console/log.ts";
import { LogLevel } from "../../abi/log.ts";
import { FrameAllocator } from "../mm/frame-allocator.ts";
import { AddressSpace } from "../arch/x86_64/paging.ts";
import { Priority } from "../sched/run-queue.ts";
import {
  FOREVER, currentThread, exitThread, killThread, schedulerInterruptReturn, spawnKernelThread, threadById, wakeThread,
} from "../sched/scheduler.ts";
import { WakeReason } from "../sched/thread.ts";
import { setWakeHook, type Waiter } from "../cap/waiter.ts";
import { waitOnLocked, wakeAllLocked } from "../sched/wait-queue.ts";
import {
  ExitHow, Process, activateSpace, processAddThread, processByPid, processExit, processInit, processOfThread, processThreadExit,
  setThreadKiller, spawnModule,
} from "./process.ts";
import { type ProcCaps, threadWaiterCreate } from "./proc-caps.ts";
import { MAX_THREADS_PER_PROCESS } from "./limits.ts";
import { accountCharge, accountChargeOutside, accountRefund, Cost } from "../cap/quota.ts";
import { capDelete } from "../cap/cdt.ts";
import { threadObjectBind, threadObjectCreate } from "../object/thread.ts";
import { MAX_THREADS } from "../sched/scheduler.ts";
import { STACK_PAGES } from "../sched/thread.ts";
import { PAGE_SIZE } from "../arch/x86_64/layout.ts";
import { pageFlags, PageFlags } from "../arch/x86_64/paging.ts";
import { userRangeInBounds, writeUserNumber } from "./user-copy.ts";
import { printUserLocation } from "./symbolize.ts";
import { initCaps, procCaps } from "./proc-caps.ts";
import { userRangeAccessible } from "./user-copy.ts";
import { load8 } from "../../lang/mem.ts";
import { physToVirt } from "../arch/x86_64/layout.ts";
import { translate } from "../arch/x86_64/paging.ts";
import { deviceControlCreate, deviceControlInit } from "../object/device-control.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { FIRST_START_HANDLE } from "../../abi/process.ts";

function startUserThread(pid: number): number {
  const on = saveDisableInterrupts();
  const p = processByPid(pid);
  const t = spawnKernelThread("user", userThreadMain, pid, p !== null ? p.priority : Priority.Application);
  // The scheduler loads this root whenever it switches to the thread.
  if (t !== null && p !== null && p.space !== null) t.spaceRoot = p.space!.root;
  restoreInterrupts(on);
  return t === null ? -1 : t.id;
}

/** First code of a process's thread (kernel mode, its own stack): into the program. */
function userThreadMain(pid: number): void {
  saveDisableInterrupts();
  const p = processByPid(pid);
  if (p === null) return;
  activateSpace(p);
  enterUser(p.plan.entry, p.plan.initialSp, p.plan.startupInfo);
}

/** Where each created thread starts in ring 3: entry, stack and argument, by scheduler id. */
class ThreadStarts {
  entry: number[] = new Array<number>(MAX_THREADS).fill(0);
  stack: number[] = new Array<number>(MAX_THREADS).fill(0);
  arg: number[] = new Array<number>(MAX_THREADS).fill(0);
}

const starts = new ThreadStarts();

/** Kernel memory a created thread is charged while it lives: its records, and its kernel stack and guard page. */
export const THREAD_HEAP_CHARGE = Cost.ThreadRecord;
export const THREAD_STACK_CHARGE = (STACK_PAGES + 1) * PAGE_SIZE;

/** First code of a created thread (kernel mode, its own stack): into the program at its entry. */
function createdThreadMain(arg: number): void {
  void arg;
  saveDisableInterrupts();
  const tid = currentThread().id;
  const p = processOfThread(tid);
  if (p === null) return;
  activateSpace(p!);
  enterUser(starts.entry[tid]!, starts.stack[tid]!, starts.arg[tid]!);
}

/** Whether user code may run at `entry` in `p`'s space: a present user page without NX. */
function executableUserAddress(p: Process, entry: number): boolean {
  if (!userRangeInBounds(entry, 1) || p.space === null) return false;
  const f = pageFlags(p.space!, entry);
  return f >= 0 && (f & PageFlags.User) !== 0 && (f & PageFlags.NoExecute) === 0;
}

/**
 * thread_create(entry, stack, arg, tidOut): a new thread of `p` in its address space and
 * capability table, entering ring 3 at `entry` with rsp = `stack` and rdi = `arg`, in p's
 * priority class. Checks everything before anything is made: `entry` must be executable user
 * memory, `stack` 8-aligned with the word below it writable user memory (BadAddress), `tidOut` 0
 * or a writable 8-aligned word. Then the thread limit (NoMemory, logged by name), its charge
 * (QuotaExceeded), the Thread capability (QuotaExceeded, TableFull) and a scheduler thread
 * (NoMemory). Returns the Thread capability's handle, or -error with nothing left behind.
 */
export function threadCreate(p: Process, pc: ProcCaps, entry: number, stack: number, arg: number, tidOut: number): number {
  const space = p.space;
  if (space === null) return -ErrorCode.ProcessExited;
  if (!executableUserAddress(p, entry)) return -ErrorCode.BadAddress;
  if (stack % 8 !== 0) return -ErrorCode.InvalidArgument;
  if (!userRangeAccessible(space!, stack - 8, 8, true)) return -ErrorCode.BadAddress;
  if (tidOut !== 0 && (tidOut % 8 !== 0 || !userRangeAccessible(space!, tidOut, 8, true))) return -ErrorCode.BadAddress;
  if (p.threadCount >= MAX_THREADS_PER_PROCESS) {
    console.log(`proc: pid ${p.pid} has MAX_THREADS_PER_PROCESS (${MAX_THREADS_PER_PROCESS}) threads: thread_create refused`);
    return -ErrorCode.NoMemory;
  }
  const charge = THREAD_HEAP_CHARGE + THREAD_STACK_CHARGE;
  if (accountCharge(pc.account, THREAD_HEAP_CHARGE) !== ErrorCode.Ok) return -ErrorCode.QuotaExceeded;
  if (accountChargeOutside(pc.account, THREAD_STACK_CHARGE) !== ErrorCode.Ok) {
    accountRefund(pc.account, THREAD_HEAP_CHARGE);
    return -ErrorCode.QuotaExceeded;
  }
  const h = threadObjectCreate(pc.table);
  if (h < 0) {
    accountRefund(pc.account, charge);
    return h;
  }
  const on = saveDisableInterrupts();
  const t = spawnKernelThread("user", createdThreadMain, 0, p.priority);
  if (t === null) {
    restoreInterrupts(on);
    console.log(`proc: pid ${p.pid}: no scheduler thread left (MAX_THREADS ${MAX_THREADS}): thread_create refused`);
    capDelete(pc.table, h);
    accountRefund(pc.account, charge);
    return -ErrorCode.NoMemory;
  }
  // Bound before it can run (interrupts are off until the call returns to ring 3).
  t.spaceRoot = space!.root;
  starts.entry[t.id] = entry;
  starts.stack[t.id] = stack;
  starts.arg[t.id] = arg;
  processAddThread(p, t.id, charge);
  threadWaiterCreate(t.id, pc.table);
  threadObjectBind(pc.table, h, t.id, p.priority, p.priority);
  restoreInterrupts(on);
  if (tidOut !== 0) writeUserNumber(space!, tidOut, t.id);
  return h;
}

/**
 * thread_exit(status): ends the calling thread; when it is its process's last, the process
 * exits with `status` as exit would.
 */
export function threadExitCurrent(p: Process, status: number): void {
  saveDisableInterrupts();
  if (!processThreadExit(p, currentThread().id, status)) {
    exitCurrent(p, status, ExitHow.Exited);
    return;
  }
  exitThread();
}

function waitForChild(parent: Process): void {
  waitOnLocked(parent.childExits, FOREVER);
}

function wakeParent(parent: Process): void {
  wakeAllLocked(parent.childExits);
}

/** The process the running thread belongs to, null for a kernel thread. */
function currentProcess(): Process | null {
  return processOfThread(currentThread().id);
}



/** exit (or process_kill of itself): releases the process and ends its thread. */
export function exitCurrent(p: Process, status: number, how: number): void {
  saveDisableInterrupts();
  const verb = how === ExitHow.Killed ? "killed itself" : "exited";
  klogBytes(LogLevel.Debug, "proc: ", p.nameAddr, p.nameLength, ` (pid ${p.pid}) ${verb} with status ${status}`);
  processExit(p, status, how);
  exitThread();
}

function killOtherThread(tid: number): void {
  killThread(tid);
}

/** A user byte at `addr`, or -1 when it cannot be read. */
function userByte(p: Process, addr: number): number {
  const space = p.space;
  if (space === null || !userRangeAccessible(space!, addr, 1, false)) return -1;
  return load8(physToVirt(translate(space!, addr)));
}

/** The port of the I/O instruction at the faulting rip, or -1 when it is not one. */
function faultingPort(p: Process, frame: number): number {
  let at = p.faultRip;
  let b = userByte(p, at);
  for (let i = 0; i < 4 && b >= 0 && isIoPrefix(b); i++) b = userByte(p, ++at);
  if (b < 0) return -1;
  return ioInstructionPort(b, userByte(p, at + 1), frameArg(frame, Frame.RDX));
}

/** An exception in ring 3: report it, then make the interrupted thread end in keel_user_killed. */
function onUserFault(frame: number, vector: number): void {
  const p = currentProcess();
  if (p === null) {
    reportException(frame, vector);
    panic(exceptionName(vector));
  }
  const proc = p!;
  proc.faultVector = vector;
  proc.faultRip = frameAddr(frame, Frame.RIP);
  proc.faultAddr = vector === Vector.PageFault ? Number(readCr(2) & 0xffffffffffffn) : 0;
  klogBytes(LogLevel.Error, "proc: ", proc.nameAddr, proc.nameLength,
    ` (pid ${proc.pid}) killed: ${exceptionName(vector)} at rip=0x${proc.faultRip.toString(16)}`);
  if (vector === Vector.PageFault) {
    console.log(`  address 0x${proc.faultAddr.toString(16)}`);
    printPageFaultCause(frameArg(frame, Frame.ERROR));
  } else if (vector === 16 || vector === 19) {
    printFpuFault(vector);
  } else if (vector === Vector.GeneralProtection) {
    const port = faultingPort(proc, frame);
    if (port >= 0) console.log(`  I/O port 0x${port.toString(16)} was not granted to this process (an IoPortRange capability, enabled)`);
    else console.log(`  error code 0x${frameArg(frame, Frame.ERROR).toString(16)}`);
  }
  printUserLocation(proc, proc.faultRip);
  redirectToKill(frame);
}

/**
 * A killed thread arrives here from the kill trampoline: release the process, end the thread.
 * @export keel_user_killed
 */
export function onUserKilled(): void {
  saveDisableInterrupts();
  const p = currentProcess();
  if (p === null) panic("kill trampoline reached by a thread without a process");
  processExit(p!, p!.faultVector, ExitHow.Killed);
  exitThread();
}


/** A waiter's wait completed: its thread (if it still exists) becomes ready. */
export function wakeWaiterThread(w: Waiter): void {
  const t = threadById(w.threadId);
  if (t !== null) wakeThread(t, WakeReason.Signalled);
}

/**
 * Turns on user mode: the process table, the wake of blocked threads, the ring-3 fault hook and the interrupt
 * return hook. Needs the scheduler (schedulerInit) and interrupts (interruptsInit) first. The
 * address space loaded now provides the kernel half of every process.
 */
export function userModeInit(frames: FrameAllocator, info: BootInfo): void {
  const kernel = new AddressSpace(frames);
  kernel.root = Number(readCr(3) & 0x000ffffffffff000n);
  processInit(frames, kernel, info, startUserThread, waitForChild, wakeParent);
  setThreadKiller(killOtherThread);
  setWakeHook(wakeWaiterThread);
  setUserFaultHook(onUserFault);
  setInterruptReturnHook(schedulerInterruptReturn);
  deviceControlInit(info);
}

/**
 * init's start capabilities, at FIRST_START_HANDLE on: the device control object, from which it
 * claims each driver's interrupt lines, ports and device memory.
 */
function grantInitCaps(p: Process): void {
  const pc = initCaps(p);
  const h = pc === null ? -ErrorCode.QuotaExceeded : deviceControlCreate(pc!.table);
  if (h !== FIRST_START_HANDLE) console.log(`proc: init has no device control capability (${h})`);
}

/** Starts the boot module named `init` with the right to start the others; its pid or a negative error. */
export function startInit(info: BootInfo): number {
  const index = findModule(info, "init");
  if (index < 0) {
    console.log("proc: no boot module named init; no user processes");
    return -1;
  }
  // Interrupts off until the thread is bound to its process: a tick could otherwise run it first.
  const on = saveDisableInterrupts();
  // init is an application: it waits for its children, and its right to start programs lets it
  // start drivers and servers in their more urgent classes.
  const pid = spawnModule(index, 0, true);
  if (pid < 0) {
    console.log(`proc: init could not be started (error ${-pid})`);
  } else {
    console.log(`proc: init started as pid ${pid}`);
    grantInitCaps(processByPid(pid)!);
  }
  restoreInterrupts(on);
  return pid;
}
