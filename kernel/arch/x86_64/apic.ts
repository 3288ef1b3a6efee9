// The local APIC (xAPIC, memory-mapped): enable, end of interrupt, the timer, self IPIs.
// Registers are 32-bit at 16-byte strides from the base in IA32_APIC_BASE.
import { load32, store32 } from "../../../lang/mem.ts";
import { rdmsr, wrmsr } from "./cpu.ts";
import { APIC_ERROR_VECTOR, SPURIOUS_VECTOR } from "./vectors.ts";

export const IA32_APIC_BASE = 0x1b;
const APIC_BASE_ENABLE = 0x800n; // bit 11: global enable
const APIC_BASE_ADDR_MASK = 0xffffffffff000n;

export const enum ApicReg {
  Id = 0x20,
  Version = 0x30,
  Tpr = 0x80,
  Eoi = 0xb0,
  Svr = 0xf0,
  Esr = 0x280,
  IcrLow = 0x300,
  IcrHigh = 0x310,
  LvtTimer = 0x320,
  LvtLint0 = 0x350,
  LvtLint1 = 0x360,
  LvtError = 0x370,
  TimerInitial = 0x380,
  TimerCurrent = 0x390,
  TimerDivide = 0x3e0,
}

const SVR_ENABLE = 0x100;
const LVT_MASKED = 0x10000;
const LVT_NMI = 0x400;
const TIMER_PERIODIC = 0x20000;
const ICR_PENDING = 0x1000;
const ICR_ASSERT = 0x4000;
const ICR_SELF = 0x40000;

/** Divide configuration value for divide-by-16 (bits 0, 1, 3 of the divide register = 0b0011). */
export const TIMER_DIVIDE_16 = 0x3;
export const TIMER_DIVISOR = 16;

let apicBase = 0;

/** Physical address of this CPU's local APIC, from IA32_APIC_BASE. */
export function apicPhysBase(): number {
  return Number(rdmsr(IA32_APIC_BASE) & APIC_BASE_ADDR_MASK);
}

export function apicRead(reg: number): number {
  return load32(apicBase + reg);
}

function apicWrite(reg: number, value: number): void {
  store32(apicBase + reg, value);
}

/**
 * Enables the local APIC whose registers are mapped at virtual address `base`: global enable in the
 * MSR, software enable with the spurious vector, all priorities accepted, LINT0 masked (the PIC is
 * not used), LINT1 as NMI, errors to APIC_ERROR_VECTOR, timer masked until timerStart.
 */
export function apicInit(base: number): void {
  apicBase = base;
  wrmsr(IA32_APIC_BASE, rdmsr(IA32_APIC_BASE) | APIC_BASE_ENABLE);
  apicWrite(ApicReg.Svr, SVR_ENABLE | SPURIOUS_VECTOR);
  apicWrite(ApicReg.Tpr, 0);
  apicWrite(ApicReg.LvtLint0, LVT_MASKED);
  apicWrite(ApicReg.LvtLint1, LVT_NMI);
  apicWrite(ApicReg.LvtError, APIC_ERROR_VECTOR);
  apicWrite(ApicReg.LvtTimer, LVT_MASKED);
  // The error status register latches on a write; two writes clear stale errors.
  apicWrite(ApicReg.Esr, 0);
  apicWrite(ApicReg.Esr, 0);
  apicEoi();
}

export function apicId(): number {
  return apicRead(ApicReg.Id) >>> 24;
}

/** Signals end of interrupt for the vector in service. */
export function apicEoi(): void {
  if (apicBase !== 0) apicWrite(ApicReg.Eoi, 0);
}

/** Reads and clears the error status. */
export function apicErrorStatus(): number {
  apicWrite(ApicReg.Esr, 0);
  return apicRead(ApicReg.Esr);
}

/** Masks the timer and stops its count. */
export function apicTimerStop(): void {
  apicWrite(ApicReg.LvtTimer, LVT_MASKED);
  apicWrite(ApicReg.TimerInitial, 0);
}

/** Starts a masked one-shot count from `count` (calibration reads TimerCurrent as it falls). */
export function apicTimerStartFreeRunning(count: number): void {
  apicWrite(ApicReg.TimerDivide, TIMER_DIVIDE_16);
  apicWrite(ApicReg.LvtTimer, LVT_MASKED);
  apicWrite(ApicReg.TimerInitial, count);
}

/** Interrupts at `vector` every `count` timer ticks (after the divide-by-16). */
export function apicTimerPeriodic(vector: number, count: number): void {
  apicWrite(ApicReg.TimerDivide, TIMER_DIVIDE_16);
  apicWrite(ApicReg.LvtTimer, TIMER_PERIODIC | vector);
  apicWrite(ApicReg.TimerInitial, count);
}

export function apicTimerCurrent(): number {
  return apicRead(ApicReg.TimerCurrent);
}

/** Sends a fixed interrupt at `vector` to this CPU (a real trip through the IDT and the stubs). */
export function apicSelfIpi(vector: number): void {
  apicWrite(ApicReg.IcrHigh, 0);
  apicWrite(ApicReg.IcrLow, ICR_SELF | ICR_ASSERT | (vector & 0xff));
  for (let i = 0; i < 1000000 && (apicRead(ApicReg.IcrLow) & ICR_PENDING) !== 0; i++) {
    // wait for delivery
  }
}
