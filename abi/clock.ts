// The monotonic clock's arithmetic, shared by the kernel (kernel/time/clock.ts) and user programs
// (userland/lib/clock.ts), which read the same TSC with the calibration the startup block carries
// (Startup.ClockHz, Startup.ClockOrigin), so both count the same nanoseconds. Integer math only:
// ns = delta / hz * 1e9 + (delta % hz) * 1e9 / hz keeps every intermediate inside 64 bits (the
// remainder is below hz, and hz * 1e9 < 2^64 for any TSC under 18 GHz), and the result stays an
// exact `number` for 2^53 ns, about 104 days.

const NS_PER_S = 1000000000n;

/** Nanoseconds in `delta` ticks of a TSC running at `hz` (0 when hz is 0: no clock yet). */
export function tscDeltaToNs(delta: bigint, hz: bigint): number {
  if (hz === 0n) return 0;
  const secs = delta / hz;
  const rest = delta % hz;
  return Number(secs) * 1000000000 + Number(BigInt.asUintN(64, rest * NS_PER_S) / hz);
}
