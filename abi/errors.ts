// Every error the kernel reports, in one enumeration. A system call's result is a value (0, a
// count, a handle, a pid: never negative) or the negated code, never a positive code. Inside the
// kernel, functions that report a status return the code itself (Ok = 0). The numbering is ABI
// (docs/syscalls.md): never renumber, only append. Codes 1..63 came from the capability layer,
// 64 and up from the process calls, 128 and up from the services in userland (the file system);
// the gaps let every group grow.

export const enum ErrorCode {
  Ok = 0,
  /** The handle names no capability: out of range, never used, or deleted. */
  InvalidHandle = 1,
  /** The slot has been reused since this handle was issued (generation mismatch). */
  StaleHandle = 2,
  /** The capability names an object of another type than the operation needs. */
  WrongType = 3,
  /** The capability lacks a right the operation needs. */
  MissingRights = 4,
  /** The capability was revoked by an ancestor. */
  Revoked = 5,
  /** The process's kernel memory quota cannot cover the operation. */
  QuotaExceeded = 6,
  /** The destination capability table has no free slot. */
  TableFull = 7,
  /** The endpoint's queue is full (non-blocking send). */
  QueueFull = 8,
  /** Nothing to receive (poll). */
  QueueEmpty = 9,
  /** The one-shot reply capability has already been used. */
  ReplyUsed = 10,
  /** The caller waiting for this reply is gone. */
  CallerGone = 11,
  /** The other side of the connection has no capability left. */
  PeerClosed = 12,
  /** The object was destroyed while the thread waited on it. */
  ObjectDestroyed = 13,
  /** The deadline passed before the operation completed. */
  TimedOut = 14,
  /** The operation blocked: the scheduler must suspend the thread until its waiter completes. */
  WouldBlock = 15,
  /** Requested rights are not a subset of the source capability's rights. */
  RightsEscalation = 16,
  /** Mint from a capability that already carries a badge. */
  AlreadyBadged = 17,
  /** An argument is out of range (zero badge, too many capabilities, bad capacity...). */
  InvalidArgument = 18,
  /** The wait was cancelled because the waiting thread is going away. */
  Cancelled = 19,
  /** The source is already a member of the wait set, or the key is taken. */
  AlreadyExists = 20,
  /** No such member in the wait set. */
  NotFound = 21,
  /** The wait set has no free member slot. */
  SetFull = 22,
  /** A register-message operation met a message or reply that carries capabilities. */
  CapsNotAccepted = 23,
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
  /** A device resource (interrupt line, port, device memory) is claimed already, or the kernel uses it. */
  Busy = 71,
  /** The machine offers no way to do it (power off without a usable ACPI description). */
  Unsupported = 72,
  /** A path goes through something that is not a directory (file system). */
  NotADirectory = 128,
  /** A file operation named a directory. */
  IsADirectory = 129,
  /** A directory to delete still has entries. */
  NotEmpty = 130,
  /** A path component is longer than the file system's NAME_MAX. */
  NameTooLong = 131,
  /** The client has the file system's OPEN_MAX files open already. */
  TooManyOpenFiles = 132,
  /** The service has no connection from this client (it restarted, or connect was never called). */
  NotConnected = 133,
}

/** The codes in the first group are 1 .. CAP_GROUP_END - 1; the second starts at 64. */
const CAP_GROUP_END = 24;
const PROCESS_GROUP_START = 64;
const PROCESS_GROUP_END = 73;
const SERVICE_GROUP_START = 128;
const SERVICE_GROUP_END = 134;

/** Whether `code` (positive) is one the kernel defines. */
export function errorKnown(code: number): boolean {
  return (code > 0 && code < CAP_GROUP_END) || (code >= PROCESS_GROUP_START && code < PROCESS_GROUP_END) ||
    (code >= SERVICE_GROUP_START && code < SERVICE_GROUP_END);
}

/** A readable message for each code (panics, logs, the user library's strerror). */
export function errorMessage(e: ErrorCode): string {
  switch (e) {
    case ErrorCode.Ok: return "success";
    case ErrorCode.InvalidHandle: return "invalid handle";
    case ErrorCode.StaleHandle: return "stale handle (slot reused)";
    case ErrorCode.WrongType: return "wrong object type";
    case ErrorCode.MissingRights: return "missing rights";
    case ErrorCode.Revoked: return "capability revoked";
    case ErrorCode.QuotaExceeded: return "kernel memory quota exceeded";
    case ErrorCode.TableFull: return "capability table full";
    case ErrorCode.QueueFull: return "queue full";
    case ErrorCode.QueueEmpty: return "queue empty";
    case ErrorCode.ReplyUsed: return "reply capability already used";
    case ErrorCode.CallerGone: return "caller gone";
    case ErrorCode.PeerClosed: return "peer closed";
    case ErrorCode.ObjectDestroyed: return "object destroyed";
    case ErrorCode.TimedOut: return "timed out";
    case ErrorCode.WouldBlock: return "would block";
    case ErrorCode.RightsEscalation: return "rights escalation";
    case ErrorCode.AlreadyBadged: return "capability already badged";
    case ErrorCode.InvalidArgument: return "invalid argument";
    case ErrorCode.Cancelled: return "wait cancelled";
    case ErrorCode.AlreadyExists: return "already exists";
    case ErrorCode.NotFound: return "not found";
    case ErrorCode.SetFull: return "wait set full";
    case ErrorCode.CapsNotAccepted: return "capabilities do not fit a register message";
    case ErrorCode.BadAddress: return "bad address";
    case ErrorCode.UnknownSyscall: return "unknown system call";
    case ErrorCode.NoMemory: return "out of memory";
    case ErrorCode.NoChild: return "no such child";
    case ErrorCode.PermissionDenied: return "permission denied";
    case ErrorCode.BadExecutable: return "not a loadable program";
    case ErrorCode.ProcessExited: return "process already ended";
    case ErrorCode.Busy: return "in use";
    case ErrorCode.Unsupported: return "not supported by this machine";
    case ErrorCode.NotADirectory: return "not a directory";
    case ErrorCode.IsADirectory: return "is a directory";
    case ErrorCode.NotEmpty: return "directory not empty";
    case ErrorCode.NameTooLong: return "name too long (NAME_MAX)";
    case ErrorCode.TooManyOpenFiles: return "too many open files (OPEN_MAX)";
    case ErrorCode.NotConnected: return "not connected to the service";
  }
  return "unknown error";
}
