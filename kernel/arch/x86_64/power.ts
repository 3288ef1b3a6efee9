// The x86 ways to turn a PC off or restart it. Which to use, and with which values, is ACPI's
// decision (kernel/acpi/power.ts); this file only touches the hardware.
import { load8, store8 } from "../../../lang/mem.ts";
import { cpuRelax, inb, inw, lidt, outb, outl, outw } from "./cpu.ts";
import { mmioAddress } from "./mmio.ts";

const PM1_SCI_EN = 0x1;
const PM1_SLP_TYP_SHIFT = 10;
const PM1_SLP_TYP_MASK = 0x1c00;
const PM1_SLP_EN = 0x2000;

/** Polls of a status port before giving up: far more than any controller needs. */
const POLL_LIMIT = 100000;

/**
 * Switches the chipset from legacy to ACPI mode (writes ACPI_ENABLE to SMI_CMD, ACPI 6.5,
 * 16.3.1) unless PM1a_CNT.SCI_EN says it is there already; returns whether SCI_EN is set after.
 * Some firmware ignores a sleep request made in legacy mode.
 */
export function acpiModeEnable(pm1a: number, smiCmd: number, enableValue: number): boolean {
  if ((inw(pm1a) & PM1_SCI_EN) !== 0) return true;
  if (smiCmd === 0 || enableValue === 0) return false;
  outb(smiCmd, enableValue);
  for (let i = 0; i < POLL_LIMIT; i++) {
    if ((inw(pm1a) & PM1_SCI_EN) !== 0) return true;
    cpuRelax();
  }
  return false;
}

/** Writes SLP_TYPx | SLP_EN to PM1a_CNT and then PM1b_CNT (0: none), keeping their other bits. */
export function acpiSleepWrite(pm1a: number, pm1b: number, typA: number, typB: number): void {
  const a = inw(pm1a) & ~(PM1_SLP_TYP_MASK | PM1_SLP_EN);
  const b = pm1b !== 0 ? inw(pm1b) & ~(PM1_SLP_TYP_MASK | PM1_SLP_EN) : 0;
  // Both values are in place before SLP_EN: on a two-block chipset the sleep starts with it.
  outw(pm1a, a | ((typA << PM1_SLP_TYP_SHIFT) & PM1_SLP_TYP_MASK));
  if (pm1b !== 0) outw(pm1b, b | ((typB << PM1_SLP_TYP_SHIFT) & PM1_SLP_TYP_MASK));
  outw(pm1a, a | ((typA << PM1_SLP_TYP_SHIFT) & PM1_SLP_TYP_MASK) | PM1_SLP_EN);
  if (pm1b !== 0) outw(pm1b, b | ((typB << PM1_SLP_TYP_SHIFT) & PM1_SLP_TYP_MASK) | PM1_SLP_EN);
}

/**
 * Writes `value` to the FADT reset register: space 0 memory (checked by the parser to be device
 * memory below 4 GiB), 1 I/O port, 2 PCI configuration space of bus 0 (device in bits 32-47,
 * function in 16-31, offset in 0-15).
 */
export function resetRegisterWrite(space: number, addr: number, value: number): void {
  if (space === 0) {
    store8(mmioAddress(addr, 1), value);
  } else if (space === 1) {
    outb(addr, value);
  } else if (space === 2) {
    const device = Math.floor(addr / 0x100000000) & 0x1f;
    const fn = Math.floor(addr / 0x10000) & 0x7;
    const offset = addr & 0xff;
    outl(0xcf8, (0x80000000 | (device << 11) | (fn << 8) | (offset & 0xfc)) >>> 0);
    outb(0xcfc + (offset & 3), value);
  }
}

/** Pulses the CPU reset line through the 8042 keyboard controller (command 0xfe). */
export function keyboardControllerReset(): void {
  // Wait (bounded) for the controller's input buffer to drain, or the command is lost.
  for (let i = 0; i < POLL_LIMIT && (inb(0x64) & 0x2) !== 0; i++) cpuRelax();
  outb(0x64, 0xfe);
}

/** The PCI reset control register of most chipsets (0xcf9): full reset (bits 1 and 2). */
export function resetControlWrite(): void {
  outb(0xcf9, 0x02);
  outb(0xcf9, 0x06);
}

/**
 * Resets the CPU by a triple fault: with an empty IDT, the #GP from a non-canonical access has no
 * handler, nor has the double fault that follows.
 */
export function tripleFault(): never {
  lidt(0, 0);
  for (;;) load8(0x800000000000);
}
