/** Whether AVX may be used here (avx.S: CPUID and XCR0). */
/** @extern keel_fpu_avx_usable */
export function avxUsable(): boolean {
  return true;
}

/**
 * Runs the 64 lanes of avx.S for `rounds` rounds (yielding after each when `yieldEach`) and returns
 * the bits of their sum. The body is the same computation in Node (lane k starts at seed + k;
 * x = x * 1.0000001 + 0.25 each round; the sum in lane order).
 * @extern keel_fpu_avx_run
 */
export function avxRun(seed: number, rounds: number, yieldEach: boolean): bigint {
  void yieldEach;
  const xs = new Float64Array(64);
  for (let k = 0; k < 64; k++) xs[k] = seed + k;
  for (let r = 0; r < rounds; r++) for (let k = 0; k < 64; k++) xs[k] = xs[k]! * 1.0000001 + 0.25;
  let s = 0;
  for (let k = 0; k < 64; k++) s += xs[k]!;
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, s, true);
  return b.getBigUint64(0, true);
}
