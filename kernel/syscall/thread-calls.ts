// System calls on the threads of the calling process: thread_create and thread_exit
// (docs/syscalls.md, "Threads"). The Thread object's own methods (join, status, priority) are
// invocations (kernel/object/thread.ts). thread_exit leaves the call through the scheduler; host
// tests that drive calls without threads install their own (setThreadExitHook).
import { ErrorCode } from "../../abi/errors.ts";
import { Process } from "../proc/process.ts";
import type { ProcCaps } from "../proc/proc-caps.ts";
import { threadCreate, threadExitCurrent } from "../proc/user-thread.ts";

/** Ends the calling thread of `p` with `status`; does not return in the kernel. */
export type ThreadExitHook = (p: Process, status: number) => void;

class ThreadCallHooks {
  exit: ThreadExitHook = threadExitCurrent;
}

const hooks = new ThreadCallHooks();

export function setThreadExitHook(fn: ThreadExitHook): void {
  hooks.exit = fn;
}

/** thread_create(entry, stack, arg, tidOut): a Thread capability's handle, or -error. */
export function sysThreadCreate(p: Process, pc: ProcCaps, entry: number, stack: number, arg: number, tidOut: number): number {
  if (p.space === null) return -ErrorCode.ProcessExited;
  return threadCreate(p, pc, entry, stack, arg, tidOut);
}

/** thread_exit(status): does not come back. */
export function sysThreadExit(p: Process, status: number): number {
  hooks.exit(p, status);
  return 0;
}
