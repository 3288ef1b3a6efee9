// Protocol-neutral boot information. The Multiboot2 parser (multiboot2.ts) fills it; another boot
// protocol only needs its own parser producing the same classes. Addresses are physical; strings
// are (address, length) pairs in physical memory, read through the direct map.
import { load8 } from "../../lang/mem.ts";
import { physToVirt } from "../arch/x86_64/layout.ts";
import { FramebufferInfo } from "../console/framebuffer.ts";

// The memory map and module tables have no fixed limit: the parser counts the entries first and
// sizes them from the structure itself (which is at most MAX_TOTAL_SIZE bytes, multiboot2.ts).
/** Problems listed; the last slot turns into TooManyErrors, which says that more were found. */
export const MAX_BOOT_ERRORS = 16;

export const enum MemoryType {
  Usable = 1,
  Reserved = 2,
  AcpiReclaimable = 3,
  AcpiNvs = 4,
  Bad = 5,
}

/** Problems found in the boot information. Only the fatal ones stop the boot (see bootErrorFatal). */
export const enum BootError {
  BadMagic = 1,
  NullInfo = 2,
  MisalignedInfo = 3,
  TotalSizeTooSmall = 4,
  TotalSizeTooLarge = 5,
  TagTooSmall = 6,
  TagPastEnd = 7,
  MissingEndTag = 8,
  EndTagNotLast = 9,
  NoMemoryMap = 10,
  MemoryMapBadEntrySize = 11,
  /** No longer produced: the memory map table is sized from the structure. */
  MemoryMapTooManyEntries = 12,
  MemoryRegionZeroLength = 13,
  AddressTooLarge = 14,
  /** No longer produced: the module table is sized from the structure. */
  TooManyModules = 15,
  ModuleBadRange = 16,
  StringNotTerminated = 17,
  TagBadSize = 18,
  TooManyErrors = 19,
  FramebufferUnsupported = 20,
  DuplicateTag = 21,
}

export class MemoryRegion {
  base = 0;
  length = 0;
  type = 0;
}

export class BootModule {
  start = 0;
  end = 0;
  /** The module's command line, which names it (GRUB: `module2 /boot/font.psf font`). */
  nameAddr = 0;
  nameLength = 0;
}

/** Placeholders while the tables are filled. */
const NO_REGION = new MemoryRegion();
const NO_MODULE = new BootModule();

export class BootInfo {
  /** Physical range of the boot information structure itself (the allocator keeps it). */
  infoAddr = 0;
  infoSize = 0;
  memory: MemoryRegion[];
  memoryCount = 0;
  modules: BootModule[];
  moduleCount = 0;
  framebuffer = new FramebufferInfo();
  cmdlineAddr = 0;
  cmdlineLength = 0;
  loaderNameAddr = 0;
  loaderNameLength = 0;
  /** Where the boot loader's copy of the ACPI RSDP lies (0 if none) and its revision (1 or 2). */
  rsdpAddr = 0;
  rsdpLength = 0;
  rsdpVersion = 0;
  /** The ACPI 1.0 copy (tag 14) when the loader gave one too: the fallback if the newer one is bad. */
  rsdpV1Addr = 0;
  rsdpV1Length = 0;
  efiSystemTable = 0;
  efiMemoryMapPresent = false;
  /** The loader left UEFI boot services running (Multiboot2 tag 18). */
  efiBootServicesActive = false;
  /** Physical address the loader placed the kernel image at (0 if not reported). */
  imageLoadBase = 0;
  errors: Uint8Array;
  errorCount = 0;

  /** Room for `memoryCapacity` memory regions and `moduleCapacity` modules (the parser counts them first). */
  constructor(memoryCapacity: number, moduleCapacity: number) {
    this.memory = new Array<MemoryRegion>(memoryCapacity).fill(NO_REGION);
    for (let i = 0; i < memoryCapacity; i++) this.memory[i] = new MemoryRegion();
    this.modules = new Array<BootModule>(moduleCapacity).fill(NO_MODULE);
    for (let i = 0; i < moduleCapacity; i++) this.modules[i] = new BootModule();
    this.errors = new Uint8Array(MAX_BOOT_ERRORS);
  }
}

/** Records an error; the last slot turns into TooManyErrors when the array is full. */
export function addBootError(info: BootInfo, code: BootError): void {
  if (info.errorCount < MAX_BOOT_ERRORS - 1) {
    info.errors[info.errorCount] = code;
    info.errorCount++;
  } else if (info.errorCount === MAX_BOOT_ERRORS - 1) {
    info.errors[info.errorCount] = BootError.TooManyErrors;
    info.errorCount++;
  }
}

export function hasBootError(info: BootInfo, code: BootError): boolean {
  for (let i = 0; i < info.errorCount; i++) {
    if (info.errors[i] === code) return true;
  }
  return false;
}

/** Errors after which the kernel cannot go on: it has no trustworthy map of physical memory. */
export function bootErrorFatal(code: number): boolean {
  return code === BootError.BadMagic || code === BootError.NullInfo || code === BootError.NoMemoryMap ||
    code === BootError.TotalSizeTooSmall || code === BootError.MisalignedInfo;
}

/** The first fatal error recorded, or 0. */
export function firstFatalBootError(info: BootInfo): number {
  for (let i = 0; i < info.errorCount; i++) {
    if (bootErrorFatal(info.errors[i]!)) return info.errors[i]!;
  }
  return 0;
}

export function bootErrorMessage(code: number): string {
  switch (code) {
    case BootError.BadMagic: return "not started by a Multiboot2 loader (bad magic in eax)";
    case BootError.NullInfo: return "boot information address is null";
    case BootError.MisalignedInfo: return "boot information is not 8-byte aligned";
    case BootError.TotalSizeTooSmall: return "boot information total size is too small";
    case BootError.TotalSizeTooLarge: return "boot information total size is implausibly large";
    case BootError.TagTooSmall: return "a boot information tag is smaller than its 8-byte header";
    case BootError.TagPastEnd: return "a boot information tag runs past the end of the structure";
    case BootError.MissingEndTag: return "boot information has no end tag";
    case BootError.EndTagNotLast: return "boot information end tag is not at the end of the structure";
    case BootError.NoMemoryMap: return "boot loader gave no memory map";
    case BootError.MemoryMapBadEntrySize: return "memory map entry size is invalid";
    case BootError.MemoryMapTooManyEntries: return "memory map has more entries than the kernel keeps";
    case BootError.MemoryRegionZeroLength: return "memory map has a zero-length entry (ignored)";
    case BootError.AddressTooLarge: return "an address lies beyond 2^52 (ignored)";
    case BootError.TooManyModules: return "more boot modules than the kernel keeps";
    case BootError.ModuleBadRange: return "a boot module ends before it starts (ignored)";
    case BootError.StringNotTerminated: return "a boot information string is not NUL-terminated";
    case BootError.TagBadSize: return "a boot information tag is too small for its type (ignored)";
    case BootError.TooManyErrors: return "more boot information errors than listed (MAX_BOOT_ERRORS is 16)";
    case BootError.FramebufferUnsupported: return "framebuffer type not supported (text console on serial only)";
    case BootError.DuplicateTag: return "a boot information tag appears twice (later one ignored)";
    default: return "unknown boot information error";
  }
}

/** Whether the bytes at physical `addr` (length `len`) spell exactly the literal `s` (ASCII). */
export function physBytesEqual(addr: number, len: number, s: string): boolean {
  if (len !== s.length) return false;
  const v = physToVirt(addr);
  for (let i = 0; i < len; i++) {
    if (load8(v + i) !== s.charCodeAt(i)) return false;
  }
  return true;
}

/** Index of the module whose command line is exactly `name`, or -1. */
export function findModule(info: BootInfo, name: string): number {
  for (let i = 0; i < info.moduleCount; i++) {
    const m = info.modules[i]!;
    if (physBytesEqual(m.nameAddr, m.nameLength, name)) return i;
  }
  return -1;
}
