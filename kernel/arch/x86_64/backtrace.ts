// Frame-pointer backtraces. keelc's C is built with frame pointers, so each frame holds the caller's
// rbp at [rbp] and the return address at [rbp + 8]. The interrupt entry stub clears rbp, so a walk
// stops at an interrupt boundary.
import { load64 } from "../../../lang/mem.ts";
import { DIRECT_MAP_BASE } from "./layout.ts";
import { wordToAddr } from "./words.ts";
import { printFrameLine } from "./symbols.ts";

export const MAX_BACKTRACE_DEPTH = 32;
// A frame larger than this is not a frame: stop rather than follow a garbage pointer.
const MAX_FRAME_STRIDE = 0x100000;

/** Whether rbp may be dereferenced as a kernel frame pointer (higher half, aligned). */
function plausibleFramePointer(rbp: number): boolean {
  return rbp >= DIRECT_MAP_BASE && rbp < -16 && rbp % 8 === 0;
}

/**
 * Prints `  #n ...` lines: first `firstAddr` when it is non-zero (the faulting rip), then the return
 * addresses along the rbp chain, up to MAX_BACKTRACE_DEPTH frames. A run of identical frames (deep
 * recursion, the usual road to a stack overflow) is printed once with a count. Returns the number
 * of frames walked.
 */
export function printBacktrace(startRbp: number, firstAddr: number): number {
  let depth = 0;
  let prev = 0;
  let repeats = 0;
  if (firstAddr !== 0) {
    printFrameLine(depth++, firstAddr);
    prev = firstAddr;
  }
  let rbp = startRbp;
  while (depth < MAX_BACKTRACE_DEPTH && plausibleFramePointer(rbp)) {
    const ret = wordToAddr(load64(rbp + 8));
    if (ret === 0) break;
    // A return address points just past the call; step back into it so the line is the caller's.
    const at = ret - 1;
    if (at === prev) {
      repeats++;
    } else {
      if (repeats > 0) console.log(`  ... ${repeats} more identical frames`);
      repeats = 0;
      printFrameLine(depth, at);
      prev = at;
    }
    depth++;
    const next = wordToAddr(load64(rbp));
    if (next <= rbp || next - rbp > MAX_FRAME_STRIDE) break;
    rbp = next;
  }
  if (repeats > 0) console.log(`  ... ${repeats} more identical frames`);
  return depth;
}
