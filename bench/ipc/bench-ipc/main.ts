// The IPC benchmark, run as init of its own image under -icount (rdtsc then counts executed
// instructions, so the figures repeat exactly). Each figure is measured the way the Linux baseline
// measures its counterpart (bench/linux/*.c), so the two can be compared as ratios:
//
//   rdtsc    two reads of the TSC back to back (included in every other figure, as on Linux)
//   syscall  the null system call (Linux: getpid)
//   call     call/reply round trip to a server process in another address space, the message in
//            registers (Linux: a pipe round trip between two processes)
//   call-buffer  the same with message buffers in memory (call; receive and reply)
//   send     one-way: from just before a send to the moment the receiving process's receive
//            returns, stamped into shared memory (Linux: one byte through a pipe)
//   notify   from just before a signal to the moment the waiting process's wait returns
//            (Linux: eventfd write to a blocked reader)
//   thread   thread_create, the new thread's run and thread_exit, and its join (ThreadBind, then a
//            wait on the notification) and the Thread capability's delete (no Linux baseline yet)
//
// Prints `BENCH <name> median=.. min=.. p10=.. p90=.. max=.. n=.. unit=cycles` per figure
// (bench/lib/figures.ts reads them) and BENCH-END. The same program, started with capabilities,
// is the other process of each measurement.
import { malloc } from "../../../userland/lib/heap.ts";
import {
  call, callRegs, capType, endpointCreate, FIRST_START_HANDLE, loadWord, memoryCreate, memoryMap, msgAlloc, msgReplyHandle,
  msgSet, msgWord, notificationCreate, notificationWait, ObjectType, receive, RECEIVED_CALL, reply, replyWait,
  Right, send, signal, spawnCaps, storeWord, Timeout,
} from "../../../userland/lib/ipc.ts";
import { startupWord } from "../../../userland/lib/runtime.ts";
import { MapFlag, Startup, exit, mapMemory, sysNull, wait, yieldCpu } from "../../../userland/lib/sys.ts";
import { threadBind, threadCreate, threadEntryAddress } from "../../../userland/lib/thread.ts";
import { capDelete } from "../../../userland/lib/ipc.ts";
import { rdtsc } from "./tsc.ts";

const SAMPLES = 2000;
const WARMUP = 200;
const STAMP = 0x70000000;
const SERVER_QUOTA = 256 * 1024;

const enum Role {
  Server = 1,
  Receiver = 2,
  Waiter = 3,
  RegisterServer = 4,
}

const samples = new Array<number>(SAMPLES).fill(0);
const m = msgAlloc();

function cycles(t0: bigint, t1: bigint): number {
  return Number(BigInt.asUintN(64, t1 - t0));
}

/** Shell sort: a few thousand samples, no recursion. */
function sortSamples(): void {
  let gap = 1;
  while (gap < Math.floor(SAMPLES / 3)) gap = gap * 3 + 1;
  while (gap >= 1) {
    for (let i = gap; i < SAMPLES; i++) {
      const v = samples[i]!;
      let j = i;
      while (j >= gap && samples[j - gap]! > v) {
        samples[j] = samples[j - gap]!;
        j -= gap;
      }
      samples[j] = v;
    }
    gap = Math.floor(gap / 3);
  }
}

/** The p-th percentile as bench/lib/figures.ts takes it: index floor((n - 1) * p / 100). */
function at(p: number): number {
  return samples[Math.floor(((SAMPLES - 1) * p) / 100)]!;
}

function report(name: string): void {
  sortSamples();
  console.log(`BENCH ${name} median=${at(50)} min=${samples[0]!} p10=${at(10)} p90=${at(90)} max=${samples[SAMPLES - 1]!} n=${SAMPLES} unit=cycles`);
}

// ---------------------------------------------------------------- the measuring process

const words = malloc(64);

class Setup {
  ep = 0;
  ack = 0;
  n = 0;
  nAck = 0;
  mem = 0;
}
const s = new Setup();

function startPartner(role: number): number {
  storeWord(words, s.ep);
  storeWord(words + 8, s.ack);
  storeWord(words + 16, s.n);
  storeWord(words + 24, s.nAck);
  storeWord(words + 32, s.mem);
  const pid = spawnCaps(startupWord(Startup.ModuleIndex), words, 5, SERVER_QUOTA, 0, 0);
  if (pid < 0) {
    console.log(`BENCH-FAIL spawn: ${pid}`);
    return pid;
  }
  msgSet(m, role, 0, 0);
  send(s.ep, m, Timeout.Forever);
  return pid;
}

function finish(pid: number): void {
  const status = malloc(16);
  if (wait(pid, status) !== pid || loadWord(status) !== 0 || loadWord(status + 8) !== 0) {
    console.log(`BENCH-FAIL partner ${pid} ended with ${loadWord(status)}/${loadWord(status + 8)}`);
  }
}

function benchRdtsc(): void {
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const t0 = rdtsc();
    const t1 = rdtsc();
    if (i >= WARMUP) samples[i - WARMUP] = cycles(t0, t1);
  }
  report("rdtsc");
}

function benchSyscall(): void {
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const t0 = rdtsc();
    sysNull();
    const t1 = rdtsc();
    if (i >= WARMUP) samples[i - WARMUP] = cycles(t0, t1);
  }
  report("syscall");
}

/** Pieces of the paths above, for finding where the cycles go (not compared with Linux). */
function benchParts(): void {
  const local = endpointCreate(4);
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    msgSet(m, 1, i, 0);
    const t0 = rdtsc();
    send(local, m, 0);
    receive(local, m, 0);
    const t1 = rdtsc();
    if (i >= WARMUP) samples[i - WARMUP] = cycles(t0, t1);
  }
  report("part-send-receive-local");
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const t0 = rdtsc();
    receive(local, m, 0);
    const t1 = rdtsc();
    if (i >= WARMUP) samples[i - WARMUP] = cycles(t0, t1);
  }
  report("part-receive-empty");
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const t0 = rdtsc();
    signal(s.nAck, 1);
    notificationWait(s.nAck, 0);
    const t1 = rdtsc();
    if (i >= WARMUP) samples[i - WARMUP] = cycles(t0, t1);
  }
  report("part-signal-wait-local");
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const t0 = rdtsc();
    yieldCpu();
    const t1 = rdtsc();
    if (i >= WARMUP) samples[i - WARMUP] = cycles(t0, t1);
  }
  report("part-yield-alone");
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const t0 = rdtsc();
    capType(local);
    const t1 = rdtsc();
    if (i >= WARMUP) samples[i - WARMUP] = cycles(t0, t1);
  }
  report("part-identify");
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const t0 = rdtsc();
    receive(local, 8, 0);
    const t1 = rdtsc();
    if (i >= WARMUP) samples[i - WARMUP] = cycles(t0, t1);
  }
  report("part-receive-null-pointer");
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const t0 = rdtsc();
    receive(local, STAMP, 0);
    const t1 = rdtsc();
    if (i >= WARMUP) samples[i - WARMUP] = cycles(t0, t1);
  }
  report("part-receive-read-only-pointer");
}

/**
 * Call/reply round trips. `call`: the register form on both sides (callRegs, and the server loops
 * on replyWait), what a client and server exchanging short messages use. `call-buffer`: the
 * general form, message buffers in memory on both sides (call; receive and reply).
 */
function benchCall(role: number, name: string): void {
  const pid = startPartner(role);
  if (pid < 0) return;
  let failed = 0;
  const regs = role === Role.RegisterServer;
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    msgSet(m, 1, i, 0);
    const t0 = rdtsc();
    const r = regs ? callRegs(s.ep, m, Timeout.Forever) : call(s.ep, m, Timeout.Forever);
    const t1 = rdtsc();
    if (r !== 0 || msgWord(m, 0) !== i) failed++;
    if (i >= WARMUP) samples[i - WARMUP] = cycles(t0, t1);
  }
  msgSet(m, 0, 0, 0);
  send(s.ep, m, Timeout.Forever);
  finish(pid);
  if (failed > 0) console.log(`BENCH-FAIL ${name}: ${failed} calls failed`);
  else report(name);
}

function benchSend(): void {
  const pid = startPartner(Role.Receiver);
  if (pid < 0) return;
  let failed = 0;
  for (let i = 0; i <= WARMUP + SAMPLES; i++) {
    msgSet(m, i === WARMUP + SAMPLES ? 0 : 1, i, 0);
    const t0 = rdtsc();
    if (send(s.ep, m, Timeout.Forever) !== 0) failed++;
    if (receive(s.ack, m, Timeout.Forever) !== 0) failed++;
    const t1 = loadWord(STAMP);
    if (i >= WARMUP && i < WARMUP + SAMPLES) samples[i - WARMUP] = t1 - Number(t0);
  }
  finish(pid);
  if (failed > 0) console.log(`BENCH-FAIL send: ${failed} operations failed`);
  else report("send");
}

function benchNotify(): void {
  const pid = startPartner(Role.Waiter);
  if (pid < 0) return;
  let failed = 0;
  for (let i = 0; i <= WARMUP + SAMPLES; i++) {
    const t0 = rdtsc();
    if (signal(s.n, i === WARMUP + SAMPLES ? 2 : 1) !== 0) failed++;
    if (notificationWait(s.nAck, Timeout.Forever) < 0) failed++;
    const t1 = loadWord(STAMP);
    if (i >= WARMUP && i < WARMUP + SAMPLES) samples[i - WARMUP] = t1 - Number(t0);
  }
  finish(pid);
  if (failed > 0) console.log(`BENCH-FAIL notify: ${failed} operations failed`);
  else report("notify");
}

/** Where the benchmark's threads run: a 16 KiB stack (they return at once: the library's entry exits them). */
const THREAD_STACKS = 0x71000000;

function benchThread(): void {
  if (mapMemory(THREAD_STACKS, 0x4000, MapFlag.Writable) !== 0) {
    console.log("BENCH-FAIL thread: map");
    return;
  }
  const entry = threadEntryAddress();
  let failed = 0;
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const t0 = rdtsc();
    const h = threadCreate(entry, THREAD_STACKS + 0x4000 - 64, i, 0);
    if (h < 0 || threadBind(h, s.n, 1) !== 0 || notificationWait(s.n, Timeout.Forever) !== 1 || capDelete(h) !== 0) failed++;
    const t1 = rdtsc();
    if (i >= WARMUP) samples[i - WARMUP] = cycles(t0, t1);
  }
  if (failed > 0) console.log(`BENCH-FAIL thread: ${failed} operations failed`);
  else report("thread");
}

function measure(): void {
  console.log("BENCH-IPC start");
  s.ep = endpointCreate(4);
  s.ack = endpointCreate(4);
  s.n = notificationCreate();
  s.nAck = notificationCreate();
  s.mem = memoryCreate(1);
  if (s.ep < 0 || s.ack < 0 || s.n < 0 || s.nAck < 0 || s.mem < 0 || memoryMap(s.mem, STAMP, Right.Read) !== 0) {
    console.log("BENCH-FAIL setup");
  } else {
    benchRdtsc();
    benchSyscall();
    benchParts();
    benchCall(Role.RegisterServer, "call");
    benchCall(Role.Server, "call-buffer");
    benchSend();
    benchNotify();
    benchThread();
  }
  console.log("BENCH-END");
}

// ---------------------------------------------------------------- the partner process

/** Echoes each call back as its reply (as the Linux pipe partner echoes), until a plain message says stop. */
function serve(ep: number): number {
  for (;;) {
    if (receive(ep, m, Timeout.Forever) !== 0) return 2;
    const rh = msgReplyHandle(m);
    if (rh === 0) return 0;
    if (reply(rh, m) !== 0) return 3;
  }
}

function serveRegisters(ep: number): number {
  msgSet(m, 0, 0, 0);
  for (;;) {
    const r = replyWait(ep, m, Timeout.Forever);
    if (r < 0) return 2;
    if (r !== RECEIVED_CALL) return 0;
  }
}

function receiveStamped(ep: number, ack: number): number {
  for (;;) {
    if (receive(ep, m, Timeout.Forever) !== 0) return 2;
    storeWord(STAMP, Number(rdtsc()));
    const last = loadWord(m + 0) === 0;
    msgSet(m, 1, 0, 0);
    if (send(ack, m, Timeout.Forever) !== 0) return 3;
    if (last) return 0;
  }
}

function waitStamped(n: number, nAck: number): number {
  for (;;) {
    const bits = notificationWait(n, Timeout.Forever);
    storeWord(STAMP, Number(rdtsc()));
    if (bits < 0) return 2;
    if (signal(nAck, 1) !== 0) return 3;
    if ((bits & 2) !== 0) return 0;
  }
}

function partner(): void {
  const ep = FIRST_START_HANDLE;
  const ack = FIRST_START_HANDLE + 1;
  const n = FIRST_START_HANDLE + 2;
  const nAck = FIRST_START_HANDLE + 3;
  const mem = FIRST_START_HANDLE + 4;
  if (memoryMap(mem, STAMP, Right.Read | Right.Write) !== 0) exit(10);
  const first = receive(ep, m, Timeout.Forever);
  if (first !== 0) {
    console.log(`BENCH-FAIL partner: first receive ${first}`);
    exit(11);
  }
  const role = loadWord(m);
  if (role === Role.Server) exit(serve(ep));
  if (role === Role.RegisterServer) exit(serveRegisters(ep));
  if (role === Role.Receiver) exit(receiveStamped(ep, ack));
  if (role === Role.Waiter) exit(waitStamped(n, nAck));
  exit(12);
}

if (capType(FIRST_START_HANDLE) === ObjectType.Endpoint) {
  partner();
} else {
  measure();
}
