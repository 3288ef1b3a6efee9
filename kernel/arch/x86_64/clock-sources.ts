// Clocks of known frequency that the TSC and the local APIC timer are calibrated against, best
// first: the frequency CPUID reports (no waiting at all), the HPET (10-100 MHz, a 64-bit counter
// read in one MMIO load) and the ACPI PM timer (3.579545 MHz, one port read). The PIT (pit.ts)
// stays the last resort. Where the HPET and the PM timer are comes from ACPI (the kernel passes it
// in); neither is trusted blindly: the HPET's period must be one the specification allows, and
// either counter must be seen to advance before it is used.
import { load32, store32 } from "../../../lang/mem.ts";
import { cpuid, inl } from "./cpu.ts";

export const PM_TIMER_HZ = 3579545;
/** The HPET specification's bound on the counter period: 100 ns, in femtoseconds. */
export const HPET_MAX_PERIOD_FS = 100000000;

const HPET_CAPABILITIES = 0x00;
const HPET_CONFIG = 0x10;
const HPET_COUNTER = 0xf0;
const HPET_ENABLE = 0x1;

/** The reference a calibration used. */
export const enum ClockSource {
  None = 0,
  Cpuid = 1,
  Hpet = 2,
  PmTimer = 3,
  Pit = 4,
}

export function clockSourceName(s: number): string {
  switch (s) {
    case ClockSource.Cpuid: return "CPUID";
    case ClockSource.Hpet: return "HPET";
    case ClockSource.PmTimer: return "ACPI PM timer";
    case ClockSource.Pit: return "PIT";
    default: return "none (guessed)";
  }
}

/**
 * TSC frequency from CPUID leaf 0x15 (crystal clock times the TSC/crystal ratio), else from leaf
 * 0x16's base frequency (Intel only: elsewhere it need not be the TSC's rate); 0n when the CPU
 * reports neither. Both leaves exist only on recent Intel CPUs and on hypervisors that fill them.
 */
export function tscHzFromCpuid(): bigint {
  const max = cpuid(0, 0, 0) >>> 0;
  if (max >= 0x15 && max < 0x80000000) {
    const denominator = cpuid(0x15, 0, 0) >>> 0;
    const numerator = cpuid(0x15, 0, 1) >>> 0;
    const crystal = cpuid(0x15, 0, 2) >>> 0;
    if (denominator !== 0 && numerator !== 0 && crystal !== 0) {
      return BigInt.asUintN(64, BigInt(crystal) * BigInt(numerator)) / BigInt(denominator);
    }
  }
  // "GenuineIntel": ebx, edx, ecx of leaf 0.
  const intel = cpuid(0, 0, 1) >>> 0 === 0x756e6547 && cpuid(0, 0, 3) >>> 0 === 0x49656e69 && cpuid(0, 0, 2) >>> 0 === 0x6c65746e;
  if (intel && max >= 0x16 && max < 0x80000000) {
    const mhz = cpuid(0x16, 0, 0) & 0xffff;
    if (mhz !== 0) return BigInt.asUintN(64, BigInt(mhz) * 1000000n);
  }
  return 0n;
}

let hpetBase = 0;
let hpetPeriodFs = 0;
let pmPort = 0;
let pmMask = 0xffffff;

/**
 * Takes the HPET whose registers are mapped at virtual `base`: checks its period, starts its main
 * counter if firmware left it stopped, and sees that it counts. Returns whether it is usable.
 */
export function hpetOpen(base: number): boolean {
  hpetBase = 0;
  const period = load32(base + HPET_CAPABILITIES + 4) >>> 0;
  if (period === 0 || period > HPET_MAX_PERIOD_FS) return false;
  const config = load32(base + HPET_CONFIG) >>> 0;
  if ((config & HPET_ENABLE) === 0) store32(base + HPET_CONFIG, config | HPET_ENABLE);
  hpetBase = base;
  hpetPeriodFs = period;
  return advances(ClockSource.Hpet);
}

/** Takes the PM timer at I/O `port`, 32 bits wide or 24; returns whether it counts. */
export function pmTimerOpen(port: number, wide: boolean): boolean {
  pmPort = port;
  pmMask = wide ? 0xffffffff : 0xffffff;
  return port !== 0 && advances(ClockSource.PmTimer);
}

/** Whether the counter changes within a bounded number of reads (a dead one reads constant). */
function advances(source: number): boolean {
  const first = referenceRead(source);
  for (let i = 0; i < 100000; i++) {
    if (referenceRead(source) !== first) return true;
  }
  return false;
}

/** The counter of `source` (low 32 bits of the HPET's), for referenceTicks. */
export function referenceRead(source: number): number {
  if (source === ClockSource.Hpet) return load32(hpetBase + HPET_COUNTER) >>> 0;
  if (source === ClockSource.PmTimer) return (inl(pmPort) >>> 0) & pmMask;
  return 0;
}

/** Ticks from reading `a` to reading `b` of `source`, across one wrap of its counter. */
export function referenceTicks(source: number, a: number, b: number): number {
  const modulus = source === ClockSource.PmTimer && pmMask === 0xffffff ? 0x1000000 : 0x100000000;
  return (((b - a) % modulus) + modulus) % modulus;
}

/** `count` events over `refTicks` ticks of `source`, as a frequency in Hz. */
export function referenceRate(source: number, count: bigint, refTicks: number): bigint {
  if (refTicks <= 0) return 0n;
  if (source === ClockSource.Hpet) {
    // count * 1e15 / (ticks * period fs) would overflow 64 bits for long windows: both sides are
    // scaled down by 1e5 (the elapsed time, at least 10 us = 1e10 fs, keeps 5 digits).
    const elapsed = BigInt.asUintN(64, BigInt(refTicks) * BigInt(hpetPeriodFs)) / 100000n;
    if (elapsed === 0n) return 0n;
    return BigInt.asUintN(64, count * 10000000000n) / elapsed;
  }
  return BigInt.asUintN(64, count * BigInt(PM_TIMER_HZ)) / BigInt(refTicks);
}

/** Reference ticks in about `ns` nanoseconds (at least 1). */
export function referenceTicksIn(source: number, ns: number): number {
  if (source === ClockSource.Hpet) return Math.max(1, Math.floor((ns * 1000000) / hpetPeriodFs));
  return Math.max(1, Math.floor((ns * PM_TIMER_HZ) / 1000000000));
}

/** The HPET's counter period in femtoseconds (0 before hpetOpen succeeded). */
export function hpetPeriod(): number {
  return hpetBase !== 0 ? hpetPeriodFs : 0;
}
