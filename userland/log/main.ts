// log: the log service (docs/userland.md, "Log service"). init starts it with a KernelLog
// capability and the receive side of the log endpoint. It drains the kernel's log ring (every line
// the kernel and every process wrote to the kernel console, with time, pid, name and level) into a
// larger ring of its own, every DRAIN_NS and before each answer, and answers Read calls with
// records in the kernel's layout (userland/lib/log.ts). A process's line gets the level its first
// word announces ("error:", "warning:"). Records the kernel overwrote before they were drained are
// counted in a record of their own, so nothing goes missing without a trace. The kernel's serial
// log does not depend on this service; a restarted service starts again from what the kernel's
// ring still holds.
import { FIRST_START_HANDLE } from "../../abi/process.ts";
import { KERNEL_LOG_RECORDS, LOG_RECORD_BYTES, LOG_TEXT_MAX, LogLevel, LogRec } from "../../abi/log.ts";
import { Method } from "../../abi/message.ts";
import { Right } from "../../abi/rights.ts";
import { load8, store8 } from "../../lang/mem.ts";
import {
  capDelete, invokeAnswer, invokeWords, memoryCreate, memoryMap, memoryUnmap, msgAlloc, msgCap, msgCapCount, msgClear, msgLabel,
  msgReplyHandle, msgSetLabel, msgSetWord, msgWord, receive, reply,
} from "../lib/ipc.ts";
import { memoryPages } from "../lib/device.ts";
import { malloc } from "../lib/heap.ts";
import { nowNs } from "../lib/clock.ts";
import { ErrorCode, errorText, exit, getpid } from "../lib/sys.ts";
import { LogOp, LogStatus, levelOfText, logEntryAt } from "../lib/log.ts";

const KERNEL_LOG = FIRST_START_HANDLE;
const ENDPOINT = FIRST_START_HANDLE + 1;
/** Records this service keeps (the kernel keeps KERNEL_LOG_RECORDS). */
const RECORDS = 2048;
/** How often the kernel's ring is drained when nobody asks. */
const DRAIN_NS = 100000000;
/** Pages of the memory object the kernel copies into (32 records a page). */
const DRAIN_PAGES = 2;
/** Where that object is mapped, and where a client's object is mapped while a Read is answered. */
const DRAIN_VIEW = 0x60000000;
const CLIENT_VIEW = 0x61000000;
/** Largest client object mapped (its first pages are used beyond that). */
const CLIENT_PAGES_MAX = 64;
const PAGE = 4096;

class Ring {
  data = malloc(RECORDS * LOG_RECORD_BYTES);
  /** Sequence number of the next record; records [max(0, next - RECORDS), next) are held. */
  next = 0;
  /** The next kernel sequence number to drain. */
  kernelNext = 0;
  drainMem = 0;
  msg = msgAlloc();
}

const ring = new Ring();

function fail(what: string, r: number): never {
  console.log(`log: ${what}: ${errorText(r)}`);
  return exit(1);
}

function slot(seq: number): number {
  return ring.data + (seq % RECORDS) * LOG_RECORD_BYTES;
}

function copyRecord(from: number, to: number): void {
  for (let i = 0; i < LOG_RECORD_BYTES; i++) store8(to + i, load8(from + i));
}

function putNumber(at: number, v: number, bytes: number): void {
  let x = v;
  for (let i = 0; i < bytes; i++) {
    store8(at + i, x % 256);
    x = Math.floor(x / 256);
  }
}

/** A record of the service's own, under its pid and the name "log". */
function note(level: number, text: string): void {
  const at = slot(ring.next);
  for (let i = 0; i < LOG_RECORD_BYTES; i++) store8(at + i, 0);
  putNumber(at + LogRec.Time, nowNs(), 8);
  putNumber(at + LogRec.Pid, getpid(), 4);
  store8(at + LogRec.Level, level);
  const name = "log";
  for (let i = 0; i < name.length; i++) store8(at + LogRec.Name + i, name.charCodeAt(i));
  store8(at + LogRec.NameLength, name.length);
  const n = Math.min(text.length, LOG_TEXT_MAX);
  for (let i = 0; i < n; i++) store8(at + LogRec.Text + i, text.charCodeAt(i));
  store8(at + LogRec.TextLength, n);
  ring.next++;
}

/** Moves every complete record of the kernel's ring into this one. */
function drain(): void {
  for (;;) {
    const r = invokeWords(KERNEL_LOG, Method.LogRead, ring.kernelNext, ring.drainMem, 0);
    if (r < 0) {
      console.log(`log: reading the kernel's log: ${errorText(r)}`);
      return;
    }
    const a = invokeAnswer();
    const count = msgWord(a, 0);
    const first = msgWord(a, 1);
    if (first > ring.kernelNext) {
      note(LogLevel.Warn, `log: ${first - ring.kernelNext} kernel log records were overwritten before they were read (the kernel keeps ${KERNEL_LOG_RECORDS})`);
    }
    for (let i = 0; i < count; i++) {
      const from = DRAIN_VIEW + i * LOG_RECORD_BYTES;
      const to = slot(ring.next);
      copyRecord(from, to);
      // A process's line says its level by its first word.
      const e = logEntryAt(to);
      if (e.pid !== 0) store8(to + LogRec.Level, levelOfText(e.text));
      ring.next++;
    }
    ring.kernelNext = msgWord(a, 2);
    if (count < DRAIN_PAGES * 32) return;
  }
}

function answer(rh: number, status: number, count: number, first: number, next: number): void {
  msgClear(ring.msg);
  msgSetLabel(ring.msg, status);
  msgSetWord(ring.msg, 0, count);
  msgSetWord(ring.msg, 1, first);
  msgSetWord(ring.msg, 2, next);
  reply(rh, ring.msg);
  capDelete(rh);
}

/** Read: copies records from `seq` on into the client's memory object `mem`. */
function serveRead(rh: number, seq: number, mem: number): void {
  const pages = memoryPages(mem);
  if (seq < 0 || pages <= 0 || memoryMap(mem, CLIENT_VIEW, Right.Read | Right.Write) < 0) {
    answer(rh, LogStatus.BadRequest, 0, 0, 0);
    return;
  }
  drain();
  const room = Math.floor((Math.min(pages, CLIENT_PAGES_MAX) * PAGE) / LOG_RECORD_BYTES);
  const first = Math.min(Math.max(seq, ring.next - RECORDS, 0), ring.next);
  const end = Math.min(ring.next, first + room);
  for (let s = first; s < end; s++) copyRecord(slot(s), CLIENT_VIEW + (s - first) * LOG_RECORD_BYTES);
  memoryUnmap(CLIENT_VIEW);
  answer(rh, LogStatus.Ok, end - first, first, end);
}

function serve(m: number): void {
  const rh = msgReplyHandle(m);
  const caps = msgCapCount(m);
  const mem = caps > 0 ? msgCap(m, 0) : 0;
  for (let i = 1; i < caps; i++) capDelete(msgCap(m, i));
  if (rh > 0) {
    if (msgLabel(m) === LogOp.Read && caps >= 1) serveRead(rh, msgWord(m, 0), mem);
    else answer(rh, LogStatus.BadRequest, 0, 0, 0);
  }
  if (mem > 0) capDelete(mem);
}

ring.drainMem = memoryCreate(DRAIN_PAGES);
if (ring.drainMem < 0) fail("memory for the kernel's records", ring.drainMem);
const mapped = memoryMap(ring.drainMem, DRAIN_VIEW, Right.Read | Right.Write);
if (mapped < 0) fail("mapping the kernel's records", mapped);
drain();
note(LogLevel.Info, `log: started, ${ring.next} records from the kernel's ring`);
const msg = msgAlloc();
for (;;) {
  const r = receive(ENDPOINT, msg, DRAIN_NS);
  if (r === 0) serve(msg);
  else if (r !== -ErrorCode.TimedOut) fail("receive", r);
  drain();
}
