// The log service's protocol (docs/userland.md, "Log service") and its client side. The service
// (userland/log) keeps the system's log: the kernel's log ring (every line the kernel and every
// process wrote to the kernel console, with time, source and level; abi/log.ts) drained into a
// larger ring of its own. Its one operation, Read, copies records in the kernel's layout into a
// memory object the client sends with the call, so a reader decodes the service's records and
// the kernel's alike.
import { LOG_RECORD_BYTES, LogLevel, LogRec } from "../../abi/log.ts";
import { load8 } from "../../lang/mem.ts";
import { Right } from "../../abi/rights.ts";
import { Method, MsgFlag } from "../../abi/message.ts";
import { call, invokeAnswer, invokeWords, memoryCreate, memoryMap, msgAlloc, msgClear, msgLabel, msgSetCap, msgSetCapCount, msgSetFlags, msgSetLabel, msgSetWord, msgWord } from "./ipc.ts";

export const enum LogOp {
  /**
   * Word 0 = first sequence number wanted; one memory object capability (Write and Map, sent as
   * a copy). Answer: words 0 = records copied into the object from its start, 1 = sequence number
   * of the first one (more than asked when older ones are gone), 2 = the next one to ask for.
   */
  Read = 1,
}

export const enum LogStatus {
  Ok = 0,
  /** Unknown label, a negative sequence number, no memory object or one that cannot be mapped. */
  BadRequest = 1,
}

/** How long a client waits for the service's answer. */
export const LOG_CALL_TIMEOUT_NS = 2000000000;

/** A client of the log service at endpoint `ep`, with a buffer of `pages` pages mapped at `view`. */
export class LogClient {
  ep: number;
  msg = msgAlloc();
  mem: number;
  view: number;
  pages: number;

  constructor(ep: number, pages: number, view: number) {
    this.ep = ep;
    this.pages = pages;
    this.view = view;
    this.mem = memoryCreate(pages);
    if (this.mem > 0 && memoryMap(this.mem, view, Right.Read | Right.Write) < 0) this.mem = -1;
  }
}

/** What a LogRead answered: how many records are at the client's view, from which sequence number. */
export class LogBatch {
  status = 0;
  count = 0;
  first = 0;
  next = 0;
}

/** Reads records from `seq` on into the client's buffer; status 0, a LogStatus, or -error. */
export function logRead(c: LogClient, seq: number): LogBatch {
  const b = new LogBatch();
  if (c.mem < 0) {
    b.status = c.mem;
    return b;
  }
  msgClear(c.msg);
  msgSetLabel(c.msg, LogOp.Read);
  msgSetWord(c.msg, 0, seq);
  msgSetCapCount(c.msg, 1);
  msgSetCap(c.msg, 0, c.mem);
  msgSetFlags(c.msg, MsgFlag.CopyCaps);
  // A log service that does not answer in time is reported, not waited for.
  const r = call(c.ep, c.msg, LOG_CALL_TIMEOUT_NS);
  if (r < 0) {
    b.status = r;
    return b;
  }
  b.status = msgLabel(c.msg);
  if (b.status !== LogStatus.Ok) return b;
  b.count = msgWord(c.msg, 0);
  b.first = msgWord(c.msg, 1);
  b.next = msgWord(c.msg, 2);
  return b;
}

/** One record, decoded (from the kernel's ring or the service's). */
export class LogEntry {
  timeNs = 0;
  pid = 0;
  level = 0;
  flags = 0;
  name = "";
  text = "";
}

function bytesAt(addr: number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(load8(addr + i));
  return s;
}

/** The record at `addr` (LOG_RECORD_BYTES long, abi/log.ts layout). */
export function logEntryAt(addr: number): LogEntry {
  const e = new LogEntry();
  let t = 0;
  for (let i = 7; i >= 0; i--) t = t * 256 + load8(addr + LogRec.Time + i);
  e.timeNs = t;
  let pid = 0;
  for (let i = 3; i >= 0; i--) pid = pid * 256 + load8(addr + LogRec.Pid + i);
  e.pid = pid;
  e.level = load8(addr + LogRec.Level);
  e.flags = load8(addr + LogRec.Flags);
  e.name = bytesAt(addr + LogRec.Name, load8(addr + LogRec.NameLength));
  e.text = bytesAt(addr + LogRec.Text, load8(addr + LogRec.TextLength));
  return e;
}

/** Record `i` of the client's buffer after a logRead. */
export function logEntry(c: LogClient, i: number): LogEntry {
  return logEntryAt(c.view + i * LOG_RECORD_BYTES);
}

/** The level's name, as `log -l` takes it. */
export function levelName(l: number): string {
  switch (l) {
    case LogLevel.Error: return "error";
    case LogLevel.Warn: return "warn";
    case LogLevel.Info: return "info";
    default: return "debug";
  }
}

/** The level a process's line announces by its first word ("error:", "warning:", "debug:"), else Info. */
export function levelOfText(text: string): number {
  if (text.startsWith("error:") || text.indexOf(": error:") >= 0) return LogLevel.Error;
  if (text.startsWith("warning:") || text.indexOf(": warning:") >= 0) return LogLevel.Warn;
  if (text.startsWith("debug:")) return LogLevel.Debug;
  return LogLevel.Info;
}

/** A KernelLog capability (every right), from the device control capability: handle or -error. */
export function kernelLogCreate(control: number): number {
  const r = invokeWords(control, Method.KernelLogCreate, 0, 0, 0);
  return r < 0 ? r : msgWord(invokeAnswer(), 0);
}
