// The kernel API as a message protocol. Invoking a capability sends it a message in the same
// format as IPC (abi/message.ts, UMsg): the label names the method, the words carry
// the arguments, and the answer comes back in the same buffer with the status in the label and the
// results in the words. When the capability is an endpoint, the invocation is a call to whoever
// receives there; a server that answers in the same convention is indistinguishable from the
// kernel object, so a process can be handed a proxy (tracing, filtering) instead of the object.
//
// Batching: one system call runs a vector of invocations in order and stops at the first that
// fails; the return value says how many succeeded, so the failing entry is the next one, and its
// label holds the error.
//
// This file also routes every capability and IPC system call number to its implementation.
import { heapBytesTotal, heapBytesUsed } from "../../lang/core.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { endpointSend } from "../object/endpoint.ts";
import { Message } from "../cap/message.ts";
import { memoryCreate, memoryMap, memoryRecord, memoryUnmap, shmInit, shmFramesHeld } from "../object/memory.ts";
import { kernelFrames } from "../mm/mm.ts";
import { Process } from "../proc/process.ts";
import { userRangeAccessible } from "../proc/user-copy.ts";
import { liveKernelObjects, MAX_MAPPINGS, ProcCaps, procCaps, setMappingsRelease, sysCapBadge, sysCapCopy, sysCapDelete, sysCapIdentify, sysCapMint, sysCapRevoke, sysSpawnCaps, readUserWord } from "./cap-calls.ts";
import {
  isEndpoint, readUserMessage, scratchMessage, sysCall, sysEndpointCreate, sysNotificationBind, sysNotificationCreate, sysNotificationWait, sysReceive, sysReply, sysSend, sysSignal, sysWaitSetAdd, sysWaitSetCreate, sysWaitSetRemove, sysWaitSetWait, timeoutArg, userMessageWritable, writeUserMessage,
} from "./ipc-calls.ts";
import { objectInvoke } from "../object/object-type.ts";
import { Sys } from "../../abi/numbers.ts";
import { BATCH_ENTRY_WORDS, MAX_BATCH, MSG_CAPS } from "../../abi/message.ts";


/** Writes the kernel's answer: status in the label, no capabilities. */
function finishAnswer(m: Message, status: ErrorCode): void {
  m.label = status;
  m.capCount = 0;
  m.badge = 0n;
  m.replyHandle = 0;
  for (let i = 0; i < MSG_CAPS; i++) m.handles[i] = 0;
}

/**
 * invoke(h, msg): on an endpoint, a call whose reply's label is the status; on any other object,
 * its method. Returns 0 or -status; the answer replaces the message either way.
 */
export function sysInvoke(p: Process, pc: ProcCaps, h: number, addr: number): number {
  if (isEndpoint(pc, h)) {
    const r = sysCall(p, pc, h, addr, -1);
    if (r < 0) return r;
    const label = pc.waiter.msg.label;
    return label > 0 && label < 0x10000 ? -label : 0;
  }
  if (!userMessageWritable(p, addr)) return -ErrorCode.BadAddress;
  const m = scratchMessage();
  const r = readUserMessage(p, addr, m);
  if (r < 0) return r;
  const status = objectInvoke(pc.table, h, m, pc.waiter);
  finishAnswer(m, status);
  writeUserMessage(p, addr, m);
  return -status;
}

/**
 * batch(entries, count): each entry is BATCH_ENTRY_WORDS words (handle, then a message). Entries run
 * in order: kernel objects through their method, endpoints as a send that does not wait. Each
 * entry's message is replaced by its answer. Returns how many succeeded before the first failure.
 */
export function sysBatch(p: Process, pc: ProcCaps, vec: number, count: number): number {
  if (count <= 0 || count > MAX_BATCH) return -ErrorCode.InvalidArgument;
  if (vec % 8 !== 0 || !userRangeAccessible(p.space!, vec, count * BATCH_ENTRY_WORDS * 8, true)) return -ErrorCode.BadAddress;
  const m = scratchMessage();
  for (let i = 0; i < count; i++) {
    const entry = vec + i * BATCH_ENTRY_WORDS * 8;
    const h = readWord(p, entry);
    const at = entry + 8;
    const r = readUserMessage(p, at, m);
    let status = r < 0 ? -r : ErrorCode.Ok;
    if (status === ErrorCode.Ok) {
      if (isEndpoint(pc, h)) {
        status = endpointSend(pc.table, h, m);
      } else {
        status = objectInvoke(pc.table, h, m, pc.waiter);
      }
    }
    finishAnswer(m, status);
    writeUserMessage(p, at, m);
    if (status !== ErrorCode.Ok) return i;
  }
  return count;
}

function readWord(p: Process, addr: number): number {
  const v = readUserWord(p, addr);
  return v > 0 && v < 0x80000000 ? v : 0;
}

// ---- shared memory mappings of a process ----

let shmReady = false;

function sysMemoryCreate(pc: ProcCaps, pages: number): number {
  if (!shmReady) {
    shmInit(kernelFrames());
    shmReady = true;
  }
  return memoryCreate(pc.table, pages);
}

function sysMemoryMap(p: Process, pc: ProcCaps, h: number, addr: number, rights: number): number {
  let slot = -1;
  for (let i = 0; i < MAX_MAPPINGS && slot < 0; i++) if (pc.mapMem[i]! < 0) slot = i;
  if (slot < 0) return -ErrorCode.NoMemory;
  const index = memoryMap(pc.table, h, p.space!, addr, rights, p.plan.guardBase);
  if (index < 0) return index;
  pc.mapStart[slot] = addr;
  pc.mapPages[slot] = memoryRecord(index)!.pages;
  pc.mapMem[slot] = index;
  return 0;
}

function sysMemoryUnmap(p: Process, pc: ProcCaps, addr: number): number {
  for (let i = 0; i < MAX_MAPPINGS; i++) {
    if (pc.mapMem[i]! >= 0 && pc.mapStart[i]! === addr) {
      memoryUnmap(p.space!, addr, pc.mapMem[i]!);
      pc.mapMem[i] = -1;
      return 0;
    }
  }
  return -ErrorCode.NotFound;
}

function releaseMappings(p: Process, pc: ProcCaps): void {
  for (let i = 0; i < MAX_MAPPINGS; i++) {
    if (pc.mapMem[i]! >= 0) {
      if (p.space !== null) memoryUnmap(p.space!, pc.mapStart[i]!, pc.mapMem[i]!);
      pc.mapMem[i] = -1;
    }
  }
}

setMappingsRelease(releaseMappings);

/** Frames held by memory objects (leak checks). */
export function sharedFramesHeld(): number {
  return shmFramesHeld();
}

/**
 * Runs capability and IPC system call `n` (Sys.CapIdentify and above) for `p`. Timeouts pass
 * through timeoutArg here, so every call sees one within the range a deadline can take.
 */
export function capabilitySyscall(p: Process, n: number, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number): number {
  const pc = procCaps(p);
  if (pc === null) return -ErrorCode.QuotaExceeded;
  switch (n) {
    case Sys.CapIdentify: return sysCapIdentify(pc, a0);
    case Sys.CapCopy: return sysCapCopy(pc, a0, a1);
    case Sys.CapMint: return sysCapMint(pc, a0, a1, a2);
    case Sys.CapDelete: return sysCapDelete(pc, a0);
    case Sys.CapRevoke: return sysCapRevoke(pc, a0);
    case Sys.EndpointCreate: return sysEndpointCreate(pc, a0);
    case Sys.Send: return sysSend(p, pc, a0, a1, timeoutArg(a2));
    case Sys.Receive: return sysReceive(p, pc, a0, a1, timeoutArg(a2));
    case Sys.Call: return sysCall(p, pc, a0, a1, timeoutArg(a2));
    case Sys.Reply: return sysReply(p, pc, a0, a1);
    case Sys.NotificationCreate: return sysNotificationCreate(pc);
    case Sys.Signal: return sysSignal(pc, a0, a1);
    case Sys.NotificationWait: return sysNotificationWait(pc, a0, timeoutArg(a1));
    case Sys.NotificationBind: return sysNotificationBind(pc, a0, a1, a2);
    case Sys.WaitSetCreate: return sysWaitSetCreate(pc, a0);
    case Sys.WaitSetAdd: return sysWaitSetAdd(pc, a0, a1, a2, a3);
    case Sys.WaitSetRemove: return sysWaitSetRemove(pc, a0, a1);
    case Sys.WaitSetWait: return sysWaitSetWait(p, pc, a0, timeoutArg(a1), a2, a3);
    case Sys.MemoryCreate: return sysMemoryCreate(pc, a0);
    case Sys.MemoryMap: return sysMemoryMap(p, pc, a0, a1, a2);
    case Sys.MemoryUnmap: return sysMemoryUnmap(p, pc, a0);
    case Sys.Invoke: return sysInvoke(p, pc, a0, a1);
    case Sys.Batch: return sysBatch(p, pc, a0, a1);
    case Sys.SpawnCaps: return sysSpawnCaps(p, pc, a0, a1, a2, a3, a4, a5);
    case Sys.CapBadge: return sysCapBadge(pc, a0);
    case Sys.KernelObjects: return liveKernelObjects() + shmFramesHeld();
    case Sys.AccountInfo: return sysAccountInfo(pc, a0);
    default: return -ErrorCode.UnknownSyscall;
  }
}

/** account_info(which): the caller's quota or its use; the kernel heap's bytes in use or held. */
function sysAccountInfo(pc: ProcCaps, which: number): number {
  switch (which) {
    case 0: return pc.account.limit;
    case 1: return pc.account.used;
    case 2: return heapBytesUsed();
    case 3: return heapBytesTotal();
    default: return -ErrorCode.InvalidArgument;
  }
}
