// The system call benchmark, run as init of its own image under -icount (rdtsc then counts
// executed instructions, so the figures repeat exactly): the cost of a null system call, of
// getpid, and of starting, running and reaping the `nop` module. Prints `BENCH-SYSCALL <name>
// <iterations> <cycles per operation>` lines between a start and an end marker for
// bench/syscall/run.mjs.
import { malloc } from "../../../userland/lib/heap.ts";
import { bytesEqual } from "../../../userland/lib/runtime.ts";
import { getpid, moduleCount, moduleName, spawn, sysNull, wait } from "../../../userland/lib/sys.ts";
import { rdtsc } from "./tsc.ts";

const NULL_CALLS = 20000;
const PROCESSES = 40;

function cyclesPer(start: bigint, end: bigint, n: number): number {
  return Math.floor(Number(BigInt.asUintN(64, end - start)) / n);
}

/** Cycles per iteration of an empty timed loop, subtracted from the measured loops. */
function loopOverhead(n: number): number {
  let sum = 0;
  const t0 = rdtsc();
  for (let i = 0; i < n; i++) sum += i & 1;
  const t1 = rdtsc();
  return sum < 0 ? 0 : cyclesPer(t0, t1, n);
}

function findModule(name: string): number {
  const buf = malloc(64);
  const n = moduleCount();
  for (let i = 0; i < n; i++) {
    const len = moduleName(i, buf, 64);
    if (len > 0 && bytesEqual(buf, Math.min(len, 64), name)) return i;
  }
  return -1;
}

console.log("BENCH-SYSCALL start");
const overhead = loopOverhead(NULL_CALLS);
for (let i = 0; i < 100; i++) sysNull();
let t0 = rdtsc();
for (let i = 0; i < NULL_CALLS; i++) sysNull();
let t1 = rdtsc();
console.log(`BENCH-SYSCALL null ${NULL_CALLS} ${cyclesPer(t0, t1, NULL_CALLS) - overhead}`);
t0 = rdtsc();
for (let i = 0; i < NULL_CALLS; i++) getpid();
t1 = rdtsc();
console.log(`BENCH-SYSCALL getpid ${NULL_CALLS} ${cyclesPer(t0, t1, NULL_CALLS) - overhead}`);

const nop = findModule("nop");
const status = malloc(16);
if (nop < 0) {
  console.log("BENCH-SYSCALL error: no module named nop");
} else {
  let failures = 0;
  t0 = rdtsc();
  for (let i = 0; i < PROCESSES; i++) {
    const pid = spawn(nop);
    if (pid < 0 || wait(pid, status) !== pid) failures++;
  }
  t1 = rdtsc();
  if (failures > 0) console.log(`BENCH-SYSCALL error: ${failures} of ${PROCESSES} spawn/wait failed`);
  console.log(`BENCH-SYSCALL spawn-run-wait ${PROCESSES} ${cyclesPer(t0, t1, PROCESSES)}`);
}
console.log("BENCH-SYSCALL end");
