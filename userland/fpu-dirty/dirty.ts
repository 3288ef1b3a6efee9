/** Fills the FPU/SSE/AVX registers with a secret, checks them across `yields` yields, exits (dirty.S). */
/** @extern keel_fpu_dirty */
export function fpuDirty(yields: number): never {
  void yields;
  throw new Error("fpu-dirty runs only in Keel");
}
