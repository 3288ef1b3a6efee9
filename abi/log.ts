// The log's ABI (docs/syscalls.md, "Kernel log"; docs/userland.md, "Log service"): levels, and
// the layout of the records the kernel's log ring hands out through a KernelLog capability
// (LogRead) and the log service keeps. The kernel and user programs both import this module, so
// it imports nothing.

/** How serious a log line is; keel.log= and the log service filter by it. */
export const enum LogLevel {
  Error = 0,
  Warn = 1,
  Info = 2,
  Debug = 3,
}

/** Byte offsets in one log record (LOG_RECORD_BYTES long). */
export const enum LogRec {
  /** 64-bit: monotonic time in ns at which the record was written. */
  Time = 0,
  /** 32-bit: the writing process's pid; 0 for the kernel. */
  Pid = 8,
  /** 8-bit: LogLevel. */
  Level = 12,
  /** 8-bit: LogFlag bits. */
  Flags = 13,
  /** 8-bit: bytes of text (0 .. LOG_TEXT_MAX). */
  TextLength = 14,
  /** 8-bit: bytes of the source's name (0 .. LOG_NAME_MAX). */
  NameLength = 15,
  /** The source's name (the process's name, "kernel" for the kernel). */
  Name = 16,
  /** The text, without its newline. */
  Text = 32,
}

export const LOG_RECORD_BYTES = 128;
export const LOG_NAME_MAX = 16;
export const LOG_TEXT_MAX = LOG_RECORD_BYTES - LogRec.Text;

/** Record flags. */
export const enum LogFlag {
  /** The line goes on in the next record of the same source (it was longer than LOG_TEXT_MAX). */
  Continued = 1,
  /** The line was cut off: its source wrote something else (or another source wrote) before its newline. */
  Unfinished = 2,
}

/** The kernel's ring holds the last this many records; older ones are overwritten (and counted). */
export const KERNEL_LOG_RECORDS = 256;
