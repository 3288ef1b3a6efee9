// IPC system calls: endpoints (send, receive, call, reply), notifications, bindings and wait sets,
// on top of kernel/object/. A message crosses the user boundary as MSG_USER_WORDS 64-bit words at an
// 8-aligned user address (docs/syscalls.md, "Capabilities and IPC"); every pointer is checked
// against the caller's page tables before anything is queued or dequeued, so a bad pointer is an
// error and never a lost message.
//
// Blocking: an operation that returns WouldBlock has queued the process's waiter on the object;
// the thread then blocks in the scheduler (with the call's timeout) until the wake hook makes it
// ready. A timer expiry finds the waiter still waiting and times it out.
import { load64, store64 } from "../../lang/mem.ts";
import { lookupError } from "../cap/cap-table.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { flagsValid } from "../../abi/rights.ts";
import { endpointCreate, endpointReceiveWait, endpointSendWait } from "../object/endpoint.ts";
import { Message, numberToWord, wordToNumber } from "../cap/message.ts";
import { notificationBind, notificationCreate, notificationSignal, notificationWait } from "../object/notification.ts";
import { endpointCall, replySend } from "../object/reply.ts";
import { MAX_WAIT_SET, READY_ALL, Ready, waitSetAddMask, waitSetCreate, waitSetPoll, waitSetRemove, waitSetWait } from "../object/wait-set.ts";
import { FOREVER, NO_WAIT, timeoutWaiter, Waiter, waiterReset, WaitState } from "../cap/waiter.ts";
import { PAGE_SIZE, physToVirt } from "../arch/x86_64/layout.ts";
import { translate, translateUserPage } from "../arch/x86_64/paging.ts";
import { Process } from "../proc/process.ts";
import { userRangeAccessible, userRangeInBounds } from "../proc/user-copy.ts";
import { blockCurrent, FOREVER as SCHED_FOREVER } from "../sched/scheduler.ts";
import { nowNs } from "../time/clock.ts";
import { BITS_LIMIT, LABEL_LIMIT, MSG_USER_BYTES, Timeout, UMsg, MSG_CAPS, MSG_WORDS, MsgFlag } from "../../abi/message.ts";
import { ObjectType } from "../../abi/object-type.ts";
import { ProcCaps } from "../proc/proc-caps.ts";


/** Kernel copy of the message a system call is sending (one CPU; never held across a block). */
const scratch = new Message();
const pollKeys = new Int32Array(MAX_WAIT_SET);
const pollReady = new Int32Array(MAX_WAIT_SET);

export function scratchMessage(): Message {
  return scratch;
}

/**
 * A user message's location in the kernel's view: the direct-map addresses of the one or two
 * pages it spans, found with one page-table walk per page (not one per word).
 */
class UserWindow {
  base = 0;
  split = 0;
  first = 0;
  second = 0;
}
const win = new UserWindow();

/**
 * Direct-map address of user page `page`, or 0 unless it is mapped for user access (and
 * writable). Direct-map addresses are negative (upper half), so 0 is never one.
 */
function userPage(p: Process, page: number, write: boolean): number {
  const phys = translateUserPage(p.space!, page, write);
  return phys < 0 ? 0 : physToVirt(phys);
}

/** Points the window at `len` bytes at 8-aligned user `addr`; false when not accessible. */
function openWindow(p: Process, addr: number, len: number, write: boolean): boolean {
  if (addr % 8 !== 0 || !userRangeInBounds(addr, len)) return false;
  const page = addr - (addr % PAGE_SIZE);
  const k1 = userPage(p, page, write);
  if (k1 === 0) return false;
  win.base = addr;
  win.split = page + PAGE_SIZE;
  win.first = k1 - page;
  win.second = 0;
  if (addr + len > win.split) {
    const k2 = userPage(p, win.split, write);
    if (k2 === 0) return false;
    win.second = k2 - win.split;
  }
  return true;
}

/**
 * Kernel address of word i of the window whose fields the caller read (8-aligned words never
 * straddle a page).
 * @inline
 */
function windowWord(split: number, first: number, second: number, addr: number, i: number): number {
  const at = addr + i * 8;
  return at < split ? first + at : second + at;
}

function smallValue(w: bigint, limit: number): number {
  return w < BigInt(limit) ? Number(w) : -1;
}

/**
 * Reads the user message at `addr` into `m`: Ok, or BadAddress (as a negative ErrorCode value,
 * returned by the caller) / InvalidArgument. Handles outside the handle range read as 0 (invalid).
 */
export function readUserMessage(p: Process, addr: number, m: Message): number {
  if (!openWindow(p, addr, MSG_USER_BYTES, false)) return -ErrorCode.BadAddress;
  // The window in locals: stores into `m` would otherwise make the compiler reload it per word.
  const split = win.split;
  const first = win.first;
  const second = win.second;
  const label = smallValue(load64(windowWord(split, first, second, addr, UMsg.Label)), LABEL_LIMIT);
  const count = smallValue(load64(windowWord(split, first, second, addr, UMsg.CapCount)), MSG_CAPS + 1);
  const flags = smallValue(load64(windowWord(split, first, second, addr, UMsg.Flags)), MsgFlag.CopyCaps + 1);
  if (label < 0 || count < 0 || flags < 0) return -ErrorCode.InvalidArgument;
  m.label = label;
  m.capCount = count;
  m.flags = flags;
  m.badge = 0n;
  m.replyHandle = 0;
  const words = m.words;
  for (let i = 0; i < MSG_WORDS; i++) words[i] = load64(windowWord(split, first, second, addr, UMsg.Words + i));
  const handles = m.handles;
  for (let i = 0; i < MSG_CAPS; i++) {
    const h = smallValue(load64(windowWord(split, first, second, addr, UMsg.Handles + i)), LABEL_LIMIT);
    handles[i] = h < 0 ? 0 : h;
  }
  return 0;
}

/** Whether the process may write a message at `addr`. */
export function userMessageWritable(p: Process, addr: number): boolean {
  return openWindow(p, addr, MSG_USER_BYTES, true);
}

/**
 * Writes `m` (as received) to user `addr`, which userMessageWritable accepted. The check is made
 * again here: the caller may have blocked in between (its own mappings cannot change while it is
 * blocked, having one thread, but the window may have served another process meanwhile).
 */
export function writeUserMessage(p: Process, addr: number, m: Message): void {
  if (!openWindow(p, addr, MSG_USER_BYTES, true)) return;
  const split = win.split;
  const first = win.first;
  const second = win.second;
  store64(windowWord(split, first, second, addr, UMsg.Label), BigInt(m.label));
  store64(windowWord(split, first, second, addr, UMsg.CapCount), BigInt(m.capCount));
  store64(windowWord(split, first, second, addr, UMsg.Flags), 0n);
  store64(windowWord(split, first, second, addr, UMsg.Badge), m.badge);
  store64(windowWord(split, first, second, addr, UMsg.ReplyHandle), BigInt(m.replyHandle));
  const words = m.words;
  for (let i = 0; i < MSG_WORDS; i++) store64(windowWord(split, first, second, addr, UMsg.Words + i), words[i]!);
  const handles = m.handles;
  for (let i = 0; i < MSG_CAPS; i++) {
    const h = handles[i]!;
    store64(windowWord(split, first, second, addr, UMsg.Handles + i), BigInt(h > 0 ? h : 0));
  }
}

/**
 * Longest timeout kept as a deadline (2^52 ns, about 52 days). A longer one, and a register word
 * beyond the safe range (which arrives as 2^53 - 1, or for a negative word as its negative), waits
 * without limit: `now + timeout` then never leaves the safe range.
 */
export const MAX_TIMEOUT_NS = 0x10000000000000;

/** A timeout argument as the calls use it: 0 polls, negative waits forever, else nanoseconds. */
export function timeoutArg(timeoutNs: number): number {
  return timeoutNs >= MAX_TIMEOUT_NS ? Timeout.Forever : timeoutNs;
}

/** Prepares the waiter for a new operation with a timeout: 0 polls, negative waits forever. */
export function arm(w: Waiter, timeoutNs: number): void {
  if (w.state === WaitState.Done) waiterReset(w);
  w.deadline = timeoutNs === Timeout.Poll ? NO_WAIT : timeoutNs < 0 ? FOREVER : nowNs() + timeoutNs;
}

/** Blocks until the waiter completes or the timeout passes; the wait's result. */
export function block(w: Waiter, timeoutNs: number): ErrorCode {
  blockCurrent(timeoutNs > 0 ? timeoutNs : SCHED_FOREVER);
  return finishWait(w);
}

/**
 * After a blocking wait ends (woken, or back from the scheduler with the deadline passed): the
 * wait's result, the waiter ready for the next operation.
 * @inline
 */
export function finishWait(w: Waiter): ErrorCode {
  if (w.state === WaitState.Waiting) timeoutWaiter(w);
  const r = w.result;
  waiterReset(w);
  return r;
}

export function sysEndpointCreate(pc: ProcCaps, capacity: number): number {
  return endpointCreate(pc.table, capacity);
}

/** send(ep, msg, timeout): 0 never waits (QueueFull), > 0 waits that long for room, < 0 forever. */
export function sysSend(p: Process, pc: ProcCaps, ep: number, addr: number, timeoutNs: number): number {
  const r = readUserMessage(p, addr, scratch);
  if (r < 0) return r;
  const w = pc.waiter;
  arm(w, timeoutNs);
  let e = endpointSendWait(pc.table, ep, scratch, w);
  if (e === ErrorCode.WouldBlock) e = block(w, timeoutNs);
  return -e;
}

/** receive(ep, msg, timeout): 0 polls (QueueEmpty), > 0 waits that long, < 0 forever. */
export function sysReceive(p: Process, pc: ProcCaps, ep: number, addr: number, timeoutNs: number): number {
  if (!userMessageWritable(p, addr)) return -ErrorCode.BadAddress;
  const w = pc.waiter;
  arm(w, timeoutNs);
  let e = endpointReceiveWait(pc.table, ep, w);
  if (e === ErrorCode.WouldBlock) e = block(w, timeoutNs);
  if (e === ErrorCode.Ok) writeUserMessage(p, addr, w.msg);
  return -e;
}

/** call(ep, msg, timeout): sends with a one-shot reply capability and waits; the reply lands in msg. */
export function sysCall(p: Process, pc: ProcCaps, ep: number, addr: number, timeoutNs: number): number {
  if (!userMessageWritable(p, addr)) return -ErrorCode.BadAddress;
  const r = readUserMessage(p, addr, scratch);
  if (r < 0) return r;
  const w = pc.waiter;
  arm(w, -1);
  let e = endpointCall(pc.table, ep, scratch, w);
  if (e === ErrorCode.WouldBlock) e = block(w, timeoutNs === 0 ? -1 : timeoutNs);
  if (e === ErrorCode.Ok) writeUserMessage(p, addr, w.msg);
  return -e;
}

export function sysReply(p: Process, pc: ProcCaps, reply: number, addr: number): number {
  const r = readUserMessage(p, addr, scratch);
  if (r < 0) return r;
  return -replySend(pc.table, reply, scratch);
}

export function sysNotificationCreate(pc: ProcCaps): number {
  return notificationCreate(pc.table);
}

export function sysSignal(pc: ProcCaps, n: number, bits: number): number {
  if (bits < 0 || bits >= BITS_LIMIT) return -ErrorCode.InvalidArgument;
  return -notificationSignal(pc.table, n, BigInt(bits));
}

/** wait(n, timeout): the bits (> 0), or -error (QueueEmpty when polling finds none). */
export function sysNotificationWait(pc: ProcCaps, n: number, timeoutNs: number): number {
  const w = pc.waiter;
  arm(w, timeoutNs);
  let e = notificationWait(pc.table, n, w);
  if (e === ErrorCode.WouldBlock) {
    e = blockKeepingBits(w, timeoutNs);
  }
  if (e !== ErrorCode.Ok) return -e;
  const bits = w.bits;
  w.bits = 0n;
  return wordToNumber(bits & 0xfffffffffffffn);
}

/** block, keeping the bits a signal delivered (finishWait's reset would clear them). */
function blockKeepingBits(w: Waiter, timeoutNs: number): ErrorCode {
  blockCurrent(timeoutNs > 0 ? timeoutNs : SCHED_FOREVER);
  const bits = w.bits;
  const r = finishWait(w);
  w.bits = bits;
  return r;
}

export function sysNotificationBind(pc: ProcCaps, ep: number, n: number, bits: number): number {
  if (bits <= 0 || bits >= BITS_LIMIT) return -ErrorCode.InvalidArgument;
  return -notificationBind(pc.table, ep, n, BigInt(bits));
}

export function sysWaitSetCreate(pc: ProcCaps, capacity: number): number {
  return waitSetCreate(pc.table, capacity);
}

/**
 * wait_set_add(ws, src, key, mask): `mask` names the readiness bits to watch; 0 means all but
 * Writable (an endpoint with room is always writable, which would make every wait return at once).
 */
export function sysWaitSetAdd(pc: ProcCaps, ws: number, src: number, key: number, mask: number): number {
  if (key < 0 || key >= LABEL_LIMIT || !flagsValid(mask, READY_ALL)) return -ErrorCode.InvalidArgument;
  const watch = mask === 0 ? Ready.Readable | Ready.PeerClosed | Ready.Signalled : mask;
  return -waitSetAddMask(pc.table, ws, src, key, watch);
}

export function sysWaitSetRemove(pc: ProcCaps, ws: number, key: number): number {
  if (key < 0 || key >= LABEL_LIMIT) return -ErrorCode.InvalidArgument;
  return -waitSetRemove(pc.table, ws, key);
}

/**
 * wait_set_wait(ws, timeout, out, max): waits until a member is ready, then writes up to `max`
 * (key, readiness) pairs of 64-bit words at `out` and returns how many.
 */
export function sysWaitSetWait(p: Process, pc: ProcCaps, ws: number, timeoutNs: number, out: number, max: number): number {
  if (max <= 0 || max > MAX_WAIT_SET) return -ErrorCode.InvalidArgument;
  if (out % 8 !== 0 || !userRangeAccessible(p.space!, out, max * 16, true)) return -ErrorCode.BadAddress;
  const w = pc.waiter;
  arm(w, timeoutNs);
  let e = waitSetWait(pc.table, ws, w);
  if (e === ErrorCode.WouldBlock) e = block(w, timeoutNs);
  if (e !== ErrorCode.Ok) return -e;
  const n = waitSetPoll(pc.table, ws, pollKeys, pollReady);
  if (n < 0) return n;
  const shown = Math.min(n, max);
  for (let i = 0; i < shown; i++) {
    store64(physToVirt(translate(p.space!, out + 16 * i)), numberToWord(pollKeys[i]!));
    store64(physToVirt(translate(p.space!, out + 16 * i + 8)), numberToWord(pollReady[i]!));
  }
  return shown;
}

/** Whether `h` names an endpoint the caller holds (invocations on endpoints are calls). */
export function isEndpoint(pc: ProcCaps, h: number): boolean {
  return lookupError(pc.table, h, ObjectType.Endpoint, 0) === ErrorCode.Ok;
}
