// The IPC fast path: call_regs and reply_wait in their common case, in as few steps as the general
// path of ipc-regs.ts allows, with the same effects.
//
// It applies when the partner already waits for exactly this message: a call whose endpoint has a
// server blocked in reply_wait (and no queued message), or a reply_wait whose reply slot holds a
// register call and whose endpoint has no queued message and a sender left. Both wait forever
// (a timeout arms a timer), the partner is blocked without a timer, and no thread more urgent
// than the partner is ready, so the CPU passes straight from one to the other (scheduler
// handOffLeave). The caller's call does not come back: its kernel stack is cut back to its Frame,
// and whoever ends its wait finishes it. A partner that blocked through the fast path too is
// finished here (its answer into its Frame) and the CPU returns to user mode on its Frame
// directly, with no switch of kernel stacks; any other partner resumes on its own stack, and a
// fast-blocked thread woken by the general path finishes in keel_fast_resume (entry.ts).
// No capability moves and the message is in registers, so nothing is allocated and no
// page table is walked.
//
// Every test is made before the first store: a call that does not qualify returns NOT_FAST having
// changed nothing, and the entry runs the general path on it. What qualifies does what the
// general direct call or reply does, store for store (tests/unit/syscall/fastpath.test.ts runs
// both on the same random sequences and compares the kernel state after each step).
import { load64, store64 } from "../../lang/mem.ts";
import { Frame } from "../arch/x86_64/frame.ts";
import { lookupValid } from "../cap/cap-table.ts";
import { NO_CAP } from "../cap/capability.ts";
import { completeWaiter, FOREVER, waiterBlock, waiterReset, WaitKind, WaitState } from "../cap/waiter.ts";
import { canHandOff, handOffLeave, resumesAtFrame } from "../sched/scheduler.ts";
import { Sys } from "../../abi/numbers.ts";
import { addrToWord, wordToAddr } from "../arch/x86_64/words.ts";
import { Waiter } from "../cap/waiter.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { Right } from "../../abi/rights.ts";
import { ObjectType } from "../../abi/object-type.ts";
import { LABEL_LIMIT } from "../../abi/message.ts";
import { ProcCaps } from "../proc/proc-caps.ts";
import type { Thread } from "../sched/thread.ts";
import { registersToRegisters, registerWaitEnd } from "./ipc-regs.ts";

/** What the fast path returns for a call it leaves to the general path (no system call returns it). */
export const NOT_FAST = 0x7fffffff;

/**
 * Timeout words from this value up mean "forever" for both calls (timeoutArg: anything from
 * MAX_TIMEOUT_NS up, and every negative word, read unsigned).
 */
const FOREVER_FROM = 0x10000000000000n;

/**
 * The handle in rdi when it can be one (below 2^31), else 0, which names nothing.
 * @inline
 */
function handleIn(frame: number): number {
  const h = load64(frame + Frame.RDI);
  return h < 0x80000000n ? Number(h) : 0;
}

/**
 * Label below LABEL_LIMIT and a timeout of forever: the message and wait the fast path takes.
 * @inline
 */
function plainForever(frame: number): boolean {
  return load64(frame + Frame.RSI) < BigInt(LABEL_LIMIT) && load64(frame + Frame.R14) >= FOREVER_FROM;
}

/**
 * call_regs, when the endpoint's first waiting receiver is a server in reply_wait. The general path
 * (sysCallRegisters) does the same with arm, waitingRegisterReceiver and blockAndSwitchTo.
 * @inline
 */
export function fastCall(pc: ProcCaps, frame: number): number {
  const t = pc.table;
  const h = handleIn(frame);
  const sender = lookupValid(t, h, ObjectType.Endpoint, Right.Write);
  if (sender === NO_CAP || !plainForever(frame)) return NOT_FAST;
  const ep = sender.object.endpoint!;
  const server = ep.recvWaiters.head;
  if (server === null || ep.count !== 0 || ep.receivers === 0 || !server.noCaps) return NOT_FAST;
  const w = pc.waiter;
  if (w.state === WaitState.Waiting || w.cap !== sender) return NOT_FAST;
  const next = server.thread;
  if (next === null || !canHandOff(next)) return NOT_FAST;

  // What arm does: a wait that ended without finishWait is put back first.
  if (w.state === WaitState.Done) waiterReset(w);
  w.deadline = FOREVER;
  w.frame = frame;
  w.filled = false;
  w.noCaps = true;
  registersToRegisters(frame, server.frame, sender.badge);
  server.filled = true;
  waiterBlock(w, WaitKind.Call, null, t, h, sender);
  server.replyTo = w;
  w.replyHolder = server;
  completeWaiter(server, ErrorCode.Ok);
  leave(next, frame, server, true);
  return resumed(w, frame, Sys.CallRegs);
}

/**
 * reply_wait, when the reply slot holds a register call and the receive will block: the reply goes
 * into the caller's registers and the CPU to the caller. The general path is sysReplyWait's
 * direct reply followed by its blocking receive.
 * @inline
 */
export function fastReplyWait(pc: ProcCaps, frame: number): number {
  const w = pc.waiter;
  const caller = w.replyTo;
  if (caller === null || !plainForever(frame)) return NOT_FAST;
  const t = pc.table;
  const h = handleIn(frame);
  const receiver = lookupValid(t, h, ObjectType.Endpoint, Right.Read);
  if (receiver === NO_CAP) return NOT_FAST;
  const ep = receiver.object.endpoint!;
  if (ep.count !== 0 || ep.senders === 0) return NOT_FAST;
  if (w.state === WaitState.Waiting || w.cap !== receiver || caller.state !== WaitState.Waiting) return NOT_FAST;
  const next = caller.thread;
  if (next === null || !canHandOff(next)) return NOT_FAST;

  registersToRegisters(frame, caller.frame, 0n);
  caller.filled = true;
  completeWaiter(caller, ErrorCode.Ok);
  if (w.state === WaitState.Done) waiterReset(w);
  w.deadline = FOREVER;
  w.frame = frame;
  w.filled = false;
  w.noCaps = true;
  waiterBlock(w, WaitKind.Receive, ep.recvWaiters, t, h, receiver);
  leave(next, frame, caller, false);
  return resumed(w, frame, Sys.ReplyWait);
}

/**
 * The CPU to `next`, the thread of `partner`, whose wait just ended: when it blocked through the
 * fast path too, its answer goes into its Frame now and the CPU returns to user mode on it;
 * else its own stack finishes its call. Does not come back on the machine (scheduler handOffLeave).
 * @inline
 */
function leave(next: Thread, frame: number, partner: Waiter, partnerReceives: boolean): void {
  const to = partner.frame;
  const direct = resumesAtFrame(next, to);
  if (direct) storeResult(to, registerWaitEnd(partner, to, partnerReceives));
  handOffLeave(next, frame, direct ? to : 0);
}

/**
 * rax once a call that left through handOffLeave is finished: what a partner stored there already,
 * or, while rax still holds the call's number, the wait's end. Only host tests come back here; on
 * the machine keel_fast_resume (entry.ts) does the same from the Frame.
 */
function resumed(w: Waiter, frame: number, number: number): number {
  const rax = load64(frame + Frame.RAX);
  if (rax !== BigInt(number)) return wordToAddr(rax);
  return registerWaitEnd(w, frame, number === Sys.ReplyWait);
}

/**
 * A call's answer into its Frame's rax, as the system-call entry stores it.
 * @inline
 */
export function storeResult(frame: number, result: number): void {
  store64(frame + Frame.RAX, result >= 0 ? BigInt(result) : addrToWord(result));
}
