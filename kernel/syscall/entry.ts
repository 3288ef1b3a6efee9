// The system-call path: the entry from syscall.S, and the one table from a call's number to its
// implementation (docs/syscalls.md). A call is decoded once: the register-message calls first
// (they read more than the six argument registers and answer in several), the null call next,
// then every other call with its six arguments through one switch. Each family lives in its own
// file: process-calls.ts, cap-calls.ts, ipc-calls.ts, ipc-regs.ts, memory-calls.ts, invoke.ts.
import { load64 } from "../../lang/mem.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { Sys, SYSCALL_COUNT } from "../../abi/numbers.ts";
import { Frame } from "../arch/x86_64/frame.ts";
import { currentTss } from "../arch/x86_64/interrupts.ts";
import { frameArg, syscallInit } from "../arch/x86_64/usermode.ts";
import { panic } from "../../lang/core.ts";
import { copyModuleBytes, copyModuleName, Process, processMap, processOfThread, processUnmap, processWait, spawnModule } from "../proc/process.ts";
import { procCaps, procCapsUse } from "../proc/proc-caps.ts";
import { currentThread, switchResumed } from "../sched/scheduler.ts";
import {
  liveKernelObjects, sysAccountInfo, sysCapBadge, sysCapCopy, sysCapDelete, sysCapIdentify, sysCapMint, sysCapRevoke,
  sysSpawnCaps,
} from "./cap-calls.ts";
import {
  sysCall, sysEndpointCreate, sysNotificationBind, sysNotificationCreate, sysNotificationWait, sysReceive, sysReply,
  sysSend, sysSignal, sysWaitSetAdd, sysWaitSetCreate, sysWaitSetRemove, sysWaitSetWait, timeoutArg,
} from "./ipc-calls.ts";
import { registerWaitEnd, sysCallRegisters, sysReplyWait } from "./ipc-regs.ts";
import { fastCall, fastReplyWait, NOT_FAST, storeResult } from "./fastpath.ts";
import { sysBatch, sysInvoke } from "./invoke.ts";
import { sysMemoryCreate, sysMemoryMap, sysMemoryUnmap } from "./memory-calls.ts";
import { sysExit, sysModuleCount, sysProcessKill, sysWrite, sysYield } from "./process-calls.ts";
import { shmFramesHeld } from "../object/memory.ts";
import { timerCreate } from "../object/timer.ts";
import { sysThreadCreate, sysThreadExit } from "./thread-calls.ts";
import { sysSpawnImage } from "./spawn-image.ts";

/** Turns on the syscall instruction's entry (after userModeInit: it needs the TSS). */
export function syscallsInit(): void {
  syscallInit(currentTss());
}

/**
 * System call entry from syscall.S, interrupts off, on the calling thread's kernel stack.
 * @export keel_syscall
 */
export function onSyscall(frame: number): void {
  // The null call first: its answer, 0, is in the frame's rax already, and gcc returns from this
  // test before saving any register (null call 138 to 98): the
  // null call is the one call the process's counter (Process.syscalls) does not count.
  const number = load64(frame + Frame.RAX);
  if (number === 0n) return;
  const p = processOfThread(currentThread().id);
  if (p === null) panic("system call from a thread without a process");
  // A call that blocks comes back in this process's address space: the scheduler loads it.
  storeResult(frame, syscallNumbered(p!, frame, number));
}

/**
 * A thread that blocked in the IPC fast path (scheduler handOffLeave) and was switched back to by
 * the scheduler, on its Frame (keel_fast_resume_entry in syscall.S): its call_regs or reply_wait
 * ends as the fast path's own end would have, the answer in rax, then the usual exit. A partner
 * that returned to it through the fast path stored the answer itself and never comes here.
 * @export keel_fast_resume
 */
export function fastResume(frame: number): void {
  switchResumed();
  const id = currentThread().id;
  const p = processOfThread(id);
  if (p === null) panic("fast-path resume of a thread without a process");
  const pc = p!.caps;
  if (pc === null) panic("fast-path resume without a capability context");
  if (p!.threadCount > 1) procCapsUse(pc!, id);
  const receive = load64(frame + Frame.RAX) === BigInt(Sys.ReplyWait);
  storeResult(frame, registerWaitEnd(pc!.waiter, frame, receive));
}

/**
 * Runs the system call whose number and arguments are in the saved user registers at `frame`
 * (Frame layout) and returns the value for rax. Inlined into the entry: grown by the thread
 * calls, gcc stopped inlining it by itself, and the extra call and register saves cost every
 * system call (null call 138 to 154).
 * @inline
 */
export function syscallFromFrame(p: Process, frame: number): number {
  return syscallNumbered(p, frame, load64(frame + Frame.RAX));
}

/**
 * syscallFromFrame with the frame's rax (the call's number) read already.
 * @inline
 */
function syscallNumbered(p: Process, frame: number, number: bigint): number {
  const n = number < 0x20000000000000n ? Number(number) : frameArg(frame, Frame.RAX);
  p.syscalls++;
  // Tests in the order of their frequency on the fast paths. The IPC fast path is inlined here (its
  // switch makes this function save registers, which the null call pays for a few instructions);
  // the argument decoding stays out of line.
  const pc = p.caps;
  // Each thread waits with its own waiter: the process's context points at the caller's. With
  // one thread it points there already (threadGone keeps it so); the null call makes no test.
  // The register calls try the fast path first (fastpath.ts); what it declines, it left untouched.
  if (n === Sys.CallRegs && pc !== null) {
    if (p.threadCount > 1) procCapsUse(pc, currentThread().id);
    const r = fastCall(pc, frame);
    return r !== NOT_FAST ? r : sysCallRegisters(pc, frame);
  }
  if (n === Sys.ReplyWait && pc !== null) {
    if (p.threadCount > 1) procCapsUse(pc, currentThread().id);
    const r = fastReplyWait(pc, frame);
    return r !== NOT_FAST ? r : sysReplyWait(pc, frame);
  }
  if (n === Sys.Null) return 0;
  return syscallWithArguments(p, n, frame);
}

/** Every other call: its six arguments decoded, then the table (a register call made its context first). */
function syscallWithArguments(p: Process, n: number, frame: number): number {
  if (n === Sys.CallRegs || n === Sys.ReplyWait) {
    const pc = procCaps(p);
    if (pc === null) return -ErrorCode.QuotaExceeded;
    if (p.threadCount > 1) procCapsUse(pc, currentThread().id);
    return n === Sys.CallRegs ? sysCallRegisters(pc, frame) : sysReplyWait(pc, frame);
  }
  return dispatch(p, n, register(frame, Frame.RDI), register(frame, Frame.RSI), register(frame, Frame.RDX),
    register(frame, Frame.R10), register(frame, Frame.R8), register(frame, Frame.R9));
}

/** A saved register as a number: the common small values at once, the rest through frameArg. */
function register(frame: number, offset: number): number {
  const w = load64(frame + offset);
  return w < 0x20000000000000n ? Number(w) : frameArg(frame, offset);
}

/** Runs system call `n` for process `p` with arguments a0..a5 (not the register calls); the value for rax. */
export function syscallDispatch(p: Process, n: number, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number): number {
  p.syscalls++;
  return dispatch(p, n, a0, a1, a2, a3, a4, a5);
}

/**
 * The table. Calls from CapIdentify up work on the caller's capability context, made on first
 * use; timeouts pass through timeoutArg, so every call sees one a deadline can take.
 */
function dispatch(p: Process, n: number, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number): number {
  // thread_exit needs no context (a single-threaded process's is its exit), nor module_read.
  const withCaps = n >= Sys.CapIdentify && n < SYSCALL_COUNT && n !== Sys.ThreadExit && n !== Sys.ModuleRead;
  const pc = withCaps ? procCaps(p) : null;
  if (withCaps && pc === null) return -ErrorCode.QuotaExceeded;
  if (pc !== null && p.threadCount > 1) procCapsUse(pc!, currentThread().id);
  switch (n) {
    case Sys.Null: return 0;
    case Sys.Exit: return sysExit(p, a0);
    case Sys.Write: return sysWrite(p, a0, a1, a2);
    case Sys.GetPid: return p.pid;
    case Sys.Yield: return sysYield();
    case Sys.Map: return processMap(p, a0, a1, a2);
    case Sys.Unmap: return processUnmap(p, a0, a1);
    case Sys.ModuleCount: return sysModuleCount();
    case Sys.ModuleName: return copyModuleName(p, a0, a1, a2);
    case Sys.Spawn: return p.mayStartModules ? spawnModule(a0, p.pid, false) : -ErrorCode.PermissionDenied;
    case Sys.Wait: return processWait(p, a0, a1);
    case Sys.CapIdentify: return sysCapIdentify(pc!, a0);
    case Sys.CapCopy: return sysCapCopy(pc!, a0, a1);
    case Sys.CapMint: return sysCapMint(pc!, a0, a1, a2);
    case Sys.CapDelete: return sysCapDelete(pc!, a0);
    case Sys.CapRevoke: return sysCapRevoke(pc!, a0);
    case Sys.EndpointCreate: return sysEndpointCreate(pc!, a0);
    case Sys.Send: return sysSend(p, pc!, a0, a1, timeoutArg(a2));
    case Sys.Receive: return sysReceive(p, pc!, a0, a1, timeoutArg(a2));
    case Sys.Call: return sysCall(p, pc!, a0, a1, timeoutArg(a2));
    case Sys.Reply: return sysReply(p, pc!, a0, a1);
    case Sys.NotificationCreate: return sysNotificationCreate(pc!);
    case Sys.Signal: return sysSignal(pc!, a0, a1);
    case Sys.NotificationWait: return sysNotificationWait(pc!, a0, timeoutArg(a1));
    case Sys.NotificationBind: return sysNotificationBind(pc!, a0, a1, a2);
    case Sys.WaitSetCreate: return sysWaitSetCreate(pc!, a0);
    case Sys.WaitSetAdd: return sysWaitSetAdd(pc!, a0, a1, a2, a3);
    case Sys.WaitSetRemove: return sysWaitSetRemove(pc!, a0, a1);
    case Sys.WaitSetWait: return sysWaitSetWait(p, pc!, a0, timeoutArg(a1), a2, a3);
    case Sys.MemoryCreate: return sysMemoryCreate(pc!, a0);
    case Sys.MemoryMap: return sysMemoryMap(p, pc!, a0, a1, a2);
    case Sys.MemoryUnmap: return sysMemoryUnmap(p, pc!, a0);
    case Sys.Invoke: return sysInvoke(p, pc!, a0, a1);
    case Sys.Batch: return sysBatch(p, pc!, a0, a1);
    case Sys.SpawnCaps: return sysSpawnCaps(p, pc!, a0, a1, a2, a3, a4, a5);
    case Sys.CapBadge: return sysCapBadge(pc!, a0);
    case Sys.KernelObjects: return liveKernelObjects() + shmFramesHeld();
    case Sys.AccountInfo: return sysAccountInfo(pc!, a0);
    case Sys.ProcessKill: return sysProcessKill(p, a0, a1);
    case Sys.TimerCreate: return timerCreate(pc!.table);
    case Sys.ThreadCreate: return sysThreadCreate(p, pc!, a0, a1, a2, a3);
    case Sys.ThreadExit: return sysThreadExit(p, a0);
    case Sys.ModuleRead: return copyModuleBytes(p, a0, a1, a2, a3);
    case Sys.SpawnImage: return sysSpawnImage(p, pc!, a0);
    // call_regs and reply_wait read the saved registers: syscallFromFrame runs them.
    default: return -ErrorCode.UnknownSyscall;
  }
}
