/** Divides by zero with the SIMD divide-by-zero exception unmasked (xm.S). */
/** @extern keel_fpu_xm */
export function simdDivideByZero(): void {
  throw new Error("SIMD divide by zero");
}
