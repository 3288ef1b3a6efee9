// fpu-sse: double arithmetic in all sixteen xmm registers, once straight through and once with a
// yield after every round while other processes (fpu-avx among them) run their own SIMD code.
// The two results must be the same bits: the kernel saved and restored this process's registers
// at every switch. Exits 0 when they agree, 1 otherwise.
import { exit, getpid } from "../lib/sys.ts";
import { sseRun } from "./sse.ts";

const SEED = 1000;
const ROUNDS = 200;
const straight = sseRun(SEED, ROUNDS, false);
const interleaved = sseRun(SEED, ROUNDS, true);
const same = straight === interleaved;
console.log(`fpu-sse: pid ${getpid()} sum bits 0x${straight.toString(16)} straight, 0x${interleaved.toString(16)} with ${ROUNDS} yields: ${same ? "ok" : "MISMATCH"}`);
exit(same ? 0 : 1);
