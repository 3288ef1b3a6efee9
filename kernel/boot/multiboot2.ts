// Multiboot2 boot information parser (GRUB 2). Reads the structure through the direct map and
// fills a protocol-neutral BootInfo. Every size and offset is checked against the structure's
// total size so that a damaged structure gives error codes, never a wild read or a hang.
// Reference: the Multiboot2 specification, section 3.6 (boot information format).
import { load8, load32 } from "../../lang/mem.ts";
import { physToVirt } from "../arch/x86_64/layout.ts";
import { BootInfo, BootError, MemoryType, addBootError, hasBootError } from "./bootinfo.ts";
import { FramebufferType } from "../console/framebuffer.ts";

/** Value of eax when a Multiboot2 loader enters the kernel. */
export const MULTIBOOT2_MAGIC = 0x36d76289;
/** Larger than any real structure (a UEFI memory map with hundreds of descriptors is a few KiB). */
const MAX_TOTAL_SIZE = 0x100000;
/** Physical addresses above this cannot be exact `number`s in the kernel's model. */
const PHYS_LIMIT_HIGH = 0x100000; // high 32 bits of 2^52

const enum Tag {
  End = 0,
  Cmdline = 1,
  LoaderName = 2,
  Module = 3,
  BasicMeminfo = 4,
  Bootdev = 5,
  Mmap = 6,
  Vbe = 7,
  Framebuffer = 8,
  ElfSections = 9,
  Apm = 10,
  Efi32 = 11,
  Efi64 = 12,
  Smbios = 13,
  AcpiOld = 14,
  AcpiNew = 15,
  Network = 16,
  EfiMmap = 17,
  EfiBootServices = 18,
  Efi32ImageHandle = 19,
  Efi64ImageHandle = 20,
  LoadBaseAddr = 21,
}

/** Reads a little-endian 64-bit physical address as a number, or -1 if it is beyond 2^52. */
function loadAddr64(virt: number): number {
  const lo = load32(virt);
  const hi = load32(virt + 4);
  if (hi >= PHYS_LIMIT_HIGH) return -1;
  return hi * 0x100000000 + lo;
}

/** Length of the NUL-terminated string at virt, looking at most `max` bytes; -1 if no NUL. */
function stringLength(virt: number, max: number): number {
  for (let i = 0; i < max; i++) {
    if (load8(virt + i) === 0) return i;
  }
  return -1;
}

/** String field of a tag: its length, recording an error (and using the whole field) if unterminated. */
function tagString(info: BootInfo, virt: number, max: number): number {
  const n = stringLength(virt, max);
  if (n < 0) {
    addBootError(info, BootError.StringNotTerminated);
    return max;
  }
  return n;
}

/**
 * Parses the Multiboot2 information at physical address `infoPhys`, given the magic the loader left
 * in eax. Always returns a BootInfo; problems are listed in its errors (firstFatalBootError tells
 * whether the kernel can go on).
 */
function parseMultiboot2(magic: number, infoPhys: number): BootInfo {
  if (magic !== MULTIBOOT2_MAGIC) return failed(BootError.BadMagic, 0, 0);
  if (infoPhys === 0) return failed(BootError.NullInfo, 0, 0);
  if (infoPhys % 8 !== 0) return failed(BootError.MisalignedInfo, 0, 0);
  const base = physToVirt(infoPhys);
  const total = load32(base);
  // Room for the fixed header and an end tag at the very least.
  if (total < 16) return failed(BootError.TotalSizeTooSmall, infoPhys, 8);
  const size = Math.min(total, MAX_TOTAL_SIZE);
  // The tables are sized from the structure: no module or memory region is ever left out.
  const info = new BootInfo(countEntries(base, size, Tag.Mmap), countEntries(base, size, Tag.Module));
  info.infoAddr = infoPhys;
  if (total > MAX_TOTAL_SIZE) addBootError(info, BootError.TotalSizeTooLarge);
  info.infoSize = size;

  let off = 8;
  let sawEnd = false;
  let sawMmap = false;
  while (off + 8 <= size) {
    const tag = base + off;
    const type = load32(tag);
    const tagSize = load32(tag + 4);
    if (tagSize < 8) {
      addBootError(info, BootError.TagTooSmall);
      break;
    }
    if (tagSize > size - off) {
      addBootError(info, BootError.TagPastEnd);
      break;
    }
    if (type === Tag.End) {
      sawEnd = true;
      if (tagSize !== 8 || off + 8 !== size) addBootError(info, BootError.EndTagNotLast);
      break;
    }
    if (type === Tag.Mmap) {
      if (sawMmap) {
        addBootError(info, BootError.DuplicateTag);
      } else {
        sawMmap = true;
        parseMemoryMap(info, tag, tagSize);
      }
    } else {
      parseTag(info, type, tag, tagSize);
    }
    // Tags start on 8-byte boundaries.
    off += Math.floor((tagSize + 7) / 8) * 8;
  }
  if (!sawEnd && !hasBootError(info, BootError.TagTooSmall) && !hasBootError(info, BootError.TagPastEnd)) {
    addBootError(info, BootError.MissingEndTag);
  }
  if (info.memoryCount === 0) addBootError(info, BootError.NoMemoryMap);
  return info;
}

/** A BootInfo with nothing but error `code`. */
function failed(code: number, infoPhys: number, infoSize: number): BootInfo {
  const info = new BootInfo(0, 0);
  info.infoAddr = infoPhys;
  info.infoSize = infoSize;
  addBootError(info, code);
  return info;
}

/**
 * How many entries of the kind `type` the tags in the first `size` bytes hold, walked with the
 * bounds parseMultiboot2 applies: module tags (Tag.Module), or entries of the first memory map
 * (Tag.Mmap). An upper bound of what the parse keeps, which drops bad entries.
 */
function countEntries(base: number, size: number, type: number): number {
  let n = 0;
  let off = 8;
  while (off + 8 <= size) {
    const t = load32(base + off);
    const tagSize = load32(base + off + 4);
    if (tagSize < 8 || tagSize > size - off || t === Tag.End) break;
    if (t === type && type === Tag.Module) n++;
    if (t === type && type === Tag.Mmap && tagSize >= 16) {
      const entrySize = load32(base + off + 8);
      if (entrySize >= 24 && entrySize % 8 === 0) return Math.floor((tagSize - 16) / entrySize);
    }
    off += Math.floor((tagSize + 7) / 8) * 8;
  }
  return n;
}

function parseMemoryMap(info: BootInfo, tag: number, tagSize: number): void {
  if (tagSize < 16) {
    addBootError(info, BootError.TagBadSize);
    return;
  }
  const entrySize = load32(tag + 8);
  if (entrySize < 24 || entrySize % 8 !== 0) {
    addBootError(info, BootError.MemoryMapBadEntrySize);
    return;
  }
  for (let e = 16; e + entrySize <= tagSize; e += entrySize) {
    const entry = tag + e;
    const start = loadAddr64(entry);
    const length = loadAddr64(entry + 8);
    const rawType = load32(entry + 16);
    if (start < 0 || length < 0 || start + length > 0x10000000000000) {
      addBootError(info, BootError.AddressTooLarge);
      continue;
    }
    if (length === 0) {
      addBootError(info, BootError.MemoryRegionZeroLength);
      continue;
    }
    const r = info.memory[info.memoryCount]!;
    r.base = start;
    r.length = length;
    r.type = memoryType(rawType);
    info.memoryCount++;
  }
}

/** Multiboot2 memory types; anything unknown is treated as reserved, as the specification asks. */
function memoryType(raw: number): number {
  switch (raw) {
    case 1: return MemoryType.Usable;
    case 3: return MemoryType.AcpiReclaimable;
    case 4: return MemoryType.AcpiNvs;
    case 5: return MemoryType.Bad;
    default: return MemoryType.Reserved;
  }
}

function parseTag(info: BootInfo, type: number, tag: number, tagSize: number): void {
  switch (type) {
    case Tag.Cmdline:
      info.cmdlineAddr = infoPhysOf(info, tag + 8);
      info.cmdlineLength = tagString(info, tag + 8, tagSize - 8);
      break;
    case Tag.LoaderName:
      info.loaderNameAddr = infoPhysOf(info, tag + 8);
      info.loaderNameLength = tagString(info, tag + 8, tagSize - 8);
      break;
    case Tag.Module:
      parseModule(info, tag, tagSize);
      break;
    case Tag.Framebuffer:
      parseFramebuffer(info, tag, tagSize);
      break;
    case Tag.Efi64:
      if (tagSize < 16) {
        addBootError(info, BootError.TagBadSize);
      } else {
        const st = loadAddr64(tag + 8);
        if (st < 0) addBootError(info, BootError.AddressTooLarge);
        else info.efiSystemTable = st;
      }
      break;
    case Tag.Efi32:
      if (tagSize < 12) addBootError(info, BootError.TagBadSize);
      else if (info.efiSystemTable === 0) info.efiSystemTable = load32(tag + 8);
      break;
    case Tag.AcpiOld:
    case Tag.AcpiNew: {
      const version = type === Tag.AcpiNew ? 2 : 1;
      // RSDP v1 is 20 bytes, v2 is 36.
      if (tagSize < 8 + (version === 2 ? 36 : 20)) {
        addBootError(info, BootError.TagBadSize);
        break;
      }
      if (version === 1 && info.rsdpV1Addr === 0) {
        info.rsdpV1Addr = infoPhysOf(info, tag + 8);
        info.rsdpV1Length = tagSize - 8;
      }
      if (version > info.rsdpVersion) {
        info.rsdpAddr = infoPhysOf(info, tag + 8);
        info.rsdpLength = tagSize - 8;
        info.rsdpVersion = version;
      }
      break;
    }
    case Tag.EfiMmap:
      if (tagSize < 16) addBootError(info, BootError.TagBadSize);
      else info.efiMemoryMapPresent = true;
      break;
    case Tag.EfiBootServices:
      info.efiBootServicesActive = true;
      break;
    case Tag.LoadBaseAddr:
      if (tagSize < 12) addBootError(info, BootError.TagBadSize);
      else info.imageLoadBase = load32(tag + 8);
      break;
    default:
      // Known but unused here (boot device, VBE, ELF sections, APM, SMBIOS, network, image
      // handles) or newer than this parser: skipped by size.
      break;
  }
}

/** Physical address of a byte inside the boot information, from its direct-map address. */
function infoPhysOf(info: BootInfo, virt: number): number {
  return info.infoAddr + (virt - physToVirt(info.infoAddr));
}

function parseModule(info: BootInfo, tag: number, tagSize: number): void {
  if (tagSize < 17) {
    addBootError(info, BootError.TagBadSize);
    return;
  }
  const start = load32(tag + 8);
  const end = load32(tag + 12);
  if (end < start) {
    addBootError(info, BootError.ModuleBadRange);
    return;
  }
  const m = info.modules[info.moduleCount]!;
  m.start = start;
  m.end = end;
  m.nameAddr = infoPhysOf(info, tag + 16);
  m.nameLength = tagString(info, tag + 16, tagSize - 16);
  info.moduleCount++;
}

function parseFramebuffer(info: BootInfo, tag: number, tagSize: number): void {
  if (tagSize < 31) {
    addBootError(info, BootError.TagBadSize);
    return;
  }
  const fb = info.framebuffer;
  const address = loadAddr64(tag + 8);
  if (address < 0) {
    addBootError(info, BootError.AddressTooLarge);
    return;
  }
  const kind = load8(tag + 29);
  fb.address = address;
  fb.pitch = load32(tag + 16);
  fb.width = load32(tag + 20);
  fb.height = load32(tag + 24);
  fb.bpp = load8(tag + 28);
  if (kind === 1) {
    if (tagSize < 38) {
      addBootError(info, BootError.TagBadSize);
      fb.type = FramebufferType.None;
      return;
    }
    fb.type = FramebufferType.Rgb;
    fb.redPosition = load8(tag + 32);
    fb.redSize = load8(tag + 33);
    fb.greenPosition = load8(tag + 34);
    fb.greenSize = load8(tag + 35);
    fb.bluePosition = load8(tag + 36);
    fb.blueSize = load8(tag + 37);
  } else if (kind === 2) {
    fb.type = FramebufferType.EgaText;
  } else {
    fb.type = FramebufferType.Indexed;
    addBootError(info, BootError.FramebufferUnsupported);
  }
}

/** The kernel's entry to boot information: today Multiboot2 is the only protocol. */
export function parseBootInfo(magic: number, infoPhys: number): BootInfo {
  return parseMultiboot2(magic, infoPhys);
}
