// Arguments over their whole 64-bit register, and spawns that fail. Every system call argument is
// a 64-bit register: a right, flag, count or key with a bit above 31 set must be refused, not
// truncated to its low 32 bits, and a word beyond the safe integer range (2^53 and up, 2^63, -1
// as a huge unsigned word) must fail every range check. A spawn that fails must leave no process,
// slot, quota or frame behind, and running out of frames is NoMemory, not BadExecutable.
// keel_syscall_words (args-regs.S) puts whole 64-bit words in the argument registers.
import { store64 } from "../../lang/mem.ts";
import { hostKernel } from "../lib/host/kernel.ts";
import {
  batch, ErrorCode, capBadge, capDelete, capIdentify, endpointCreate, invoke, kernelObjects, memoryCreate, memoryMap,
  memoryUnmap, Method, msgAlloc, msgLabel, msgSet, msgWord, notificationCreate, ObjectType, processKill, receive,
  Right, send, spawnCaps, storeWord, Timeout, UMsg, waitSetCreate, waitSetRemove,
} from "../lib/ipc.ts";
import { loadWord } from "../lib/runtime.ts";
import { MapFlag, mapMemory, Sys, unmapMemory, wait } from "../lib/sys.ts";
import {
  Baseline, control, expectClean, expectEq, HELPER_QUOTA, m, m2, pass, procWord, reap, report, self, sendReport, startHelper, status,
  words,
} from "./common.ts";

/** @extern keel_syscall_words */
function syscallWords(n: number, a0: bigint, a1: bigint, a2: bigint, a3: bigint, a4: bigint, a5: bigint): number {
  return hostKernel.syscall(n, Number(BigInt.asIntN(64, a0)), Number(BigInt.asIntN(64, a1)), Number(BigInt.asIntN(64, a2)),
    Number(BigInt.asIntN(64, a3)), Number(BigInt.asIntN(64, a4)), Number(BigInt.asIntN(64, a5)));
}

/** A number as the 64-bit word a register holds (two's complement). */
function w(v: number): bigint {
  return v >= 0 ? BigInt(v) : BigInt.asUintN(64, 0n - BigInt(-v));
}

const IA = -ErrorCode.InvalidArgument;
/** Helper roles of this file. */
const ROLE_HOG = 100;
const ROLE_SEND_LATER = 101;
/** Free user addresses for this file's mappings. */
const AT = 0x70000000;
const HOG_BASE = 0x200000000;
const MIB = 0x100000;
/** A process maps at most 64 MiB (docs/syscalls.md, map). */
const MAP_LIMIT = 64 * MIB;

/**
 * Words no flag word, rights mask, count, key or selector accepts: bits 31, 32, 33 above a valid
 * value (1), 52, 53 and 63, and -1 (every bit).
 */
const WIDE: bigint[] = [
  0x80000000n, 0x100000000n, 0x200000001n, 0x10000000000000n, 0x20000000000000n, 0x8000000000000000n, 0xffffffffffffffffn,
];
const WIDE_NAMES: string[] = ["2^31", "2^32", "2^33|1", "2^52", "2^53", "2^63", "-1"];
/** Badges and signal bits (1 .. 2^48 - 1): only these of the wide words are out of range. */
const TOO_WIDE_BITS: bigint[] = [0x1000000000000n, 0x10000000000000n, 0x20000000000000n, 0x8000000000000000n, 0xffffffffffffffffn];

class Check {
  name: string;
  ok = true;
  constructor(name: string) {
    this.name = name;
  }
}

function eq(c: Check, what: string, got: number, want: number): void {
  if (c.ok) c.ok = expectEq(c.name, what, got, want);
}

/** Sets message word `i` (a data word) of `msg` to the whole 64-bit `v`. */
function msgSetWide(msg: number, field: number, v: bigint): void {
  store64(msg + field * 8, v);
}

function rightsAboveBit31(): void {
  const c = new Check("args rights above bit 31");
  const b = new Baseline();
  const ep = endpointCreate(2);
  const n = notificationCreate();
  const mem = memoryCreate(1);
  const made = kernelObjects();
  for (let i = 0; i < WIDE.length; i++) {
    const v = WIDE[i]!;
    const at = WIDE_NAMES[i]!;
    eq(c, `cap_copy rights ${at}`, syscallWords(Sys.CapCopy, w(ep), v, 0n, 0n, 0n, 0n), IA);
    eq(c, `cap_mint rights ${at}`, syscallWords(Sys.CapMint, w(n), v, 5n, 0n, 0n, 0n), IA);
    eq(c, `memory_map rights ${at}`, syscallWords(Sys.MemoryMap, w(mem), w(AT), v, 0n, 0n, 0n), IA);
    msgSet(m, Method.Copy, 0, 0);
    msgSetWide(m, UMsg.Words, v);
    eq(c, `invoke Copy rights ${at}`, invoke(n, m), IA);
    msgSet(m, Method.Mint, 0, 5);
    msgSetWide(m, UMsg.Words, v);
    eq(c, `invoke Mint rights ${at}`, invoke(n, m), IA);
    storeWord(words, n);
    msgSet(words + 8, Method.Copy, 0, 0);
    msgSetWide(words + 8, UMsg.Words, v);
    eq(c, `batch Copy rights ${at}: entries done`, batch(words, 1), 0);
    eq(c, `batch Copy rights ${at}: status`, msgLabel(words + 8), ErrorCode.InvalidArgument);
  }
  // Nothing was derived or mapped; the low bits alone still work and show no extra right.
  eq(c, "kernel objects after the refused calls", kernelObjects(), made);
  const copy = syscallWords(Sys.CapCopy, w(ep), 1n, 0n, 0n, 0n, 0n);
  eq(c, "copy with Read only", capIdentify(copy), ObjectType.Endpoint * 256 + Right.Read);
  eq(c, "memory_map at the address the refused calls named", memoryMap(mem, AT, Right.Read), 0);
  memoryUnmap(AT);
  capDelete(copy);
  capDelete(mem);
  capDelete(n);
  capDelete(ep);
  if (c.ok && expectClean(c.name, b)) pass(c.name);
}

function mapFlagsAboveBit31(): void {
  const c = new Check("args map flags above bit 31");
  for (let i = 0; i < WIDE.length; i++) {
    eq(c, `map flags ${WIDE_NAMES[i]!}`, syscallWords(Sys.Map, w(AT), 4096n, WIDE[i]!, 0n, 0n, 0n), IA);
  }
  // None of them mapped anything: the page is still free for a valid map.
  eq(c, "map writable afterwards", mapMemory(AT, 4096, MapFlag.Writable), 0);
  eq(c, "unmap", unmapMemory(AT, 4096), 0);
  if (c.ok) pass(c.name);
}

function rangesOverTheWholeWord(): void {
  const c = new Check("args counts keys masks and selectors over the whole word");
  const b = new Baseline();
  const ep = endpointCreate(2);
  const n = notificationCreate();
  const ws = waitSetCreate(2);
  for (let i = 0; i < WIDE.length; i++) {
    const v = WIDE[i]!;
    const at = WIDE_NAMES[i]!;
    eq(c, `endpoint_create ${at}`, syscallWords(Sys.EndpointCreate, v, 0n, 0n, 0n, 0n, 0n), IA);
    eq(c, `wait_set_create ${at}`, syscallWords(Sys.WaitSetCreate, v, 0n, 0n, 0n, 0n, 0n), IA);
    eq(c, `memory_create ${at}`, syscallWords(Sys.MemoryCreate, v, 0n, 0n, 0n, 0n, 0n), IA);
    eq(c, `batch count ${at}`, syscallWords(Sys.Batch, w(words), v, 0n, 0n, 0n, 0n), IA);
    eq(c, `wait_set_add key ${at}`, syscallWords(Sys.WaitSetAdd, w(ws), w(n), v, 0n, 0n, 0n), IA);
    eq(c, `wait_set_add mask ${at}`, syscallWords(Sys.WaitSetAdd, w(ws), w(n), 1n, v, 0n, 0n), IA);
    eq(c, `wait_set_remove key ${at}`, syscallWords(Sys.WaitSetRemove, w(ws), v, 0n, 0n, 0n, 0n), IA);
    eq(c, `wait_set_wait max ${at}`, syscallWords(Sys.WaitSetWait, w(ws), 0n, w(words), v, 0n, 0n), IA);
    eq(c, `account_info ${at}`, syscallWords(Sys.AccountInfo, v, 0n, 0n, 0n, 0n, 0n), IA);
    eq(c, `spawn_caps count ${at}`, syscallWords(Sys.SpawnCaps, w(self), w(words), v, w(HELPER_QUOTA), 0n, 0n), IA);
    eq(c, `spawn_caps quota ${at}`, syscallWords(Sys.SpawnCaps, w(self), w(words), 0n, v, 0n, 0n), IA);
    eq(c, `spawn_caps module ${at}`, syscallWords(Sys.SpawnCaps, v, w(words), 0n, w(HELPER_QUOTA), 0n, 0n), -ErrorCode.NotFound);
    eq(c, `spawn module ${at}`, syscallWords(Sys.Spawn, v, 0n, 0n, 0n, 0n, 0n), -ErrorCode.NotFound);
    eq(c, `module_name index ${at}`, syscallWords(Sys.ModuleName, v, w(words), 8n, 0n, 0n, 0n), -ErrorCode.NotFound);
    for (let field = 0; field < 3; field++) {
      msgSet(m, 1, 0, 0);
      msgSetWide(m, field, v);
      eq(c, `message word ${field} = ${at}`, send(ep, m, Timeout.Poll), IA);
    }
  }
  // A handle with bits above 31 names nothing, even when its low bits name a capability.
  const handles: bigint[] = [0x100000000n | w(n), 0x200000000n | w(n), 0x20000000000000n, 0x8000000000000000n];
  for (let i = 0; i < handles.length; i++) {
    eq(c, `signal through handle word ${i}`, syscallWords(Sys.Signal, handles[i]!, 1n, 0n, 0n, 0n, 0n), -ErrorCode.InvalidHandle);
    msgSet(words + 8, Method.Signal, 1, 0);
    store64(words, handles[i]!);
    eq(c, `batch through handle word ${i}`, batch(words, 1), 0);
    eq(c, `batch through handle word ${i}: status`, msgLabel(words + 8), ErrorCode.InvalidHandle);
  }
  // Badges and signal bits: up to 2^48 - 1 (2^33 | 1 is a badge like any other).
  for (let i = 0; i < TOO_WIDE_BITS.length; i++) {
    const v = TOO_WIDE_BITS[i]!;
    eq(c, `cap_mint badge word ${i}`, syscallWords(Sys.CapMint, w(n), 1n, v, 0n, 0n, 0n), IA);
    eq(c, `signal bits word ${i}`, syscallWords(Sys.Signal, w(n), v, 0n, 0n, 0n, 0n), IA);
    eq(c, `notification_bind bits word ${i}`, syscallWords(Sys.NotificationBind, w(ep), w(n), v, 0n, 0n, 0n), IA);
  }
  const minted = syscallWords(Sys.CapMint, w(n), 1n, 0x200000001n, 0n, 0n, 0n);
  eq(c, "badge 2^33|1", capBadge(minted), 0x200000001);
  // System call numbers with bits above 31 (getpid's number in the low bits) are unknown.
  eq(c, "system call 2^32|3", syscallWords(0x100000003, 0n, 0n, 0n, 0n, 0n, 0n), -ErrorCode.UnknownSyscall);
  // The refused calls changed nothing.
  eq(c, "no message queued", receive(ep, m, Timeout.Poll), -ErrorCode.QueueEmpty);
  eq(c, "no bits signalled", syscallWords(Sys.NotificationWait, w(n), 0n, 0n, 0n, 0n, 0n), -ErrorCode.QueueEmpty);
  eq(c, "no wait-set member added", waitSetRemove(ws, 1), -ErrorCode.NotFound);
  capDelete(minted);
  capDelete(ws);
  capDelete(n);
  capDelete(ep);
  if (c.ok && expectClean(c.name, b)) pass(c.name);
}

function hugeTimeouts(): void {
  const c = new Check("args timeouts beyond the safe range wait for the message");
  const b = new Baseline();
  // The helper reports after the driver is already waiting; 2^63 is negative as a 64-bit
  // number, so a wait without limit (docs/syscalls.md, "Timeouts"), and so is 2^53.
  const times: bigint[] = [0x8000000000000000n, 0x20000000000000n, 0x10000000000000n];
  for (let i = 0; i < times.length; i++) {
    const pid = startHelper(ROLE_SEND_LATER, i, 0, 0, HELPER_QUOTA, 0, false);
    eq(c, `helper ${i} started`, pid > 0 ? 1 : 0, 1);
    if (pid <= 0) break;
    eq(c, `receive with timeout word ${i}`, syscallWords(Sys.Receive, w(control.rep), w(m), times[i]!, 0n, 0n, 0n), 0);
    eq(c, `the helper's report ${i}`, msgLabel(m), 7);
    eq(c, `helper ${i} exit`, reap(pid), 0);
  }
  if (c.ok && expectClean(c.name, b)) pass(c.name);
}

function refusedSpawnLeavesNothing(): void {
  const c = new Check("args refused spawn leaves nothing behind");
  const b = new Baseline();
  // A child that starts and ends at once (no capabilities: it has nothing to do), to learn the pid
  // the next child would get.
  const before = spawnCaps(self, words, 0, HELPER_QUOTA, 0, 0);
  eq(c, "a child with a normal quota", before > 0 ? 1 : 0, 1);
  eq(c, "it ends", reap(before), 0);
  storeWord(procWord, 0);
  // Too small a quota for the child's table: QuotaExceeded, and nothing is started or taken.
  eq(c, "spawn_caps with quota 100", spawnCaps(self, words, 0, 100, 0, 0), -ErrorCode.QuotaExceeded);
  eq(c, "the same, with a Process capability", spawnCaps(self, words, 0, 100, 0, procWord), -ErrorCode.QuotaExceeded);
  eq(c, "no Process handle written", loadWord(procWord), 0);
  eq(c, "no module 99", spawnCaps(99, words, 0, HELPER_QUOTA, 0, procWord), -ErrorCode.NotFound);
  eq(c, "no Process handle written for module 99", loadWord(procWord), 0);
  // A refused spawn would have been the next pids: no such child exists (a left-over one would be
  // reaped here, having nothing to do).
  for (let k = 1; k <= 3; k++) eq(c, `no child pid ${before} + ${k}`, wait(before + k, status), -ErrorCode.NoChild);
  if (c.ok && expectClean(c.name, b)) pass(c.name);
}

/** Most helpers that hold memory at once: together they take every frame. */
const MAX_HOGS = 6;
const HOG_QUOTA = 64 * 1024;

function spawnWithoutFrames(): void {
  const c = new Check("args spawn with every frame in use is NoMemory");
  const b = new Baseline();
  const procs = new Array<number>(MAX_HOGS).fill(0);
  const pids = new Array<number>(MAX_HOGS).fill(0);
  let hogs = 0;
  let full = false;
  while (c.ok && !full && hogs < MAX_HOGS) {
    const pid = startHelper(ROLE_HOG, 0, 0, 0, HOG_QUOTA, 0, true);
    if (pid < 0) {
      // The last hog left too little for another to load: the machine is full already.
      eq(c, `hog ${hogs} start`, pid, -ErrorCode.NoMemory);
      full = true;
      break;
    }
    pids[hogs] = pid;
    procs[hogs] = loadWord(procWord);
    hogs++;
    const r = report(120000);
    eq(c, `hog ${hogs} report`, r, 1);
    // It could not map nearly its 64 MiB (its heap counts too, a few chunks): frames ran out. If
    // it stopped just short, the next hog finds too little to load and the loop ends above.
    if (r === 1 && msgWord(m2, 0) < MAP_LIMIT - 4 * MIB) full = true;
  }
  eq(c, "every frame taken", full ? 1 : 0, 1);
  if (c.ok) {
    eq(c, "spawn_caps with every frame in use", spawnCaps(self, words, 0, HELPER_QUOTA, 0, 0), -ErrorCode.NoMemory);
    eq(c, "spawn with every frame in use", syscallWords(Sys.Spawn, w(self), 0n, 0n, 0n, 0n, 0n), -ErrorCode.NoMemory);
  }
  for (let i = 0; i < hogs; i++) {
    eq(c, `kill hog ${i}`, processKill(procs[i]!, 9), 0);
    eq(c, `reap hog ${i}`, reap(pids[i]!), -1009);
    capDelete(procs[i]!);
  }
  // With the memory back, a spawn works again.
  const again = spawnCaps(self, words, 0, HELPER_QUOTA, 0, 0);
  eq(c, "spawn_caps once the frames are back", again > 0 ? 1 : 0, 1);
  if (again > 0) eq(c, "that child ends", reap(again), 0);
  if (c.ok && expectClean(c.name, b)) pass(c.name);
}

function memoryMapOverMapped(): void {
  const c = new Check("args memory_map over a mapped range is InvalidArgument");
  const b = new Baseline();
  const mem = memoryCreate(2);
  eq(c, "first mapping", memoryMap(mem, AT, Right.Read), 0);
  eq(c, "the same range again", memoryMap(mem, AT, Right.Read), IA);
  eq(c, "half over it", memoryMap(mem, AT + 4096, Right.Read), IA);
  eq(c, "half under it", memoryMap(mem, AT - 4096, Right.Read), IA);
  eq(c, "map over it", mapMemory(AT, 4096, MapFlag.Writable), IA);
  eq(c, "unmap", memoryUnmap(AT), 0);
  eq(c, "the range is free again", memoryMap(mem, AT, Right.Read), 0);
  memoryUnmap(AT);
  capDelete(mem);
  if (c.ok && expectClean(c.name, b)) pass(c.name);
}

/** Driver side: every scenario of this file, in order. */
export function argsScenarios(): void {
  rightsAboveBit31();
  mapFlagsAboveBit31();
  rangesOverTheWholeWord();
  memoryMapOverMapped();
  hugeTimeouts();
  refusedSpawnLeavesNothing();
  spawnWithoutFrames();
}

/** Helper side: roles 100..199; the exit status. */
export function argsHelper(role: number): number {
  if (role === ROLE_HOG) return hog();
  if (role === ROLE_SEND_LATER) return sendLater();
  return 91;
}

/** Maps memory until frames run out (or 64 MiB), reports how much, then waits to be killed. */
function hog(): number {
  let addr = HOG_BASE;
  let size = 16 * MIB;
  let total = 0;
  while (size >= 4096) {
    if (total + size > MAP_LIMIT) {
      size = Math.floor(size / 2);
      continue;
    }
    const r = mapMemory(addr, size, MapFlag.Writable);
    if (r === 0) {
      addr += size;
      total += size;
    } else if (r === -ErrorCode.NoMemory) {
      size = Math.floor(size / 2);
    } else {
      sendReport(2, r, total);
      return 2;
    }
  }
  sendReport(1, total, 0);
  // Hold the memory until the driver kills this process.
  const own = endpointCreate(1);
  const msg = msgAlloc();
  receive(own, msg, Timeout.Forever);
  return 3;
}

/** Lets the driver start waiting, then reports with label 7. */
function sendLater(): number {
  for (let i = 0; i < 20; i++) syscallWords(Sys.Yield, 0n, 0n, 0n, 0n, 0n, 0n);
  sendReport(7, 0, 0);
  return 0;
}
