/** Divides by zero on the x87 with its divide-by-zero exception unmasked (mf.S). */
/** @extern keel_fpu_mf */
export function x87DivideByZero(): void {
  throw new Error("x87 divide by zero");
}
