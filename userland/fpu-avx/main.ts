// fpu-avx: as fpu-sse with the 256-bit ymm registers, whose upper halves only XSAVE keeps: double
// arithmetic in all sixteen, straight through and with a yield after every round, the two results
// compared bit for bit. Exits 0 when they agree, 1 otherwise, 2 when the CPU has no AVX.
import { exit, getpid } from "../lib/sys.ts";
import { avxRun, avxUsable } from "./avx.ts";

const SEED = 5000;
const ROUNDS = 200;
if (!avxUsable()) {
  console.log(`fpu-avx: pid ${getpid()} AVX not available`);
  exit(2);
}
const straight = avxRun(SEED, ROUNDS, false);
const interleaved = avxRun(SEED, ROUNDS, true);
const same = straight === interleaved;
console.log(`fpu-avx: pid ${getpid()} sum bits 0x${straight.toString(16)} straight, 0x${interleaved.toString(16)} with ${ROUNDS} yields: ${same ? "ok" : "MISMATCH"}`);
exit(same ? 0 : 1);
