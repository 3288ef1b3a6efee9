// The scheduler tick and clock calibration.
//
// The local APIC timer and the TSC run at frequencies nobody tells us, so both are measured
// against the PIT (1.193182 MHz, fixed by the PC architecture) over CALIBRATION_MS. This works
// under KVM, plain TCG and `-icount shift=0,sleep=off`: QEMU's PIT counts on the same virtual clock
// that drives its APIC timer and (under icount) the TSC.
//
// The tick is periodic at TICK_HZ = 1000: sleeps and timeouts get millisecond resolution, the
// time slice (10 ticks) is 10 ms, and 1000 interrupts a second cost TCG well under 1% of the CPU.
// A tickless one-shot timer programmed from the timer queue can replace it later without
// changing the scheduler's interface.
import { rdtsc, sti } from "./cpu.ts";
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
}

export const SAMPLE_TRIES = 7;

function takeSample(s: Sample): void {
  s.bracket = 0xffffffffffffffffn;
  for (let i = 0; i < SAMPLE_TRIES; i++) {
    const t0 = rdtsc();
    const pit = pitReadCount();
    const apic = apicTimerCurrent();
    const t1 = rdtsc();
    const width = t1 >= t0 ? BigInt.asUintN(64, t1 - t0) : 0xffffffffffffffffn;
    if (width < s.bracket) {
      s.bracket = width;
      s.tsc = BigInt.asUintN(64, t0 + (width >> 1n));
      s.pit = pit;
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
  takeSample(first);
  let elapsed = 0;
  while (c.polls < pollLimit) {
    c.polls++;
    elapsed = first.pit - pitReadCount();
    if (elapsed >= want || elapsed < 0) break;
  }
  takeSample(last);
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
 * Calibrates from two measurements that agree within 1%, or the median of three. One measurement
 * can still be wrong: a stall longer than the PIT's 55 ms period between the samples aliases the
 * count, and nothing in one measurement can tell; a second independent one can.
 */
export function calibrate(ms: number, pollLimit: number = CALIBRATION_POLL_LIMIT): Calibration {
  const c = new Calibration();
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
  if (n === 3) {
    // Median of three.
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
  } else {
    c.tscHz = FALLBACK_TSC_HZ;
    c.apicHz = FALLBACK_APIC_HZ;
    c.ok = false;
  }
  release(tsc);
  release(apic);
  return c;
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
 * Calibrates the TSC and the local APIC timer against the PIT; the kernel starts its monotonic
 * clock with the result (kernel/time/clock.ts) before timerStart. Needs interruptsInit first (the
 * local APIC must be enabled and the IDT loaded).
 */
export function timerCalibrate(): Calibration {
  calibration = calibrate(CALIBRATION_MS);
  if (!calibration.ok) console.log("timer: the PIT did not count; using guessed frequencies");
  console.log(`timer: TSC ${calibration.tscHz / 1000n} kHz, APIC timer ${Math.floor((calibration.apicHz * TIMER_DIVISOR) / 1000)} kHz, tick ${TICK_HZ} Hz`);
  return calibration;
}

/** Starts the periodic tick and enables interrupts (after timerCalibrate). */
export function timerStart(): void {
  registerIrqHandler(TIMER_VECTOR, onTick);
  apicTimerPeriodic(TIMER_VECTOR, Math.max(1, Math.floor(calibration.apicHz / TICK_HZ)));
  sti();
}
