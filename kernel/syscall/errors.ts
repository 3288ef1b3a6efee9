// Error codes a system call returns, negated, in rax. Codes 1..63 are the capability and IPC
// layer's (kernel/cap/errors.ts, CapError); the codes below start at 64 so that both lists can
// grow without colliding. Never renumber: the values are part of the ABI (docs/syscalls.md).
import { errorMessage } from "../cap/errors.ts";

export const enum SysError {
  Ok = 0,
  /** An argument is out of range (shared with CapError.InvalidArgument). */
  InvalidArgument = 18,
  /** No such thing (shared with CapError.NotFound). */
  NotFound = 21,
  /** A pointer or length does not describe memory the caller may access that way. */
  BadAddress = 64,
  /** The system call number is not one the kernel knows. */
  UnknownSyscall = 65,
  /** The kernel ran out of memory, frames or process slots for the request. */
  NoMemory = 66,
  /** wait: the caller has no child matching the request. */
  NoChild = 67,
  /** The caller lacks the right the operation needs (starting boot modules). */
  PermissionDenied = 68,
  /** spawn: the boot module is not a loadable program. */
  BadExecutable = 69,
  /** process_kill: the process has already ended (exited or killed). */
  ProcessExited = 70,
}

/** Text of a system call error code (positive), for logs. */
export function sysErrorMessage(code: number): string {
  switch (code) {
    case SysError.BadAddress: return "bad address";
    case SysError.UnknownSyscall: return "unknown system call";
    case SysError.NoMemory: return "out of memory";
    case SysError.NoChild: return "no such child";
    case SysError.PermissionDenied: return "permission denied";
    case SysError.BadExecutable: return "not a loadable program";
    case SysError.ProcessExited: return "process already ended";
    default: return code > 0 && code < 64 ? errorMessage(code) : "unknown error";
  }
}

