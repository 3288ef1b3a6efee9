// Capabilities and IPC from user mode (docs/syscalls.md, "Capabilities and IPC"): handles, rights,
// messages in memory, and one function per system call. Results are numbers; negative values are
// error codes (-ErrorCode), which errorText() names.
//
// A message is MSG_USER_BYTES of 64-bit words in this process's memory (msgAlloc): label, capability
// count, flags, badge (filled on receive), reply handle (filled on receive of a call), six data
// words, four handles.
import { load32, store32 } from "../../lang/mem.ts";
import { free, malloc } from "./heap.ts";
import { loadWord } from "./runtime.ts";
import { Sys, syscall } from "./sys.ts";
import { hostKernel } from "./host/kernel.ts";
import { MSG_USER_BYTES, UMsg } from "../../abi/message.ts";

// The ABI is declared once, in abi/ (shared with the kernel); programs get the names from here.
export { ErrorCode } from "../../abi/errors.ts";
export { Right, RIGHTS_ALL } from "../../abi/rights.ts";
export { ObjectType } from "../../abi/object-type.ts";
export {
  BATCH_ENTRY_BYTES, Method, MSG_CAPS, MSG_USER_BYTES, MSG_WORDS, MsgFlag, Ready, Timeout, UMsg,
} from "../../abi/message.ts";
export { FIRST_START_HANDLE, SPAWN_FLAGS_UNIT, SpawnFlag } from "../../abi/process.ts";

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
  const m = malloc(MSG_USER_BYTES);
  if (m !== 0) msgClear(m);
  return m;
}

export function msgFree(m: number): void {
  free(m);
}

export function msgClear(m: number): void {
  for (let i = 0; i < MSG_USER_BYTES; i += 4) store32(m + i, 0);
}

export function msgLabel(m: number): number {
  return loadWord(m + UMsg.Label * 8);
}
export function msgSetLabel(m: number, v: number): void {
  storeWord(m + UMsg.Label * 8, v);
}
export function msgWord(m: number, i: number): number {
  return loadWord(m + (UMsg.Words + i) * 8);
}
export function msgSetWord(m: number, i: number, v: number): void {
  storeWord(m + (UMsg.Words + i) * 8, v);
}
export function msgCap(m: number, i: number): number {
  return loadWord(m + (UMsg.Handles + i) * 8);
}
export function msgCapCount(m: number): number {
  return loadWord(m + UMsg.CapCount * 8);
}
/** Sets capability position i and the count to at least i + 1. */
export function msgSetCap(m: number, i: number, h: number): void {
  storeWord(m + (UMsg.Handles + i) * 8, h);
  if (msgCapCount(m) < i + 1) storeWord(m + UMsg.CapCount * 8, i + 1);
}
export function msgSetCapCount(m: number, n: number): void {
  storeWord(m + UMsg.CapCount * 8, n);
}
export function msgSetFlags(m: number, f: number): void {
  storeWord(m + UMsg.Flags * 8, f);
}
export function msgBadge(m: number): number {
  return loadWord(m + UMsg.Badge * 8);
}
export function msgReplyHandle(m: number): number {
  return loadWord(m + UMsg.ReplyHandle * 8);
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
  for (let i = 0; i < MSG_USER_BYTES; i += 4) store32(dst + i, load32(src + i));
}

export function capIdentify(h: number): number {
  return syscall(Sys.CapIdentify, h, 0, 0, 0, 0, 0);
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
  return syscall(Sys.CapCopy, h, rights, 0, 0, 0, 0);
}
export function capMint(h: number, rights: number, badge: number): number {
  return syscall(Sys.CapMint, h, rights, badge, 0, 0, 0);
}
export function capDelete(h: number): number {
  return syscall(Sys.CapDelete, h, 0, 0, 0, 0, 0);
}
export function capRevoke(h: number): number {
  return syscall(Sys.CapRevoke, h, 0, 0, 0, 0, 0);
}
export function capBadge(h: number): number {
  return syscall(Sys.CapBadge, h, 0, 0, 0, 0, 0);
}
export function endpointCreate(capacity: number): number {
  return syscall(Sys.EndpointCreate, capacity, 0, 0, 0, 0, 0);
}
export function send(ep: number, m: number, timeoutNs: number): number {
  return syscall(Sys.Send, ep, m, timeoutNs, 0, 0, 0);
}
export function receive(ep: number, m: number, timeoutNs: number): number {
  return syscall(Sys.Receive, ep, m, timeoutNs, 0, 0, 0);
}
export function call(ep: number, m: number, timeoutNs: number): number {
  return syscall(Sys.Call, ep, m, timeoutNs, 0, 0, 0);
}
export function reply(replyHandle: number, m: number): number {
  return syscall(Sys.Reply, replyHandle, m, 0, 0, 0, 0);
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
  return syscallMsg(Sys.CallRegs, ep, m, timeoutNs);
}

/**
 * A server's loop step: answers the call received last by replyWait (m's label and words; nothing
 * when there is none), then receives the next message on ep into m. Returns RECEIVED_CALL when it
 * is a call (answer it with the next replyWait), 0 for a plain message, or -error; a queued message
 * carrying capabilities is left for receive (CapsNotAccepted).
 */
export function replyWait(ep: number, m: number, timeoutNs: number): number {
  return syscallMsg(Sys.ReplyWait, ep, m, timeoutNs);
}
export const RECEIVED_CALL = 1;
export function notificationCreate(): number {
  return syscall(Sys.NotificationCreate, 0, 0, 0, 0, 0, 0);
}
export function signal(n: number, bits: number): number {
  return syscall(Sys.Signal, n, bits, 0, 0, 0, 0);
}
/** The bits (> 0) or -error (QueueEmpty when polling finds none). */
export function notificationWait(n: number, timeoutNs: number): number {
  return syscall(Sys.NotificationWait, n, timeoutNs, 0, 0, 0, 0);
}
export function notificationBind(ep: number, n: number, bits: number): number {
  return syscall(Sys.NotificationBind, ep, n, bits, 0, 0, 0);
}
export function waitSetCreate(capacity: number): number {
  return syscall(Sys.WaitSetCreate, capacity, 0, 0, 0, 0, 0);
}
/** Adds `src` under `key`, watching the Ready bits in `mask` (0: all but Writable). */
export function waitSetAdd(ws: number, src: number, key: number, mask: number): number {
  return syscall(Sys.WaitSetAdd, ws, src, key, mask, 0, 0);
}
export function waitSetRemove(ws: number, key: number): number {
  return syscall(Sys.WaitSetRemove, ws, key, 0, 0, 0, 0);
}
/** Waits for a ready member; (key, readiness) word pairs at `out` (max of them); how many. */
export function waitSetWait(ws: number, timeoutNs: number, out: number, max: number): number {
  return syscall(Sys.WaitSetWait, ws, timeoutNs, out, max, 0, 0);
}
export function memoryCreate(pages: number): number {
  return syscall(Sys.MemoryCreate, pages, 0, 0, 0, 0, 0);
}
/** Maps the whole object at `addr`; rights Read, Read|Write or Read|Execute. */
export function memoryMap(mem: number, addr: number, rights: number): number {
  return syscall(Sys.MemoryMap, mem, addr, rights, 0, 0, 0);
}
export function memoryUnmap(addr: number): number {
  return syscall(Sys.MemoryUnmap, addr, 0, 0, 0, 0, 0);
}
export function invoke(h: number, m: number): number {
  return syscall(Sys.Invoke, h, m, 0, 0, 0, 0);
}

class InvokeScratch {
  msg = 0;
}

const invokeScratch = new InvokeScratch();

/**
 * Invokes method `label` of `h` with up to three words, on one message buffer the library keeps
 * for this (made on first use); the status (0 or -error). The answer's words: invokeAnswer.
 */
export function invokeWords(h: number, label: number, w0: number, w1: number, w2: number): number {
  if (invokeScratch.msg === 0) invokeScratch.msg = msgAlloc();
  const m = invokeScratch.msg;
  msgSetLabel(m, label);
  msgSetWord(m, 0, w0);
  msgSetWord(m, 1, w1);
  msgSetWord(m, 2, w2);
  return invoke(h, m);
}

/** The message buffer holding the last answer of invokeWords. */
export function invokeAnswer(): number {
  return invokeScratch.msg;
}
/** Runs `count` entries at `vec`; returns how many succeeded (the next one failed). */
export function batch(vec: number, count: number): number {
  return syscall(Sys.Batch, vec, count, 0, 0, 0, 0);
}
/**
 * Starts module `module` with copies of the `count` handles at `handles` (words); its pid. Unless
 * `procOut` is 0, the handle of a Process capability naming the child is stored in the word there.
 */
export function spawnCaps(module: number, handles: number, count: number, quota: number, exitNotify: number, procOut: number): number {
  return syscall(Sys.SpawnCaps, module, handles, count, quota, exitNotify, procOut);
}
/** Ends the process `p` names (Manage): its parent's wait reports (status, ExitHow.Killed). */
export function processKill(p: number, status: number): number {
  return syscall(Sys.ProcessKill, p, status, 0, 0, 0, 0);
}
export function kernelObjects(): number {
  return syscall(Sys.KernelObjects, 0, 0, 0, 0, 0, 0);
}
export function quotaLimit(): number {
  return syscall(Sys.AccountInfo, 0, 0, 0, 0, 0, 0);
}
export function quotaUsed(): number {
  return syscall(Sys.AccountInfo, 1, 0, 0, 0, 0, 0);
}
/** Bytes of the kernel heap in allocated blocks, system-wide (for leak checks). */
export function kernelHeapUsed(): number {
  return syscall(Sys.AccountInfo, 2, 0, 0, 0, 0, 0);
}
