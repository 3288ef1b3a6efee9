// The monotonic clock in user mode, without a system call: the TSC read directly and converted
// with the kernel's calibration from the startup block, so the nanoseconds are the kernel's own
// (timer deadlines are given on this clock).
import { tscDeltaToNs } from "../../abi/clock.ts";
import { Startup } from "../../abi/process.ts";
import { startupBigWord } from "./runtime.ts";

/** @extern keel_user_rdtsc */
export function rdtsc(): bigint {
  return BigInt(Date.now()) * 1000000n;
}

/** Nanoseconds of the kernel's monotonic clock. */
export function nowNs(): number {
  const origin = startupBigWord(Startup.ClockOrigin);
  const t = rdtsc();
  return tscDeltaToNs(t >= origin ? BigInt.asUintN(64, t - origin) : 0n, startupBigWord(Startup.ClockHz));
}
