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
import { ErrorCode } from "../../abi/errors.ts";
import { endpointSend } from "../object/endpoint.ts";
import { Message } from "../cap/message.ts";
import { Process } from "../proc/process.ts";
import { userRangeAccessible } from "../proc/user-copy.ts";
import { readUserWord } from "./cap-calls.ts";
import {
  isEndpoint, readUserMessage, scratchMessage, sysCall, userMessageWritable, writeUserMessage,
} from "./ipc-calls.ts";
import { objectInvoke } from "../object/object-type.ts";
import { BATCH_ENTRY_WORDS, MAX_BATCH, MSG_CAPS } from "../../abi/message.ts";
import { ProcCaps } from "../proc/proc-caps.ts";


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
    // The caller's own waiter: another thread's call may repoint pc.waiter while this one waits.
    const w = pc.waiter;
    const r = sysCall(p, pc, h, addr, -1);
    if (r < 0) return r;
    const label = w.msg.label;
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
