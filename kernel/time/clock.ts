// The monotonic clock: nanoseconds since clockInit, from the TSC calibrated against the PIT. The
// arithmetic is abi/clock.ts's, which user programs share: the startup block gives them the
// frequency and the origin (clockHz, clockOrigin), so they read the same clock without a call.
import { tscDeltaToNs } from "../../abi/clock.ts";
import { rdtsc } from "../arch/x86_64/cpu.ts";

const NS_PER_S = 1000000000n;

let tscHz = 0n;
let origin = 0n;
let last = 0;

/** Starts the clock at 0 now, counting a TSC of `hz` ticks per second. */
export function clockInit(hz: bigint): void {
  tscHz = hz;
  origin = rdtsc();
  last = 0;
}

/** Nanoseconds in `delta` TSC ticks. */
export function tscToNs(delta: bigint): number {
  return tscDeltaToNs(delta, tscHz);
}

/** The TSC's frequency the clock counts with (0 before clockInit). */
export function clockHz(): bigint {
  return tscHz;
}

/** The TSC value at which the clock read 0. */
export function clockOrigin(): bigint {
  return origin;
}

/** TSC ticks in `ns` nanoseconds (ns >= 0). */
export function nsToTsc(ns: number): bigint {
  const secs = Math.floor(ns / 1000000000);
  const rest = ns - secs * 1000000000;
  return BigInt.asUintN(64, BigInt.asUintN(64, BigInt(secs) * tscHz) + BigInt.asUintN(64, BigInt(rest) * tscHz) / NS_PER_S);
}

/** Nanoseconds since clockInit; never goes backwards. 0 before clockInit. */
export function nowNs(): number {
  if (tscHz === 0n) return 0;
  const t = rdtsc();
  // A TSC read before `origin` (another CPU's TSC slightly behind, later) counts as no time.
  const delta = t >= origin ? BigInt.asUintN(64, t - origin) : 0n;
  const ns = tscToNs(delta);
  if (ns > last) last = ns;
  return last;
}
