// One of the two processes of a bench-fpu pair: started as module `yield-sse` it does SSE
// arithmetic before every yield, as `yield-int` none. Both of a pair yield to each other, so each
// yield is one switch there and one back. Prints `BENCH-FPU <name> <yields> <cycles per yield>`.
import { malloc } from "../../../userland/lib/heap.ts";
import { bytesEqual, startupWord } from "../../../userland/lib/runtime.ts";
import { Startup, moduleName } from "../../../userland/lib/sys.ts";
import { rdtsc } from "../../../userland/lib/clock.ts";
import { yieldLoop } from "./yield.ts";

const YIELDS = 4000;
const buf = malloc(64);
const len = moduleName(startupWord(Startup.ModuleIndex), buf, 64);
const sse = len > 0 && bytesEqual(buf, Math.min(len, 64), "yield-sse");
yieldLoop(200, sse);
const t0 = rdtsc();
yieldLoop(YIELDS, sse);
const t1 = rdtsc();
console.log(`BENCH-FPU ${sse ? "yield-sse" : "yield-int"} ${YIELDS} ${Math.floor(Number(BigInt.asUintN(64, t1 - t0)) / YIELDS)}`);
