// Capabilities and IPC from user mode (docs/syscalls.md, "Capabilities and IPC"): handles, rights,
// messages in memory, and one function per system call. Results are numbers; negative values are
// error codes (-CapError or -SysError), which ipcErrorText() names.
//
// A message is MSG_BYTES of 64-bit words in this process's memory (msgAlloc): label, capability
// count, flags, badge (filled on receive), reply handle (filled on receive of a call), six data
// words, four handles.
import { load32, store32 } from "../../toolchain/lib/mem.ts";
import { free, malloc } from "./heap.ts";
import { loadWord } from "./runtime.ts";
import { syscall } from "./sys.ts";
import { hostKernel } from "./host/kernel.ts";

/** Handle of the first capability a program was started with (then FIRST_CAP + 1, ...). */
export const FIRST_CAP = 4096;
/** Timeouts: poll (never wait), wait forever; anything else is nanoseconds. */
export const POLL = 0;
export const FOREVER = -1;

export const enum Right {
  Read = 1,
  Write = 2,
  Execute = 4,
  Grant = 8,
  Map = 16,
  Signal = 32,
  Manage = 64,
  Duplicate = 128,
  All = 255,
}

export const enum ObjType {
  Process = 1,
  Thread = 2,
  AddressSpace = 3,
  MemoryObject = 4,
  Endpoint = 5,
  Notification = 6,
  WaitSet = 7,
  Reply = 8,
}

export const enum CapErr {
  InvalidHandle = 1,
  StaleHandle = 2,
  WrongType = 3,
  MissingRights = 4,
  Revoked = 5,
  QuotaExceeded = 6,
  TableFull = 7,
  QueueFull = 8,
  QueueEmpty = 9,
  ReplyUsed = 10,
  CallerGone = 11,
  PeerClosed = 12,
  ObjectDestroyed = 13,
  TimedOut = 14,
  WouldBlock = 15,
  RightsEscalation = 16,
  AlreadyBadged = 17,
  InvalidArgument = 18,
  Cancelled = 19,
  AlreadyExists = 20,
  NotFound = 21,
  SetFull = 22,
  CapsNotAccepted = 23,
  BadAddress = 64,
  UnknownSyscall = 65,
  NoMemory = 66,
  PermissionDenied = 68,
}

/** Readiness bits a wait set reports. */
export const enum Ready {
  Readable = 1,
  Writable = 2,
  PeerClosed = 4,
  Signalled = 8,
}

/** Kernel object methods (the label of an invocation). */
export const enum Method {
  Identify = 1,
  Copy = 2,
  Mint = 3,
  Delete = 4,
  Revoke = 5,
  Signal = 16,
  Poll = 17,
  MemorySize = 32,
}

export const enum SysNo {
  CallRegs = 60,
  ReplyWait = 61,
  CapIdentify = 32,
  CapCopy = 33,
  CapMint = 34,
  CapDelete = 35,
  CapRevoke = 36,
  EndpointCreate = 37,
  Send = 38,
  Receive = 39,
  Call = 40,
  Reply = 41,
  NotificationCreate = 42,
  Signal = 43,
  NotificationWait = 44,
  NotificationBind = 45,
  WaitSetCreate = 46,
  WaitSetAdd = 47,
  WaitSetRemove = 48,
  WaitSetWait = 49,
  MemoryCreate = 50,
  MemoryMap = 51,
  MemoryUnmap = 52,
  Invoke = 53,
  Batch = 54,
  SpawnCaps = 55,
  CapBadge = 56,
  KernelObjects = 57,
  AccountInfo = 58,
}

/** Message layout, in 64-bit words. */
export const enum MsgWord {
  Label = 0,
  CapCount = 1,
  Flags = 2,
  Badge = 3,
  ReplyHandle = 4,
  Data = 5,
  Handles = 11,
}
export const MSG_BYTES = 120;
export const MSG_DATA_WORDS = 6;
export const MSG_MAX_CAPS = 4;
/** Message flag: transfer copies of the capabilities instead of moving them. */
export const MSG_COPY_CAPS = 1;
/** spawnCaps: move the capabilities instead of copying them. */
export const SPAWN_MOVE = 256;
/** Batch entry: a handle word, then a message. */
export const BATCH_ENTRY_BYTES = 128;

const TWO32 = 4294967296;

export function storeWord(addr: number, v: number): void {
  const lo = ((v % TWO32) + TWO32) % TWO32;
  const hi = Math.floor((v - lo) / TWO32);
  store32(addr, lo);
  store32(addr + 4, hi < 0 ? hi + TWO32 : hi);
}

export { loadWord };

/** A zeroed message buffer (free it with msgFree). */
export function msgAlloc(): number {
  const m = malloc(MSG_BYTES);
  if (m !== 0) msgClear(m);
  return m;
}

export function msgFree(m: number): void {
  free(m);
}

export function msgClear(m: number): void {
  for (let i = 0; i < MSG_BYTES; i += 4) store32(m + i, 0);
}

export function msgLabel(m: number): number {
  return loadWord(m + MsgWord.Label * 8);
}
export function msgSetLabel(m: number, v: number): void {
  storeWord(m + MsgWord.Label * 8, v);
}
export function msgWord(m: number, i: number): number {
  return loadWord(m + (MsgWord.Data + i) * 8);
}
export function msgSetWord(m: number, i: number, v: number): void {
  storeWord(m + (MsgWord.Data + i) * 8, v);
}
export function msgCap(m: number, i: number): number {
  return loadWord(m + (MsgWord.Handles + i) * 8);
}
export function msgCapCount(m: number): number {
  return loadWord(m + MsgWord.CapCount * 8);
}
/** Sets capability position i and the count to at least i + 1. */
export function msgSetCap(m: number, i: number, h: number): void {
  storeWord(m + (MsgWord.Handles + i) * 8, h);
  if (msgCapCount(m) < i + 1) storeWord(m + MsgWord.CapCount * 8, i + 1);
}
export function msgSetCapCount(m: number, n: number): void {
  storeWord(m + MsgWord.CapCount * 8, n);
}
export function msgSetFlags(m: number, f: number): void {
  storeWord(m + MsgWord.Flags * 8, f);
}
export function msgBadge(m: number): number {
  return loadWord(m + MsgWord.Badge * 8);
}
export function msgReplyHandle(m: number): number {
  return loadWord(m + MsgWord.ReplyHandle * 8);
}
/** Sets the label and the first data words; no capabilities. */
export function msgSet(m: number, label: number, w0: number, w1: number): void {
  msgClear(m);
  msgSetLabel(m, label);
  msgSetWord(m, 0, w0);
  msgSetWord(m, 1, w1);
}

/** Copies a whole message (for forwarding). */
export function msgCopy(dst: number, src: number): void {
  for (let i = 0; i < MSG_BYTES; i += 4) store32(dst + i, load32(src + i));
}

export function capIdentify(h: number): number {
  return syscall(SysNo.CapIdentify, h, 0, 0, 0, 0, 0);
}
/** The object type of a capability (or -error). */
export function capType(h: number): number {
  const r = capIdentify(h);
  return r < 0 ? r : Math.floor(r / 256);
}
export function capRights(h: number): number {
  const r = capIdentify(h);
  return r < 0 ? r : r % 256;
}
export function capCopy(h: number, rights: number): number {
  return syscall(SysNo.CapCopy, h, rights, 0, 0, 0, 0);
}
export function capMint(h: number, rights: number, badge: number): number {
  return syscall(SysNo.CapMint, h, rights, badge, 0, 0, 0);
}
export function capDelete(h: number): number {
  return syscall(SysNo.CapDelete, h, 0, 0, 0, 0, 0);
}
export function capRevoke(h: number): number {
  return syscall(SysNo.CapRevoke, h, 0, 0, 0, 0, 0);
}
export function capBadge(h: number): number {
  return syscall(SysNo.CapBadge, h, 0, 0, 0, 0, 0);
}
export function endpointCreate(capacity: number): number {
  return syscall(SysNo.EndpointCreate, capacity, 0, 0, 0, 0, 0);
}
export function send(ep: number, m: number, timeoutNs: number): number {
  return syscall(SysNo.Send, ep, m, timeoutNs, 0, 0, 0);
}
export function receive(ep: number, m: number, timeoutNs: number): number {
  return syscall(SysNo.Receive, ep, m, timeoutNs, 0, 0, 0);
}
export function call(ep: number, m: number, timeoutNs: number): number {
  return syscall(SysNo.Call, ep, m, timeoutNs, 0, 0, 0);
}
export function reply(replyHandle: number, m: number): number {
  return syscall(SysNo.Reply, replyHandle, m, 0, 0, 0, 0);
}

/** A register-message system call on the buffer m (userland/lib/ipc-regs.S). */
/** @extern keel_syscall_msg */
function syscallMsg(n: number, h: number, m: number, timeoutNs: number): number {
  return hostKernel.syscall(n, h, m, timeoutNs, 0, 0, 0);
}

/**
 * call with the message and the reply in registers: the fast path for a label and six words.
 * m's capabilities are not sent; a reply carrying any is refused to the replier
 * (CapsNotAccepted). The reply's label and words replace m's. 0 or -error.
 */
export function callRegs(ep: number, m: number, timeoutNs: number): number {
  return syscallMsg(SysNo.CallRegs, ep, m, timeoutNs);
}

/**
 * A server's loop step: answers the call received last by replyWait (m's label and words; nothing
 * when there is none), then receives the next message on ep into m. Returns RECEIVED_CALL when it
 * is a call (answer it with the next replyWait), 0 for a plain message, or -error; a queued message
 * carrying capabilities is left for receive (CapsNotAccepted).
 */
export function replyWait(ep: number, m: number, timeoutNs: number): number {
  return syscallMsg(SysNo.ReplyWait, ep, m, timeoutNs);
}
export const RECEIVED_CALL = 1;
export function notificationCreate(): number {
  return syscall(SysNo.NotificationCreate, 0, 0, 0, 0, 0, 0);
}
export function signal(n: number, bits: number): number {
  return syscall(SysNo.Signal, n, bits, 0, 0, 0, 0);
}
/** The bits (> 0) or -error (QueueEmpty when polling finds none). */
export function notificationWait(n: number, timeoutNs: number): number {
  return syscall(SysNo.NotificationWait, n, timeoutNs, 0, 0, 0, 0);
}
export function notificationBind(ep: number, n: number, bits: number): number {
  return syscall(SysNo.NotificationBind, ep, n, bits, 0, 0, 0);
}
export function waitSetCreate(capacity: number): number {
  return syscall(SysNo.WaitSetCreate, capacity, 0, 0, 0, 0, 0);
}
/** Adds `src` under `key`, watching the Ready bits in `mask` (0: all but Writable). */
export function waitSetAdd(ws: number, src: number, key: number, mask: number): number {
  return syscall(SysNo.WaitSetAdd, ws, src, key, mask, 0, 0);
}
export function waitSetRemove(ws: number, key: number): number {
  return syscall(SysNo.WaitSetRemove, ws, key, 0, 0, 0, 0);
}
/** Waits for a ready member; (key, readiness) word pairs at `out` (max of them); how many. */
export function waitSetWait(ws: number, timeoutNs: number, out: number, max: number): number {
  return syscall(SysNo.WaitSetWait, ws, timeoutNs, out, max, 0, 0);
}
export function memoryCreate(pages: number): number {
  return syscall(SysNo.MemoryCreate, pages, 0, 0, 0, 0, 0);
}
/** Maps the whole object at `addr`; rights Read, Read|Write or Read|Execute. */
export function memoryMap(mem: number, addr: number, rights: number): number {
  return syscall(SysNo.MemoryMap, mem, addr, rights, 0, 0, 0);
}
export function memoryUnmap(addr: number): number {
  return syscall(SysNo.MemoryUnmap, addr, 0, 0, 0, 0, 0);
}
export function invoke(h: number, m: number): number {
  return syscall(SysNo.Invoke, h, m, 0, 0, 0, 0);
}
/** Runs `count` entries at `vec`; returns how many succeeded (the next one failed). */
export function batch(vec: number, count: number): number {
  return syscall(SysNo.Batch, vec, count, 0, 0, 0, 0);
}
/** Starts module `module` with copies of the `count` handles at `handles` (words); its pid. */
export function spawnCaps(module: number, handles: number, count: number, quota: number, exitNotify: number): number {
  return syscall(SysNo.SpawnCaps, module, handles, count, quota, exitNotify, 0);
}
export function kernelObjects(): number {
  return syscall(SysNo.KernelObjects, 0, 0, 0, 0, 0, 0);
}
export function quotaLimit(): number {
  return syscall(SysNo.AccountInfo, 0, 0, 0, 0, 0, 0);
}
export function quotaUsed(): number {
  return syscall(SysNo.AccountInfo, 1, 0, 0, 0, 0, 0);
}

export function ipcErrorText(code: number): string {
  switch (-code) {
    case CapErr.InvalidHandle: return "invalid handle";
    case CapErr.StaleHandle: return "stale handle";
    case CapErr.WrongType: return "wrong object type";
    case CapErr.MissingRights: return "missing rights";
    case CapErr.Revoked: return "revoked";
    case CapErr.QuotaExceeded: return "quota exceeded";
    case CapErr.TableFull: return "table full";
    case CapErr.QueueFull: return "queue full";
    case CapErr.QueueEmpty: return "queue empty";
    case CapErr.ReplyUsed: return "reply used";
    case CapErr.CallerGone: return "caller gone";
    case CapErr.PeerClosed: return "peer closed";
    case CapErr.ObjectDestroyed: return "object destroyed";
    case CapErr.TimedOut: return "timed out";
    case CapErr.RightsEscalation: return "rights escalation";
    case CapErr.AlreadyBadged: return "already badged";
    case CapErr.InvalidArgument: return "invalid argument";
    case CapErr.AlreadyExists: return "already exists";
    case CapErr.NotFound: return "not found";
    case CapErr.SetFull: return "set full";
    case CapErr.BadAddress: return "bad address";
    case CapErr.UnknownSyscall: return "unknown system call";
    case CapErr.NoMemory: return "out of memory";
    case CapErr.PermissionDenied: return "permission denied";
    default: return code >= 0 ? "success" : "error";
  }
}
