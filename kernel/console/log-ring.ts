// The kernel's log ring: every line written to the kernel console, the kernel's own and each
// process's (the write system call), as records of abi/log.ts's layout with the time, the source
// (pid and name) and the level, so a log service can collect them later (KernelLog capability,
// kernel/object/kernel-log.ts). The ring keeps the last KERNEL_LOG_RECORDS records; a reader that
// falls behind learns how many it missed from the sequence numbers, nothing is lost silently. The
// serial log does not depend on it: the bytes reach the consoles first.
import { KERNEL_LOG_RECORDS, LOG_NAME_MAX, LOG_RECORD_BYTES, LOG_TEXT_MAX, LogFlag, LogLevel, LogRec } from "../../abi/log.ts";
import { release } from "../../lang/core.ts";
import { load8 } from "../../lang/mem.ts";
import { nowNs } from "../time/clock.ts";

const KERNEL_NAME = "kernel";

class LogRing {
  /**
   * Made by logRingInit once the kernel heap can grow (its 32 KiB do not fit the static arena that
   * carries the boot up to memoryInit); lines written before are on the serial log only.
   */
  data = new Uint8Array(0);
  /** Sequence number of the record being filled or filled next; records before it are complete. */
  next = 0;
  /** A record (sequence `next`) has text in it and no newline yet. */
  open = false;
  /** The pid of the open record. */
  openPid = 0;
  /** The source of the bytes written now: pid (0: the kernel; -1: none, not recorded), level and name. */
  pid = 0;
  level: number = LogLevel.Info;
  nameAddr = 0;
  nameLength = 0;
}

const ring = new LogRing();

function at(seq: number): number {
  return (seq % KERNEL_LOG_RECORDS) * LOG_RECORD_BYTES;
}

function put(off: number, value: number, bytes: number): void {
  let v = value;
  for (let i = 0; i < bytes; i++) {
    ring.data[off + i] = v % 256;
    v = Math.floor(v / 256);
  }
}

/** Starts the record at `next` for the current source. */
function openRecord(): void {
  const off = at(ring.next);
  put(off + LogRec.Time, nowNs(), 8);
  put(off + LogRec.Pid, ring.pid, 4);
  ring.data[off + LogRec.Level] = ring.level;
  ring.data[off + LogRec.Flags] = 0;
  ring.data[off + LogRec.TextLength] = 0;
  let n = 0;
  if (ring.nameAddr === 0) {
    n = KERNEL_NAME.length;
    for (let i = 0; i < n; i++) ring.data[off + LogRec.Name + i] = KERNEL_NAME.charCodeAt(i);
  } else {
    n = Math.min(ring.nameLength, LOG_NAME_MAX);
    for (let i = 0; i < n; i++) ring.data[off + LogRec.Name + i] = load8(ring.nameAddr + i);
  }
  ring.data[off + LogRec.NameLength] = n;
  ring.open = true;
  ring.openPid = ring.pid;
}

function closeRecord(flags: number): void {
  const off = at(ring.next);
  ring.data[off + LogRec.Flags] = ring.data[off + LogRec.Flags]! | flags;
  ring.open = false;
  ring.next++;
}

/** Starts recording (idempotent). */
export function logRingInit(): void {
  if (ring.data.length !== 0) return;
  release(ring.data);
  ring.data = new Uint8Array(KERNEL_LOG_RECORDS * LOG_RECORD_BYTES);
}

/** One byte written to the console by the current source: a newline completes the record. */
export function logRingByte(b: number): void {
  if (b === 13 || ring.pid < 0 || ring.data.length === 0) return;
  if (ring.open && ring.openPid !== ring.pid) closeRecord(LogFlag.Unfinished);
  if (b === 10) {
    if (!ring.open) openRecord();
    closeRecord(0);
    return;
  }
  if (!ring.open) openRecord();
  const off = at(ring.next);
  const len = ring.data[off + LogRec.TextLength]!;
  if (len === LOG_TEXT_MAX) {
    closeRecord(LogFlag.Continued);
    logRingByte(b);
    return;
  }
  ring.data[off + LogRec.Text + len] = b;
  ring.data[off + LogRec.TextLength] = len + 1;
}

/**
 * The bytes that follow come from process `pid` named by the `nameLength` bytes at kernel address
 * `nameAddr` (its module name), at level Info, until logSourceKernel. A line it left open is
 * completed as unfinished when another source writes.
 */
export function logSourceProcess(pid: number, nameAddr: number, nameLength: number): void {
  ring.pid = pid;
  ring.nameAddr = nameAddr;
  ring.nameLength = nameLength;
  ring.level = LogLevel.Info;
}

/** The bytes that follow are not log lines (terminal output): the ring leaves them out. */
export function logSourceNone(): void {
  ring.pid = -1;
}

/** The bytes that follow are the kernel's, at `level`. */
export function logSourceKernel(level: number): void {
  ring.pid = 0;
  ring.nameAddr = 0;
  ring.nameLength = 0;
  ring.level = level;
}

/** Sequence number of the next record to complete: records [max(0, next - KERNEL_LOG_RECORDS), next) are readable. */
export function logRingNext(): number {
  return ring.next;
}

/** The oldest sequence number still in the ring. */
export function logRingOldest(): number {
  return Math.max(0, ring.next - KERNEL_LOG_RECORDS);
}

/** Byte `i` (0 .. LOG_RECORD_BYTES - 1) of complete record `seq` (logRingOldest() <= seq < logRingNext()). */
export function logRingRecordByte(seq: number, i: number): number {
  return ring.data[at(seq) + i]!;
}

/** Empties the ring (host tests). */
export function logRingReset(): void {
  logRingInit();
  ring.next = 0;
  ring.open = false;
  logSourceKernel(LogLevel.Info);
}
