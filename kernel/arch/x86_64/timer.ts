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
import { PIT_HZ, pitExpired, pitStartOneShot, pitStop, pitTicksForMs } from "./pit.ts";
import { registerIrqHandler } from "./interrupts.ts";
import { TIMER_VECTOR } from "./vectors.ts";
import { clockInit } from "../../time/clock.ts";

export const TICK_HZ = 1000;
export const CALIBRATION_MS = 20;
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
  /** False when the PIT never signalled and the fallback figures are in use. */
  ok = false;
  polls = 0;
}

/** Measures the TSC and the APIC timer over `ms` milliseconds of PIT time. */
export function calibrate(ms: number, pollLimit: number = CALIBRATION_POLL_LIMIT): Calibration {
  const c = new Calibration();
  const pitCount = pitTicksForMs(ms);
  apicTimerStartFreeRunning(0xffffffff);
  pitStartOneShot(pitCount);
  const tsc0 = rdtsc();
  const apic0 = apicTimerCurrent();
  let polls = 0;
  while (!pitExpired() && polls < pollLimit) polls++;
  const tsc1 = rdtsc();
  const apic1 = apicTimerCurrent();
  pitStop();
  apicTimerStop();
  c.polls = polls;
  const apicTicks = apic0 - apic1;
  if (polls >= pollLimit || apicTicks <= 0 || tsc1 <= tsc0) {
    c.tscHz = FALLBACK_TSC_HZ;
    c.apicHz = FALLBACK_APIC_HZ;
    c.ok = false;
    return c;
  }
  c.tscHz = BigInt.asUintN(64, BigInt.asUintN(64, tsc1 - tsc0) * BigInt(PIT_HZ)) / BigInt(pitCount);
  c.apicHz = Math.floor((apicTicks * PIT_HZ) / pitCount);
  c.ok = true;
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

/** Timer ticks since timerInit. */
export function ticks(): number {
  return tickCount;
}

export function timerCalibration(): Calibration {
  return calibration;
}

function onTick(vector: number, frame: number): void {
  void vector;
  void frame;
  tickCount++;
  tickHook(tickCount);
}

/**
 * Calibrates, starts the monotonic clock and the periodic tick, and enables interrupts.
 * Needs interruptsInit first (the local APIC must be enabled and the IDT loaded).
 */
export function timerInit(): void {
  calibration = calibrate(CALIBRATION_MS);
  if (!calibration.ok) console.log("timer: the PIT did not answer; using guessed frequencies");
  clockInit(calibration.tscHz);
  console.log(`timer: TSC ${calibration.tscHz / 1000n} kHz, APIC timer ${Math.floor((calibration.apicHz * TIMER_DIVISOR) / 1000)} kHz, tick ${TICK_HZ} Hz`);
  registerIrqHandler(TIMER_VECTOR, onTick);
  apicTimerPeriodic(TIMER_VECTOR, Math.max(1, Math.floor(calibration.apicHz / TICK_HZ)));
  sti();
}
