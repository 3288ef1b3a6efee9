// Interrupt vector assignment. The local APIC prioritises by vector >> 4, so the timer and the
// APIC's own vectors sit at the top and device IRQs below them.
//   0x00-0x1f  CPU exceptions
//   0x20-0x2f  legacy 8259 PIC, remapped here and masked (only its spurious IRQ 7/15 can appear)
//   0x30-0x47  I/O APIC inputs (GSI n -> 0x30 + n)
//   0xf0       local APIC timer (the scheduler tick)
//   0xf1       self-test IPI (the interrupts test suite)
//   0xfe       local APIC error
//   0xff       local APIC spurious
export const PIC_VECTOR_BASE = 0x20;
export const IRQ_VECTOR_BASE = 0x30;
export const TIMER_VECTOR = 0xf0;
export const TEST_VECTOR = 0xf1;
export const APIC_ERROR_VECTOR = 0xfe;
export const SPURIOUS_VECTOR = 0xff;

/** Vector of I/O APIC input (global system interrupt) `gsi`. */
export function gsiVector(gsi: number): number {
  return IRQ_VECTOR_BASE + gsi;
}
