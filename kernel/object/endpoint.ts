// Endpoints: bounded message queues. Send never blocks unless asked to (full is an error the
// sender sees, or it waits with a deadline); receive polls, blocks, or waits with a deadline.
// Capabilities in a message leave the sender's table on send (or are copied, per flag), travel
// in flight inside the queued message, and land in the receiver's table on receive.
//
// Peer closed: one endpoint object, two sides told apart by rights. Every capability with Write
// counts as a sender, every one with Read as a receiver (one with both counts as both). When the
// last sender goes, receivers drain what is queued and then see PeerClosed; when the last receiver
// goes, senders see PeerClosed at once. Counts include capabilities in flight.
import { release } from "../../lang/core.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { countAlloc, countFree, Pool } from "../cap/counters.ts";
import { Cost } from "../cap/quota.ts";
import { KernelObject, objectCreate, objectPostWork } from "../cap/object.ts";
import { CapTable, lookupCap, lookupError, lookupValid, NULL_HANDLE, tableFreeSlots } from "../cap/cap-table.ts";
import { Capability, NO_CAP } from "../cap/capability.ts";
import { capCopyToFlight, capFree, capFromFlight, capInstallRoot, capToFlight, flightPut, flightRemove } from "../cap/cdt.ts";
import { SlotMark } from "../cap/cap-table.ts";
import { Right, RIGHTS_ALL } from "../../abi/rights.ts";
import { Message, messageClear, messageFree, messageCopyData, messageCopyRequest } from "../cap/message.ts";
import {
  NO_WAIT,
  WaitKind,
  WaitQueue,
  Waiter,
  waiterBlock,
  waitQueuePop,
  wakeAll,
  wakeWaiter,
} from "../cap/waiter.ts";
import { Ready, setReadiness, waitSetDetachSource } from "./wait-set.ts";
import { signalBound, unbindSource } from "./notification.ts";
import { ObjectType } from "../../abi/object-type.ts";
import { MSG_CAPS, MsgFlag } from "../../abi/message.ts";

export const MAX_QUEUE = 256;

export class Endpoint {
  obj: KernelObject;
  capacity: number;
  ring: Array<Message>;
  head = 0;
  count = 0;
  senders = 0;
  receivers = 0;
  sendWaiters = new WaitQueue();
  recvWaiters = new WaitQueue();
  /** Guards endpointService against re-entry (completing one waiter can make room for another). */
  servicing = false;

  constructor(obj: KernelObject, capacity: number) {
    this.obj = obj;
    this.capacity = capacity;
    this.ring = new Array<Message>(capacity).fill(NO_MESSAGE);
    for (let i = 0; i < capacity; i++) {
      this.ring[i] = new Message();
      countAlloc(Pool.Message);
    }
  }
}

/** Placeholder that fills a ring before its messages are allocated. */
const NO_MESSAGE = new Message();

/** Creates an endpoint whose queue holds `capacity` messages: handle (all rights) or -error. */
export function endpointCreate(t: CapTable, capacity: number): number {
  if (capacity <= 0 || capacity > MAX_QUEUE) return -ErrorCode.InvalidArgument;
  const obj = objectCreate(ObjectType.Endpoint, t.account, Cost.Endpoint + capacity * Cost.Message);
  if (obj === null) return -ErrorCode.QuotaExceeded;
  obj.endpoint = new Endpoint(obj, capacity);
  updateReadiness(obj.endpoint);
  return capInstallRoot(t, obj, RIGHTS_ALL);
}

function updateReadiness(ep: Endpoint): void {
  let bits = 0;
  if (ep.count > 0) bits |= Ready.Readable;
  if (ep.count < ep.capacity && ep.receivers > 0) bits |= Ready.Writable;
  if ((ep.senders === 0 || ep.receivers === 0) && ep.obj.capCount > 0) bits |= Ready.PeerClosed;
  const rising = bits & ~ep.obj.readiness;
  setReadiness(ep.obj, bits);
  if (rising !== 0) signalBound(ep.obj, rising);
}

/**
 * Checks the capabilities a sender wants to transfer: each must be valid and grantable (and
 * duplicable when copied), distinct, and must not name the endpoint itself (a queue holding the
 * capability that keeps it alive would never be reclaimed).
 */
export function transferCheck(t: CapTable, msg: Message, self: KernelObject): ErrorCode {
  if (msg.capCount < 0 || msg.capCount > MSG_CAPS) return ErrorCode.InvalidArgument;
  const copy = (msg.flags & MsgFlag.CopyCaps) !== 0;
  const need = copy ? Right.Grant | Right.Duplicate : Right.Grant;
  for (let i = 0; i < msg.capCount; i++) {
    const h = msg.handles[i]!;
    const e = lookupError(t, h, ObjectType.Any, need);
    if (e !== ErrorCode.Ok) return e;
    if (lookupCap(t, h).object === self) return ErrorCode.InvalidArgument;
    for (let j = 0; j < i; j++) {
      if (msg.handles[j]! === h) return ErrorCode.InvalidArgument;
    }
  }
  return ErrorCode.Ok;
}

/**
 * Queues `msg` from table `t` sent with capability `sender` (whose badge the receiver sees);
 * capacity and the transfer were checked. Returns the queued message.
 */
export function endpointEnqueue(ep: Endpoint, t: CapTable, sender: Capability, msg: Message): Message {
  const slot = ep.ring[(ep.head + ep.count) % ep.capacity]!;
  messageCopyData(slot, msg);
  slot.badge = sender.badge;
  slot.capCount = msg.capCount;
  const copy = (msg.flags & MsgFlag.CopyCaps) !== 0;
  for (let i = 0; i < msg.capCount; i++) {
    const c = lookupCap(t, msg.handles[i]!);
    if (copy) capCopyToFlight(c, c.rights, slot, i);
    else capToFlight(c, slot, i);
  }
  ep.count++;
  return slot;
}

/** Common checks of a send through `handle`: Ok or why not. */
export function sendCheck(t: CapTable, handle: number, msg: Message): ErrorCode {
  // One pass over the handle; the precise error only when it fails.
  const cap = lookupValid(t, handle, ObjectType.Endpoint, Right.Write);
  if (cap === NO_CAP) return lookupError(t, handle, ObjectType.Endpoint, Right.Write);
  const ep = cap.object.endpoint!;
  if (ep.receivers === 0) return ErrorCode.PeerClosed;
  if (ep.count >= ep.capacity) return ErrorCode.QueueFull;
  return transferCheck(t, msg, ep.obj);
}

/** Non-blocking send: Ok, or QueueFull, PeerClosed, or a capability error. Nothing moves on error. */
export function endpointSend(t: CapTable, handle: number, msg: Message): ErrorCode {
  const e = sendCheck(t, handle, msg);
  if (e !== ErrorCode.Ok) return e;
  const sender = lookupCap(t, handle);
  const ep = sender.object.endpoint!;
  endpointEnqueue(ep, t, sender, msg);
  endpointService(ep);
  return ErrorCode.Ok;
}

/**
 * Send that waits for room: as endpointSend, but when the queue is full and `w.deadline` is not
 * NO_WAIT, the request is copied into `w` and queued; returns WouldBlock. When room appears the
 * send is retried from `w` (re-checking every handle) and `w` completes with its result.
 */
export function endpointSendWait(t: CapTable, handle: number, msg: Message, w: Waiter): ErrorCode {
  const e = endpointSend(t, handle, msg);
  if (e !== ErrorCode.QueueFull || w.deadline === NO_WAIT) return e;
  const cap = lookupCap(t, handle);
  messageCopyRequest(w.msg, msg);
  waiterBlock(w, WaitKind.Send, cap.object.endpoint!.sendWaiters, t, handle, cap);
  return ErrorCode.WouldBlock;
}

/** Poll receive into `out`: Ok, QueueEmpty, PeerClosed (empty and no sender left), TableFull. */
export function endpointReceive(t: CapTable, handle: number, out: Message): ErrorCode {
  const cap = lookupValid(t, handle, ObjectType.Endpoint, Right.Read);
  if (cap === NO_CAP) return lookupError(t, handle, ObjectType.Endpoint, Right.Read);
  const ep = cap.object.endpoint!;
  if (ep.count === 0) return ep.senders === 0 ? ErrorCode.PeerClosed : ErrorCode.QueueEmpty;
  const r = deliver(ep, t, out);
  if (r === ErrorCode.Ok) endpointService(ep);
  return r;
}

/**
 * Receive that waits: Ok at once when a message is queued; QueueEmpty when polling (deadline
 * NO_WAIT); otherwise `w` is queued and WouldBlock returned. `w` completes with the message in
 * `w.msg` (Ok), or PeerClosed, ObjectDestroyed, TimedOut, or the error of its re-checked handle.
 */
export function endpointReceiveWait(t: CapTable, handle: number, w: Waiter): ErrorCode {
  const e = endpointReceive(t, handle, w.msg);
  if (e !== ErrorCode.QueueEmpty || w.deadline === NO_WAIT) return e;
  const cap = lookupCap(t, handle);
  waiterBlock(w, WaitKind.Receive, cap.object.endpoint!.recvWaiters, t, handle, cap);
  return ErrorCode.WouldBlock;
}

/** Capabilities the head message would install (those still in flight, plus the reply). */
function headCapCount(m: Message): number {
  let n = m.replyCap !== NO_CAP ? 1 : 0;
  for (let i = 0; i < MSG_CAPS; i++) if (m.caps[i]! !== NO_CAP) n++;
  return n;
}

/** Dequeues the head message into `out`, installing its capabilities into `t`. */
function deliver(ep: Endpoint, t: CapTable, out: Message): ErrorCode {
  const m = ep.ring[ep.head]!;
  if (tableFreeSlots(t) < headCapCount(m)) return ErrorCode.TableFull;
  messageCopyData(out, m);
  out.badge = m.badge;
  out.capCount = m.capCount;
  out.flags = 0;
  for (let i = 0; i < MSG_CAPS; i++) {
    const c = m.caps[i]!;
    out.handles[i] = c !== NO_CAP ? capFromFlight(c, t) : NULL_HANDLE;
  }
  out.replyHandle = m.replyCap !== NO_CAP ? capFromFlight(m.replyCap, t) : NULL_HANDLE;
  messageClear(m);
  ep.head = (ep.head + 1) % ep.capacity;
  ep.count--;
  return ErrorCode.Ok;
}

/**
 * Dequeues the head message for a register receiver `w` (ipc-regs.ts): data and badge into
 * `w.msg`, a call's reply capability into `w`'s reply slot (in flight in `w.msg`, never in a
 * table). A message carrying capabilities does not fit in registers: CapsNotAccepted, and it stays
 * queued for a receive with a buffer.
 */
export function deliverToRegisters(ep: Endpoint, w: Waiter): ErrorCode {
  const m = ep.ring[ep.head]!;
  const caps = m.caps;
  for (let i = 0; i < MSG_CAPS; i++) if (caps[i]! !== NO_CAP) return ErrorCode.CapsNotAccepted;
  const out = w.msg;
  messageCopyData(out, m);
  out.badge = m.badge;
  out.capCount = 0;
  out.flags = 0;
  out.replyHandle = NULL_HANDLE;
  const reply = m.replyCap;
  if (reply !== NO_CAP) {
    // A register receive answers the previous call first, so the slot is empty; if not, the old
    // caller is let go (PeerClosed) rather than left waiting.
    if (out.replyCap !== NO_CAP) capFree(out.replyCap, SlotMark.Deleted);
    flightRemove(reply);
    flightPut(reply, out, MSG_CAPS);
  }
  messageClear(m);
  ep.head = (ep.head + 1) % ep.capacity;
  ep.count--;
  return ErrorCode.Ok;
}

/**
 * Completes waiters the endpoint's state now allows: receivers while messages are queued, senders
 * while there is room. Each waiter's handle is re-checked, since it may have been deleted or
 * revoked while it waited. A loop, never recursion.
 */
export function endpointService(ep: Endpoint): void {
  if (ep.servicing) {
    updateReadiness(ep);
    return;
  }
  ep.servicing = true;
  let progress = true;
  while (progress) {
    progress = false;
    while (ep.count > 0 && ep.recvWaiters.count > 0) {
      const w = waitQueuePop(ep.recvWaiters)!;
      const t = w.table!;
      let r = lookupError(t, w.handle, ObjectType.Endpoint, Right.Read);
      if (r === ErrorCode.Ok && lookupCap(t, w.handle).object !== ep.obj) r = ErrorCode.StaleHandle;
      if (r === ErrorCode.Ok) r = w.noCaps ? deliverToRegisters(ep, w) : deliver(ep, t, w.msg);
      if (r === ErrorCode.Ok) progress = true;
      wakeWaiter(w, r);
    }
    while (ep.count < ep.capacity && ep.sendWaiters.count > 0) {
      const w = waitQueuePop(ep.sendWaiters)!;
      const t = w.table!;
      let r = sendCheck(t, w.handle, w.msg);
      if (r === ErrorCode.Ok && lookupCap(t, w.handle).object !== ep.obj) r = ErrorCode.StaleHandle;
      if (r === ErrorCode.Ok) {
        endpointEnqueue(ep, t, lookupCap(t, w.handle), w.msg);
        progress = true;
      }
      wakeWaiter(w, r);
    }
  }
  ep.servicing = false;
  updateReadiness(ep);
}

/** Sender and receiver counts follow the capabilities; a side reaching zero is "peer closed". */
export function endpointCapChanged(obj: KernelObject, rights: number, delta: number): void {
  const ep = obj.endpoint!;
  if ((rights & Right.Write) !== 0) ep.senders += delta;
  if ((rights & Right.Read) !== 0) ep.receivers += delta;
  if (delta < 0) {
    if (ep.senders === 0 && ep.count === 0) wakeAll(ep.recvWaiters, ErrorCode.PeerClosed);
    if (ep.receivers === 0) {
      wakeAll(ep.sendWaiters, ErrorCode.PeerClosed);
      // Nothing can receive any more (in-flight capabilities count too): the queued messages are
      // dropped, with their capabilities, from the work loop (endpointDrop) before this kernel
      // entry ends. Not here: freeing them can drop the next queue, and so on down a chain.
      if (ep.count > 0) objectPostWork(obj);
    }
  }
  updateReadiness(ep);
}

/**
 * Posted work: drops the queue of an endpoint that has no receiver left, so its capabilities in
 * flight are released and its callers see PeerClosed. Each message leaves the queue before its
 * capabilities go: freeing them can reach other queues that hold capabilities to this endpoint,
 * and so run its capability hook again in the middle.
 */
export function endpointDrop(obj: KernelObject): void {
  const ep = obj.endpoint!;
  while (ep.receivers === 0 && ep.count > 0) {
    const m = ep.ring[ep.head]!;
    ep.head = (ep.head + 1) % ep.capacity;
    ep.count--;
    messageClear(m);
    discardMessage(m);
  }
  updateReadiness(ep);
}

/** Frees the capabilities a queued message holds in flight (a call's reply: its caller fails). */
function discardMessage(m: Message): void {
  for (let j = 0; j < MSG_CAPS; j++) {
    const c = m.caps[j]!;
    if (c !== NO_CAP) capFree(c, SlotMark.Deleted);
  }
  // Dropping a call's reply capability destroys the reply object, which fails the caller.
  if (m.replyCap !== NO_CAP) capFree(m.replyCap, SlotMark.Deleted);
}

/** Last capability gone: wake anyone still waiting, drop queued messages and their capabilities. */
export function destroyEndpoint(obj: KernelObject): void {
  const ep = obj.endpoint!;
  wakeAll(ep.recvWaiters, ErrorCode.ObjectDestroyed);
  wakeAll(ep.sendWaiters, ErrorCode.ObjectDestroyed);
  waitSetDetachSource(obj);
  unbindSource(obj);
  for (let i = 0; i < ep.capacity; i++) {
    const m = ep.ring[i]!;
    discardMessage(m);
    countFree(Pool.Message);
    messageFree(m);
  }
  ep.count = 0;
  obj.endpoint = null;
  release(ep.ring);
  release(ep.sendWaiters);
  release(ep.recvWaiters);
  release(ep);
}

/** Messages queued on the endpoint a capability names (for tests, tracing and snapshots). */
export function endpointQueued(obj: KernelObject): number {
  return obj.endpoint !== null ? obj.endpoint.count : 0;
}
