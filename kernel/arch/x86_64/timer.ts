// The scheduler tick and clock calibration.
//
// The TSC and the local APIC timer run at frequencies that are rarely told, so they are measured
// against a clock of known frequency, the quickest first (clock-sources.ts): the TSC frequency
// CPUID reports (then the APIC timer is measured against the TSC), else a short window of the
// HPET or the ACPI PM timer, else the PIT (1.193182 MHz, fixed by the PC architecture) over
// CALIBRATION_MS, which costs tens of milliseconds of boot. All of them work under KVM, plain TCG
// and `-icount shift=0,sleep=off`: QEMU's HPET, PM timer and PIT count on the same virtual clock
// that drives its APIC timer and (under icount) the TSC.
//
// The tick is periodic at TICK_HZ = 1000: sleeps and timeouts get millisecond resolution, the
// time slice (10 ticks) is 10 ms, and 1000 interrupts a second cost TCG well under 1% of the CPU.
// A tickless one-shot timer programmed from the timer queue can replace it later without
// changing the scheduler's interface.
import { rdtsc, restoreInterrupts, saveDisableInterrupts, sti } from "./cpu.ts";
import {
  ClockSource, clockSourceName, hpetOpen, pmTimerOpen, referenceRate, referenceRead, referenceTicks, referenceTicksIn,
  tscHzFromCpuid,
} from "./clock-sources.ts";
import { mmioAddress } from "./mmio.ts";
import { apicTimerCurrent, apicTimerPeriodic, apicTimerStartFreeRunning, apicTimerStop, TIMER_DIVISOR } from "./apic.ts";
import { PIT_HZ, pitExpired, pitReadCount, pitStartFreeRunning, pitStop, pitTicksForMs } from "./pit.ts";
import { release } from "../../../lang/core.ts";
import { registerIrqHandler } from "./interrupts.ts";
import { TIMER_VECTOR } from "./vectors.ts";

export const TICK_HZ = 1000;
export const CALIBRATION_MS = 25;
/** Polls of the PIT before giving up on it: about 5 s at 1 us a port read, 250 times the need. */
export const CALIBRATION_POLL_LIMIT = 5000000;

// Used when the PIT never answers: QEMU's APIC timer input is 1 GHz, and any TSC guess beats none.
const FALLBACK_APIC_HZ = 62500000;
const FALLBACK_TSC_HZ = 1000000000n;

export class Calibration {
  /** TSC ticks per second. */
  tscHz = 0n;
  /** APIC timer ticks per second after the divide-by-16. */
  apicHz = 0;
  /** False when the PIT never counted and the fallback figures are in use. */
  ok = false;
  polls = 0;
  /** PIT ticks between the two samples. */
  pitTicks = 0;
  /** What the frequencies were measured against (ClockSource). */
  source = ClockSource.None;
}

/**
 * One reading of all three counters, taken as close together as possible. Under a loaded host
 * (or an SMI on real hardware) the CPU can stall for milliseconds at any instruction; a stall
 * inside a sample shows up as a wide TSC bracket, so the narrowest of several tries is kept.
 */
export class Sample {
  tsc = 0n;
  bracket = 0n;
  pit = 0;
  apic = 0;
  /** The HPET's or the PM timer's count (takeSample). */
  ref = 0;
}

export const SAMPLE_TRIES = 7;

/**
 * The narrowest of SAMPLE_TRIES readings of the TSC, the APIC timer and `source`'s counter: the
 * PIT's into `pit`, the HPET's or the PM timer's into `ref` (ClockSource.None: no reference).
 */
function takeSample(s: Sample, source: number): void {
  s.bracket = 0xffffffffffffffffn;
  for (let i = 0; i < SAMPLE_TRIES; i++) {
    const t0 = rdtsc();
    const count = source === ClockSource.Pit ? pitReadCount() : referenceRead(source);
    const apic = apicTimerCurrent();
    const t1 = rdtsc();
    const width = t1 >= t0 ? BigInt.asUintN(64, t1 - t0) : 0xffffffffffffffffn;
    if (width < s.bracket) {
      s.bracket = width;
      s.tsc = BigInt.asUintN(64, t0 + (width >> 1n));
      if (source === ClockSource.Pit) s.pit = count;
      else s.ref = count;
      s.apic = apic;
    }
  }
}


/**
 * Measures the TSC and the APIC timer against PIT channel 2 over about `ms` milliseconds
 * (at most 50, the PIT wraps at 55). Each end of the interval is a bracketed sample, so a stall
 * between the ends, or in the polling, costs nothing: only the counters at the two samples matter.
 * A stall that carries the count past zero would alias it (the count wraps and may come back
 * below the first sample, reading as a short interval that really lasted 55 ms more); the
 * channel's output, which rises at zero and stays high in mode 0, tells, so such a measurement
 * is refused rather than trusted.
 * Returns false when the interval could not be measured (no PIT, or a stall past a wrap).
 */
function measure(c: Calibration, want: number, pollLimit: number, first: Sample, last: Sample): boolean {
  apicTimerStartFreeRunning(0xffffffff);
  pitStartFreeRunning();
  takeSample(first, ClockSource.Pit);
  let elapsed = 0;
  while (c.polls < pollLimit) {
    c.polls++;
    elapsed = first.pit - pitReadCount();
    if (elapsed >= want || elapsed < 0) break;
  }
  takeSample(last, ClockSource.Pit);
  // Read after the last sample: low means the count never reached zero before it.
  const wrapped = pitExpired();
  pitStop();
  apicTimerStop();
  const pitTicks = first.pit - last.pit;
  const apicTicks = first.apic - last.apic;
  if (wrapped || elapsed < want || pitTicks < want || apicTicks <= 0 || last.tsc <= first.tsc) return false;
  c.pitTicks = pitTicks;
  c.tscHz = BigInt.asUintN(64, BigInt.asUintN(64, last.tsc - first.tsc) * BigInt(PIT_HZ)) / BigInt(pitTicks);
  c.apicHz = Math.floor((apicTicks * PIT_HZ) / pitTicks);
  return true;
}

/**
 * One measurement, retried until one is valid or the poll budget is spent; false in that case.
 * On a loaded host most tries can be refused (a vCPU getting a third of a CPU often stalls past
 * the PIT's wrap), so the number of tries is bounded by the budget alone: a working PIT uses a
 * few thousand polls a try, a dead one spends the whole budget on the first.
 */
function measureWithRetries(c: Calibration, want: number, pollLimit: number, first: Sample, last: Sample): boolean {
  while (c.polls < pollLimit) {
    if (measure(c, want, pollLimit, first, last)) return true;
  }
  return false;
}

/** Whether two frequencies agree within 1%. */
function agree(a: bigint, b: bigint): boolean {
  const d = a > b ? BigInt.asUintN(64, a - b) : BigInt.asUintN(64, b - a);
  return d <= a / 100n;
}

/**
 * Keeps, of `n` measurements (2 or 3; fewer fail), the lower of two or the median of three in `c`
 * and sets c.ok; false when fewer than two were made.
 */
function pickAgreeing(c: Calibration, tsc: bigint[], apic: number[], n: number): boolean {
  c.ok = false;
  if (n === 3) {
    let m = 0;
    for (let i = 0; i < 3; i++) {
      let below = 0;
      let above = 0;
      for (let j = 0; j < 3; j++) {
        if (tsc[j]! < tsc[i]!) below++;
        if (tsc[j]! > tsc[i]!) above++;
      }
      if (below <= 1 && above <= 1) m = i;
    }
    c.tscHz = tsc[m]!;
    c.apicHz = apic[m]!;
    c.ok = true;
  } else if (n === 2) {
    const m = tsc[0]! <= tsc[1]! ? 0 : 1;
    c.tscHz = tsc[m]!;
    c.apicHz = apic[m]!;
    c.ok = true;
  }
  return c.ok;
}

/**
 * Calibrates from two measurements that agree within 1%, or the median of three. One measurement
 * can still be wrong: a stall longer than the PIT's 55 ms period between the samples aliases the
 * count, and nothing in one measurement can tell; a second independent one can.
 */
export function calibrate(ms: number, pollLimit: number = CALIBRATION_POLL_LIMIT): Calibration {
  const c = new Calibration();
  c.source = ClockSource.Pit;
  const want = pitTicksForMs(Math.min(ms, 50));
  const first = new Sample();
  const last = new Sample();
  const tsc = new Array<bigint>(3).fill(0n);
  const apic = new Array<number>(3).fill(0);
  let n = 0;
  while (n < 3 && measureWithRetries(c, want, pollLimit, first, last)) {
    tsc[n] = c.tscHz;
    apic[n] = c.apicHz;
    n++;
    if (n === 2 && agree(tsc[0]!, tsc[1]!)) break;
  }
  release(first);
  release(last);
  if (!pickAgreeing(c, tsc, apic, n)) {
    c.tscHz = FALLBACK_TSC_HZ;
    c.apicHz = FALLBACK_APIC_HZ;
    c.source = ClockSource.None;
  }
  release(tsc);
  release(apic);
  return c;
}

// ---- Short windows of the HPET, the PM timer, or the TSC itself -----------------------------

/** The shortest window over a reference: 0.1 ms. */
export const REFERENCE_WINDOW_NS = 100000;
/** Reference ticks at the least: one tick of rounding is then at most 0.05%. */
export const REFERENCE_MIN_TICKS = 2000;
/**
 * The window grows (up to this) until the two samples' brackets are at most 1/BRACKET_SHARE of it:
 * each end's instant is known to half its bracket, so the error is then below 0.1%.
 */
export const REFERENCE_WINDOW_MAX_NS = 20000000;
export const BRACKET_SHARE = 1000;
/** Polls of a reference before giving up on one measurement (a dead counter was refused before). */
export const REFERENCE_POLL_LIMIT = 2000000;


/**
 * One measurement of the TSC and the APIC timer over a window of `source` (ClockSource.Hpet or
 * PmTimer) that lasts at least REFERENCE_WINDOW_NS and REFERENCE_MIN_TICKS, longer when the
 * samples' brackets are wide (a slow or interrupted read), up to REFERENCE_WINDOW_MAX_NS.
 * A stall between the samples costs nothing; one longer than the counter's wrap (42 s for the
 * HPET's low word at 100 MHz, 4.7 s for a 24-bit PM timer) would alias, which the comparison of
 * two measurements catches.
 */
function measureReference(c: Calibration, source: number, first: Sample, last: Sample): boolean {
  const want = Math.max(referenceTicksIn(source, REFERENCE_WINDOW_NS), REFERENCE_MIN_TICKS);
  const most = Math.max(referenceTicksIn(source, REFERENCE_WINDOW_MAX_NS), want);
  apicTimerStartFreeRunning(0xffffffff);
  takeSample(first, source);
  let done = false;
  let refTicks = 0;
  let tscTicks = 0n;
  for (let i = 0; i < REFERENCE_POLL_LIMIT && !done; i++) {
    c.polls++;
    if (referenceTicks(source, first.ref, referenceRead(source)) < want) continue;
    takeSample(last, source);
    refTicks = referenceTicks(source, first.ref, last.ref);
    tscTicks = last.tsc > first.tsc ? BigInt.asUintN(64, last.tsc - first.tsc) : 0n;
    const brackets = BigInt.asUintN(64, first.bracket + last.bracket);
    done = BigInt.asUintN(64, brackets * BigInt(BRACKET_SHARE)) <= tscTicks || refTicks >= most;
  }
  apicTimerStop();
  const apicTicks = first.apic - last.apic;
  if (!done || tscTicks === 0n || apicTicks <= 0) return false;
  c.tscHz = referenceRate(source, tscTicks, refTicks);
  c.apicHz = Number(referenceRate(source, BigInt(apicTicks), refTicks));
  return c.tscHz > 0n && c.apicHz > 0;
}

/** Like calibrate, over short windows of `source`: two measurements that agree, or the median of three. */
export function calibrateAgainst(source: number): Calibration {
  const c = new Calibration();
  c.source = source;
  const first = new Sample();
  const last = new Sample();
  const tsc = new Array<bigint>(3).fill(0n);
  const apic = new Array<number>(3).fill(0);
  let n = 0;
  for (let tries = 0; n < 3 && tries < 6; tries++) {
    if (!measureReference(c, source, first, last)) continue;
    tsc[n] = c.tscHz;
    apic[n] = c.apicHz;
    n++;
    if (n === 2 && agree(tsc[0]!, tsc[1]!)) break;
  }
  release(first);
  release(last);
  pickAgreeing(c, tsc, apic, n);
  release(tsc);
  release(apic);
  return c;
}

/** TSC frequencies outside this range are not believed from CPUID. */
const CPUID_TSC_MIN = 100000000n;
const CPUID_TSC_MAX = 10000000000n;
/** The APIC timer against a known TSC: 0.2 ms, or longer while the brackets are wide. */
const APIC_WINDOW_NS = 200000n;

/** Measures the APIC timer against a TSC of known frequency `tscHz`; c.apicHz, false if it did not count. */
export function calibrateApicAgainstTsc(c: Calibration, tscHz: bigint): boolean {
  const first = new Sample();
  const last = new Sample();
  const want = BigInt.asUintN(64, tscHz * APIC_WINDOW_NS) / 1000000000n;
  const most = BigInt.asUintN(64, want * 100n);
  apicTimerStartFreeRunning(0xffffffff);
  takeSample(first, ClockSource.None);
  let ok = false;
  let tscTicks = 0n;
  for (let i = 0; i < REFERENCE_POLL_LIMIT && !ok; i++) {
    c.polls++;
    const now = rdtsc();
    if (now <= first.tsc || BigInt.asUintN(64, now - first.tsc) < want) continue;
    takeSample(last, ClockSource.None);
    tscTicks = last.tsc > first.tsc ? BigInt.asUintN(64, last.tsc - first.tsc) : 0n;
    const brackets = BigInt.asUintN(64, first.bracket + last.bracket);
    ok = BigInt.asUintN(64, brackets * BigInt(BRACKET_SHARE)) <= tscTicks || tscTicks >= most;
  }
  apicTimerStop();
  const apicTicks = first.apic - last.apic;
  release(first);
  release(last);
  if (!ok || apicTicks <= 0 || tscTicks === 0n) return false;
  c.apicHz = Number(BigInt.asUintN(64, BigInt(apicTicks) * tscHz) / tscTicks);
  return c.apicHz > 0;
}

/** Where the boot calibration may look for a reference besides CPUID and the PIT (from ACPI). */
export class ReferenceClocks {
  /** Physical address of the HPET's registers, 0 if none. */
  hpetPhys = 0;
  /** I/O port of the ACPI PM timer, 0 if none, and whether it counts 32 bits. */
  pmTimerPort = 0;
  pmTimer32 = false;
}

/** The best calibration available: CPUID, then the HPET, the PM timer, the PIT. */
export function calibrateBest(refs: ReferenceClocks): Calibration {
  const cpuHz = tscHzFromCpuid();
  if (cpuHz >= CPUID_TSC_MIN && cpuHz <= CPUID_TSC_MAX) {
    const c = new Calibration();
    c.source = ClockSource.Cpuid;
    c.tscHz = cpuHz;
    c.ok = calibrateApicAgainstTsc(c, cpuHz);
    if (c.ok) return c;
    release(c);
  }
  if (refs.hpetPhys !== 0 && hpetOpen(mmioAddress(refs.hpetPhys, 0x400))) {
    const c = calibrateAgainst(ClockSource.Hpet);
    if (c.ok) return c;
    release(c);
  }
  if (refs.pmTimerPort !== 0 && pmTimerOpen(refs.pmTimerPort, refs.pmTimer32)) {
    const c = calibrateAgainst(ClockSource.PmTimer);
    if (c.ok) return c;
    release(c);
  }
  return calibrate(CALIBRATION_MS);
}

/** Called on every tick with the tick count; the scheduler installs its own. */
export type TickHook = (ticks: number) => void;

function noTickHook(ticks: number): void {
  void ticks;
}

let tickHook: TickHook = noTickHook;
let tickCount = 0;
let calibration = new Calibration();

export function setTickHook(fn: TickHook): void {
  tickHook = fn;
}

/** Timer ticks since timerStart. */
export function ticks(): number {
  return tickCount;
}

function onTick(vector: number, frame: number): void {
  void vector;
  void frame;
  tickCount++;
  tickHook(tickCount);
}

/**
 * Calibrates the TSC and the local APIC timer (calibrateBest, with the HPET and PM timer ACPI
 * describes); the kernel starts its monotonic clock with the result (kernel/time/clock.ts) before
 * timerStart. Needs interruptsInit first (the local APIC must be enabled and the IDT loaded).
 */
export function timerCalibrate(refs: ReferenceClocks): Calibration {
  release(calibration);
  calibration = calibrateBest(refs);
  if (!calibration.ok) console.log("timer: no reference clock counted; using guessed frequencies");
  console.log(`timer: TSC ${calibration.tscHz / 1000n} kHz, APIC timer ${Math.floor((calibration.apicHz * TIMER_DIVISOR) / 1000)} kHz (from ${clockSourceName(calibration.source)}), tick ${TICK_HZ} Hz`);
  return calibration;
}

/** The calibration in use (after timerCalibrate). */
export function timerCalibration(): Calibration {
  return calibration;
}

/**
 * Measures the TSC and the APIC timer against the PIT now, as the slow boot path would, for a
 * test of the calibration in use; the tick stops meanwhile (interrupts off) and restarts after.
 */
export function pitCrossCheck(): Calibration {
  const enabled = saveDisableInterrupts();
  const c = calibrate(CALIBRATION_MS);
  apicTimerPeriodic(TIMER_VECTOR, Math.max(1, Math.floor(calibration.apicHz / TICK_HZ)));
  restoreInterrupts(enabled);
  return c;
}

/** Starts the periodic tick and enables interrupts (after timerCalibrate). */
export function timerStart(): void {
  registerIrqHandler(TIMER_VECTOR, onTick);
  apicTimerPeriodic(TIMER_VECTOR, Math.max(1, Math.floor(calibration.apicHz / TICK_HZ)));
  sti();
}
