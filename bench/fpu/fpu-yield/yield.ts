/** `n` yields, each after SSE arithmetic when `sse` (yield.S). */
/** @extern keel_fpu_yield_loop */
export function yieldLoop(n: number, sse: boolean): void {
  void n;
  void sse;
}
