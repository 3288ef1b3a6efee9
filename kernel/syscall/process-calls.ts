// System calls on the calling process and its children: exit, write, getpid, yield, map and unmap,
// the boot modules, spawn, wait and process_kill. Exit and yield leave the call through the
// scheduler; tests that drive calls without threads install their own (setSyscallHooks).
import { ErrorCode } from "../../abi/errors.ts";
import { consoleWrite } from "../console/log.ts";
import { logSourceKernel, logSourceNone, logSourceProcess } from "../console/log-ring.ts";
import { WRITE_FLAGS_ALL, WriteFlag } from "../../abi/process.ts";
import { LogLevel } from "../../abi/log.ts";
import { physToVirt, PAGE_SIZE } from "../arch/x86_64/layout.ts";
import { translate } from "../arch/x86_64/paging.ts";
import { ExitHow, Process, processBootInfo, processByPid, processKill } from "../proc/process.ts";
import { userRangeAccessible } from "../proc/user-copy.ts";
import { exitCurrent } from "../proc/user-thread.ts";
import { yieldNow } from "../sched/scheduler.ts";
import { processKillTarget } from "./cap-calls.ts";

/** Ends the calling process with `status`, reported as `how` (ExitHow); does not return in the kernel. */
export type ExitHook = (p: Process, status: number, how: number) => void;
export type YieldHook = () => void;

class ProcessCallHooks {
  exit: ExitHook = exitCurrent;
  yieldFn: YieldHook = yieldNow;
}

const hooks = new ProcessCallHooks();

/** Host tests run calls without threads: they record exits and yields instead. */
export function setSyscallHooks(exit: ExitHook, yieldFn: YieldHook): void {
  hooks.exit = exit;
  hooks.yieldFn = yieldFn;
}

/** exit(status): does not come back. */
export function sysExit(p: Process, status: number): number {
  hooks.exit(p, status, ExitHow.Exited);
  return 0;
}

/** yield(): gives the CPU to another ready thread. */
export function sysYield(): number {
  hooks.yieldFn();
  return 0;
}

/** write: the bytes go to the console straight from the frames the caller's tables name. */
export function sysWrite(p: Process, buf: number, len: number, flags: number): number {
  const space = p.space!;
  if (!userRangeAccessible(space, buf, len, false)) return -ErrorCode.BadAddress;
  let done = 0;
  if ((flags & ~WRITE_FLAGS_ALL) !== 0) return -ErrorCode.InvalidArgument;
  // The kernel's log ring records the lines under the process's pid and name; terminal output
  // is not a log line.
  if ((flags & WriteFlag.Terminal) !== 0) logSourceNone();
  else logSourceProcess(p.pid, p.nameAddr, p.nameLength);
  while (done < len) {
    const at = buf + done;
    const inPage = Math.min(len - done, PAGE_SIZE - (at % PAGE_SIZE));
    consoleWrite(physToVirt(translate(space, at)), inPage);
    done += inPage;
  }
  logSourceKernel(LogLevel.Info);
  return len;
}

/** module_count(): the boot modules. */
export function sysModuleCount(): number {
  const info = processBootInfo();
  return info === null ? 0 : info.moduleCount;
}

/** process_kill(h, status): ends the process the Process capability `h` names. */
export function sysProcessKill(p: Process, h: number, status: number): number {
  const pid = processKillTarget(p, h);
  if (pid < 0) return pid;
  // Killing itself is exit reported as a kill: the caller's own thread runs its exit path.
  if (pid === p.pid) {
    hooks.exit(p, status, ExitHow.Killed);
    return 0;
  }
  processKill(processByPid(pid)!, status, p.pid);
  return 0;
}
