// fpu-fresh: the leak test's reader. capture.S saved the FPU/SSE/AVX registers this process was
// started with, before any of its own code ran; they must be the architectural initial state
// (x87 control word 0x37F, every x87 register empty, MXCSR 0x1F80, every xmm and ymm register
// zero), never what another process left there (fpu-dirty fills them with a secret and exits).
// Exits 0 when the state is clean, 1 otherwise.
import { load16, load32, load8 } from "../../lang/mem.ts";
import { exit, getpid } from "../lib/sys.ts";
import { freshArea, freshUsedXsave } from "./fresh.ts";

const area = freshArea();
let bad = 0;
function check(what: string, got: number, want: number): void {
  if (got === want) return;
  bad++;
  console.log(`fpu-fresh: ${what} is 0x${got.toString(16)}, expected 0x${want.toString(16)}`);
}

/** Counts the non-zero bytes of [off, off + len) of the saved area. */
function nonZero(off: number, len: number): number {
  let n = 0;
  for (let i = 0; i < len; i++) if (load8(area + off + i) !== 0) n++;
  return n;
}

check("x87 control word", load16(area), 0x37f);
check("x87 status word", load16(area + 2), 0);
check("x87 tag word (abridged)", load8(area + 4), 0);
check("MXCSR", load32(area + 24), 0x1f80);
check("non-zero bytes of st0-st7", nonZero(32, 128), 0);
check("non-zero bytes of xmm0-xmm15", nonZero(160, 256), 0);
if (freshUsedXsave()) {
  // The AVX component (upper halves of ymm0-15) sits at offset 576 of the standard format; when
  // its XSTATE_BV bit is clear the registers are in their initial state, zero.
  const inUse = (load8(area + 512) & 4) !== 0;
  if (inUse) check("non-zero bytes of the ymm upper halves", nonZero(576, 256), 0);
}
if (bad === 0) console.log(`fpu-fresh: pid ${getpid()} started with a clean FPU/SSE/AVX state (${freshUsedXsave() ? "xsave" : "fxsave"})`);
else console.log(`fpu-fresh: pid ${getpid()} started with ${bad} leftover values (${freshUsedXsave() ? "xsave" : "fxsave"})`);
exit(bad === 0 ? 0 : 1);
