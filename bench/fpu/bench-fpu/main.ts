// The FPU switching benchmark's init (bench/fpu/run.mjs boots it under -icount, one image per
// keel.fpu= mode): starts the two `yield-int` modules and waits for both, then the two
// `yield-sse` ones; each prints its cycles per yield. Prints start and end markers.
import { malloc } from "../../../userland/lib/heap.ts";
import { bytesEqual } from "../../../userland/lib/runtime.ts";
import { moduleCount, moduleName, spawn, wait } from "../../../userland/lib/sys.ts";

const buf = malloc(64);
const status = malloc(16);

/** Starts every module called `name` and waits for them all. */
function runPair(name: string): void {
  let started = 0;
  for (let i = 0; i < moduleCount(); i++) {
    const len = moduleName(i, buf, 64);
    if (len > 0 && bytesEqual(buf, Math.min(len, 64), name)) {
      if (spawn(i) < 0) console.log(`BENCH-FPU error: cannot start ${name}`);
      else started++;
    }
  }
  for (let i = 0; i < started; i++) wait(-1, status);
}

console.log("BENCH-FPU start");
runPair("yield-int");
runPair("yield-sse");
console.log("BENCH-FPU end");
