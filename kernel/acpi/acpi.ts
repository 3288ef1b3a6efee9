// ACPI at boot: which physical memory the tables may be read from (the boot memory map), the
// parse (tables.ts), its problems logged by name, and the facts other kernel code queries:
// acpiInfo(), the I/O APIC to use and the routing of ISA interrupts (isaIrqRoute).
import { kernelSection } from "../arch/x86_64/cpu.ts";
import { KERNEL_BASE, PAGE_SIZE } from "../arch/x86_64/layout.ts";
import { ioapicSetIsaRoute } from "../arch/x86_64/ioapic.ts";
import { BootInfo, MemoryType } from "../boot/bootinfo.ts";
import { kwarn } from "../console/log.ts";
import { release } from "../../lang/core.ts";
import { LOW_4G, PhysMap, addRam, addReadable, forbid, releasePhysMap } from "./phys-map.ts";
import { AcpiInfo, IntiFlags, PhysRange, acpiProblemText, parseAcpi, tableName } from "./tables.ts";

export const ISA_IRQS = 16;

/** Where ISA interrupt line `irq` arrives: its GSI, trigger mode and polarity. */
export class IrqRoute {
  gsi = 0;
  level = false;
  activeLow = false;
}

let info = new AcpiInfo();
const routes = new Array<IrqRoute>(ISA_IRQS).fill(new IrqRoute());
for (let i = 0; i < ISA_IRQS; i++) routes[i] = new IrqRoute();
computeIsaRoutes(info, routes);

function alignUp(x: number): number {
  return Math.floor((x + PAGE_SIZE - 1) / PAGE_SIZE) * PAGE_SIZE;
}

/**
 * The ranges tables may be read from: every region of the memory map below 4 GiB (ACPI tables
 * usually sit in reserved or ACPI regions there), and RAM regions above it (the only memory the
 * kernel's direct map covers up there). RAM of any kind is where device registers cannot be;
 * the kernel image is off limits for both.
 */
export function physMapFromBootInfo(boot: BootInfo): PhysMap {
  const m = new PhysMap(boot.memoryCount);
  for (let i = 0; i < boot.memoryCount; i++) {
    const r = boot.memory[i]!;
    const end = r.base + r.length;
    const ram = r.type === MemoryType.Usable || r.type === MemoryType.AcpiReclaimable || r.type === MemoryType.AcpiNvs;
    if (ram) {
      addReadable(m, r.base, end);
      addRam(m, r.base, end);
    } else if (r.type !== MemoryType.Bad && r.base < LOW_4G) {
      addReadable(m, r.base, Math.min(end, LOW_4G));
    }
  }
  // The image's three segments, each starting on a page boundary. Not the whole span: a loader may
  // put its own structures (GRUB: the boot information, with the RSDP copy) in the gaps between.
  const text = kernelSection(0) - KERNEL_BASE;
  const textEnd = kernelSection(1) - KERNEL_BASE;
  const rodata = alignUp(textEnd);
  const rodataEnd = kernelSection(2) - KERNEL_BASE;
  forbid(m, text, textEnd);
  forbid(m, rodata, rodataEnd);
  forbid(m, alignUp(rodataEnd), kernelSection(4) - KERNEL_BASE);
  return m;
}

/**
 * ISA routes from the MADT: identity, edge-triggered, active high, except where an interrupt
 * source override says otherwise ("conforms to the bus" means ISA's edge and active high).
 * Without a MADT, the rule of nearly every PC: the PIT's IRQ 0 arrives at GSI 2.
 */
export function computeIsaRoutes(a: AcpiInfo, out: IrqRoute[]): void {
  for (let irq = 0; irq < ISA_IRQS; irq++) {
    const r = out[irq]!;
    r.gsi = irq;
    r.level = false;
    r.activeLow = false;
  }
  if (!a.madtFound) {
    out[0]!.gsi = 2;
    return;
  }
  for (let i = 0; i < a.overrideCount; i++) {
    const r = out[a.overrideIrq[i]!]!;
    const flags = a.overrideFlags[i]!;
    r.gsi = a.overrideGsi[i]!;
    r.activeLow = (flags & IntiFlags.PolarityMask) === IntiFlags.ActiveLow;
    r.level = (flags & IntiFlags.TriggerMask) === IntiFlags.Level;
  }
}

/**
 * Finds and parses the ACPI tables from the boot information's RSDP (after memoryInit, whose
 * direct map covers RAM above 4 GiB), logs each problem by table name, and installs the ISA
 * routes in the I/O APIC driver.
 */
export function acpiInit(boot: BootInfo): AcpiInfo {
  const map = physMapFromBootInfo(boot);
  const within = new PhysRange();
  within.start = boot.infoAddr;
  within.end = boot.infoAddr + boot.infoSize;
  const parsed = parseAcpi(map, boot.rsdpAddr, boot.rsdpLength, boot.rsdpV1Addr, boot.rsdpV1Length, within);
  release(within);
  releasePhysMap(map);
  // The empty placeholder of module start-up is left as it is: one small object, once.
  info = parsed;
  for (let i = 0; i < info.problemCount; i++) {
    const addr = info.problemAddr[i]!;
    kwarn(`acpi: ${tableName(info.problemSig[i]!)} at 0x${addr.toString(16)}: ${acpiProblemText(info.problemCode[i]!)} (ignored)`);
  }
  computeIsaRoutes(info, routes);
  for (let irq = 0; irq < ISA_IRQS; irq++) {
    const r = routes[irq]!;
    ioapicSetIsaRoute(irq, r.gsi, r.level, r.activeLow);
  }
  return info;
}

/** The facts parsed at boot (empty, with no tables found, before acpiInit). */
export function acpiInfo(): AcpiInfo {
  return info;
}

/** The answer for a number that is not an ISA line: GSI -1. */
const NO_ROUTE = new IrqRoute();
NO_ROUTE.gsi = -1;

/** The route of ISA line `irq` (0..15; GSI -1 for any other number); shared, not to be modified. */
export function isaIrqRoute(irq: number): IrqRoute {
  if (irq < 0 || irq >= ISA_IRQS) return NO_ROUTE;
  return routes[irq]!;
}

/** Physical address of the I/O APIC that receives GSI 0 (the ISA lines), or 0 if the MADT names none. */
export function acpiIoapicAddress(): number {
  for (let i = 0; i < info.ioapicCount; i++) {
    if (info.ioapicGsiBase[i] === 0) return info.ioapicAddr[i]!;
  }
  return 0;
}
