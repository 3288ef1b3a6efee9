// The device control object: the one capability from which every device resource is claimed
// (interrupt lines, I/O port ranges, device memory, DMA memory). The kernel makes a single one at
// boot and gives it to init, which hands each driver the resources of its own device and nothing
// else; nobody can make another. Its claims check what the kernel keeps for itself: RAM the
// kernel manages is never device memory, and the local APIC and I/O APIC registers and the ports
// of the timers and interrupt controllers the kernel drives are never handed out.
import { ErrorCode } from "../../abi/errors.ts";
import { FbWord, fbFieldsWord, fbFormatWord, FramebufferType } from "../../abi/framebuffer.ts";
import { CacheMode, IrqMode, Method } from "../../abi/message.ts";
import { ObjectType } from "../../abi/object-type.ts";
import { Right, RIGHTS_ALL } from "../../abi/rights.ts";
import { apicPhysBase } from "../arch/x86_64/apic.ts";
import { ioapicInputCount, ioapicPhysBase, isaIrqActiveLow, isaIrqLevel, isaIrqToGsi } from "../arch/x86_64/ioapic.ts";
import { PAGE_SIZE } from "../arch/x86_64/layout.ts";
import { PageFlags } from "../arch/x86_64/paging.ts";
import { CapTable, lookupError } from "../cap/cap-table.ts";
import { capInstallRoot } from "../cap/cdt.ts";
import type { Message } from "../cap/message.ts";
import { objectCreate } from "../cap/object.ts";
import { Cost } from "../cap/quota.ts";
import { type BootInfo, MemoryType } from "../boot/bootinfo.ts";
import { FramebufferInfo } from "../console/framebuffer.ts";
import { ioPortClaim, ioPortsReserve, ioPortsUnreserve } from "./io-port.ts";
import { irqClaim, irqLinesInit } from "./irq-line.ts";
import { MAX_DEVICE_PAGES, MAX_MEMORY_PAGES, memoryCreateDevice, memoryCreateDma } from "./memory.ts";
import { processTableCreate } from "./process-table.ts";
import { kernelLogCreate } from "./kernel-log.ts";
import { powerCreate } from "./power.ts";

/** Physical ranges that are not device memory: RAM and firmware memory, the kernel's MMIO. */
const KEPT_MAX = 64;
/** Physical addresses are below 2^52 (DESIGN.md). */
const PHYS_LIMIT = 0x10000000000000;

class DeviceState {
  keptBase: number[] = new Array<number>(KEPT_MAX).fill(0);
  keptLength: number[] = new Array<number>(KEPT_MAX).fill(0);
  kept = 0;
  /** The one device control object exists (made by deviceControlCreate). */
  made = false;
  /** The boot framebuffer, as the boot information describes it (FramebufferInfo tells it). */
  fb = new FramebufferInfo();
}

const dev = new DeviceState();

/**
 * Keeps [base, base + length) from ever being claimed as device memory: every RAM or firmware
 * region of the memory map and the kernel's own MMIO. False when the table is full (then the
 * caller must refuse device memory altogether rather than risk handing out RAM).
 */
export function deviceMemoryKeep(base: number, length: number): boolean {
  if (dev.kept >= KEPT_MAX) return false;
  dev.keptBase[dev.kept] = base;
  dev.keptLength[dev.kept] = length;
  dev.kept++;
  return true;
}

/** Ports the kernel drives: the 8259 PICs, the PIT, the edge/level registers, the debug-exit port. */
function reserveKernelPorts(): void {
  ioPortsReserve(0x20, 2);
  ioPortsReserve(0xa0, 2);
  ioPortsReserve(0x40, 4);
  ioPortsReserve(0x4d0, 2);
  ioPortsReserve(0xf4, 1);
}

/**
 * Sets what may be claimed, from the boot information: every region of the memory map that is
 * not plain "reserved" (RAM, ACPI tables and NVS, bad memory), the BIOS area outside the legacy
 * VGA window, and the interrupt controllers' registers are kept; the I/O APIC's inputs become
 * claimable lines; the kernel's ports are reserved.
 */
export function deviceControlInit(info: BootInfo): void {
  dev.kept = 0;
  dev.made = false;
  dev.fb = info.framebuffer;
  ioPortsUnreserve();
  let complete = true;
  for (let i = 0; i < info.memoryCount; i++) {
    const r = info.memory[i]!;
    if (r.type !== MemoryType.Reserved) complete = deviceMemoryKeep(r.base, r.length) && complete;
  }
  complete = deviceMemoryKeep(0, 0xa0000) && complete;
  complete = deviceMemoryKeep(0xc0000, 0x40000) && complete;
  complete = deviceMemoryKeep(apicPhysBase(), PAGE_SIZE) && complete;
  complete = deviceMemoryKeep(ioapicPhysBase(), PAGE_SIZE) && complete;
  if (!complete) {
    // Without the whole map, any range might be RAM: refuse device memory altogether.
    console.log(`devices: more than ${KEPT_MAX} memory regions (KEPT_MAX); device memory claims refused`);
    dev.kept = 0;
    deviceMemoryKeep(0, PHYS_LIMIT);
  }
  reserveKernelPorts();
  irqLinesInit(ioapicInputCount());
}

/** The device control capability (every right) in `t`; once per boot, later calls are Busy. */
export function deviceControlCreate(t: CapTable): number {
  if (dev.made) return -ErrorCode.Busy;
  const obj = objectCreate(ObjectType.DeviceControl, t.account, 0);
  if (obj === null) return -ErrorCode.QuotaExceeded;
  dev.made = true;
  return capInstallRoot(t, obj, RIGHTS_ALL);
}

function deviceMemoryClaim(t: CapTable, phys: number, pages: number, cache: number): number {
  if (phys < 0 || phys % PAGE_SIZE !== 0 || pages <= 0 || pages > MAX_DEVICE_PAGES) return -ErrorCode.InvalidArgument;
  const end = phys + pages * PAGE_SIZE;
  if (end > PHYS_LIMIT) return -ErrorCode.InvalidArgument;
  if (cache !== CacheMode.Uncached && cache !== CacheMode.WriteCombining) return -ErrorCode.InvalidArgument;
  for (let i = 0; i < dev.kept; i++) {
    if (phys < dev.keptBase[i]! + dev.keptLength[i]! && dev.keptBase[i]! < end) return -ErrorCode.Busy;
  }
  // Write-combining is PAT entry 1 (PWT alone), which the kernel programs at boot (cpu.ts patInit).
  const flags = cache === CacheMode.Uncached ? PageFlags.CacheDisable | PageFlags.WriteThrough : PageFlags.WriteThrough;
  return memoryCreateDevice(t, phys, pages, flags);
}

/** ISA IRQ or GSI `line` as IrqMode says: the GSI and its trigger, or -1. */
function irqClaimMode(t: CapTable, line: number, mode: number): number {
  switch (mode) {
    case IrqMode.Isa:
      // Through the MADT's source overrides: the GSI, trigger and polarity the firmware reports.
      if (line < 0 || line > 15) return -ErrorCode.InvalidArgument;
      return irqClaim(t, isaIrqToGsi(line), isaIrqLevel(line), isaIrqActiveLow(line));
    case IrqMode.GsiLevelLow: return irqClaim(t, line, true, true);
    case IrqMode.GsiEdgeHigh: return irqClaim(t, line, false, false);
    default: return -ErrorCode.InvalidArgument;
  }
}

/**
 * FramebufferInfo: the boot framebuffer in the six answer words (FbWord, abi/framebuffer.ts), so
 * that a driver can claim it as device memory and draw on it; NotFound when there is none.
 */
function framebufferInfo(m: Message): ErrorCode {
  const f = dev.fb;
  if (f.type === FramebufferType.None || f.address <= 0) return ErrorCode.NotFound;
  m.words[FbWord.Address] = BigInt(f.address);
  m.words[FbWord.Pitch] = BigInt(f.pitch);
  m.words[FbWord.Width] = BigInt(f.width);
  m.words[FbWord.Height] = BigInt(f.height);
  m.words[FbWord.Format] = BigInt(fbFormatWord(f.type, f.bpp));
  m.words[FbWord.Fields] = BigInt(fbFieldsWord(f.redPosition, f.redSize, f.greenPosition, f.greenSize, f.bluePosition, f.blueSize));
  return ErrorCode.Ok;
}

/**
 * The device control object's methods (Manage): IrqClaim, IoPortClaim, DeviceMemoryClaim,
 * DmaCreate, PowerCreate, ProcessTableCreate and KernelLogCreate, each answering the new capability's handle in words[0]
 * (abi/message.ts, Method), and FramebufferInfo, which answers six words.
 */
export function deviceControlInvoke(t: CapTable, h: number, m: Message, a0: number, a1: number, a2: number): ErrorCode {
  const e = lookupError(t, h, ObjectType.DeviceControl, Right.Manage);
  if (e !== ErrorCode.Ok) return e;
  let r = 0;
  switch (m.label) {
    case Method.IrqClaim: r = irqClaimMode(t, a0, a1); break;
    case Method.IoPortClaim: r = ioPortClaim(t, a0, a1); break;
    case Method.DeviceMemoryClaim: r = deviceMemoryClaim(t, a0, a1, a2); break;
    case Method.DmaCreate: r = a0 > 0 && a0 <= MAX_MEMORY_PAGES ? memoryCreateDma(t, a0) : -ErrorCode.InvalidArgument; break;
    case Method.PowerCreate: r = powerCreate(t); break;
    case Method.ProcessTableCreate: r = processTableCreate(t); break;
    case Method.KernelLogCreate: r = kernelLogCreate(t); break;
    case Method.FramebufferInfo: return framebufferInfo(m);
    default: return ErrorCode.InvalidArgument;
  }
  if (r < 0) return -r;
  m.words[0] = BigInt(r);
  return ErrorCode.Ok;
}
