// The I/O APIC: routes device interrupt lines (global system interrupts) to local APIC vectors.
// Its address belongs in the ACPI MADT; until MADT parsing exists, the PC default 0xfec00000 is
// used, and ISA IRQ n is taken to be GSI n except the PIT (IRQ 0 -> GSI 2), which is what QEMU's
// MADT overrides say for the pc and q35 machines.
import { load32, store32 } from "../../../lang/mem.ts";
import { apicId } from "./apic.ts";
import { gsiVector } from "./vectors.ts";

export const IOAPIC_DEFAULT_PHYS = 0xfec00000;

const IOREGSEL = 0x00;
const IOWIN = 0x10;
const REG_VERSION = 0x01;
const REG_REDIRECTION = 0x10;

const MASKED = 0x10000;
const LEVEL = 0x8000;
const ACTIVE_LOW = 0x2000;

let ioapicBase = 0;
let ioapicInputs = 0;

function read(reg: number): number {
  store32(ioapicBase + IOREGSEL, reg);
  return load32(ioapicBase + IOWIN);
}

function write(reg: number, value: number): void {
  store32(ioapicBase + IOREGSEL, reg);
  store32(ioapicBase + IOWIN, value);
}

/** Takes the I/O APIC mapped at virtual `base`, masks every input; returns the input count. */
export function ioapicInit(base: number): number {
  ioapicBase = base;
  ioapicInputs = ((read(REG_VERSION) >>> 16) & 0xff) + 1;
  for (let gsi = 0; gsi < ioapicInputs; gsi++) {
    write(REG_REDIRECTION + 2 * gsi, MASKED | gsiVector(gsi));
    write(REG_REDIRECTION + 2 * gsi + 1, 0);
  }
  return ioapicInputs;
}

/** Inputs of the I/O APIC (0 before ioapicInit). */
export function ioapicInputCount(): number {
  return ioapicInputs;
}

/** Physical address of the I/O APIC's registers. */
export function ioapicPhysBase(): number {
  return IOAPIC_DEFAULT_PHYS;
}

/** GSI of ISA IRQ `irq` (see the module comment). */
export function isaIrqToGsi(irq: number): number {
  return irq === 0 ? 2 : irq;
}

/**
 * Routes input `gsi` to its vector (gsiVector) on the local APIC `apicId`, fixed delivery,
 * unmasked. ISA lines are edge-triggered active-high; PCI lines are level-triggered active-low.
 */
export function ioapicRoute(gsi: number, apicId: number, level: boolean, activeLow: boolean): void {
  if (gsi < 0 || gsi >= ioapicInputs) return;
  let low = gsiVector(gsi);
  if (level) low = low | LEVEL;
  if (activeLow) low = low | ACTIVE_LOW;
  write(REG_REDIRECTION + 2 * gsi + 1, (apicId & 0xff) << 24);
  write(REG_REDIRECTION + 2 * gsi, low);
}

/** ioapicRoute to the local APIC of the CPU running this (the only one the kernel uses so far). */
export function ioapicRouteHere(gsi: number, level: boolean, activeLow: boolean): void {
  if (gsi < 0 || gsi >= ioapicInputs) return;
  ioapicRoute(gsi, apicId(), level, activeLow);
}

export function ioapicSetMasked(gsi: number, masked: boolean): void {
  if (gsi < 0 || gsi >= ioapicInputs) return;
  const reg = REG_REDIRECTION + 2 * gsi;
  const v = read(reg);
  write(reg, masked ? v | MASKED : v & ~MASKED);
}

/** The raw low word of input `gsi`'s redirection entry (for tests and diagnostics). */
export function ioapicEntryLow(gsi: number): number {
  return read(REG_REDIRECTION + 2 * gsi);
}
