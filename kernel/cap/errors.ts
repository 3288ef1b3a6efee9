// Error codes of the capability and IPC layer. The numbering is part of the system-call ABI:
// a system call returns 0 for success or the negated code, so never renumber, only append.

export const enum CapError {
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
}

/** Number of codes, for tables indexed by code. */
export const CAP_ERROR_COUNT = 24;

/** A readable message for each code (panics, logs, the user library's strerror). */
export function errorMessage(e: CapError): string {
  switch (e) {
    case CapError.Ok: return "success";
    case CapError.InvalidHandle: return "invalid handle";
    case CapError.StaleHandle: return "stale handle (slot reused)";
    case CapError.WrongType: return "wrong object type";
    case CapError.MissingRights: return "missing rights";
    case CapError.Revoked: return "capability revoked";
    case CapError.QuotaExceeded: return "kernel memory quota exceeded";
    case CapError.TableFull: return "capability table full";
    case CapError.QueueFull: return "queue full";
    case CapError.QueueEmpty: return "queue empty";
    case CapError.ReplyUsed: return "reply capability already used";
    case CapError.CallerGone: return "caller gone";
    case CapError.PeerClosed: return "peer closed";
    case CapError.ObjectDestroyed: return "object destroyed";
    case CapError.TimedOut: return "timed out";
    case CapError.WouldBlock: return "would block";
    case CapError.RightsEscalation: return "rights escalation";
    case CapError.AlreadyBadged: return "capability already badged";
    case CapError.InvalidArgument: return "invalid argument";
    case CapError.Cancelled: return "wait cancelled";
    case CapError.AlreadyExists: return "already exists";
    case CapError.NotFound: return "not found";
    case CapError.SetFull: return "wait set full";
    case CapError.CapsNotAccepted: return "capabilities do not fit a register message";
  }
  return "unknown error";
}
