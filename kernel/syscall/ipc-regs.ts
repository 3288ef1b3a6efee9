// Register messages: call and reply-and-wait with the message in registers, the fast path of IPC.
//
// A short message (a label and MSG_WORDS words, no capabilities) travels in the registers of the
// system call: nothing is read from or written to user memory, so no page table is walked. When
// the server already waits in reply_wait on the endpoint, a call goes straight to it: the message
// is copied from the caller's saved registers into the server's, the caller takes the server's
// reply slot, and the CPU passes directly from caller to server (scheduler blockAndSwitchTo), and
// back the same way with the reply. Every other case (nobody waiting, messages queued, a server using a buffer receive) takes
// the general path of ipc-calls.ts, so the two forms interoperate on one endpoint.
//
// Registers (docs/syscalls.md, "Register messages"): rdi a handle, rsi the label, rdx r10 r8 r9
// r12 r13 the six words, r14 the timeout in nanoseconds. Out: rax the status, rdi the badge, rsi
// the label, the words in the same registers.
import { load64, store64 } from "../../lang/mem.ts";
import { Frame } from "../arch/x86_64/frame.ts";
import { frameArg } from "../arch/x86_64/usermode.ts";
import { lookupError, lookupValid } from "../cap/cap-table.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { Right } from "../../abi/rights.ts";
import { deliverToRegisters, Endpoint, endpointService } from "../object/endpoint.ts";
import { Message } from "../cap/message.ts";
import { endpointCall, replyFromSlot } from "../object/reply.ts";
import { completeWaiter, Waiter, waiterBlock, WaitKind } from "../cap/waiter.ts";
import { blockAndSwitchTo, FOREVER as SCHED_FOREVER, threadById, wakeThread } from "../sched/scheduler.ts";
import { Thread, WakeReason } from "../sched/thread.ts";
import { NO_CAP } from "../cap/capability.ts";
import { arm, block, finishWait, scratchMessage, timeoutArg } from "./ipc-calls.ts";
import { ObjectType } from "../../abi/object-type.ts";
import { ProcCaps } from "../proc/proc-caps.ts";
import { LABEL_LIMIT } from "../../abi/message.ts";

/** reply_wait's answer when the message received is a call: its reply waits in the reply slot. */
export const RECEIVED_CALL = 1;

function labelValid(frame: number): boolean {
  return load64(frame + Frame.RSI) < BigInt(LABEL_LIMIT);
}

/** The label (labelValid checked it) and words of the frame's registers into `m`, no capabilities. */
function messageFromRegisters(frame: number, m: Message): void {
  // All loads before the first store, so no store can make the compiler reload anything.
  const label = Number(load64(frame + Frame.RSI));
  const w0 = load64(frame + Frame.RDX);
  const w1 = load64(frame + Frame.R10);
  const w2 = load64(frame + Frame.R8);
  const w3 = load64(frame + Frame.R9);
  const w4 = load64(frame + Frame.R12);
  const w5 = load64(frame + Frame.R13);
  const w = m.words;
  w[5] = w5;
  w[0] = w0;
  w[1] = w1;
  w[2] = w2;
  w[3] = w3;
  w[4] = w4;
  m.label = label;
  m.capCount = 0;
  m.flags = 0;
}

/** `m`'s badge, label and words into the frame's registers, for the way back to user mode. */
function messageToRegisters(m: Message, frame: number): void {
  const w = m.words;
  // The highest index first: its bounds check covers the others for the compiler.
  const w5 = w[5]!;
  const w0 = w[0]!;
  const w1 = w[1]!;
  const w2 = w[2]!;
  const w3 = w[3]!;
  const w4 = w[4]!;
  const badge = m.badge;
  const label = m.label;
  store64(frame + Frame.RDI, badge);
  store64(frame + Frame.RSI, BigInt(label));
  store64(frame + Frame.RDX, w0);
  store64(frame + Frame.R10, w1);
  store64(frame + Frame.R8, w2);
  store64(frame + Frame.R9, w3);
  store64(frame + Frame.R12, w4);
  store64(frame + Frame.R13, w5);
}

/**
 * The label and words from one thread's saved registers straight into another's, with `badge` in
 * rdi: a direct call or reply needs no message in between.
 * @inline
 */
export function registersToRegisters(from: number, to: number, badge: bigint): void {
  store64(to + Frame.RSI, load64(from + Frame.RSI));
  store64(to + Frame.RDX, load64(from + Frame.RDX));
  store64(to + Frame.R10, load64(from + Frame.R10));
  store64(to + Frame.R8, load64(from + Frame.R8));
  store64(to + Frame.R9, load64(from + Frame.R9));
  store64(to + Frame.R12, load64(from + Frame.R12));
  store64(to + Frame.R13, load64(from + Frame.R13));
  store64(to + Frame.RDI, badge);
}

function handleArg(frame: number): number {
  const h = load64(frame + Frame.RDI);
  return h < 0x80000000n ? Number(h) : 0;
}

/**
 * The receiver at the head of `ep`'s queue if it waits in reply_wait. It may still receive there
 * without a re-check: a wait ends when its capability is freed or leaves its table (capGone), so a
 * waiting receiver's handle names its capability, with the Read right it was checked for.
 */
function waitingRegisterReceiver(ep: Endpoint): Waiter | null {
  if (ep.count !== 0) return null;
  const r = ep.recvWaiters.head;
  if (r === null || !r.noCaps) return null;
  return r;
}

/**
 * call_regs(ep, label, words.., timeout): a call with the message and the reply in registers.
 * The reply must carry no capabilities (the replier gets CapsNotAccepted). Timeout as call.
 */
export function sysCallRegisters(pc: ProcCaps, frame: number): number {
  const t = pc.table;
  const h = handleArg(frame);
  const sender = lookupValid(t, h, ObjectType.Endpoint, Right.Write);
  if (sender === NO_CAP) return -lookupError(t, h, ObjectType.Endpoint, Right.Write);
  if (!labelValid(frame)) return -ErrorCode.InvalidArgument;
  const timeoutNs = timeoutArg(frameArg(frame, Frame.R14));
  const ep = sender.object.endpoint!;
  if (ep.receivers === 0) return -ErrorCode.PeerClosed;
  const w = pc.waiter;
  arm(w, -1);
  w.frame = frame;
  w.filled = false;
  w.noCaps = true;
  let r = ErrorCode.Ok;
  const server = waitingRegisterReceiver(ep);
  if (server !== null) {
    // Straight into the waiting server: no queue, no reply object; the caller takes its slot.
    registersToRegisters(frame, server.frame, sender.badge);
    server.filled = true;
    waiterBlock(w, WaitKind.Call, null, t, h, sender);
    server.replyTo = w;
    w.replyHolder = server;
    completeWaiter(server, ErrorCode.Ok);
    blockAndSwitchTo(threadOf(server)!, WakeReason.Signalled, timeoutNs > 0 ? timeoutNs : SCHED_FOREVER);
    r = finishWait(w);
  } else {
    const m = scratchMessage();
    messageFromRegisters(frame, m);
    r = endpointCall(t, h, m, w);
    if (r === ErrorCode.WouldBlock) r = block(w, timeoutNs === 0 ? -1 : timeoutNs);
  }
  w.noCaps = false;
  if (r !== ErrorCode.Ok) return -r;
  if (!w.filled) messageToRegisters(w.msg, frame);
  return 0;
}

/**
 * reply_wait(ep, label, words.., timeout): answers the call in the reply slot (if any) with the
 * register message, then receives on `ep` into registers: RECEIVED_CALL when the message is a call
 * (its reply now waits in the slot), 0 for a plain message, or -error. A queued message carrying
 * capabilities stays queued (CapsNotAccepted) for a buffer receive. Timeout as receive.
 */
export function sysReplyWait(pc: ProcCaps, frame: number): number {
  const t = pc.table;
  const w = pc.waiter;
  const h = handleArg(frame);
  if (!labelValid(frame)) return -ErrorCode.InvalidArgument;
  const timeoutNs = timeoutArg(frameArg(frame, Frame.R14));
  // The reply goes out whatever the receive's fate; only a bad label keeps it in the slot.
  const caller = w.replyTo;
  if (caller !== null) {
    // A register call: its reply goes straight into the caller's saved registers.
    registersToRegisters(frame, caller.frame, 0n);
    caller.filled = true;
    completeWaiter(caller, ErrorCode.Ok);
  } else if (w.msg.replyCap !== NO_CAP) {
    const m = scratchMessage();
    messageFromRegisters(frame, m);
    replyFromSlot(t, w, m);
  }
  const receiver = lookupValid(t, h, ObjectType.Endpoint, Right.Read);
  if (receiver === NO_CAP) {
    if (caller !== null) wakeCaller(caller);
    return -lookupError(t, h, ObjectType.Endpoint, Right.Read);
  }
  const ep = receiver.object.endpoint!;
  arm(w, timeoutNs);
  w.frame = frame;
  w.filled = false;
  w.noCaps = true;
  let r = ErrorCode.Ok;
  if (ep.count > 0) {
    r = deliverToRegisters(ep, w);
    if (r === ErrorCode.Ok) endpointService(ep);
    if (caller !== null) wakeCaller(caller);
  } else if (ep.senders === 0) {
    r = ErrorCode.PeerClosed;
    if (caller !== null) wakeCaller(caller);
  } else if (timeoutNs === 0) {
    r = ErrorCode.QueueEmpty;
    if (caller !== null) wakeCaller(caller);
  } else {
    waiterBlock(w, WaitKind.Receive, ep.recvWaiters, t, h, receiver);
    const wait = timeoutNs > 0 ? timeoutNs : SCHED_FOREVER;
    if (caller !== null) {
      blockAndSwitchTo(threadOf(caller)!, WakeReason.Signalled, wait);
      r = finishWait(w);
    } else {
      r = block(w, timeoutNs);
    }
  }
  w.noCaps = false;
  if (r !== ErrorCode.Ok) return -r;
  if (!w.filled) messageToRegisters(w.msg, frame);
  return w.replyTo !== null || w.msg.replyCap !== NO_CAP ? RECEIVED_CALL : 0;
}

/**
 * The value for rax once the thread of a register call (`receive` false) or reply_wait (true) runs
 * again after blocking: the wait's result, and the answer unless the partner wrote it already.
 * @inline
 */
export function registerWaitEnd(w: Waiter, frame: number, receive: boolean): number {
  const r = finishWait(w);
  w.noCaps = false;
  if (r !== ErrorCode.Ok) return -r;
  if (!w.filled) messageToRegisters(w.msg, frame);
  if (!receive) return 0;
  return w.replyTo !== null || w.msg.replyCap !== NO_CAP ? RECEIVED_CALL : 0;
}

function threadOf(w: Waiter): Thread | null {
  return w.thread !== null ? w.thread : threadById(w.threadId);
}

/** A caller answered from the reply slot, when the server does not hand it the CPU directly. */
function wakeCaller(c: Waiter): void {
  const th = threadOf(c);
  if (th !== null) wakeThread(th, WakeReason.Signalled);
}
