// The I/O APIC: routes device interrupt lines (global system interrupts) to local APIC vectors.
// Its address and the routing of ISA lines come from the ACPI MADT (kernel/acpi/), which installs
// them here at boot (ioapicSetIsaRoute). Until then, and on a machine without a MADT, the PC
// conventions stand: the I/O APIC at 0xfec00000, ISA IRQ n at GSI n except the PIT (IRQ 0 ->
// GSI 2), edge-triggered and active high.
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
let ioapicPhys = IOAPIC_DEFAULT_PHYS;

function read(reg: number): number {
  store32(ioapicBase + IOREGSEL, reg);
  return load32(ioapicBase + IOWIN);
}

function write(reg: number, value: number): void {
  store32(ioapicBase + IOREGSEL, reg);
  store32(ioapicBase + IOWIN, value);
}

/**
 * Takes the I/O APIC mapped at virtual `base`, masks every input; returns the input count, or 0
 * when the version register reads as no I/O APIC does (all ones: nothing answers there).
 */
export function ioapicInit(base: number): number {
  ioapicBase = base;
  const version = read(REG_VERSION) >>> 0;
  if (version === 0xffffffff) {
    ioapicInputs = 0;
    return 0;
  }
  ioapicInputs = ((version >>> 16) & 0xff) + 1;
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

/** Physical address of the I/O APIC's registers (recorded by interruptsInit). */
export function ioapicPhysBase(): number {
  return ioapicPhys;
}

/** Records where the I/O APIC's registers are (the MADT's address, or the PC default). */
export function ioapicSetPhysBase(phys: number): void {
  ioapicPhys = phys;
}

const ISA_IRQS = 16;
const isaGsi = new Array<number>(ISA_IRQS).fill(0);
const isaLevel = new Array<boolean>(ISA_IRQS).fill(false);
const isaActiveLow = new Array<boolean>(ISA_IRQS).fill(false);
for (let irq = 0; irq < ISA_IRQS; irq++) isaGsi[irq] = irq === 0 ? 2 : irq;

/** Records where ISA line `irq` arrives (from the MADT's interrupt source overrides). */
export function ioapicSetIsaRoute(irq: number, gsi: number, level: boolean, activeLow: boolean): void {
  if (irq < 0 || irq >= ISA_IRQS) return;
  isaGsi[irq] = gsi;
  isaLevel[irq] = level;
  isaActiveLow[irq] = activeLow;
}

/** Whether ISA line `irq` is level-triggered (an override says so; ISA lines are edge otherwise). */
export function isaIrqLevel(irq: number): boolean {
  return irq >= 0 && irq < ISA_IRQS && isaLevel[irq]!;
}

/** Whether ISA line `irq` is active low. */
export function isaIrqActiveLow(irq: number): boolean {
  return irq >= 0 && irq < ISA_IRQS && isaActiveLow[irq]!;
}

/** GSI of ISA IRQ `irq` (see the module comment); -1 for a number that is not an ISA line. */
export function isaIrqToGsi(irq: number): number {
  return irq < 0 || irq >= ISA_IRQS ? -1 : isaGsi[irq]!;
}

/** Routes ISA line `irq` to the local APIC `apicId` with its recorded GSI, trigger and polarity. */
export function ioapicRouteIsa(irq: number, apicId: number): void {
  if (irq < 0 || irq >= ISA_IRQS) return;
  ioapicRoute(isaGsi[irq]!, apicId, isaLevel[irq]!, isaActiveLow[irq]!);
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
