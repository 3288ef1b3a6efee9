// Threads of one process (docs/syscalls.md, "Threads"): the first thread starts workers that send
// it messages and exit, a server thread and a client thread that exchange register calls while
// the first thread waits on a notification for their ends, and workers up to the thread limit.
// Every join goes through a notification bound to the Thread capability; each exit status is
// read back with ThreadInfo. Workers touch only their own memory and make system calls (the
// runtime's heap and console belong to the first thread).
import { ErrorCode, exit, getpid, mapMemory, MapFlag } from "../lib/sys.ts";
import {
  callRegs, endpointCreate, msgLabel, msgSet, msgWord, notificationCreate, notificationWait, RECEIVED_CALL, receive, replyWait, send,
  Timeout, msgAlloc,
} from "../lib/ipc.ts";
import { threadBind, threadCreate, threadEntryAddress, threadInfo } from "../lib/thread.ts";
import { capDelete, kernelHeapUsed } from "../lib/ipc.ts";

/** Where the worker threads' stacks and message buffers are: 16 KiB each, the message at the bottom. */
const REGION = 0x70000000;
const SLOT_BYTES = 0x4000;
const SLOTS = 16;
const SENDERS = 4;
const CALLS = 50;
const MS = 1000000;

const enum Role {
  Sender = 0,
  Server = 1,
  Client = 2,
  Sleeper = 3,
}

class Shared {
  ep = 0;
  ep2 = 0;
  gate = 0;
}

const shared = new Shared();

function slotMessage(slot: number): number {
  return REGION + slot * SLOT_BYTES;
}

function slotStack(slot: number): number {
  return REGION + (slot + 1) * SLOT_BYTES - 64;
}

function sender(index: number, m: number): number {
  msgSet(m, 10 + index, index * 1000 + 7, 0);
  const r = send(shared.ep, m, Timeout.Forever);
  return r < 0 ? 90 : 100 + index;
}

/** Answers CALLS register calls with three times their word, then takes the client's plain "done". */
function server(m: number): number {
  msgSet(m, 0, 0, 0);
  let answered = 0;
  for (;;) {
    const r = replyWait(shared.ep2, m, Timeout.Forever);
    if (r < 0) return 91;
    if (r !== RECEIVED_CALL) return answered === CALLS ? 300 : 92;
    answered++;
    msgSet(m, 0, msgWord(m, 0) * 3, 0);
  }
}

function client(m: number): number {
  for (let k = 1; k <= CALLS; k++) {
    msgSet(m, 1, k, 0);
    if (callRegs(shared.ep2, m, Timeout.Forever) < 0) return 93;
    if (msgWord(m, 0) !== k * 3 || msgLabel(m) !== 0) return 94;
  }
  msgSet(m, 2, 0, 0);
  return send(shared.ep2, m, Timeout.Forever) < 0 ? 95 : 200;
}

/**
 * A worker thread's body: its role and slot in the argument.
 * @export keel_thread_main
 */
export function threadMain(arg: number): number {
  const role = arg >> 8;
  const slot = arg & 0xff;
  const m = slotMessage(slot);
  switch (role) {
    case Role.Sender: return sender(slot, m);
    case Role.Server: return server(m);
    case Role.Client: return client(m);
    case Role.Sleeper:
      // Waits until the first thread has found the limit, then ends.
      return notificationWait(shared.gate, 2000 * MS) === -ErrorCode.TimedOut ? 400 : 96;
    default: return 97;
  }
}

function fail(what: string, got: number): never {
  console.log(`THREADS FAIL ${what}: ${got}`);
  exit(1);
}

function start(role: Role, slot: number, joins: number, bit: number, tidOut: number): number {
  const h = threadCreate(threadEntryAddress(), slotStack(slot), role * 256 + slot, tidOut);
  if (h < 0) return h;
  const b = threadBind(h, joins, bit);
  if (b < 0) fail("bind", b);
  return h;
}

/** Waits on `n` until every bit of `want` has come. */
function join(n: number, want: number): void {
  let got = 0;
  while ((got & want) !== want) {
    const r = notificationWait(n, Timeout.Forever);
    if (r < 0) fail("join wait", r);
    got |= r;
  }
}

function main(): void {
  const r = mapMemory(REGION, SLOT_BYTES * SLOTS, MapFlag.Writable);
  if (r < 0) fail("map", r);
  const m = msgAlloc();
  const tidOut = m + 8 * 12;
  shared.ep = endpointCreate(8);
  shared.ep2 = endpointCreate(4);
  shared.gate = notificationCreate();
  const joins = notificationCreate();
  const heapBefore = kernelHeapUsed();
  console.log(`THREADS pid ${getpid()} start`);

  // Senders: each sends one message and exits.
  const handles = new Array<number>(SLOTS).fill(0);
  for (let i = 0; i < SENDERS; i++) {
    handles[i] = start(Role.Sender, i, joins, 1 << i, tidOut);
    if (handles[i]! < 0) fail("create sender", handles[i]!);
  }
  let seen = 0;
  for (let i = 0; i < SENDERS; i++) {
    const e = receive(shared.ep, m, Timeout.Forever);
    if (e < 0) fail("receive", e);
    const who = msgLabel(m) - 10;
    if (who < 0 || who >= SENDERS || msgWord(m, 0) !== who * 1000 + 7) fail("message", msgLabel(m));
    seen |= 1 << who;
  }
  join(joins, (1 << SENDERS) - 1);
  for (let i = 0; i < SENDERS; i++) {
    if (threadInfo(handles[i]!, 1) !== 1 || threadInfo(handles[i]!, 2) !== 100 + i) fail("sender status", threadInfo(handles[i]!, 2));
  }
  console.log(`THREADS senders=${SENDERS} messages=${seen === 15 ? 4 : 0} joined`);

  // A server and a client thread talk in register calls while this thread waits for their ends.
  const srv = start(Role.Server, 4, joins, 1 << 4, tidOut);
  const cli = start(Role.Client, 5, joins, 1 << 5, tidOut);
  if (srv < 0 || cli < 0) fail("create server/client", Math.min(srv, cli));
  join(joins, (1 << 4) | (1 << 5));
  const srvStatus = threadInfo(srv, 2);
  const cliStatus = threadInfo(cli, 2);
  if (srvStatus !== 300 || cliStatus !== 200) fail("server/client status", srvStatus * 1000 + cliStatus);
  console.log(`THREADS calls=${CALLS} server=${srvStatus} client=${cliStatus}`);

  // Up to the limit: sleepers stay until the gate's timeout; the next one is refused.
  let made = 0;
  let refused = 0;
  const sleepers = new Array<number>(SLOTS).fill(0);
  for (let i = 0; i < SLOTS; i++) {
    const h = start(Role.Sleeper, i, joins, 1 << (8 + i), tidOut);
    if (h < 0) {
      refused = h;
      break;
    }
    sleepers[i] = h;
    made++;
  }
  if (refused !== -ErrorCode.NoMemory) fail("limit", refused);
  join(joins, ((1 << made) - 1) << 8);
  console.log(`THREADS limit: ${made} more threads, then error ${-refused}`);

  // Every thread has ended: once the Thread capabilities go, the kernel heap is where it was
  // (the records of 21 Thread objects outgrew their table's first 16 slots on the way). The
  // figure is the whole kernel's: it means something when the program runs alone (threads.iso).
  for (let i = 0; i < made; i++) capDelete(sleepers[i]!);
  for (let i = 0; i < SENDERS; i++) capDelete(handles[i]!);
  capDelete(srv);
  capDelete(cli);
  console.log(`THREADS heap-left=${kernelHeapUsed() - heapBefore}`);
  console.log("THREADS ok");
}

main();
