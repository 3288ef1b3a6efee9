// Frame-pointer backtraces. keelc's C is built with frame pointers, so each frame holds the caller's
// rbp at [rbp] and the return address at [rbp + 8]. The interrupt entry stub clears rbp, so a walk
// stops at an interrupt boundary.
import { load64 } from "../../../toolchain/lib/mem.ts";
import { DIRECT_MAP_BASE } from "../../mm/layout.ts";
import { wordToAddr } from "./words.ts";
import { printFrameLine } from "./symbols.ts";

export const MAX_BACKTRACE_DEPTH = 32;
// A frame larger than this is not a frame: stop rather than follow a garbage pointer.
const MAX_FRAME_STRIDE = 0x100000;

/** Whether rbp may be dereferenced as a kernel frame pointer (higher half, aligned). */
export function plausibleFramePointer(rbp: number): boolean {
  return rbp >= DIRECT_MAP_BASE && rbp < -16 && rbp % 8 === 0;
}

/**
 * Prints `  #n ...` lines: first `firstAddr` when it is non-zero (the faulting rip), then the return
 * addresses along the rbp chain. Returns the number of lines printed.
 */
export function printBacktrace(startRbp: number, firstAddr: number): number {
  let depth = 0;
  if (firstAddr !== 0) printFrameLine(depth++, firstAddr);
  let rbp = startRbp;
  while (depth < MAX_BACKTRACE_DEPTH && plausibleFramePointer(rbp)) {
    const ret = wordToAddr(load64(rbp + 8));
    if (ret === 0) break;
    // A return address points just past the call; step back into it so the line is the caller's.
    printFrameLine(depth++, ret - 1);
    const next = wordToAddr(load64(rbp));
    if (next <= rbp || next - rbp > MAX_FRAME_STRIDE) break;
    rbp = next;
  }
  return depth;
}
