// System call dispatch: decodes the number and arguments, checks every user pointer through
// kernel/proc/user-copy.ts, and returns the result or a negated ErrorCode. Exit, yield and the
// blocking part of wait go through hooks so that this file runs on the host as it is.
import { load64 } from "../../lang/mem.ts";
import { Frame } from "../arch/x86_64/frame.ts";
import { frameArg } from "../arch/x86_64/usermode.ts";
import { consoleWrite } from "../console/log.ts";
import { physToVirt, PAGE_SIZE } from "../mm/layout.ts";
import { translate } from "../mm/paging.ts";
import {
  ExitHow, Process, copyModuleName, processBootInfo, processByPid, processKill, processMap, processUnmap, processWait,
  spawnModule,
} from "../proc/process.ts";
import { userRangeAccessible } from "../proc/user-copy.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { procCaps, processKillTarget } from "./cap-calls.ts";
import { capabilitySyscall } from "./invoke.ts";
import { sysCallRegisters, sysReplyWait } from "./ipc-regs.ts";
import { Sys, SYSCALL_COUNT } from "../../abi/numbers.ts";

/** Ends the calling process with `status`, reported as `how` (ExitHow); does not return in the kernel. */
export type ExitHook = (p: Process, status: number, how: number) => void;
export type YieldHook = () => void;

function noExit(p: Process, status: number, how: number): void {
  void p;
  void status;
  void how;
}
function noYield(): void {}

let exitHook: ExitHook = noExit;
let yieldHook: YieldHook = noYield;
/** Calls refused as unknown (each process counts its own calls: Process.syscalls). */
export let unknownSyscalls = 0;

export function setSyscallHooks(exit: ExitHook, yieldFn: YieldHook): void {
  exitHook = exit;
  yieldHook = yieldFn;
}

/** write: the bytes go to the console straight from the frames the caller's tables name. */
function sysWrite(p: Process, buf: number, len: number): number {
  const space = p.space!;
  if (!userRangeAccessible(space, buf, len, false)) return -ErrorCode.BadAddress;
  let done = 0;
  while (done < len) {
    const at = buf + done;
    const inPage = Math.min(len - done, PAGE_SIZE - (at % PAGE_SIZE));
    consoleWrite(physToVirt(translate(space, at)), inPage);
    done += inPage;
  }
  return len;
}

/**
 * Runs the system call whose number and arguments are in the saved user registers at `frame`
 * (Frame layout) and returns the value for rax. The null call decodes nothing and the register
 * calls read their own registers; only the others go through syscallDispatch's six arguments.
 */
export function syscallFromFrame(p: Process, frame: number): number {
  // Each case ends in a tail call or a return, so the hot ones need no stack frame here.
  const n = register(frame, Frame.RAX);
  const pc = p.caps;
  if (pc !== null && n === Sys.CallRegs) {
    p.syscalls++;
    return sysCallRegisters(pc, frame);
  }
  if (pc !== null && n === Sys.ReplyWait) {
    p.syscalls++;
    return sysReplyWait(pc, frame);
  }
  if (n === Sys.Null) {
    p.syscalls++;
    return 0;
  }
  // Register calls of a process without a capability context yet come here too (frameSyscall).
  return syscallWithArguments(p, n, frame);
}

function syscallWithArguments(p: Process, n: number, frame: number): number {
  if (n === Sys.CallRegs || n === Sys.ReplyWait) return frameSyscall(p, n, frame);
  return syscallDispatch(p, n, register(frame, Frame.RDI), register(frame, Frame.RSI), register(frame, Frame.RDX),
    register(frame, Frame.R10), register(frame, Frame.R8), register(frame, Frame.R9));
}

/** A saved register as a number: the common small values at once, the rest through frameArg. */
function register(frame: number, offset: number): number {
  const w = load64(frame + offset);
  return w < 0x20000000000000n ? Number(w) : frameArg(frame, offset);
}

/**
 * Runs a register-message call (kernel/syscall/ipc-regs.ts) on the saved user registers at
 * `frame`: it takes more arguments than the six of syscallDispatch and answers in several
 * registers. Returns the value for rax.
 */
export function frameSyscall(p: Process, n: number, frame: number): number {
  p.syscalls++;
  const pc = procCaps(p);
  if (pc === null) return -ErrorCode.QuotaExceeded;
  return n === Sys.CallRegs ? sysCallRegisters(pc, frame) : sysReplyWait(pc, frame);
}

/** Runs system call `n` for process `p` with arguments a0..a5; returns the value for rax. */
export function syscallDispatch(p: Process, n: number, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number): number {
  p.syscalls++;
  if (n < 0 || n >= SYSCALL_COUNT) {
    unknownSyscalls++;
    return -ErrorCode.UnknownSyscall;
  }
  switch (n) {
    case Sys.Null:
      return 0;
    case Sys.Exit:
      exitHook(p, a0, ExitHow.Exited);
      return 0;
    case Sys.Write:
      return sysWrite(p, a0, a1);
    case Sys.GetPid:
      return p.pid;
    case Sys.Yield:
      yieldHook();
      return 0;
    case Sys.Map:
      return processMap(p, a0, a1, a2);
    case Sys.Unmap:
      return processUnmap(p, a0, a1);
    case Sys.ModuleCount: {
      const info = processBootInfo();
      return info === null ? 0 : info.moduleCount;
    }
    case Sys.ModuleName:
      return copyModuleName(p, a0, a1, a2);
    case Sys.Spawn:
      if (!p.mayStartModules) return -ErrorCode.PermissionDenied;
      return spawnModule(a0, p.pid, false);
    case Sys.Wait:
      return processWait(p, a0, a1);
    case Sys.ProcessKill: {
      const pid = processKillTarget(p, a0);
      if (pid < 0) return pid;
      // Killing itself is exit reported as a kill: the caller's own thread runs its exit path.
      if (pid === p.pid) {
        exitHook(p, a1, ExitHow.Killed);
        return 0;
      }
      processKill(processByPid(pid)!, a1, p.pid);
      return 0;
    }
    default:
      // Capabilities and IPC: kernel/syscall/invoke.ts.
      if (n >= Sys.CapIdentify) return capabilitySyscall(p, n, a0, a1, a2, a3, a4, a5);
      return -ErrorCode.UnknownSyscall;
  }
}
