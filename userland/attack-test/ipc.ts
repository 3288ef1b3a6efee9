// IPC attacks: waits that revocation must end, and chains of queues whose teardown must not recurse.
//
// A revoke ends a wait: a helper blocked without a timeout through a capability the driver gave it
// (receive, notification wait, wait-set wait, send on a full queue, call, call_regs, reply_wait)
// returns Revoked as soon as the driver revokes the capability it was derived from, well within
// 200 ms, and its exit notification follows. Before, it stayed blocked until the next message or
// signal reached it, which might never come.
//
// A chain of endpoints, each holding in its queue a message with the only capability to the next,
// is deleted from its head: the kernel must free it link by link, not by one nested call per link
// (25 endpoints of 256 slots, what the default quota held before queue slots were charged at their
// real size, once ran the kernel stack into its guard page; a chain of hundreds of one-slot
// endpoints is as deep). Objects, quota and kernel heap bytes must come back to where they were.
import {
  call, callRegs, capCopy, capDelete, capRevoke, ErrorCode, endpointCreate, msgCap, msgClear, msgSet,
  msgSetCap, msgWord, notificationCreate, notificationWait, processKill, receive, replyWait, Right, send,
  Timeout, waitSetAdd, waitSetCreate, waitSetWait,
} from "../lib/ipc.ts";
import { loadWord } from "../lib/runtime.ts";
import {
  Baseline, control, expectClean, expectEq, HELPER_QUOTA, m, m2, MS, pass, procWord, reap, report, sendReport, startHelper, words,
} from "./common.ts";

const enum Role {
  /** Blocks in the wait of kind w0 through capability c0, then reports how the wait ended. */
  Waiter = 200,
}

const enum Wait {
  Receive = 0,
  NotificationWait = 1,
  WaitSetWait = 2,
  SendFull = 3,
  Call = 4,
  CallRegs = 5,
  ReplyWait = 6,
}

const WAIT_NAMES = ["receive", "notification wait", "wait-set wait", "send on a full queue", "call", "call_regs", "reply_wait"];

/** Whether the wait of `kind` is on the receiving side (needs Read) or the sending side (Write). */
function readSide(kind: number): boolean {
  return kind === Wait.Receive || kind === Wait.NotificationWait || kind === Wait.WaitSetWait || kind === Wait.ReplyWait;
}

/** How long a revoked waiter may take to report (the old kernel never woke it). */
const PROMPT_MS = 200;

/** The helper blocked in `kind`; the driver revokes the root its capability came from. */
function revokeEndsWaitOnce(name: string, kind: number): boolean {
  const b = new Baseline();
  let root = 0;
  let member = 0;
  if (kind === Wait.NotificationWait) {
    root = notificationCreate();
  } else if (kind === Wait.WaitSetWait) {
    root = waitSetCreate(2);
    member = notificationCreate();
    if (waitSetAdd(root, member, 1, 0) < 0) root = -1;
  } else {
    root = endpointCreate(1);
  }
  // The helper's capability is a copy of `give`, itself derived from `root`: two levels down.
  const give = root > 0 ? capCopy(root, (readSide(kind) ? Right.Read : Right.Write) | Right.Grant | Right.Duplicate) : -1;
  const exited = notificationCreate();
  const pid = give > 0 ? startHelper(Role.Waiter, kind, 0, give, HELPER_QUOTA, exited, true) : -1;
  const proc = loadWord(procWord);
  let ok = expectEq(name, `${WAIT_NAMES[kind]!}: helper started`, pid > 0 && proc > 0 ? 1 : 0, 1) &&
    expectEq(name, `${WAIT_NAMES[kind]!}: helper ready`, report(2000), 1) &&
    expectEq(name, `${WAIT_NAMES[kind]!}: quiet while the helper blocks`, receive(control.rep, m2, 20 * MS), -ErrorCode.TimedOut) &&
    expectEq(name, `${WAIT_NAMES[kind]!}: revoke`, capRevoke(root), 0);
  let woke = false;
  if (ok) {
    const r = report(PROMPT_MS);
    woke = r === 2;
    ok = expectEq(name, `${WAIT_NAMES[kind]!}: the helper's wait ended within ${PROMPT_MS} ms`, r, 2) &&
      expectEq(name, `${WAIT_NAMES[kind]!}: its result`, msgWord(m2, 0), -ErrorCode.Revoked);
  }
  if (ok) ok = expectEq(name, `${WAIT_NAMES[kind]!}: exit notification`, notificationWait(exited, 500 * MS), 1);
  if (woke) {
    if (ok) ok = expectEq(name, `${WAIT_NAMES[kind]!}: exit status`, reap(pid), 0);
  } else if (pid > 0 && proc > 0) {
    // Still blocked: end it, so that the next scenarios run.
    processKill(proc, 9);
    reap(pid);
  }
  if (proc > 0) capDelete(proc);
  if (give > 0) capDelete(give);
  if (member > 0) capDelete(member);
  if (root > 0) capDelete(root);
  capDelete(exited);
  return expectClean(name, b) && ok;
}

function revokeEndsWait(name: string, first: number, last: number): void {
  let ok = true;
  for (let kind = first; kind <= last && ok; kind++) ok = revokeEndsWaitOnce(name, kind);
  if (ok) pass(name);
}

/**
 * Builds as long a chain of endpoints with `capacity` slots as the quota allows (each queue holds
 * a message with the only capability to the next), deletes its head, and checks everything came back.
 */
function chainFreedFromHead(name: string, capacity: number, atLeast: number): void {
  const b = new Baseline();
  const head = endpointCreate(capacity);
  if (!expectEq(name, "first endpoint", head > 0 ? 1 : 0, 1)) return;
  let cur = head;
  let links = 0;
  let ok = true;
  for (;;) {
    const next = endpointCreate(capacity);
    if (next < 0) {
      ok = expectEq(name, "the chain ends at the quota", next, -ErrorCode.QuotaExceeded);
      break;
    }
    const sendNext = capCopy(next, Right.Write | Right.Grant);
    msgClear(m);
    msgSet(m, links, 0, 0);
    msgSetCap(m, 0, next);
    const r = send(cur, m, Timeout.Poll);
    if (sendNext < 0 || r < 0) {
      ok = expectEq(name, "link", sendNext < 0 ? sendNext : r, 0);
      capDelete(next);
      if (sendNext > 0) capDelete(sendNext);
      break;
    }
    if (cur !== head) capDelete(cur);
    cur = sendNext;
    links++;
  }
  if (cur !== head) capDelete(cur);
  // Every endpoint but the head is now reachable only through the queue before it.
  if (ok) ok = expectEq(name, `at least ${atLeast} links`, links >= atLeast ? 1 : 0, 1);
  capDelete(head);
  if (expectClean(name, b) && ok) {
    console.log(`attack-test: ${links} links of ${capacity} slots freed`);
    pass(name);
  }
}

/** The driver's side: every IPC scenario, in order. */
export function ipcScenarios(): void {
  revokeEndsWait("revoke ends a blocked receive", Wait.Receive, Wait.Receive);
  revokeEndsWait("revoke ends a blocked notification wait", Wait.NotificationWait, Wait.NotificationWait);
  revokeEndsWait("revoke ends a blocked wait-set wait", Wait.WaitSetWait, Wait.WaitSetWait);
  revokeEndsWait("revoke ends a blocked send, call, call_regs and reply_wait", Wait.SendFull, Wait.ReplyWait);
  chainFreedFromHead("a chain of 16-slot endpoints as long as the quota allows, freed from its head", 16, 20);
  chainFreedFromHead("a chain of thousands of 1-slot endpoints, freed from its head", 1, 500);
}

/** Blocks in the wait of `kind` through `c` (after a poll send, for a full queue), then reports. */
function helperWaiter(kind: number, c: number): number {
  msgClear(m);
  msgSet(m, 1, 0, 0);
  if (kind === Wait.SendFull && send(c, m, Timeout.Poll) < 0) return 3;
  sendReport(1, 0, 0);
  let r = 0;
  switch (kind) {
    case Wait.Receive: r = receive(c, m, Timeout.Forever); break;
    case Wait.NotificationWait: r = notificationWait(c, Timeout.Forever); break;
    case Wait.WaitSetWait: r = waitSetWait(c, Timeout.Forever, words, 4); break;
    case Wait.SendFull: r = send(c, m, Timeout.Forever); break;
    case Wait.Call: r = call(c, m, Timeout.Forever); break;
    case Wait.CallRegs: r = callRegs(c, m, Timeout.Forever); break;
    case Wait.ReplyWait: r = replyWait(c, m, Timeout.Forever); break;
    default: return 4;
  }
  sendReport(2, r, 0);
  return 0;
}

/** The helper's side: answers roles 200-299 (its role message is in m); its exit status. */
export function ipcHelper(role: number): number {
  const w0 = msgWord(m, 0);
  const c0 = msgCap(m, 0);
  switch (role) {
    case Role.Waiter: return helperWaiter(w0, c0);
    default: return 92;
  }
}
