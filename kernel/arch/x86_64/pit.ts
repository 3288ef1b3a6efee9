// The 8254 programmable interval timer, used only as a known-frequency reference to calibrate the
// local APIC timer and the TSC. Channel 2 is used because its gate and output are readable through
// port 0x61 without an interrupt, and it leaves channel 0 (IRQ 0) alone.
import { inb, outb } from "./cpu.ts";

export const PIT_HZ = 1193182;
export const PIT_MAX_COUNT = 0xffff;

const CHANNEL2_DATA = 0x42;
const COMMAND = 0x43;
const CONTROL_61 = 0x61;
const GATE2 = 0x01;
const SPEAKER = 0x02;
const OUT2 = 0x20;

/** PIT input ticks in `ms` milliseconds (rounded down). */
export function pitTicksForMs(ms: number): number {
  return Math.floor((PIT_HZ * ms) / 1000);
}

/** Starts a one-shot countdown of `count` ticks on channel 2; OUT2 rises when it reaches zero. */
function pitStartOneShot(count: number): void {
  // Gate low while programming (the count restarts on the rising edge), speaker off.
  const ctl = inb(CONTROL_61);
  outb(CONTROL_61, ctl & ~(GATE2 | SPEAKER));
  outb(COMMAND, 0xb0); // channel 2, lobyte/hibyte, mode 0 (interrupt on terminal count), binary
  outb(CHANNEL2_DATA, count & 0xff);
  outb(CHANNEL2_DATA, (count >> 8) & 0xff);
  outb(CONTROL_61, (ctl & ~SPEAKER) | GATE2);
}

/** Whether the countdown started by pitStartOneShot has finished. */
export function pitExpired(): boolean {
  return (inb(CONTROL_61) & OUT2) !== 0;
}

/**
 * Starts channel 2 counting down from PIT_MAX_COUNT without stopping (mode 0 wraps around), so
 * pitReadCount() can be sampled at any moment for up to 55 ms.
 */
export function pitStartFreeRunning(): void {
  pitStartOneShot(PIT_MAX_COUNT);
}

/** The current count of channel 2 (latched, so the two bytes belong together). */
export function pitReadCount(): number {
  outb(COMMAND, 0x80); // latch channel 2
  const lo = inb(CHANNEL2_DATA);
  const hi = inb(CHANNEL2_DATA);
  return (hi << 8) | lo;
}

/** Stops channel 2 (gate low). */
export function pitStop(): void {
  outb(CONTROL_61, inb(CONTROL_61) & ~(GATE2 | SPEAKER));
}
