// fuzz: random and structured system calls against the kernel from several processes at once.
// Started as init of a fuzz image (make fuzz SEED=n CALLS=n; the seed and count travel in the
// name of a second boot module, `fuzz-<seed>-<calls>`), it is the driver: it starts WORKERS copies
// of itself, each issuing its share of the calls with arguments drawn from valid handles, stale
// handles, wrong types, pointers into and around its own mappings, kernel and non-canonical
// addresses and huge lengths; revoking and deleting what other workers wait on, starting children
// and killing them while they are blocked. Every result is checked against the errors the call is
// documented to return. At the end the driver checks that kernel objects, its quota and the
// kernel heap's bytes are back where they started, and prints `FUZZ DONE ...`.
import { load8 } from "../../lang/mem.ts";
import { malloc } from "../lib/heap.ts";
import {
  BATCH_ENTRY_BYTES, capDelete, capMint, capType, endpointCreate, kernelHeapUsed, kernelObjects, msgAlloc, msgClear, msgLabel, msgSet, msgSetWord, msgWord,
  notificationCreate, notificationWait, ObjectType, quotaUsed, receive, Right, send, spawnCaps, storeWord, Timeout, FIRST_START_HANDLE,
} from "../lib/ipc.ts";
import { loadWord, startupWord } from "../lib/runtime.ts";
import { exit, mapMemory, moduleCount, moduleName, Startup, Sys, syscall, wait } from "../lib/sys.ts";
import { threadEntryAddress } from "../lib/thread.ts";
import { errorKnown } from "../../abi/errors.ts";
import { SYSCALL_COUNT } from "../../abi/numbers.ts";

const WORKERS = 3;
const ROLE_WORKER = 1;
const CTL = FIRST_START_HANDLE;
const REP = FIRST_START_HANDLE + 1;
const SHARED_EP = FIRST_START_HANDLE + 2;
const SHARED_N = FIRST_START_HANDLE + 3;
/** A writable two-page area for buffers, and the unmapped page after it. */
const AREA = 0x60000000;
const AREA_BYTES = 2 * 4096;
/** A page for the stacks of the worker's threads (the entry's return address is all they push). */
const STACKS = 0x68000000;
/** Where random map and unmap calls go (never the heap). */
const SANDBOX = 0x70000000;
const MS = 1000000;

// Choices, made once: an array literal in an expression is a new allocation every time, and the
// runtime arena of a user program has no collector yet.
const ODD_HANDLES = [0, -1, 1, 4095, 8191, 4096 * 3 + 7];
const SMALL_EDGES = [0, 1, 2, 3, 4, 7, 8, 16, 255, 256, 257];
const WIDE_VALUES = [2147483648, 4294967296, 8589934592, 281474976710656, 9007199254740991, -9007199254740991];
const TIMEOUTS = [0, 0, 50000, 200000];
const MAP_RIGHTS = [1, 3, 5, 7];
const LABELS = [0, 1, 2, 3, 4, 5, 16, 17, 32, 99];
/**
 * Entries thread_create must refuse: null, kernel, non-canonical, past the user half, and data.
 * Never anyPointer(): a random map call may have made one of those pages executable, and a
 * thread started there runs whatever the page holds (correctly: it is the program's own memory).
 */
const BAD_ENTRIES = [0, -1, -2147483648, -140737488355328, 140737488355328, 4503599627370496, AREA, AREA + 8, 0x68000000];
const m = msgAlloc();
const scratch = malloc(256);

/** xorshift64 on two 32-bit halves kept as numbers (exact in the language's integer range). */
class Rng {
  hi = 0;
  lo = 0;
}
const rng = new Rng();

function seedRng(seed: number): void {
  rng.hi = (seed * 2654435761 + 1) >>> 0;
  rng.lo = (seed * 40503 + 0x9e3779b9) >>> 0;
  if (rng.hi === 0 && rng.lo === 0) rng.lo = 1;
}

/** One of `xs`, at random. */
function pick(xs: number[]): number {
  return xs[rand(xs.length)]!;
}

/** A random number in [0, n) for n ≤ 2^31. */
function rand(n: number): number {
  // xorshift32 twice over the halves: cheap, and enough for choosing arguments.
  let x = rng.lo;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  rng.lo = x >>> 0;
  let y = rng.hi;
  y ^= y << 7;
  y ^= y >>> 9;
  rng.hi = y >>> 0;
  return ((rng.lo ^ rng.hi) >>> 0) % n;
}

class Stats {
  calls = 0;
  mismatches = 0;
  succeeded = 0;
  killed = 0;
}
const stats = new Stats();

/** Handles this worker holds (valid unless deleted meanwhile) and handles it deleted (stale). */
class Pool {
  live: number[] = new Array<number>(64).fill(0);
  liveCount = 0;
  stale: number[] = new Array<number>(16).fill(0);
  staleCount = 0;
}
const pool = new Pool();

function remember(h: number): void {
  if (h <= 0) return;
  if (pool.liveCount < pool.live.length) {
    pool.live[pool.liveCount] = h;
    pool.liveCount++;
  } else {
    forget(pool.live[rand(pool.live.length)]!, true);
    remember(h);
  }
}

/** Drops `h` from the live pool; with `del`, deletes it first and keeps it as a stale handle. */
function forget(h: number, del: boolean): void {
  for (let i = 0; i < pool.liveCount; i++) {
    if (pool.live[i]! !== h) continue;
    pool.live[i] = pool.live[pool.liveCount - 1]!;
    pool.liveCount--;
    if (del) capDelete(h);
    pool.stale[rand(pool.stale.length)] = h;
    if (pool.staleCount < pool.stale.length) pool.staleCount++;
    return;
  }
}

function anyHandle(): number {
  const r = rand(10);
  if (r < 6 && pool.liveCount > 0) return pool.live[rand(pool.liveCount)]!;
  if (r < 8 && pool.staleCount > 0) return pool.stale[rand(pool.staleCount)]!;
  if (r === 8) return pick(ODD_HANDLES);
  return SHARED_EP + rand(2);
}

function anyPointer(): number {
  switch (rand(12)) {
    case 0: return AREA + rand(AREA_BYTES);
    case 1: return AREA + AREA_BYTES - 8 * rand(20);
    case 2: return AREA + AREA_BYTES;
    case 3: return 0;
    case 4: return -2147483648;
    case 5: return -140737488355328;
    case 6: return 140737488355328;
    case 7: return 4503599627370496;
    case 8: return 0x1000 * rand(16);
    case 9: return -1;
    default: return AREA + 8 * rand(16);
  }
}

function anyNumber(): number {
  switch (rand(8)) {
    case 0: return rand(300) - 2;
    case 1: return pick(SMALL_EDGES);
    case 2: return pick(WIDE_VALUES);
    case 3: return anyHandle();
    case 4: return anyPointer();
    case 5: return 1 + rand(4096);
    case 6: return -1 - rand(8);
    default: return rand(64);
  }
}

/** 0 (poll) or a short wait: long enough for another worker to act, never for good. */
function anyTimeout(): number {
  return pick(TIMEOUTS);
}

/** Whether `r` is a result the call `n` is documented to give (docs/syscalls.md, docs/capabilities.md). */
function documented(n: number, r: number): boolean {
  if (r >= 0) return true;
  const e = -r;
  // Internal only: a thread told to block never sees WouldBlock.
  if (e === 15 || !errorKnown(e)) return false;
  const handleError = e >= 1 && e <= 5;
  switch (n) {
    case Sys.Write: return e === 18 || e === 64;
    case Sys.Map: return e === 18 || e === 64 || e === 66;
    case Sys.Unmap: return e === 18 || e === 21;
    case Sys.ModuleName: return e === 21 || e === 64;
    case Sys.ModuleRead: return e === 68 || e === 21 || e === 18 || e === 64;
    case Sys.Spawn: return e === 68 || e === 21 || e === 66 || e === 69;
    case Sys.Wait: return e === 67 || e === 64;
    case Sys.CapIdentify: case Sys.CapDelete: case Sys.CapRevoke: case Sys.CapBadge: return handleError;
    case Sys.CapCopy: return handleError || e === 6 || e === 7 || e === 16 || e === 18;
    case Sys.CapMint: return handleError || e === 6 || e === 7 || e === 16 || e === 17 || e === 18;
    case Sys.EndpointCreate: case Sys.NotificationCreate: case Sys.WaitSetCreate: return e === 6 || e === 7 || e === 18;
    case Sys.Send: return handleError || e === 6 || e === 7 || e === 8 || e === 12 || e === 13 || e === 14 || e === 18 || e === 64;
    case Sys.Receive: return handleError || e === 7 || e === 9 || e === 12 || e === 13 || e === 14 || e === 18 || e === 64;
    case Sys.Reply: return handleError || e === 6 || e === 7 || e === 10 || e === 11 || e === 18 || e === 64;
    case Sys.Signal: return handleError || e === 18;
    case Sys.NotificationWait: return handleError || e === 9 || e === 13 || e === 14 || e === 18;
    case Sys.NotificationBind: return handleError || e === 6 || e === 18 || e === 20;
    case Sys.WaitSetAdd: return handleError || e === 6 || e === 18 || e === 20 || e === 22;
    case Sys.WaitSetRemove: return handleError || e === 18 || e === 21;
    case Sys.WaitSetWait: return handleError || e === 9 || e === 13 || e === 14 || e === 18 || e === 64;
    case Sys.MemoryCreate: return e === 6 || e === 7 || e === 18 || e === 66;
    case Sys.MemoryMap: return handleError || e === 18 || e === 66;
    case Sys.MemoryUnmap: return e === 18 || e === 21;
    // An invocation answers with the invoked method's error, whatever it is.
    case Sys.Invoke: return e < 64 || e === 64 || e === 65 || e === 70 || e === 71 || e === 72;
    case Sys.Batch: return e === 18 || e === 64;
    case Sys.SpawnCaps: return handleError || e === 6 || e === 7 || e === 18 || e === 21 || e === 64 || e === 66 || e === 68 || e === 69;
    case Sys.SpawnImage: return handleError || e === 6 || e === 7 || e === 18 || e === 64 || e === 66 || e === 68 || e === 69;
    case Sys.AccountInfo: return e === 18;
    case Sys.ProcessKill: return handleError || e === 70;
    case Sys.TimerCreate: return e === 6 || e === 7;
    case Sys.ThreadCreate: return e === 64 || e === 18 || e === 66 || e === 6 || e === 7;
    default: return e === 65;
  }
}

function check(n: number, a0: number, a1: number, a2: number, r: number): void {
  stats.calls++;
  if (r >= 0) stats.succeeded++;
  if (documented(n, r)) return;
  stats.mismatches++;
  if (stats.mismatches <= 20) console.log(`FUZZ MISMATCH call ${n}(${a0}, ${a1}, ${a2}, ...) = ${r}`);
}

function sys(n: number, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number): number {
  const r = syscall(n, a0, a1, a2, a3, a4, a5);
  check(n, a0, a1, a2, r);
  return r;
}

/** A message in the area: random label, words and up to four handles, copy or move. */
function randomMessage(at: number): void {
  storeWord(at, rand(100));
  storeWord(at + 8, rand(6));
  storeWord(at + 16, rand(3));
  for (let i = 0; i < 6; i++) storeWord(at + 40 + i * 8, anyNumber());
  for (let i = 0; i < 4; i++) storeWord(at + 88 + i * 8, anyHandle());
}

/** Starts a child of this program holding a copy of `c`, which waits on it, then kills it there. */
function spawnAndKill(c: number): void {
  storeWord(scratch, c);
  storeWord(scratch + 64, 0);
  const pid = sys(Sys.SpawnCaps, startupWord(Startup.ModuleIndex), scratch, 1, 65536, 0, scratch + 64);
  if (pid <= 0) return;
  const proc = loadWord(scratch + 64);
  if (rand(2) === 0) syscall(Sys.Yield, 0, 0, 0, 0, 0, 0);
  const k = sys(Sys.ProcessKill, proc, 77, 0, 0, 0, 0);
  if (k === 0) stats.killed++;
  wait(pid, scratch + 128);
  capDelete(proc);
}

function oneCall(): void {
  const area = AREA + 8 * rand(64);
  const kind = rand(25);
  switch (kind) {
    case 0: remember(sys(Sys.EndpointCreate, rand(4) === 0 ? anyNumber() : 1 + rand(8), 0, 0, 0, 0, 0)); break;
    case 1: remember(sys(Sys.NotificationCreate, 0, 0, 0, 0, 0, 0)); break;
    case 2: remember(sys(Sys.WaitSetCreate, rand(3) === 0 ? anyNumber() : 1 + rand(8), 0, 0, 0, 0, 0)); break;
    case 3: remember(sys(Sys.MemoryCreate, rand(3) === 0 ? anyNumber() : 1 + rand(4), 0, 0, 0, 0, 0)); break;
    case 4: remember(sys(Sys.CapCopy, anyHandle(), rand(3) === 0 ? anyNumber() : rand(256), 0, 0, 0, 0)); break;
    case 5: remember(sys(Sys.CapMint, anyHandle(), rand(256), rand(3) === 0 ? anyNumber() : 1 + rand(1000), 0, 0, 0)); break;
    case 6: {
      const h = anyHandle();
      if (h === SHARED_EP || h === SHARED_N) break;
      if (sys(Sys.CapDelete, h, 0, 0, 0, 0, 0) === 0) forget(h, false);
      break;
    }
    case 7: {
      // Revoking a shared capability ends the waits of every worker that holds a copy of it.
      const h = anyHandle();
      sys(Sys.CapRevoke, h === SHARED_EP || h === SHARED_N ? anyHandle() : h, 0, 0, 0, 0, 0);
      break;
    }
    case 8: sys(Sys.CapIdentify, anyHandle(), 0, 0, 0, 0, 0); break;
    case 9: randomMessage(area); sys(Sys.Send, anyHandle(), rand(4) === 0 ? anyPointer() : area, anyTimeout(), 0, 0, 0); break;
    case 10: {
      const r = sys(Sys.Receive, anyHandle(), rand(4) === 0 ? anyPointer() : area, anyTimeout(), 0, 0, 0);
      if (r === 0) {
        for (let i = 0; i < 4; i++) remember(loadWord(area + 88 + i * 8));
        const reply = loadWord(area + 32);
        if (reply > 0) {
          randomMessage(AREA + 1024);
          sys(Sys.Reply, reply, AREA + 1024, 0, 0, 0, 0);
          capDelete(reply);
        }
      }
      break;
    }
    case 11: randomMessage(area); sys(Sys.Reply, anyHandle(), rand(4) === 0 ? anyPointer() : area, 0, 0, 0, 0); break;
    case 12: sys(Sys.Signal, anyHandle(), rand(3) === 0 ? anyNumber() : 1 + rand(255), 0, 0, 0, 0); break;
    case 13: sys(Sys.NotificationWait, anyHandle(), anyTimeout(), 0, 0, 0, 0); break;
    case 14: sys(Sys.NotificationBind, anyHandle(), anyHandle(), rand(3) === 0 ? anyNumber() : 1 << rand(8), 0, 0, 0); break;
    case 15: sys(Sys.WaitSetAdd, anyHandle(), anyHandle(), rand(3) === 0 ? anyNumber() : rand(8), rand(3) === 0 ? anyNumber() : rand(16), 0, 0); break;
    case 16: sys(Sys.WaitSetRemove, anyHandle(), rand(3) === 0 ? anyNumber() : rand(8), 0, 0, 0, 0); break;
    case 17: sys(Sys.WaitSetWait, anyHandle(), anyTimeout(), rand(4) === 0 ? anyPointer() : area, rand(3) === 0 ? anyNumber() : 1 + rand(8), 0, 0); break;
    case 18: {
      const at = SANDBOX + 0x100000 * rand(4);
      if (rand(2) === 0) sys(Sys.MemoryMap, anyHandle(), rand(4) === 0 ? anyPointer() : at, rand(3) === 0 ? anyNumber() : pick(MAP_RIGHTS), 0, 0, 0);
      else sys(Sys.MemoryUnmap, rand(4) === 0 ? anyPointer() : at, 0, 0, 0, 0, 0);
      break;
    }
    case 19: {
      const at = SANDBOX + 0x800000 + 0x10000 * rand(4);
      if (rand(2) === 0) sys(Sys.Map, rand(4) === 0 ? anyPointer() : at, rand(3) === 0 ? anyNumber() : 4096 * (1 + rand(3)), rand(3) === 0 ? anyNumber() : rand(3), 0, 0, 0);
      else {
        // Never the worker's own area: unmapping it is allowed, and the worker would die of it.
        const where = rand(4) === 0 ? anyPointer() : at;
        if (where !== AREA) sys(Sys.Unmap, where, rand(3) === 0 ? anyNumber() : 4096 * (1 + rand(3)), 0, 0, 0, 0);
      }
      break;
    }
    case 20: {
      // Invocations and batches: the kernel API as messages.
      // On an endpoint an invocation is a call, which waits for a server without a timeout: only
      // other objects are invoked, alone or in a batch (whose entries start with their handle).
      storeWord(area, pick(LABELS));
      for (let i = 1; i < 15; i++) storeWord(area + i * 8, rand(2) === 0 ? rand(8) : anyNumber());
      if (rand(2) === 0) {
        const h = anyHandle();
        if (capType(h) !== ObjectType.Endpoint) sys(Sys.Invoke, h, rand(4) === 0 ? anyPointer() : area, 0, 0, 0, 0);
      } else {
        const count = rand(3) === 0 ? anyNumber() : 1 + rand(4);
        let safe = true;
        // Up to the most entries a batch takes (16); the area holds them all.
        for (let i = 0; i < 16; i++) {
          const h = loadWord(area + i * BATCH_ENTRY_BYTES);
          if (capType(h) === ObjectType.Endpoint) safe = false;
        }
        if (safe) sys(Sys.Batch, rand(4) === 0 ? anyPointer() : area, count, 0, 0, 0, 0);
      }
      break;
    }
    case 21: {
      const n = rand(4) === 0 ? anyNumber() : 32 + rand(SYSCALL_COUNT - 32);
      // Calls that wait without a timeout on objects nobody serves stay out of the raw mix, and so
      // do the thread calls: a thread at a random entry would run whatever is there (case 23).
      if (n === Sys.ThreadCreate || n === Sys.ThreadExit || n === Sys.Call || n === Sys.CallRegs || n === Sys.ReplyWait || n === Sys.Exit || n === Sys.SpawnCaps || n === Sys.ProcessKill ||
          n === Sys.Wait || n === Sys.Receive || n === Sys.Send || n === Sys.NotificationWait || n === Sys.WaitSetWait || n === Sys.Invoke ||
          n === Sys.Map || n === Sys.Unmap || n === Sys.MemoryMap || n === Sys.MemoryUnmap || n === Sys.CapDelete || n === Sys.CapRevoke ||
          n === Sys.Batch || n === Sys.Exit) break;
      const r = sys(n, anyNumber(), anyNumber(), anyNumber(), anyNumber(), anyNumber(), anyNumber());
      if (r > 0 && (n === Sys.EndpointCreate || n === Sys.NotificationCreate || n === Sys.WaitSetCreate || n === Sys.MemoryCreate ||
          n === Sys.CapCopy || n === Sys.CapMint || n === Sys.TimerCreate)) remember(r);
      break;
    }
    case 22: {
      // Pointers the kernel must refuse: writes and names through bad buffers.
      if (rand(2) === 0) sys(Sys.Write, anyPointer() + 2 * AREA_BYTES, rand(3) === 0 ? anyNumber() : 8, 0, 0, 0, 0);
      else sys(Sys.ModuleName, rand(3) === 0 ? anyNumber() : rand(2), anyPointer(), rand(3) === 0 ? anyNumber() : 16, 0, 0, 0);
      break;
    }
    case 23: {
      // Threads of the worker. The program has no keel_thread_main of its own, so the library's
      // returns the argument at once and every thread ends by itself, racing the worker's
      // invocations (bind, info, priority), deletes and revokes of its handle, and the kill of
      // the process when the worker ends. Bad entries, stacks and id pointers fail as documented.
      const good = rand(4) !== 0;
      const entry = good ? threadEntryAddress() : pick(BAD_ENTRIES);
      const stack = good || rand(2) === 0 ? STACKS + 4096 - 16 * rand(8) : anyPointer();
      const tidOut = rand(3) === 0 ? anyPointer() : 0;
      remember(sys(Sys.ThreadCreate, entry, stack, rand(256), tidOut, 0, 0));
      break;
    }
    default:
      if (rand(2) === 0) spawnAndKill(rand(2) === 0 ? SHARED_EP : anyHandle());
      else syscall(Sys.Yield, 0, 0, 0, 0, 0, 0);
      break;
  }
}

function worker(calls: number, seed: number): number {
  seedRng(seed);
  if (mapMemory(AREA, AREA_BYTES, 1) !== 0 || mapMemory(STACKS, 4096, 1) !== 0) return 3;
  let next = 0;
  while (stats.calls < calls) {
    oneCall();
    if (stats.calls >= next) {
      console.log(`fuzz: worker ${seed % 1000} at ${stats.calls} calls`);
      next += 20000;
    }
  }
  // Report: calls, mismatches, kills.
  msgClear(m);
  msgSet(m, 2, stats.calls, stats.mismatches);
  msgSetWord(m, 2, stats.killed);
  msgSetWord(m, 3, stats.succeeded);
  send(REP, m, Timeout.Forever);
  return 0;
}

/** The `fuzz-<seed>-<calls>` boot module's numbers, or the defaults (seed 1, 100,000 calls). */
function config(which: number): number {
  const buf = malloc(64);
  const count = moduleCount();
  for (let i = 0; i < count; i++) {
    const len = moduleName(i, buf, 64);
    if (len < 6 || len > 64 || load8(buf) !== 102 || load8(buf + 4) !== 45) continue;
    let field = 0;
    let value = 0;
    for (let k = 5; k < len; k++) {
      const c = load8(buf + k);
      if (c === 45) {
        if (field === which) return value;
        field++;
        value = 0;
      } else {
        value = value * 10 + (c - 48);
      }
    }
    if (field === which) return value;
  }
  return which === 0 ? 1 : 100000;
}

function driver(): void {
  const seed = config(0);
  const calls = config(1);
  console.log(`fuzz: seed ${seed}, ${calls} calls from ${WORKERS} processes`);
  // Nothing of the boot is pending here: the boot thread is freed before init first runs
  // (kernel/sched/scheduler.ts, schedulerStart), so the baseline needs no wait.
  const objects = kernelObjects();
  const quota = quotaUsed();
  const heap = kernelHeapUsed();
  const rep = endpointCreate(8);
  const ep = endpointCreate(4);
  const n = notificationCreate();
  // Signalled with bit w when worker w ends, so a worker that dies without reporting is seen.
  const ends = notificationCreate();
  const pids = [0, 0, 0];
  const procs = [0, 0, 0];
  for (let w = 0; w < WORKERS; w++) {
    const ctl = endpointCreate(1);
    storeWord(scratch, ctl);
    storeWord(scratch + 8, rep);
    storeWord(scratch + 16, ep);
    storeWord(scratch + 24, n);
    const endCap = capMint(ends, Right.Signal | Right.Grant | Right.Duplicate, 1 << w);
    pids[w] = spawnCaps(startupWord(Startup.ModuleIndex), scratch, 4, 256 * 1024, endCap, scratch + 32);
    procs[w] = loadWord(scratch + 32);
    capDelete(endCap);
    msgClear(m);
    msgSet(m, ROLE_WORKER, Math.floor(calls / WORKERS) + (w === 0 ? calls % WORKERS : 0), seed * 1000 + w);
    send(ctl, m, Timeout.Forever);
    capDelete(ctl);
  }
  let total = 0;
  let mismatches = 0;
  let kills = 0;
  let ok = 0;
  // A worker does about a thousand calls a second under TCG: five times that long is a hang.
  const limitMs = Math.max(120000, Math.floor(calls / WORKERS) * 5);
  let reported = 0;
  let ended = 0;
  let waited = 0;
  while (reported < WORKERS) {
    if (receive(rep, m, 1000 * MS) === 0 && msgLabel(m) === 2) {
      reported++;
    } else {
      waited += 1000;
      const bits = notificationWait(ends, Timeout.Poll);
      if (bits > 0) ended |= bits;
      // Every worker ended, yet not every one reported: one died (its end is in the log).
      if (ended === (1 << WORKERS) - 1 || waited > limitMs) {
        console.log(`FUZZ FAIL ${WORKERS - reported} workers ended or hung without reporting (${Math.floor(waited / 1000)} s); killing what is left`);
        for (let k = 0; k < WORKERS; k++) syscall(Sys.ProcessKill, procs[k]!, 99, 0, 0, 0, 0);
        break;
      }
      continue;
    }
    total += msgWord(m, 0);
    mismatches += msgWord(m, 1);
    kills += msgWord(m, 2);
    ok += msgWord(m, 3);
  }
  let exits = 0;
  for (let w = 0; w < WORKERS; w++) {
    if (wait(pids[w]!, scratch) === pids[w]! && loadWord(scratch + 8) === 0 && loadWord(scratch) === 0) exits++;
  }
  for (let w = 0; w < WORKERS; w++) capDelete(procs[w]!);
  capDelete(rep);
  capDelete(ep);
  capDelete(n);
  capDelete(ends);
  const leftObjects = kernelObjects() - objects;
  const leftQuota = quotaUsed() - quota;
  const leftHeap = kernelHeapUsed() - heap;
  console.log(`FUZZ DONE seed=${seed} calls=${total} succeeded=${ok} mismatches=${mismatches} kills=${kills} workers-exited=${exits} objects-left=${leftObjects} quota-left=${leftQuota} heap-left=${leftHeap}`);
  exit(mismatches === 0 && leftObjects === 0 && leftQuota === 0 && leftHeap === 0 && exits === WORKERS ? 0 : 1);
}

if (capType(CTL) === ObjectType.Endpoint && capType(SHARED_N) === ObjectType.Notification) {
  if (receive(CTL, m, Timeout.Forever) === 0 && msgLabel(m) === ROLE_WORKER) exit(worker(msgWord(m, 0), msgWord(m, 1)));
  exit(2);
} else if (capType(CTL) === ObjectType.Endpoint) {
  // A child started by a worker: it waits on what it was given until it is killed.
  receive(CTL, m, Timeout.Forever);
  exit(0);
} else if (startupWord(Startup.ParentPid) !== 0) {
  console.log("fuzz: nothing to do here (a fuzz image starts it as init)");
} else {
  driver();
}
