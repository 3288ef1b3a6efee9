// Memory bring-up: the frame allocator from the boot memory map, then the kernel's own address
// space (direct map of physical memory, kernel image with per-section permissions), loaded in CR3.
import { panic } from "../../lang/core.ts";
import { kernelSection, rdmsr, readCr, wrmsr, writeCr } from "../arch/x86_64/cpu.ts";
import { BootInfo, MemoryType, bootErrorMessage, firstFatalBootError } from "../boot/bootinfo.ts";
import { FrameAllocator, allocContiguous, buildFrameAllocator, printFrameStats } from "./frame-allocator.ts";
import {
  AddressSpace, MapResult, PageFlags, createAddressSpace, map, mapHuge, protect, switchTo, translate, HUGE_PAGE_SIZE,
} from "../arch/x86_64/paging.ts";
import { DIRECT_MAP_BASE, PAGE_SIZE, physToVirt, virtToPhys } from "../arch/x86_64/layout.ts";
import { kerror } from "../console/log.ts";

const MSR_EFER = 0xc0000080;
const EFER_NXE = 0x800n;
const CR0_WP = 0x10000n;
const CR4_PGE = 0x80n;
/** Everything below 4 GiB is direct-mapped, memory or not: firmware tables, the framebuffer and
 * the local and I/O APICs live there. Above it, only RAM and the framebuffer are. */
const LOW_DIRECT_MAP = 0x100000000;

let frames: FrameAllocator | null = null;
let kernelSpace: AddressSpace | null = null;

/** The kernel's frame allocator (after memoryInit). */
export function kernelFrames(): FrameAllocator {
  if (frames === null) panic("memory: frame allocator used before memoryInit");
  return frames!;
}

/** The kernel's address space (after memoryInit); user spaces share its kernel half. */
export function kernelAddressSpace(): AddressSpace {
  if (kernelSpace === null) panic("memory: kernel address space used before memoryInit");
  return kernelSpace!;
}

function alignUp(x: number, a: number): number {
  return Math.floor((x + a - 1) / a) * a;
}

function alignDown(x: number, a: number): number {
  return Math.floor(x / a) * a;
}

/** Maps physical [start, end) into the direct map with 2 MiB pages (RW, NX, global). */
function directMapRange(space: AddressSpace, start: number, end: number): void {
  const flags = PageFlags.Writable | PageFlags.NoExecute | PageFlags.Global;
  for (let p = alignDown(start, HUGE_PAGE_SIZE); p < end; p += HUGE_PAGE_SIZE) {
    const r = mapHuge(space, DIRECT_MAP_BASE + p, p, flags);
    if (r !== MapResult.Ok && r !== MapResult.AlreadyMapped) panic(`memory: direct map of 0x${p.toString(16)} failed (${r})`);
  }
}

function buildDirectMap(space: AddressSpace, info: BootInfo): void {
  directMapRange(space, 0, LOW_DIRECT_MAP);
  for (let i = 0; i < info.memoryCount; i++) {
    const r = info.memory[i]!;
    const ram = r.type === MemoryType.Usable || r.type === MemoryType.AcpiReclaimable || r.type === MemoryType.AcpiNvs;
    if (ram && r.base + r.length > LOW_DIRECT_MAP) directMapRange(space, Math.max(r.base, LOW_DIRECT_MAP), r.base + r.length);
  }
  const fb = info.framebuffer;
  if (fb.address + fb.pitch * fb.height > LOW_DIRECT_MAP && fb.pitch > 0) {
    directMapRange(space, Math.max(fb.address, LOW_DIRECT_MAP), fb.address + fb.pitch * fb.height);
  }
}

function mapKernelRange(space: AddressSpace, start: number, end: number, flags: number): void {
  for (let v = start; v < end; v += PAGE_SIZE) {
    const r = map(space, v, virtToPhys(v), flags);
    if (r !== MapResult.Ok) panic(`memory: mapping the kernel image page at physical 0x${virtToPhys(v).toString(16)} failed (${r})`);
  }
}

/**
 * Text is read-only and executable, rodata read-only, data and bss writable and not executable.
 * Sections should be page-aligned by the linker script; if they are not, a page shared by rodata
 * and data becomes writable, and a page shared by text and data is refused (W^X).
 */
function mapKernelImage(space: AddressSpace): void {
  const start = alignDown(kernelSection(0), PAGE_SIZE);
  const textEnd = alignUp(kernelSection(1), PAGE_SIZE);
  const rodataEnd = Math.max(textEnd, alignDown(kernelSection(2), PAGE_SIZE));
  const end = alignUp(kernelSection(4), PAGE_SIZE);
  if (kernelSection(1) % PAGE_SIZE !== 0 && alignDown(kernelSection(1), PAGE_SIZE) >= alignDown(kernelSection(2), PAGE_SIZE) &&
    kernelSection(3) > kernelSection(2)) {
    panic("memory: kernel text and data share a page; page-align the sections in the linker script");
  }
  mapKernelRange(space, start, textEnd, PageFlags.Global);
  mapKernelRange(space, textEnd, rodataEnd, PageFlags.NoExecute | PageFlags.Global);
  mapKernelRange(space, rodataEnd, end, PageFlags.Writable | PageFlags.NoExecute | PageFlags.Global);
}

/**
 * The first address of physical [start, end) that is not usable RAM in the memory map (outside
 * every usable entry, or inside any other entry: maps may overlap), or -1 when the whole range is.
 */
export function firstNonRamAddress(info: BootInfo, start: number, end: number): number {
  let first = firstUncovered(info, start, end);
  for (let i = 0; i < info.memoryCount; i++) {
    const r = info.memory[i]!;
    if (r.type === MemoryType.Usable || r.base + r.length <= start || end <= r.base) continue;
    const at = Math.max(start, r.base);
    if (first < 0 || at < first) first = at;
  }
  return first;
}

/** The first address of [start, end) no usable entry covers, or -1. */
function firstUncovered(info: BootInfo, start: number, end: number): number {
  let p = start;
  while (p < end) {
    let next = -1;
    for (let i = 0; i < info.memoryCount; i++) {
      const r = info.memory[i]!;
      if (r.type === MemoryType.Usable && r.base <= p && p < r.base + r.length) next = Math.max(next, r.base + r.length);
    }
    if (next < 0) return p;
    p = next;
  }
  return -1;
}

function memoryTypeName(t: MemoryType): string {
  switch (t) {
    case MemoryType.Usable: return "usable RAM";
    case MemoryType.AcpiReclaimable: return "ACPI reclaimable";
    case MemoryType.AcpiNvs: return "ACPI NVS";
    case MemoryType.Bad: return "bad memory";
    default: return "reserved";
  }
}

/**
 * The loader chose where the kernel image lies (GRUB at its link address, whatever the map says
 * there): when that is not all usable RAM the kernel overwrote firmware memory or is running from
 * a hole, and a machine that misbehaves later should have said so first, on every console.
 * Returns whether the placement is sound.
 */
export function checkImagePlacement(info: BootInfo, start: number, end: number): boolean {
  const bad = firstNonRamAddress(info, start, end);
  if (bad < 0) return true;
  let entry = -1;
  for (let i = 0; i < info.memoryCount && entry < 0; i++) {
    const r = info.memory[i]!;
    if (r.type !== MemoryType.Usable && r.base <= bad && bad < r.base + r.length) entry = i;
  }
  if (entry >= 0) {
    const r = info.memory[entry]!;
    kerror(`memory: THE KERNEL IMAGE 0x${start.toString(16)}-0x${end.toString(16)} IS NOT ALL USABLE RAM: 0x${bad.toString(16)} is ${memoryTypeName(r.type)} (0x${r.base.toString(16)}-0x${(r.base + r.length).toString(16)})`);
  } else {
    kerror(`memory: THE KERNEL IMAGE 0x${start.toString(16)}-0x${end.toString(16)} IS NOT ALL USABLE RAM: 0x${bad.toString(16)} is in no memory-map entry`);
  }
  kerror("memory: the loader put Keel over memory the firmware keeps; expect corruption, and please report this machine (docs/hardware.md)");
  return false;
}

/**
 * Builds the frame allocator and the kernel address space from the boot information, switches to
 * it and prints the `memory:` statistics line. The boot tables must direct-map the low 4 GiB (the
 * allocator's bitmaps and the new tables are written through the direct map before the switch).
 */
export function memoryInit(info: BootInfo): void {
  // Without a trustworthy memory map there is nothing to build on: say why instead of guessing.
  const fatal = firstFatalBootError(info);
  if (fatal !== 0) panic(`memory: ${bootErrorMessage(fatal)}`);
  checkImagePlacement(info, virtToPhys(kernelSection(0)), virtToPhys(kernelSection(4)));
  const fa = buildFrameAllocator(info, virtToPhys(kernelSection(0)), virtToPhys(kernelSection(4)));
  frames = fa;
  const space = createAddressSpace(fa);
  if (space === null) panic("memory: no frame for the kernel's PML4");
  buildDirectMap(space!, info);
  mapKernelImage(space!);
  // The NX bit in entries is reserved (and faults) unless EFER.NXE is on; the boot stub sets it,
  // this makes sure before the new tables are live.
  const efer = rdmsr(MSR_EFER);
  if ((efer & EFER_NXE) === 0n) wrmsr(MSR_EFER, efer | EFER_NXE);
  writeCr(4, readCr(4) | CR4_PGE);
  switchTo(space!);
  // Without WP, ring 0 writes straight through read-only pages.
  writeCr(0, readCr(0) | CR0_WP);
  kernelSpace = space;
  printFrameStats(fa);
}

/**
 * Gives the runtime's heap (toolchain/runtime/keel_heap.c) a region of `bytes` bytes when its
 * static arena is used up: contiguous frames, addressed through the direct map. 0 when there are
 * none, and before the kernel's own direct map is live (it maps every frame the allocator hands
 * out; the boot tables map only the low 4 GiB). The frames stay the heap's.
 * @export keel_heap_more
 */
export function heapMore(bytes: number): number {
  if (frames === null || kernelSpace === null || bytes <= 0) return 0;
  const phys = allocContiguous(frames!, Math.floor((bytes + PAGE_SIZE - 1) / PAGE_SIZE), 1);
  return phys < 0 ? 0 : physToVirt(phys);
}

/**
 * Direct-map address of `size` bytes of device registers at physical `phys`, with those pages made
 * uncacheable (PCD and PWT), so that register accesses reach the device whatever the MTRRs say.
 * Before memoryInit the boot tables' (cacheable) direct map is all there is.
 */
export function mapDeviceMemory(phys: number, size: number): number {
  if (kernelSpace !== null) {
    const flags = PageFlags.Writable | PageFlags.NoExecute | PageFlags.Global | PageFlags.CacheDisable |
      PageFlags.WriteThrough;
    for (let p = alignDown(phys, PAGE_SIZE); p < phys + size; p += PAGE_SIZE) {
      const v = physToVirt(p);
      const r = translate(kernelSpace, v) < 0 ? map(kernelSpace, v, p, flags) : protect(kernelSpace, v, flags);
      if (r !== MapResult.Ok) panic(`memory: cannot map device memory at 0x${p.toString(16)} (${r})`);
    }
  }
  return physToVirt(phys);
}
