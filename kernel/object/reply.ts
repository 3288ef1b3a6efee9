// Call and reply. A call is a send that carries, beside the message, a capability to a fresh reply
// object bound to the waiting caller. The receiver gets that capability with the message and may
// use it exactly once: the reply is delivered straight into the caller's waiter and the capability
// is consumed (its old handle then reports ReplyUsed). If the caller stops waiting (timeout, exit),
// the reply object forgets it and a later reply fails with CallerGone. If the reply capability is
// dropped unused (server exits, endpoint destroyed with the call still queued), destroying the
// reply object completes the caller's wait with PeerClosed.
import { release } from "../../lang/core.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { Cost } from "../cap/quota.ts";
import { KernelObject, objectCreate } from "../cap/object.ts";
import { CapTable, lookupCap, lookupError, NULL_HANDLE, SlotMark, tableFreeSlots } from "../cap/cap-table.ts";
import { capFree, capNew, capTransfer, flightPut } from "../cap/cdt.ts";
import { Capability, NO_CAP } from "../cap/capability.ts";
import { Right } from "../../abi/rights.ts";
import { Message, messageCopyData } from "../cap/message.ts";
import { completeWaiter, WaitKind, Waiter, waiterBlock, wakeWaiter } from "../cap/waiter.ts";
import { endpointEnqueue, endpointService, sendCheck, transferCheck } from "./endpoint.ts";
import { ObjectType } from "../../abi/object-type.ts";
import { MSG_CAPS, MsgFlag } from "../../abi/message.ts";

/** Rights of a reply capability: use it (Write) or hand it on (Grant); never duplicate it. */
export const REPLY_RIGHTS = Right.Write | Right.Grant;

export class Reply {
  obj: KernelObject;
  /** The waiting caller, or null once it replied, timed out or went away. */
  caller: Waiter | null;

  constructor(obj: KernelObject, caller: Waiter) {
    this.obj = obj;
    this.caller = caller;
  }
}

/**
 * Sends `msg` through `handle` with a reply capability and blocks `w` for the answer: returns
 * WouldBlock (the reply lands in `w.msg` and `w` completes with Ok, or PeerClosed, TimedOut...),
 * or the send's error at once. The reply object is charged to the caller's account.
 */
export function endpointCall(t: CapTable, handle: number, msg: Message, w: Waiter): ErrorCode {
  const e = sendCheck(t, handle, msg);
  if (e !== ErrorCode.Ok) return e;
  const obj = objectCreate(ObjectType.Reply, t.account, Cost.Reply);
  if (obj === null) return ErrorCode.QuotaExceeded;
  const r = new Reply(obj, w);
  obj.reply = r;
  const replyCap = capNew(obj, REPLY_RIGHTS, 0n, null);
  const sender = lookupCap(t, handle);
  const ep = sender.object.endpoint!;
  const queued = endpointEnqueue(ep, t, sender, msg);
  flightPut(replyCap, queued, MSG_CAPS);
  waiterBlock(w, WaitKind.Call, null, t, handle, sender);
  w.reply = r;
  endpointService(ep);
  return ErrorCode.WouldBlock;
}

/**
 * Answers a call through the one-shot reply capability `replyHandle`. Ok: the caller got `msg`
 * (or, if its table had no room for the capabilities, TableFull, and they stay here). CallerGone:
 * nobody waits any more. Either way the reply capability is used up; a second use gets ReplyUsed.
 * A bad transfer request leaves the reply capability usable.
 */
export function replySend(t: CapTable, replyHandle: number, msg: Message): ErrorCode {
  const e = lookupError(t, replyHandle, ObjectType.Reply, Right.Write);
  if (e !== ErrorCode.Ok) return e;
  return replyThrough(t, lookupCap(t, replyHandle), msg);
}

/**
 * replySend through the reply capability `cap` itself (in `t`, or in flight in a reply slot).
 * A caller waiting in a register call takes no capabilities: CapsNotAccepted, `cap` stays usable.
 */
function replyThrough(t: CapTable, cap: Capability, msg: Message): ErrorCode {
  const r = cap.object.reply!;
  const w = r.caller;
  if (w === null) {
    capFree(cap, SlotMark.Consumed);
    return ErrorCode.CallerGone;
  }
  const te = transferCheck(t, msg, r.obj);
  if (te !== ErrorCode.Ok) return te;
  if (w.noCaps && msg.capCount > 0) return ErrorCode.CapsNotAccepted;
  const ct = w.table!;
  if (tableFreeSlots(ct) < msg.capCount) {
    wakeWaiter(w, ErrorCode.TableFull);
  } else {
    const copy = (msg.flags & MsgFlag.CopyCaps) !== 0;
    const out = w.msg;
    messageCopyData(out, msg);
    out.badge = 0n;
    out.capCount = msg.capCount;
    out.flags = 0;
    out.replyHandle = NULL_HANDLE;
    for (let i = 0; i < MSG_CAPS; i++) {
      out.handles[i] = i < msg.capCount ? capTransfer(lookupCap(t, msg.handles[i]!), ct, copy) : NULL_HANDLE;
    }
    wakeWaiter(w, ErrorCode.Ok);
  }
  capFree(cap, SlotMark.Consumed);
  return ErrorCode.Ok;
}

export function destroyReply(obj: KernelObject): void {
  const r = obj.reply!;
  const w = r.caller;
  if (w !== null) wakeWaiter(w, ErrorCode.PeerClosed);
  obj.reply = null;
  release(r);
}


/**
 * Answers the call in `server`'s reply slot (a register receive put it there) with `msg`, which
 * carries no capabilities. Returns the caller's waiter when it was completed without its wake hook
 * (the caller of this function makes it run), else null: the slot was empty, the caller had gone,
 * or the reply went through a reply object (whose caller was woken the usual way).
 */
export function replyFromSlot(t: CapTable, server: Waiter, msg: Message): Waiter | null {
  const c = server.replyTo;
  if (c !== null) {
    messageCopyData(c.msg, msg);
    replyDirect(c);
    return c;
  }
  const cap = server.msg.replyCap;
  if (cap !== NO_CAP) {
    replyThrough(t, cap, msg);
    // Whatever the outcome, the one-shot capability is used up (replyThrough frees it but on errors).
    if (server.msg.replyCap !== NO_CAP) capFree(server.msg.replyCap, SlotMark.Consumed);
  }
  return null;
}

/**
 * Completes the register caller `c` whose reply data (label, words) is already in `c.msg`,
 * without its wake hook; this also empties the server's reply slot.
 */
function replyDirect(c: Waiter): void {
  const out = c.msg;
  out.badge = 0n;
  out.capCount = 0;
  out.flags = 0;
  out.replyHandle = NULL_HANDLE;
  completeWaiter(c, ErrorCode.Ok);
}

/** The server is going away: whoever waits for its reply slot's answer sees PeerClosed. */
export function dropReplySlot(server: Waiter): void {
  const c = server.replyTo;
  if (c !== null) wakeWaiter(c, ErrorCode.PeerClosed);
  if (server.msg.replyCap !== NO_CAP) capFree(server.msg.replyCap, SlotMark.Deleted);
}
