// ipc-test: capabilities and IPC between real processes. Started by the kernel as init of the IPC
// image (build/iso/ipc.iso), it is the driver: for each scenario it starts copies of itself with
// capabilities, hands each its role in a first message, checks what happens, and prints
// `IPC PASS <name>` or `IPC FAIL <name>: <why>`, then `IPC DONE <n> passed, <m> failed`.
// A copy started with capabilities is a helper: it receives its role on its first capability.
// Started by init on another image, it only says so and exits.
import { load32, load8, store32, store8 } from "../../lang/mem.ts";
import { malloc } from "../lib/heap.ts";
import {
  BATCH_ENTRY_BYTES, batch, call, callRegs, ErrorCode, capCopy, capDelete, capIdentify, capMint, capRevoke, capType, endpointCreate,
  FIRST_START_HANDLE, invoke, kernelObjects, memoryCreate, memoryMap, memoryUnmap, Method, msgAlloc, msgBadge, msgCap,
  msgCapCount, msgClear, msgCopy, MsgFlag, msgLabel, kernelHeapUsed, msgReplyHandle, msgSet, msgSetCap, msgSetFlags, msgSetLabel,
  msgSetWord, msgWord, notificationBind, notificationCreate, notificationWait, ObjectType, quotaUsed, Ready, receive,
  processKill, RECEIVED_CALL, reply, replyWait, Right, RIGHTS_ALL, send, signal, spawnCaps, storeWord, Timeout, waitSetAdd, waitSetCreate,
  waitSetRemove, waitSetWait,
} from "../lib/ipc.ts";
import { pipeClose, pipeOpen, pipeRead, pipeUnmap, pipeWrite, PIPE_PAGES } from "../lib/pipe.ts";
import { loadWord, startupWord } from "../lib/runtime.ts";
import { errorText, ExitHow, Startup, exit, wait } from "../lib/sys.ts";
import { runBadInput } from "./bad-input.ts";

const enum Role {
  Pong = 1,
  EchoServer = 2,
  CapTransfer = 3,
  RevokeInFlight = 4,
  DyingServer = 5,
  Drain = 6,
  WaitSetSources = 7,
  SharedMemory = 8,
  Proxy = 9,
  PipeWriter = 10,
  PeerCloser = 11,
  Blocker = 12,
  Killer = 13,
  Hoarder = 14,
  RegsServer = 15,
  CapsRefused = 16,
  CapsReply = 17,
  RegsHolder = 18,
  RegsCaller = 19,
}

/** What a RegsHolder does once a register call sits in its reply slot. */
const enum Hold {
  UntilKilled = 1,
  Exit = 2,
}

/** A plain message that ends a RegsServer's loop. */
const STOP_LABEL = 999;


/** Where a Blocker helper is when it is killed. */
const enum Block {
  Receive = 1,
  NotificationWait = 2,
  WaitSetWait = 3,
  SendFull = 4,
  Call = 5,
  Running = 6,
  /** Receives a call and holds its reply while it waits for another message. */
  HoldReply = 7,
}

const MS = 1000000;
const VECTOR_PAGE_FAULT = 14;
const SHM_BASE = 0x60000000;
const SHM_RO_BASE = 0x60100000;
const PIPE_BASE = 0x60200000;
const CHILD_QUOTA = 128 * 1024;
const PIPE_BYTES = 20000;

const m = msgAlloc();
const m2 = msgAlloc();
const words = malloc(256);
const status = malloc(16);
/** spawn_caps stores the Process capability of a killable helper here. */
const procWord = malloc(8);
const self = startupWord(Startup.ModuleIndex);

class Tally {
  passed = 0;
  failed = 0;
}
const tally = new Tally();

function pass(name: string): void {
  console.log(`IPC PASS ${name}`);
  tally.passed++;
}

function fail(name: string, why: string): void {
  console.log(`IPC FAIL ${name}: ${why}`);
  tally.failed++;
}

/** Records a failed expectation; true when `got` is `want`. */
function expectEq(name: string, what: string, got: number, want: number): boolean {
  if (got === want) return true;
  fail(name, `${what}: got ${got}, want ${want}`);
  return false;
}

// ---------------------------------------------------------------- the driver's side

class Control {
  /** Roles go out on ctl; helpers report on rep. */
  ctl = 0;
  rep = 0;
}
const control = new Control();

/**
 * Starts a helper with `role`, handing it c0..c2 (0: none) as copies; its pid. Each helper gets an
 * endpoint of its own for its role and later orders, so a helper left behind by a failed scenario
 * never takes the next one's messages.
 */
function startHelper(role: number, w0: number, w1: number, c0: number, c1: number, c2: number, exitNotify: number): number {
  return startHelperAt(role, w0, w1, c0, c1, c2, exitNotify, 0);
}

/** As startHelper; the helper's Process capability is then at loadWord(procWord). */
function startKillable(role: number, w0: number, c0: number, c1: number, exitNotify: number): number {
  storeWord(procWord, 0);
  return startHelperAt(role, w0, 0, c0, c1, 0, exitNotify, procWord);
}

function startHelperAt(
  role: number, w0: number, w1: number, c0: number, c1: number, c2: number, exitNotify: number, procOut: number,
): number {
  if (control.ctl !== 0) capDelete(control.ctl);
  control.ctl = endpointCreate(2);
  storeWord(words, control.ctl);
  storeWord(words + 8, control.rep);
  const pid = spawnCaps(self, words, 2, CHILD_QUOTA, exitNotify, procOut);
  if (pid < 0) return pid;
  msgSet(m, role, w0, w1);
  if (c0 > 0) msgSetCap(m, 0, c0);
  if (c1 > 0) msgSetCap(m, 1, c1);
  if (c2 > 0) msgSetCap(m, 2, c2);
  msgSetFlags(m, MsgFlag.CopyCaps);
  const r = send(control.ctl, m, Timeout.Forever);
  if (r < 0) console.log(`ipc-test: role message not sent: ${errorText(r)}`);
  return pid;
}

/** Waits for child `pid`: its exit status, or -1000 - vector when it was killed. */
function reap(pid: number): number {
  const r = wait(pid, status);
  if (r < 0) return -2000;
  if (loadWord(status + 8) === ExitHow.Killed) return -1000 - loadWord(status);
  return loadWord(status);
}

/** The next report from a helper: its label, words in m2. */
function report(): number {
  const r = receive(control.rep, m2, 2000 * MS);
  if (r < 0) return r;
  return msgLabel(m2);
}

/** Everything a scenario made is gone: objects, capabilities, queued messages, frames, quota. */
function expectClean(name: string, objects: number, quota: number): boolean {
  if (control.ctl !== 0) capDelete(control.ctl);
  control.ctl = 0;
  return expectEq(name, "kernel objects left", kernelObjects(), objects) && expectEq(name, "quota left in use", quotaUsed(), quota);
}

function pingPong(): void {
  const name = "ping-pong";
  const objects = kernelObjects();
  const quota = quotaUsed();
  const a = endpointCreate(4);
  const b = endpointCreate(4);
  const badged = capMint(a, Right.Write, 0x77);
  const pid = startHelper(Role.Pong, 100, 0, a, b, 0, 0);
  let ok = pid > 0 && badged > 0;
  for (let i = 0; i < 100 && ok; i++) {
    msgSet(m, 1, i * 3, 0);
    ok = expectEq(name, "send", send(badged, m, Timeout.Forever), 0);
    if (!ok) break;
    ok = expectEq(name, "receive", receive(b, m, Timeout.Forever), 0) && expectEq(name, "pong", msgWord(m, 0), i * 3 + 1) &&
      expectEq(name, "badge seen by the server", msgWord(m, 1), 0x77);
  }
  if (ok) ok = expectEq(name, "server exit", reap(pid), 0);
  capDelete(badged);
  capDelete(a);
  capDelete(b);
  if (ok && expectClean(name, objects, quota)) pass(name);
}

function callReply(): void {
  const name = "call-reply";
  const objects = kernelObjects();
  const quota = quotaUsed();
  const a = endpointCreate(4);
  const pid = startHelper(Role.EchoServer, 50, 0, a, 0, 0, 0);
  let ok = pid > 0;
  for (let i = 0; i < 50 && ok; i++) {
    msgSet(m, 7, i, 0);
    ok = expectEq(name, "call", call(a, m, Timeout.Forever), 0) && expectEq(name, "answer", msgWord(m, 0), i * 2) &&
      expectEq(name, "answer label", msgLabel(m), 0);
  }
  if (ok) ok = expectEq(name, "server reports second reply refused", report(), 1) && expectEq(name, "second reply", msgWord(m2, 0), -ErrorCode.ReplyUsed);
  if (ok) ok = expectEq(name, "server exit", reap(pid), 0);
  capDelete(a);
  if (ok && expectClean(name, objects, quota)) pass(name);
}

function capTransfer(): void {
  const name = "capability transfer";
  const objects = kernelObjects();
  const quota = quotaUsed();
  const a = endpointCreate(4);
  const n = notificationCreate();
  const moved = capCopy(n, Right.Signal | Right.Grant | Right.Duplicate);
  const pid = startHelper(Role.CapTransfer, 0, 0, a, 0, 0, 0);
  msgSet(m, 2, 0, 0);
  msgSetCap(m, 0, moved);
  let ok = expectEq(name, "send with a capability", send(a, m, Timeout.Forever), 0);
  // Moved out: the sender's handle no longer names it.
  if (ok) ok = expectEq(name, "moved handle", capIdentify(moved), -ErrorCode.InvalidHandle);
  if (ok) ok = expectEq(name, "signal through the transferred capability", notificationWait(n, 2000 * MS), 5);
  if (ok) ok = expectEq(name, "report", report(), 1) && expectEq(name, "capabilities back", msgCapCount(m2), 1);
  const back = msgCap(m2, 0);
  if (ok) ok = expectEq(name, "type of the returned capability", capType(back), ObjectType.Notification) &&
    expectEq(name, "rights kept", capIdentify(back) % 256, Right.Signal | Right.Grant | Right.Duplicate);
  // The helper exits 0 only if its handle died when it moved the capability back.
  if (ok) ok = expectEq(name, "helper exit", reap(pid), 0);
  capDelete(back);
  capDelete(n);
  capDelete(a);
  if (ok && expectClean(name, objects, quota)) pass(name);
}

function revokeInFlight(): void {
  const name = "revocation with messages in flight";
  const objects = kernelObjects();
  const quota = quotaUsed();
  const q = endpointCreate(4);
  const n = notificationCreate();
  const minted = capMint(n, Right.Signal | Right.Grant, 0x42);
  const pid = startHelper(Role.RevokeInFlight, 0, 0, q, n, 0, 0);
  let ok = expectEq(name, "helper ready", report(), 1) && expectEq(name, "helper's copy before revoke", msgWord(m2, 0), ObjectType.Notification);
  msgSet(m, 3, 99, 0);
  msgSetCap(m, 0, minted);
  if (ok) ok = expectEq(name, "send minted capability", send(q, m, Timeout.Forever), 0);
  if (ok) ok = expectEq(name, "revoke", capRevoke(n), 0);
  if (ok) ok = expectEq(name, "root survives its revoke", capType(n), ObjectType.Notification);
  msgSet(m, 4, 0, 0);
  if (ok) ok = expectEq(name, "go", send(control.ctl, m, Timeout.Forever), 0);
  if (ok) ok = expectEq(name, "helper result", report(), 2) &&
    expectEq(name, "helper's copy after revoke", msgWord(m2, 0), -ErrorCode.Revoked) &&
    expectEq(name, "message still delivered", msgWord(m2, 1), 99) &&
    expectEq(name, "capability count of the message", msgWord(m2, 2), 1) &&
    expectEq(name, "revoked capability arrives as handle 0", msgWord(m2, 3), 0);
  if (ok) ok = expectEq(name, "helper exit", reap(pid), 0);
  capDelete(n);
  capDelete(q);
  if (ok && expectClean(name, objects, quota)) pass(name);
}

function serverKilledMidCall(): void {
  const name = "server killed mid-call";
  const objects = kernelObjects();
  const quota = quotaUsed();
  const a = endpointCreate(4);
  const pid = startHelper(Role.DyingServer, 0, 0, a, 0, 0, 0);
  msgSet(m, 9, 1, 2);
  let ok = expectEq(name, "call fails with peer closed", call(a, m, Timeout.Forever), -ErrorCode.PeerClosed);
  if (ok) ok = expectEq(name, "server killed by a page fault", reap(pid), -1000 - VECTOR_PAGE_FAULT);
  capDelete(a);
  if (ok && expectClean(name, objects, quota)) pass(name);
}

function fullQueue(): void {
  const name = "full queue";
  const objects = kernelObjects();
  const quota = quotaUsed();
  const a = endpointCreate(2);
  msgSet(m, 1, 10, 0);
  let ok = expectEq(name, "first send", send(a, m, Timeout.Poll), 0);
  msgSet(m, 1, 11, 0);
  if (ok) ok = expectEq(name, "second send", send(a, m, Timeout.Poll), 0);
  msgSet(m, 1, 12, 0);
  if (ok) ok = expectEq(name, "third send without waiting", send(a, m, Timeout.Poll), -ErrorCode.QueueFull);
  if (ok) ok = expectEq(name, "third send with a 5 ms timeout", send(a, m, 5 * MS), -ErrorCode.TimedOut);
  const pid = startHelper(Role.Drain, 3, 0, a, 0, 0, 0);
  msgSet(m, 1, 12, 0);
  // Blocks until the helper makes room.
  if (ok) ok = expectEq(name, "blocking send completes once drained", send(a, m, 2000 * MS), 0);
  if (ok) ok = expectEq(name, "helper report", report(), 1) &&
    expectEq(name, "order", msgWord(m2, 0) * 10000 + msgWord(m2, 1) * 100 + msgWord(m2, 2), 102);
  if (ok) ok = expectEq(name, "receive on empty queue (poll)", receive(a, m, Timeout.Poll), -ErrorCode.QueueEmpty);
  if (ok) ok = expectEq(name, "receive with a 3 ms timeout", receive(a, m, 3 * MS), -ErrorCode.TimedOut);
  if (ok) ok = expectEq(name, "helper exit", reap(pid), 0);
  capDelete(a);
  if (ok && expectClean(name, objects, quota)) pass(name);
}

function waitSetThreeSources(): void {
  const name = "wait set over three sources";
  const objects = kernelObjects();
  const quota = quotaUsed();
  const ep1 = endpointCreate(4);
  const ep2 = endpointCreate(4);
  const n = notificationCreate();
  const ws = waitSetCreate(8);
  let ok = expectEq(name, "add ep1", waitSetAdd(ws, ep1, 1, 0), 0) && expectEq(name, "add ep2", waitSetAdd(ws, ep2, 2, 0), 0) &&
    expectEq(name, "add notification", waitSetAdd(ws, n, 3, 0), 0) &&
    expectEq(name, "nothing ready: timeout", waitSetWait(ws, 2 * MS, words, 8), -ErrorCode.TimedOut);
  const pid = startHelper(Role.WaitSetSources, 0, 0, ep2, n, 0, 0);
  let seen = 0;
  for (let round = 0; round < 10 && ok && seen !== 6; round++) {
    const k = waitSetWait(ws, 2000 * MS, words, 8);
    if (k <= 0) {
      ok = expectEq(name, "wait", k, 1);
      break;
    }
    for (let i = 0; i < k; i++) {
      const key = loadWord(words + i * 16);
      const bits = loadWord(words + i * 16 + 8);
      if (key === 2 && (bits & Ready.Readable) !== 0) seen |= 2;
      if (key === 3 && (bits & Ready.Signalled) !== 0) seen |= 4;
      if (key === 1 && (bits & Ready.Readable) !== 0) seen |= 1;
    }
  }
  if (ok) ok = expectEq(name, "ready members (ep2, notification; not ep1)", seen, 6);
  if (ok) ok = expectEq(name, "message", receive(ep2, m, Timeout.Poll), 0) && expectEq(name, "word", msgWord(m, 0), 222);
  if (ok) ok = expectEq(name, "bits", notificationWait(n, Timeout.Poll), 0x10);
  if (ok) ok = expectEq(name, "helper exit", reap(pid), 0);
  if (ok) ok = expectEq(name, "drained: timeout", waitSetWait(ws, 2 * MS, words, 8), -ErrorCode.TimedOut);
  if (ok) ok = expectEq(name, "remove", waitSetRemove(ws, 1), 0) && expectEq(name, "remove again", waitSetRemove(ws, 1), -ErrorCode.NotFound);
  capDelete(ws);
  capDelete(n);
  capDelete(ep2);
  capDelete(ep1);
  if (ok && expectClean(name, objects, quota)) pass(name);
}

function kernelEvents(): void {
  const name = "kernel events as notification bits";
  const objects = kernelObjects();
  const quota = quotaUsed();
  const n = notificationCreate();
  const p = endpointCreate(4);
  const recvSide = capCopy(p, Right.Read | Right.Manage);
  const sendSide = capCopy(p, Right.Write | Right.Grant | Right.Duplicate);
  capDelete(p);
  // Message arrived: 0x100; peer closed: 0x100 again (the readiness rose); child exited: bit 0.
  let ok = expectEq(name, "bind", notificationBind(recvSide, n, 0x100), 0) &&
    expectEq(name, "second binding refused", notificationBind(recvSide, n, 0x200), -ErrorCode.AlreadyExists);
  const pid = startHelper(Role.PeerCloser, 0, 0, sendSide, 0, 0, n);
  capDelete(sendSide);
  let bits = 0;
  for (let i = 0; i < 10 && ok && (bits & 0x101) !== 0x101; i++) {
    const b = notificationWait(n, 2000 * MS);
    if (b < 0) ok = expectEq(name, "wait", b, 0);
    else bits |= b;
  }
  if (ok) ok = expectEq(name, "message-arrived and child-exited bits", bits & 0x101, 0x101);
  if (ok) ok = expectEq(name, "queued message", receive(recvSide, m, Timeout.Poll), 0) && expectEq(name, "word", msgWord(m, 0), 333);
  if (ok) ok = expectEq(name, "helper exit", reap(pid), 0);
  if (ok) ok = expectEq(name, "peer closed after drain", receive(recvSide, m, Timeout.Poll), -ErrorCode.PeerClosed);
  capDelete(recvSide);
  capDelete(n);
  if (ok && expectClean(name, objects, quota)) pass(name);
}

function sharedMemory(): void {
  const name = "shared memory";
  const objects = kernelObjects();
  const quota = quotaUsed();
  const mem = memoryCreate(1);
  const readOnly = capCopy(mem, Right.Read | Right.Map | Right.Grant | Right.Duplicate);
  let ok = expectEq(name, "map read-write", memoryMap(mem, SHM_BASE, Right.Read | Right.Write), 0);
  for (let i = 0; i < 256 && ok; i++) store32(SHM_BASE + i * 4, (i * 0x01010101 + 7) >>> 0);
  const pid = startHelper(Role.SharedMemory, 0, 0, mem, readOnly, 0, 0);
  if (ok) ok = expectEq(name, "helper report", report(), 1) &&
    expectEq(name, "helper saw the pattern", msgWord(m2, 0), 1) &&
    expectEq(name, "read-only capability refuses a writable mapping", msgWord(m2, 1), -ErrorCode.MissingRights) &&
    expectEq(name, "read-only mapping of the same frames reads the pattern", msgWord(m2, 2), 1);
  if (ok) ok = expectEq(name, "helper's write visible here", load32(SHM_BASE + 2048), 0xabcd1234);
  msgSet(m, 5, 0, 0);
  if (ok) ok = expectEq(name, "go", send(control.ctl, m, Timeout.Forever), 0);
  if (ok) ok = expectEq(name, "write to the read-only mapping faults", reap(pid), -1000 - VECTOR_PAGE_FAULT);
  // The helper's mappings went with it; ours still works.
  if (ok) ok = expectEq(name, "mapping survives the helper", load32(SHM_BASE + 4), 0x01010101 + 7);
  if (ok) ok = expectEq(name, "unmap", memoryUnmap(SHM_BASE), 0) && expectEq(name, "unmap again", memoryUnmap(SHM_BASE), -ErrorCode.NotFound);
  capDelete(readOnly);
  capDelete(mem);
  if (ok && expectClean(name, objects, quota)) pass(name);
}

function tracingProxy(): void {
  const name = "tracing proxy in front of a notification";
  const objects = kernelObjects();
  const quota = quotaUsed();
  const n = notificationCreate();
  const front = endpointCreate(4);
  const pid = startHelper(Role.Proxy, 0, 0, front, n, 0, 0);
  // The same invocations, directly and through the proxy, give the same answers.
  msgSet(m, Method.Identify, 0, 0);
  let ok = expectEq(name, "identify directly", invoke(n, m), 0);
  const direct = msgWord(m, 0);
  msgSet(m, Method.Identify, 0, 0);
  if (ok) ok = expectEq(name, "identify through the proxy", invoke(front, m), 0) && expectEq(name, "same identity", msgWord(m, 0), direct);
  msgSet(m, Method.Signal, 0x8, 0);
  if (ok) ok = expectEq(name, "signal through the proxy", invoke(front, m), 0);
  if (ok) ok = expectEq(name, "the real notification got the bits", notificationWait(n, Timeout.Poll), 0x8);
  msgSet(m, Method.Signal, 0, 0);
  const directErr = invoke(n, m);
  msgSet(m, Method.Signal, 0, 0);
  if (ok) ok = expectEq(name, "errors pass through unchanged", invoke(front, m), directErr) && expectEq(name, "error", directErr, -ErrorCode.InvalidArgument);
  msgSet(m, 0xdead, 0, 0);
  if (ok) ok = expectEq(name, "stop the proxy", send(front, m, Timeout.Forever), 0);
  if (ok) ok = expectEq(name, "proxy traced every invocation", reap(pid), 3);
  capDelete(front);
  capDelete(n);
  if (ok && expectClean(name, objects, quota)) pass(name);
}

function setEntry(vec: number, i: number, h: number, label: number, w0: number): void {
  const e = vec + i * BATCH_ENTRY_BYTES;
  for (let k = 0; k < BATCH_ENTRY_BYTES; k += 4) store32(e + k, 0);
  storeWord(e, h);
  msgSetLabel(e + 8, label);
  msgSetWord(e + 8, 0, w0);
}

function batched(): void {
  const name = "batched invocations";
  const objects = kernelObjects();
  const quota = quotaUsed();
  const n = notificationCreate();
  const vec = malloc(BATCH_ENTRY_BYTES * 5);
  setEntry(vec, 0, n, Method.Copy, Right.Read | Right.Signal);
  setEntry(vec, 1, n, Method.Signal, 3);
  setEntry(vec, 2, n, Method.Identify, 0);
  setEntry(vec, 3, 999999, Method.Signal, 4);
  setEntry(vec, 4, n, Method.Signal, 4);
  let ok = expectEq(name, "entries done before the failure", batch(vec, 5), 3);
  const copied = msgWord(vec + 8, 0);
  if (ok) ok = expectEq(name, "entry 0 status", msgLabel(vec + 8), 0) &&
    expectEq(name, "entry 0 made a copy", capIdentify(copied) % 256, Right.Read | Right.Signal) &&
    expectEq(name, "entry 2 answer", msgWord(vec + 2 * BATCH_ENTRY_BYTES + 8, 0), ObjectType.Notification * 256 + RIGHTS_ALL) &&
    expectEq(name, "entry 3 status", msgLabel(vec + 3 * BATCH_ENTRY_BYTES + 8), ErrorCode.InvalidHandle) &&
    expectEq(name, "entry 4 not run", notificationWait(n, Timeout.Poll), 3);
  capDelete(copied);
  capDelete(n);
  if (ok && expectClean(name, objects, quota)) pass(name);
}

function pipeScenario(): void {
  const name = "pipe over shared memory";
  const objects = kernelObjects();
  const quota = quotaUsed();
  const mem = memoryCreate(PIPE_PAGES);
  const dataReady = notificationCreate();
  const spaceReady = notificationCreate();
  const p = pipeOpen(mem, PIPE_BASE, dataReady, spaceReady);
  let ok = p !== null;
  const pid = startHelper(Role.PipeWriter, PIPE_BYTES, 0, mem, dataReady, spaceReady, 0);
  const buf = malloc(1000);
  let got = 0;
  let bad = -1;
  while (ok) {
    const k = pipeRead(p!, buf, 1000);
    if (k <= 0) {
      if (k < 0) ok = expectEq(name, "read", k, 0);
      break;
    }
    for (let i = 0; i < k; i++) {
      if (bad < 0 && load8(buf + i) !== ((got + i) * 7 + 3) % 256) bad = got + i;
    }
    got += k;
  }
  if (ok) ok = expectEq(name, "bytes through the pipe", got, PIPE_BYTES) && expectEq(name, "first corrupt byte", bad, -1);
  if (ok) ok = expectEq(name, "writer exit", reap(pid), 0);
  if (p !== null) pipeUnmap(p);
  capDelete(spaceReady);
  capDelete(dataReady);
  capDelete(mem);
  if (ok && expectClean(name, objects, quota)) pass(name);
}

/** Lets a helper that reported ready reach its blocking call: nothing else runs meanwhile. */
function settle(name: string): boolean {
  return expectEq(name, "quiet while the helper blocks", receive(control.rep, m2, 20 * MS), -ErrorCode.TimedOut);
}

/** Kills `proc` (status `st`), reaps `pid`, checks the kill was seen as one, deletes `proc`. */
function killAndReap(name: string, proc: number, pid: number, st: number): boolean {
  let ok = expectEq(name, "kill", processKill(proc, st), 0) &&
    expectEq(name, "wait reports the kill and its status", reap(pid), -1000 - st) &&
    expectEq(name, "second kill", processKill(proc, st), -ErrorCode.ProcessExited);
  if (capDelete(proc) !== 0) ok = expectEq(name, "delete the process capability", 1, 0);
  return ok;
}

/** A helper blocked (or running) in `kind` is killed; every kind leaves nothing behind. */
function killBlockedOnce(name: string, kind: number): boolean {
  const objects = kernelObjects();
  const quota = quotaUsed();
  const onNotification = kind === Block.NotificationWait || kind === Block.WaitSetWait;
  const res = onNotification ? notificationCreate() : endpointCreate(1);
  // The helper gets the endpoint's receive side for a receive, its send side otherwise; the
  // driver keeps the other side only, so that it sees the peer close.
  const helperSide = onNotification ? res : capCopy(res, (kind === Block.Receive ? Right.Read : Right.Write) | Right.Grant | Right.Duplicate);
  const ourSide = onNotification ? res : capCopy(res, kind === Block.Receive ? Right.Write : Right.Read);
  if (!onNotification) capDelete(res);
  const exited = notificationCreate();
  const pid = startKillable(Role.Blocker, kind, helperSide, 0, exited);
  const proc = loadWord(procWord);
  if (!onNotification) capDelete(helperSide);
  let ok = expectEq(name, "helper started", pid > 0 && proc > 0 ? 1 : 0, 1) && expectEq(name, "helper ready", report(), 1) && settle(name);
  if (ok) ok = killAndReap(name, proc, pid, 40 + kind);
  if (ok) ok = expectEq(name, "exit notification", notificationWait(exited, Timeout.Poll), 1);
  if (ok && kind === Block.Receive) {
    msgSet(m, 1, 0, 0);
    ok = expectEq(name, "the receiver is gone: peer closed", send(ourSide, m, Timeout.Poll), -ErrorCode.PeerClosed);
  } else if (ok && kind === Block.SendFull) {
    ok = expectEq(name, "the message sent before the block", receive(ourSide, m, Timeout.Poll), 0) &&
      expectEq(name, "the blocked send never happened: peer closed", receive(ourSide, m, Timeout.Poll), -ErrorCode.PeerClosed);
  } else if (ok && kind === Block.Call) {
    // The call stays queued, but its reply capability went with the caller's quota.
    ok = expectEq(name, "the killed caller's request", receive(ourSide, m, Timeout.Poll), 0) &&
      expectEq(name, "arrives without a reply capability", msgReplyHandle(m), 0);
  } else if (ok && onNotification) {
    ok = expectEq(name, "signal", signal(ourSide, 2), 0) && expectEq(name, "the killed waiter took no bits", notificationWait(ourSide, Timeout.Poll), 2);
  }
  capDelete(ourSide);
  capDelete(exited);
  return expectClean(name, objects, quota) && ok;
}

function killBlocked(): void {
  const name = "kill while blocked or running";
  let ok = true;
  for (let kind = Block.Receive; kind <= Block.Running && ok; kind++) ok = killBlockedOnce(name, kind);
  if (ok) pass(name);
}

function killCallerHoldingReply(): void {
  const name = "kill a caller whose reply a server holds";
  const objects = kernelObjects();
  const quota = quotaUsed();
  const a = endpointCreate(4);
  const pid = startKillable(Role.Blocker, Block.Call, a, 0, 0);
  const proc = loadWord(procWord);
  let ok = expectEq(name, "helper ready", report(), 1) && expectEq(name, "the call arrives", receive(a, m, 2000 * MS), 0);
  const rh = msgReplyHandle(m);
  if (ok) ok = expectEq(name, "with a reply capability", capType(rh), ObjectType.Reply) && killAndReap(name, proc, pid, 61);
  msgSet(m, 0, 1, 0);
  // The reply object was paid from the caller's quota and went with it.
  if (ok) ok = expectEq(name, "reply to the killed caller", reply(rh, m), -ErrorCode.Revoked);
  capDelete(a);
  if (expectClean(name, objects, quota) && ok) pass(name);
}

function killServerMidCall(): void {
  const name = "kill a server while a client waits in call";
  const objects = kernelObjects();
  const quota = quotaUsed();
  const a = endpointCreate(4);
  const server = startKillable(Role.Blocker, Block.HoldReply, a, 0, 0);
  const serverProc = loadWord(procWord);
  let ok = expectEq(name, "server ready", report(), 1);
  // A second helper kills the server while this process waits in call.
  const killer = startHelper(Role.Killer, 62, 0, serverProc, 0, 0, 0);
  msgSet(m, 3, 0, 0);
  if (ok) ok = expectEq(name, "call ends with peer closed", call(a, m, Timeout.Forever), -ErrorCode.PeerClosed);
  if (ok) ok = expectEq(name, "killer report", report(), 2) && expectEq(name, "the kill", msgWord(m2, 0), 0);
  if (ok) ok = expectEq(name, "server reaped as killed", reap(server), -1000 - 62) && expectEq(name, "killer exit", reap(killer), 0);
  capDelete(serverProc);
  capDelete(a);
  if (expectClean(name, objects, quota) && ok) pass(name);
}

function killHoarder(): void {
  const name = "kill a process holding capabilities with messages queued to it";
  const objects = kernelObjects();
  const quota = quotaUsed();
  const n = notificationCreate();
  const pid = startKillable(Role.Hoarder, 0, n, 0, 0);
  const proc = loadWord(procWord);
  let ok = expectEq(name, "helper report", report(), 1) && expectEq(name, "its endpoint", msgCapCount(m2), 1);
  const toHelper = msgCap(m2, 0);
  for (let i = 0; i < 2 && ok; i++) {
    msgSet(m, 7, i, 0);
    msgSetCap(m, 0, n);
    msgSetFlags(m, MsgFlag.CopyCaps);
    ok = expectEq(name, "send with a capability in flight", send(toHelper, m, Timeout.Poll), 0);
  }
  if (ok) ok = settle(name) && killAndReap(name, proc, pid, 63);
  msgSet(m, 7, 9, 0);
  if (ok) ok = expectEq(name, "its endpoint went with it", send(toHelper, m, Timeout.Poll), -ErrorCode.Revoked) &&
    expectEq(name, "our notification survives", capType(n), ObjectType.Notification);
  capDelete(toHelper);
  capDelete(n);
  if (expectClean(name, objects, quota) && ok) pass(name);
}

// ---------------------------------------------------------------- register messages

/** Fills m with call `i` of a register exchange: a label and six words that differ every round. */
function regsRequest(i: number): void {
  msgClear(m);
  msgSetLabel(m, 100 + i);
  msgSetWord(m, 0, i);
  msgSetWord(m, 1, i * 3);
  msgSetWord(m, 2, 0x10000000000 + i);
  msgSetWord(m, 3, -1 - i);
  msgSetWord(m, 4, 0x7fffffff + i);
  msgSetWord(m, 5, i * i);
}

/** Checks the answer a RegsServer gives to regsRequest(i) sent with badge `badge`. */
function regsAnswerOk(name: string, i: number, badge: number): boolean {
  return expectEq(name, "answer label", msgLabel(m), 1100 + i) && expectEq(name, "word 0", msgWord(m, 0), i + 1) &&
    expectEq(name, "word 1", msgWord(m, 1), i * 3 + 2) && expectEq(name, "word 2", msgWord(m, 2), 0x10000000000 + i + 3) &&
    expectEq(name, "word 3", msgWord(m, 3), -1 - i + 4) && expectEq(name, "word 4", msgWord(m, 4), 0x7fffffff + i + 5) &&
    expectEq(name, "badge seen by the server", msgWord(m, 5), badge) && expectEq(name, "reply badge", msgBadge(m), 0) &&
    expectEq(name, "no capabilities", msgCapCount(m), 0) && expectEq(name, "no reply handle", msgReplyHandle(m), 0);
}

/**
 * Ends a RegsServer with a plain STOP message; true when it reports `calls` calls and `plain` plain
 * messages, and its first call took the queued path and its last the direct one.
 */
function stopRegsServer(name: string, ep: number, pid: number, calls: number, plain: number): boolean {
  msgSet(m, STOP_LABEL, 0, 0);
  return expectEq(name, "stop", send(ep, m, Timeout.Forever), 0) && expectEq(name, "server report", report(), 3) &&
    expectEq(name, "calls the server answered", msgWord(m2, 0), calls) &&
    expectEq(name, "plain messages the server saw", msgWord(m2, 1), plain) &&
    expectEq(name, "server's last receive", msgWord(m2, 2), 0) &&
    expectEq(name, "first call queued (reply object and capability), last call direct", msgWord(m2, 3), 2) &&
    expectEq(name, "server exit", reap(pid), 0);
}

function regsPingPong(): void {
  const name = "register call ping-pong";
  const objects = kernelObjects();
  const quota = quotaUsed();
  const a = endpointCreate(4);
  const badged = capMint(a, Right.Write, 0x5a5);
  const pid = startHelper(Role.RegsServer, 0, 0, a, 0, 0, 0);
  let ok = pid > 0 && badged > 0;
  for (let i = 0; i < 300 && ok; i++) {
    regsRequest(i);
    ok = expectEq(name, "callRegs", callRegs(badged, m, Timeout.Forever), 0) && regsAnswerOk(name, i, 0x5a5);
  }
  if (ok) ok = stopRegsServer(name, a, pid, 300, 1);
  capDelete(badged);
  capDelete(a);
  if (ok && expectClean(name, objects, quota)) pass(name);
}

function regsToBufferServer(): void {
  const name = "register call to a receive-and-reply server";
  const objects = kernelObjects();
  const quota = quotaUsed();
  const a = endpointCreate(4);
  const pid = startHelper(Role.EchoServer, 40, 0, a, 0, 0, 0);
  let ok = pid > 0;
  for (let i = 0; i < 40 && ok; i++) {
    regsRequest(i);
    ok = expectEq(name, "callRegs", callRegs(a, m, Timeout.Forever), 0) && expectEq(name, "answer", msgWord(m, 0), i * 2) &&
      expectEq(name, "answer label", msgLabel(m), 0) && expectEq(name, "word 1 of the answer", msgWord(m, 1), 0) &&
      expectEq(name, "reply badge", msgBadge(m), 0);
  }
  if (ok) ok = expectEq(name, "server reports second reply refused", report(), 1) && expectEq(name, "second reply", msgWord(m2, 0), -ErrorCode.ReplyUsed);
  if (ok) ok = expectEq(name, "server exit", reap(pid), 0);
  capDelete(a);
  if (ok && expectClean(name, objects, quota)) pass(name);
}

function bufferCallToRegsServer(): void {
  const name = "call and plain sends to a reply-wait server";
  const objects = kernelObjects();
  const quota = quotaUsed();
  const a = endpointCreate(4);
  const badged = capMint(a, Right.Write, 0x33);
  const pid = startHelper(Role.RegsServer, 0, 0, a, 0, 0, 0);
  let ok = pid > 0 && badged > 0;
  let plain = 0;
  // Both call forms in turn on one server; now and then a plain message, which needs no answer.
  for (let i = 0; i < 60 && ok; i++) {
    regsRequest(i);
    const r = i % 2 === 0 ? call(badged, m, Timeout.Forever) : callRegs(badged, m, Timeout.Forever);
    ok = expectEq(name, i % 2 === 0 ? "call" : "callRegs", r, 0) && regsAnswerOk(name, i, 0x33);
    if (ok && i % 20 === 5) {
      msgSet(m, 7, i, 0);
      ok = expectEq(name, "plain send", send(badged, m, Timeout.Forever), 0);
      plain++;
    }
  }
  if (ok) ok = stopRegsServer(name, a, pid, 60, plain + 1);
  capDelete(badged);
  capDelete(a);
  if (ok && expectClean(name, objects, quota)) pass(name);
}

function regsCapsRefused(): void {
  const name = "reply-wait leaves a message with capabilities queued";
  const objects = kernelObjects();
  const quota = quotaUsed();
  const a = endpointCreate(4);
  const n = notificationCreate();
  const pid = startHelper(Role.CapsRefused, 0, 0, a, 0, 0, 0);
  // Queued before the server runs, then (second) sent while it waits in reply_wait.
  msgSet(m, 4, 41, 0);
  msgSetCap(m, 0, n);
  msgSetFlags(m, MsgFlag.CopyCaps);
  let ok = pid > 0 && expectEq(name, "send with a capability", send(a, m, Timeout.Forever), 0);
  if (ok) ok = expectEq(name, "server report", report(), 1) &&
    expectEq(name, "queued: reply_wait refuses", msgWord(m2, 0), -ErrorCode.CapsNotAccepted) &&
    expectEq(name, "receive then takes it", msgWord(m2, 1), 0) && expectEq(name, "its word", msgWord(m2, 2), 41) &&
    expectEq(name, "its capability arrives intact", msgWord(m2, 3), ObjectType.Notification * 256 + RIGHTS_ALL);
  if (ok) ok = expectEq(name, "the server signalled through it", notificationWait(n, Timeout.Poll), 1);
  if (ok) ok = settle(name);
  msgSet(m, 4, 42, 0);
  msgSetCap(m, 0, n);
  msgSetFlags(m, MsgFlag.CopyCaps);
  if (ok) ok = expectEq(name, "second send with a capability", send(a, m, Timeout.Forever), 0);
  if (ok) ok = expectEq(name, "server report", report(), 2) &&
    expectEq(name, "waiting: reply_wait refuses", msgWord(m2, 0), -ErrorCode.CapsNotAccepted) &&
    expectEq(name, "receive then takes it", msgWord(m2, 1), 42) &&
    expectEq(name, "its capability arrives intact", msgWord(m2, 2), ObjectType.Notification) &&
    expectEq(name, "nothing else queued", msgWord(m2, 3), -ErrorCode.QueueEmpty);
  if (ok) ok = expectEq(name, "server exit", reap(pid), 0);
  capDelete(n);
  capDelete(a);
  if (ok && expectClean(name, objects, quota)) pass(name);
}

function regsReplyWithCaps(): void {
  const name = "a reply with capabilities to a register call is refused";
  const objects = kernelObjects();
  const quota = quotaUsed();
  const a = endpointCreate(4);
  const n = notificationCreate();
  const pid = startHelper(Role.CapsReply, 0, 0, a, n, 0, 0);
  regsRequest(60);
  let ok = pid > 0 && expectEq(name, "callRegs", callRegs(a, m, Timeout.Forever), 0) &&
    expectEq(name, "the reply without capabilities", msgLabel(m), 3) && expectEq(name, "its word", msgWord(m, 0), 77) &&
    expectEq(name, "no capabilities", msgCapCount(m), 0);
  if (ok) ok = expectEq(name, "server report", report(), 1) &&
    expectEq(name, "copied capability refused", msgWord(m2, 0), -ErrorCode.CapsNotAccepted) &&
    expectEq(name, "moved capability refused", msgWord(m2, 1), -ErrorCode.CapsNotAccepted) &&
    expectEq(name, "reply capability and notification kept", msgWord(m2, 2), ObjectType.Reply * 256 + ObjectType.Notification) &&
    expectEq(name, "reply without capabilities", msgWord(m2, 3), 0);
  if (ok) ok = expectEq(name, "server exit", reap(pid), 0);
  capDelete(n);
  capDelete(a);
  if (ok && expectClean(name, objects, quota)) pass(name);
}

/**
 * A register caller waits while its call sits in the reply slot of a server that is killed or
 * exits: the caller gets PeerClosed. `direct`: the server waits in reply_wait before the call (the
 * caller's waiter in the slot); otherwise the call is queued first (its reply capability in the slot).
 */
function regsServerGoneOnce(name: string, direct: boolean, hold: number): boolean {
  const objects = kernelObjects();
  const quota = quotaUsed();
  const a = endpointCreate(4);
  const pid = startKillable(Role.RegsHolder, hold, a, 0, 0);
  const proc = loadWord(procWord);
  let ok = expectEq(name, "server started", pid > 0 && proc > 0 ? 1 : 0, 1);
  if (ok && direct) ok = expectEq(name, "server ready", report(), 1) && settle(name);
  let killer = 0;
  if (ok && hold === Hold.UntilKilled) killer = startHelper(Role.Killer, 64, 0, proc, 0, 0, 0);
  regsRequest(5);
  if (ok) ok = expectEq(name, "callRegs ends with peer closed", callRegs(a, m, Timeout.Forever), -ErrorCode.PeerClosed);
  if (ok && !direct) ok = expectEq(name, "server ready", report(), 1);
  if (ok && hold === Hold.UntilKilled) {
    ok = expectEq(name, "killer report", report(), 2) && expectEq(name, "the kill", msgWord(m2, 0), 0) &&
      expectEq(name, "server reaped as killed", reap(pid), -1000 - 64) && expectEq(name, "killer exit", reap(killer), 0);
  } else if (ok) {
    ok = expectEq(name, "server exit", reap(pid), 0);
  }
  capDelete(proc);
  capDelete(a);
  return expectClean(name, objects, quota) && ok;
}

function regsServerGone(): void {
  const name = "server killed or exiting with a register call in its reply slot";
  const ok = regsServerGoneOnce(name, true, Hold.UntilKilled) && regsServerGoneOnce(name, false, Hold.UntilKilled) &&
    regsServerGoneOnce(name, true, Hold.Exit) && regsServerGoneOnce(name, false, Hold.Exit);
  if (ok) pass(name);
}

/**
 * This process serves with reply_wait; the register caller whose reply it holds in its slot is
 * killed (`timeoutMs` 0) or times out. The reply is dropped without error and reply_wait goes on.
 */
function regsCallerGoneOnce(name: string, direct: boolean, timeoutMs: number): boolean {
  const objects = kernelObjects();
  const quota = quotaUsed();
  const a = endpointCreate(4);
  const pid = startKillable(Role.RegsCaller, timeoutMs * MS, a, 0, 0);
  const proc = loadWord(procWord);
  let ok = expectEq(name, "caller started", pid > 0 && proc > 0 ? 1 : 0, 1);
  let r = 0;
  if (direct) {
    // Waiting before the caller runs: its call comes straight into this slot.
    if (ok) r = replyWait(a, m, 2000 * MS);
    if (ok) ok = expectEq(name, "caller ready", report(), 1);
  } else {
    if (ok) ok = expectEq(name, "caller ready", report(), 1) && settle(name);
    if (ok) r = replyWait(a, m, Timeout.Poll);
  }
  if (ok) ok = expectEq(name, "the call", r, RECEIVED_CALL) && expectEq(name, "its label", msgLabel(m), 8) &&
    expectEq(name, "its word", msgWord(m, 0), 80) && expectEq(name, "no reply handle in the buffer", msgReplyHandle(m), 0);
  if (ok && timeoutMs === 0) {
    ok = killAndReap(name, proc, pid, 65);
  } else if (ok) {
    ok = expectEq(name, "caller report", report(), 2) && expectEq(name, "the caller timed out", msgWord(m2, 0), -ErrorCode.TimedOut) &&
      expectEq(name, "caller exit", reap(pid), 0);
    capDelete(proc);
  }
  // The slot's answer goes nowhere, silently; the receive goes on as usual.
  msgSet(m, 5, 55, 0);
  if (ok) ok = expectEq(name, "plain send", send(a, m, Timeout.Poll), 0);
  msgSet(m, 9, 99, 0);
  if (ok) ok = expectEq(name, "reply_wait after the caller left", replyWait(a, m, Timeout.Poll), 0) &&
    expectEq(name, "receives the plain message", msgLabel(m), 5) && expectEq(name, "its word", msgWord(m, 0), 55);
  if (ok) ok = expectEq(name, "then nothing", replyWait(a, m, Timeout.Poll), -ErrorCode.QueueEmpty);
  capDelete(a);
  return expectClean(name, objects, quota) && ok;
}

function regsCallerGone(): void {
  const name = "register caller killed or timed out while its reply is in the slot";
  const ok = regsCallerGoneOnce(name, true, 0) && regsCallerGoneOnce(name, false, 0) && regsCallerGoneOnce(name, true, 100) &&
    regsCallerGoneOnce(name, false, 100);
  if (ok) pass(name);
}

function regsTimeouts(): void {
  const name = "register message timeouts and peer closed";
  const objects = kernelObjects();
  const quota = quotaUsed();
  const a = endpointCreate(2);
  let ok = expectEq(name, "reply_wait with a 5 ms timeout", replyWait(a, m, 5 * MS), -ErrorCode.TimedOut) &&
    expectEq(name, "reply_wait polling", replyWait(a, m, Timeout.Poll), -ErrorCode.QueueEmpty);
  regsRequest(1);
  if (ok) ok = expectEq(name, "callRegs with a 5 ms timeout", callRegs(a, m, 5 * MS), -ErrorCode.TimedOut);
  // The call stays queued; its answer finds nobody and is dropped without error.
  if (ok) ok = expectEq(name, "the timed-out call is still queued", replyWait(a, m, Timeout.Poll), RECEIVED_CALL) &&
    expectEq(name, "its label", msgLabel(m), 101);
  if (ok) ok = expectEq(name, "its answer is dropped", replyWait(a, m, Timeout.Poll), -ErrorCode.QueueEmpty);
  const w = capCopy(a, Right.Write);
  const rd = capCopy(a, Right.Read);
  capDelete(a);
  capDelete(rd);
  regsRequest(2);
  if (ok) ok = expectEq(name, "callRegs without a receiver", callRegs(w, m, Timeout.Forever), -ErrorCode.PeerClosed);
  capDelete(w);
  const b = endpointCreate(2);
  const rb = capCopy(b, Right.Read);
  capDelete(b);
  if (ok) ok = expectEq(name, "reply_wait without a sender", replyWait(rb, m, Timeout.Forever), -ErrorCode.PeerClosed);
  capDelete(rb);
  if (ok && expectClean(name, objects, quota)) pass(name);
}

function badInput(): void {
  const name = "bad input";
  const objects = kernelObjects();
  const quota = quotaUsed();
  const n = runBadInput(self);
  if (n.tried < 200) {
    fail(name, `only ${n.tried} calls tried`);
    return;
  }
  console.log(`IPC BADINPUT tried=${n.tried} matched=${n.matched}`);
  if (expectEq(name, "calls answering the documented error", n.matched, n.tried) && expectClean(name, objects, quota)) pass(name);
}

function driver(): void {
  console.log(`ipc-test: driver pid ${startupWord(Startup.Pid)}, module ${self}`);
  const heap = kernelHeapUsed();
  control.rep = endpointCreate(8);
  pingPong();
  callReply();
  capTransfer();
  revokeInFlight();
  serverKilledMidCall();
  fullQueue();
  waitSetThreeSources();
  kernelEvents();
  sharedMemory();
  tracingProxy();
  batched();
  pipeScenario();
  killBlocked();
  killCallerHoldingReply();
  killServerMidCall();
  killHoarder();
  regsPingPong();
  regsToBufferServer();
  bufferCallToRegsServer();
  regsCapsRefused();
  regsReplyWithCaps();
  regsServerGone();
  regsCallerGone();
  regsTimeouts();
  badInput();
  capDelete(control.rep);
  // Every scenario's processes, objects and messages are gone: the kernel heap is where it was.
  const left = kernelHeapUsed() - heap;
  if (left !== 0) fail("kernel heap", `${left} bytes left in use after every scenario`);
  console.log(`IPC DONE ${tally.passed} passed, ${tally.failed} failed`);
  exit(tally.failed === 0 ? 0 : 1);
}

// ---------------------------------------------------------------- the helpers' side

const CTL = FIRST_START_HANDLE;
const REP = FIRST_START_HANDLE + 1;

function sendReport(label: number, w0: number, w1: number, w2: number, w3: number): void {
  msgClear(m2);
  msgSetLabel(m2, label);
  msgSetWord(m2, 0, w0);
  msgSetWord(m2, 1, w1);
  msgSetWord(m2, 2, w2);
  msgSetWord(m2, 3, w3);
  send(REP, m2, Timeout.Forever);
}

function helperPong(count: number, a: number, b: number): number {
  for (let i = 0; i < count; i++) {
    if (receive(a, m, Timeout.Forever) < 0) return 2;
    const v = msgWord(m, 0);
    msgSet(m, 2, v + 1, msgBadge(m));
    if (send(b, m, Timeout.Forever) < 0) return 3;
  }
  return 0;
}

function helperEcho(count: number, a: number): number {
  let last = 0;
  for (let i = 0; i < count; i++) {
    if (receive(a, m, Timeout.Forever) < 0) return 2;
    const rh = msgReplyHandle(m);
    const v = msgWord(m, 0);
    msgSet(m, 0, v * 2, 0);
    if (reply(rh, m) < 0) return 3;
    last = rh;
  }
  msgSet(m, 0, 0, 0);
  sendReport(1, reply(last, m), 0, 0, 0);
  return 0;
}

function helperCapTransfer(a: number): number {
  if (receive(a, m, Timeout.Forever) < 0 || msgCapCount(m) !== 1) return 2;
  const h = msgCap(m, 0);
  if (capType(h) !== ObjectType.Notification) return 3;
  if (signal(h, 5) < 0) return 4;
  msgSet(m2, 1, 0, 0);
  msgSetCap(m2, 0, h);
  if (send(REP, m2, Timeout.Forever) < 0) return 5;
  return capIdentify(h) === -ErrorCode.InvalidHandle ? 0 : 6;
}

function helperRevoke(q: number, copy: number): number {
  sendReport(1, capType(copy), 0, 0, 0);
  if (receive(CTL, m, Timeout.Forever) < 0) return 2;
  const after = capIdentify(copy);
  if (receive(q, m, Timeout.Forever) < 0) return 3;
  sendReport(2, after, msgWord(m, 0), msgCapCount(m), msgCap(m, 0));
  return 0;
}

function helperDyingServer(a: number): number {
  if (receive(a, m, Timeout.Forever) < 0) return 2;
  // Holding the reply capability: a write to the null page kills this process.
  store32(0, msgReplyHandle(m));
  return 3;
}

function helperDrain(count: number, a: number): number {
  for (let i = 0; i < count; i++) {
    if (receive(a, m, Timeout.Forever) < 0) return 2;
    storeWord(words + i * 8, msgWord(m, 0) - 10);
  }
  sendReport(1, loadWord(words), loadWord(words + 8), loadWord(words + 16), 0);
  return 0;
}

function helperWaitSet(ep2: number, n: number): number {
  msgSet(m, 1, 222, 0);
  if (send(ep2, m, Timeout.Forever) < 0) return 2;
  if (signal(n, 0x10) < 0) return 3;
  return 0;
}

function helperPeerCloser(sendSide: number): number {
  msgSet(m, 1, 333, 0);
  if (send(sendSide, m, Timeout.Forever) < 0) return 2;
  // Exit holding objects of its own with messages queued that carry capabilities in flight: the
  // driver's leak check then sees that the exit left nothing behind.
  const own = endpointCreate(4);
  const n = notificationCreate();
  for (let i = 0; i < 3; i++) {
    msgSet(m, 1, i, 0);
    msgSetCap(m, 0, n);
    msgSetFlags(m, MsgFlag.CopyCaps);
    if (send(own, m, Timeout.Poll) < 0) return 3;
  }
  const badged = capMint(n, Right.Signal, 5);
  return badged > 0 ? 0 : 4;
}

function helperShared(mem: number, readOnly: number): number {
  if (memoryMap(mem, SHM_BASE, Right.Read | Right.Write) < 0) return 2;
  let same = 1;
  for (let i = 0; i < 256; i++) if (load32(SHM_BASE + i * 4) !== (i * 0x01010101 + 7) >>> 0) same = 0;
  store32(SHM_BASE + 2048, 0xabcd1234);
  const refused = memoryMap(readOnly, SHM_RO_BASE, Right.Read | Right.Write);
  let roSame = 0;
  if (memoryMap(readOnly, SHM_RO_BASE, Right.Read) === 0) roSame = load32(SHM_RO_BASE + 4) === 0x01010101 + 7 ? 1 : 0;
  sendReport(1, same, refused, roSame, 0);
  if (receive(CTL, m, Timeout.Forever) < 0) return 3;
  store32(SHM_RO_BASE + 8, 1);
  return 4;
}

function helperProxy(front: number, target: number): number {
  const fwd = msgAlloc();
  let traced = 0;
  for (;;) {
    if (receive(front, m, Timeout.Forever) < 0) return 100;
    const label = msgLabel(m);
    if (label === 0xdead) return traced;
    const rh = msgReplyHandle(m);
    msgCopy(fwd, m);
    const r = invoke(target, fwd);
    console.log(`ipc-proxy: trace label=${label} w0=${msgWord(m, 0)} -> ${r} w0=${msgWord(fwd, 0)}`);
    traced++;
    if (reply(rh, fwd) < 0) return 101;
  }
}

function helperPipe(bytes: number, mem: number, dataReady: number, spaceReady: number): number {
  const p = pipeOpen(mem, PIPE_BASE, dataReady, spaceReady);
  if (p === null) return 2;
  const buf = malloc(777);
  let sent = 0;
  while (sent < bytes) {
    const k = Math.min(777, bytes - sent);
    for (let i = 0; i < k; i++) store8(buf + i, ((sent + i) * 7 + 3) % 256);
    if (pipeWrite(p, buf, k) !== k) return 3;
    sent += k;
  }
  pipeClose(p);
  return 0;
}

/** Reports ready, then blocks (or runs) in `kind` until killed; returning at all is a failure. */
function helperBlocker(kind: number, c: number): number {
  let ws = 0;
  if (kind === Block.WaitSetWait) {
    ws = waitSetCreate(2);
    if (waitSetAdd(ws, c, 1, 0) < 0) return 2;
  }
  msgSet(m, 1, 0, 0);
  if (kind === Block.SendFull && send(c, m, Timeout.Poll) < 0) return 3;
  sendReport(1, 0, 0, 0, 0);
  switch (kind) {
    case Block.Receive: receive(c, m, Timeout.Forever); break;
    case Block.NotificationWait: notificationWait(c, Timeout.Forever); break;
    case Block.WaitSetWait: waitSetWait(ws, Timeout.Forever, words, 4); break;
    case Block.SendFull: send(c, m, Timeout.Forever); break;
    case Block.Call: call(c, m, Timeout.Forever); break;
    case Block.Running: for (;;) spins.n++; break;
    case Block.HoldReply:
      receive(c, m, Timeout.Forever);
      receive(c, m, Timeout.Forever);
      break;
    default: break;
  }
  return 4;
}

class Spins {
  n = 0;
}
const spins = new Spins();

/** Kills the process `proc` names after 20 ms, and reports the result. */
function helperKiller(st: number, proc: number): number {
  receive(CTL, m, 20 * MS);
  sendReport(2, processKill(proc, st), 0, 0, 0);
  return 0;
}

/** Holds objects and capabilities, hands out its endpoint, and waits to be killed. */
function helperHoarder(n: number): number {
  const own = endpointCreate(4);
  const mine = notificationCreate();
  for (let i = 0; i < 2; i++) {
    msgSet(m, 1, i, 0);
    msgSetCap(m, 0, i === 0 ? n : mine);
    msgSetFlags(m, MsgFlag.CopyCaps);
    if (send(own, m, Timeout.Poll) < 0) return 2;
  }
  if (capMint(mine, Right.Signal, 3) < 0) return 3;
  msgSet(m2, 1, 0, 0);
  msgSetCap(m2, 0, capCopy(own, Right.Write | Right.Grant));
  if (send(REP, m2, Timeout.Forever) < 0) return 4;
  receive(CTL, m, Timeout.Forever);
  return 5;
}

/**
 * Serves register calls with reply_wait until a plain STOP message: each answer is the request
 * with label + 1000, word k + k + 1 (k < 5) and the badge in word 5. Reports (calls, plain
 * messages, 0) at the end.
 */
function helperRegsServer(ep: number): number {
  let calls = 0;
  let plain = 0;
  // Kernel objects alive while holding the first call and the last: a call that was queued holds a
  // reply object and its capability, one that came straight into the slot holds nothing.
  let first = 0;
  let last = 0;
  msgClear(m);
  for (;;) {
    const r = replyWait(ep, m, Timeout.Forever);
    if (r < 0) {
      sendReport(3, calls, plain, r, 0);
      return 2;
    }
    if (r === RECEIVED_CALL) {
      last = kernelObjects();
      if (calls === 0) first = last;
      calls++;
      msgSetLabel(m, msgLabel(m) + 1000);
      for (let k = 0; k < 5; k++) msgSetWord(m, k, msgWord(m, k) + k + 1);
      msgSetWord(m, 5, msgBadge(m));
    } else {
      plain++;
      if (msgLabel(m) === STOP_LABEL) {
        sendReport(3, calls, plain, 0, first - last);
        return 0;
      }
    }
  }
}

/** reply_wait refuses messages carrying capabilities; receive takes them (driver: regsCapsRefused). */
function helperCapsRefused(ep: number): number {
  msgClear(m);
  const r1 = replyWait(ep, m, Timeout.Forever);
  const r2 = receive(ep, m, Timeout.Poll);
  const cap = msgCap(m, 0);
  if (msgCapCount(m) !== 1 || signal(cap, 1) < 0) return 2;
  sendReport(1, r1, r2, msgWord(m, 0), capIdentify(cap));
  msgClear(m);
  const r3 = replyWait(ep, m, Timeout.Forever);
  const r4 = receive(ep, m, Timeout.Poll);
  const got = r4 === 0 ? msgWord(m, 0) : r4;
  const type = msgCapCount(m) === 1 ? capType(msgCap(m, 0)) : -1;
  msgClear(m);
  sendReport(2, r3, got, type, replyWait(ep, m, Timeout.Poll));
  return 0;
}

/** Answers a register call first with capabilities (refused), then without (driver: regsReplyWithCaps). */
function helperCapsReply(ep: number, n: number): number {
  if (receive(ep, m, Timeout.Forever) < 0) return 2;
  const rh = msgReplyHandle(m);
  const w = msgWord(m, 0);
  msgSet(m, 9, 1, 0);
  msgSetCap(m, 0, n);
  msgSetFlags(m, MsgFlag.CopyCaps);
  const copied = reply(rh, m);
  msgSet(m, 9, 2, 0);
  msgSetCap(m, 0, n);
  const moved = reply(rh, m);
  const kept = capType(rh) * 256 + capType(n);
  msgSet(m, 3, w + 17, 0);
  sendReport(1, copied, moved, kept, reply(rh, m));
  return 0;
}

/** Takes a register call into its reply slot, then exits or waits to be killed, never answering. */
function helperRegsHolder(hold: number, ep: number): number {
  sendReport(1, 0, 0, 0, 0);
  msgClear(m);
  if (replyWait(ep, m, Timeout.Forever) !== RECEIVED_CALL) return 2;
  if (hold === Hold.Exit) return 0;
  receive(CTL, m, Timeout.Forever);
  return 4;
}

/** Makes one register call (timeout `timeoutNs`, 0: none) and reports how it ended. */
function helperRegsCaller(timeoutNs: number, ep: number): number {
  sendReport(1, 0, 0, 0, 0);
  msgSet(m, 8, 80, 0);
  const r = callRegs(ep, m, timeoutNs === 0 ? Timeout.Forever : timeoutNs);
  sendReport(2, r, msgWord(m, 0), 0, 0);
  return 0;
}

function helper(): void {
  if (receive(CTL, m, Timeout.Forever) < 0) exit(90);
  const role = msgLabel(m);
  const w0 = msgWord(m, 0);
  const c0 = msgCap(m, 0);
  const c1 = msgCap(m, 1);
  const c2 = msgCap(m, 2);
  let r = 91;
  switch (role) {
    case Role.Pong: r = helperPong(w0, c0, c1); break;
    case Role.EchoServer: r = helperEcho(w0, c0); break;
    case Role.CapTransfer: r = helperCapTransfer(c0); break;
    case Role.RevokeInFlight: r = helperRevoke(c0, c1); break;
    case Role.DyingServer: r = helperDyingServer(c0); break;
    case Role.Drain: r = helperDrain(w0, c0); break;
    case Role.WaitSetSources: r = helperWaitSet(c0, c1); break;
    case Role.SharedMemory: r = helperShared(c0, c1); break;
    case Role.Proxy: r = helperProxy(c0, c1); break;
    case Role.PipeWriter: r = helperPipe(w0, c0, c1, c2); break;
    case Role.PeerCloser: r = helperPeerCloser(c0); break;
    case Role.Blocker: r = helperBlocker(w0, c0); break;
    case Role.Killer: r = helperKiller(w0, c0); break;
    case Role.Hoarder: r = helperHoarder(c0); break;
    case Role.RegsServer: r = helperRegsServer(c0); break;
    case Role.CapsRefused: r = helperCapsRefused(c0); break;
    case Role.CapsReply: r = helperCapsReply(c0, c1); break;
    case Role.RegsHolder: r = helperRegsHolder(w0, c0); break;
    case Role.RegsCaller: r = helperRegsCaller(w0, c0); break;
    default: break;
  }
  exit(r);
}

if (capType(CTL) === ObjectType.Endpoint) {
  helper();
} else if (startupWord(Startup.ParentPid) !== 0) {
  console.log("ipc-test: nothing to do here (the IPC image starts it as init)");
} else {
  driver();
}
