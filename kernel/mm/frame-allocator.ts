// Physical frame allocator. Three bitmaps over the frames below the top of usable memory, kept in
// usable memory the allocator then reserves for itself, read through the direct map:
//   owned   - the frame belongs to the allocator (usable RAM, not firmware's, not kept at boot)
//   free    - the frame is free (implies owned)
//   summary - one bit per 32-frame word of `free`: the word has at least one free frame
// A single frame is found by scanning `summary` from a hint below which no word has free frames:
// a 4 GiB machine has 32 summary words, so allocation and release are effectively constant time.
// Freeing a frame that is not owned (foreign) or already free (double free) panics.
import { load32, store32 } from "../../lang/mem.ts";
import { panic } from "../../lang/core.ts";
import { BootInfo, MemoryType } from "../boot/bootinfo.ts";
import { FrameSource } from "../arch/x86_64/paging.ts";
import { PAGE_SIZE, physToVirt } from "../arch/x86_64/layout.ts";

const MIB = 0x100000;
const HALF_MIB = 0x80000;
/** The first MiB holds real-mode structures, the BIOS data area and option ROMs: never hand it out. */
const LOW_MEMORY_END = MIB;
/** Ranges kept at boot besides the modules: low memory, kernel, boot information, bitmaps. */
const FIXED_RESERVATIONS = 4;

export class FrameAllocator extends FrameSource {
  /** Frames 0 .. frameCount-1 are described by the bitmaps. */
  frameCount = 0;
  words = 0;
  summaryWords = 0;
  /** Direct-map addresses of the three bitmaps, and the physical range holding them. */
  ownedMap = 0;
  freeMap = 0;
  summaryMap = 0;
  metaPhys = 0;
  metaBytes = 0;
  /** No summary word below this one has a free frame. */
  hint = 0;
  freeFrames = 0;
  /** RAM reported by the loader (usable, ACPI reclaimable, ACPI NVS), in bytes. */
  totalBytes = 0;
  /** Whole frames of usable memory, and those kept at boot (low memory, kernel, modules, boot info, metadata). */
  usableFrames = 0;
  reservedFrames = 0;
  kernelBytes = 0;
  /** Frames handed out since boot, for statistics. */
  allocations = 0;
  /** Ranges kept at boot: [start, end) physical; room for the fixed ones and one per module. */
  reservedStart: number[];
  reservedEnd: number[];
  reservedCount = 0;

  constructor(reservations: number) {
    super();
    this.reservedStart = new Array<number>(reservations).fill(0);
    this.reservedEnd = new Array<number>(reservations).fill(0);
  }
  /** Address spaces take their page-table and page frames here (FrameSource). */
  override alloc(): number {
    return allocFrame(this);
  }

  override free(phys: number): void {
    freeFrame(this, phys);
  }

}

function alignUp(x: number, a: number): number {
  return Math.floor((x + a - 1) / a) * a;
}

function alignDown(x: number, a: number): number {
  return Math.floor(x / a) * a;
}

function bitIsSet(word: number, bit: number): boolean {
  return (word & (1 << bit)) !== 0;
}

function testBit(map: number, index: number): boolean {
  return bitIsSet(load32(map + Math.floor(index / 32) * 4), index % 32);
}

function setBit(map: number, index: number): void {
  const a = map + Math.floor(index / 32) * 4;
  store32(a, load32(a) | (1 << (index % 32)));
}

function clearBit(map: number, index: number): void {
  const a = map + Math.floor(index / 32) * 4;
  store32(a, load32(a) & ~(1 << (index % 32)));
}

/** Number of set bits in a 32-bit word. */
function popcount32(word: number): number {
  let w = word >>> 0;
  w = w - ((w >>> 1) & 0x55555555);
  w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
  w = (w + (w >>> 4)) & 0x0f0f0f0f;
  return (w + (w >>> 8) + (w >>> 16) + (w >>> 24)) & 0xff;
}

/**
 * Sets the bits of frames [first, end) in `map`, a whole word at a time where the range covers
 * one (a bit at a time, it was most of the boot's cycles); returns how many were clear before.
 */
function setRange(map: number, first: number, end: number): number {
  let n = 0;
  let f = first;
  while (f < end) {
    const a = map + Math.floor(f / 32) * 4;
    const old = load32(a);
    if (f % 32 === 0 && end - f >= 32) {
      n += 32 - popcount32(old);
      store32(a, 0xffffffff);
      f += 32;
    } else {
      if (!bitIsSet(old, f % 32)) {
        store32(a, old | (1 << (f % 32)));
        n++;
      }
      f++;
    }
  }
  return n;
}

/** Index of the lowest set bit of a non-zero 32-bit word. */
function lowestBit(word: number): number {
  let b = 0;
  let w = word >>> 0;
  if ((w & 0xffff) === 0) {
    b += 16;
    w = w >>> 16;
  }
  if ((w & 0xff) === 0) {
    b += 8;
    w = w >>> 8;
  }
  if ((w & 0xf) === 0) {
    b += 4;
    w = w >>> 4;
  }
  if ((w & 0x3) === 0) {
    b += 2;
    w = w >>> 2;
  }
  if ((w & 0x1) === 0) b += 1;
  return b;
}

function addReservation(fa: FrameAllocator, start: number, end: number): void {
  if (end <= start) return;
  if (fa.reservedCount >= fa.reservedStart.length) panic("frame allocator: more boot reservations than counted");
  fa.reservedStart[fa.reservedCount] = start;
  fa.reservedEnd[fa.reservedCount] = end;
  fa.reservedCount++;
}

/** Whether [start, end) overlaps a boot reservation; returns the end of the first one it overlaps, or -1. */
function overlapsReservation(fa: FrameAllocator, start: number, end: number): number {
  for (let i = 0; i < fa.reservedCount; i++) {
    if (start < fa.reservedEnd[i]! && fa.reservedStart[i]! < end) return fa.reservedEnd[i]!;
  }
  return -1;
}

/** Whether [start, end) overlaps a memory map entry that is not usable RAM. */
function overlapsFirmware(info: BootInfo, start: number, end: number): number {
  for (let i = 0; i < info.memoryCount; i++) {
    const r = info.memory[i]!;
    if (r.type !== MemoryType.Usable && start < r.base + r.length && r.base < end) return r.base + r.length;
  }
  return -1;
}

/**
 * Builds the allocator from the boot memory map. `kernelStart`/`kernelEnd` are the physical bounds
 * of the kernel image; modules and the boot information structure are kept as well.
 */
export function buildFrameAllocator(info: BootInfo, kernelStart: number, kernelEnd: number): FrameAllocator {
  const fa = new FrameAllocator(FIXED_RESERVATIONS + info.moduleCount);
  fa.kernelBytes = kernelEnd - kernelStart;
  addReservation(fa, 0, LOW_MEMORY_END);
  addReservation(fa, alignDown(kernelStart, PAGE_SIZE), alignUp(kernelEnd, PAGE_SIZE));
  addReservation(fa, alignDown(info.infoAddr, PAGE_SIZE), alignUp(info.infoAddr + info.infoSize, PAGE_SIZE));
  for (let i = 0; i < info.moduleCount; i++) {
    const m = info.modules[i]!;
    addReservation(fa, alignDown(m.start, PAGE_SIZE), alignUp(m.end, PAGE_SIZE));
  }

  let top = 0;
  for (let i = 0; i < info.memoryCount; i++) {
    const r = info.memory[i]!;
    if (r.type === MemoryType.Usable || r.type === MemoryType.AcpiReclaimable || r.type === MemoryType.AcpiNvs) {
      fa.totalBytes += r.length;
    }
    if (r.type === MemoryType.Usable && r.base + r.length > top) top = r.base + r.length;
  }
  fa.frameCount = Math.floor(top / PAGE_SIZE);
  fa.words = Math.floor((fa.frameCount + 31) / 32);
  fa.summaryWords = Math.floor((fa.words + 31) / 32);
  fa.metaBytes = alignUp((2 * fa.words + fa.summaryWords) * 4, PAGE_SIZE);
  fa.metaPhys = placeMetadata(fa, info, fa.metaBytes);
  if (fa.metaPhys < 0) panic("frame allocator: no usable memory for its bitmaps");
  addReservation(fa, fa.metaPhys, fa.metaPhys + fa.metaBytes);
  fa.ownedMap = physToVirt(fa.metaPhys);
  fa.freeMap = fa.ownedMap + fa.words * 4;
  fa.summaryMap = fa.freeMap + fa.words * 4;
  for (let i = 0; i < 2 * fa.words + fa.summaryWords; i++) store32(fa.ownedMap + i * 4, 0);

  // Owned = usable frames, minus any frame a firmware entry also claims (maps may overlap), minus
  // the boot reservations. Done region by region, so the cost is one pass over memory.
  for (let i = 0; i < info.memoryCount; i++) {
    const r = info.memory[i]!;
    if (r.type !== MemoryType.Usable) continue;
    const first = Math.floor(alignUp(r.base, PAGE_SIZE) / PAGE_SIZE);
    const end = Math.floor(alignDown(r.base + r.length, PAGE_SIZE) / PAGE_SIZE);
    if (end > first) fa.usableFrames += setRange(fa.ownedMap, first, end);
  }
  for (let i = 0; i < info.memoryCount; i++) {
    const r = info.memory[i]!;
    if (r.type === MemoryType.Usable) continue;
    fa.usableFrames -= disown(fa, r.base, r.base + r.length);
  }
  for (let i = 0; i < fa.reservedCount; i++) {
    fa.reservedFrames += disown(fa, fa.reservedStart[i]!, fa.reservedEnd[i]!);
  }
  for (let w = 0; w < fa.words; w++) {
    const owned = load32(fa.ownedMap + w * 4);
    store32(fa.freeMap + w * 4, owned);
    fa.freeFrames += popcount32(owned);
  }
  for (let w = 0; w < fa.words; w++) {
    if (load32(fa.freeMap + w * 4) !== 0) setBit(fa.summaryMap, w);
  }
  return fa;
}

/** Clears the owned bit of every frame overlapping physical [start, end); returns how many were set. */
function disown(fa: FrameAllocator, start: number, end: number): number {
  const first = Math.floor(start / PAGE_SIZE);
  const last = Math.min(fa.frameCount, Math.floor((end + PAGE_SIZE - 1) / PAGE_SIZE));
  let n = 0;
  for (let f = first; f < last; f++) {
    if (testBit(fa.ownedMap, f)) {
      clearBit(fa.ownedMap, f);
      n++;
    }
  }
  return n;
}

/** Lowest page-aligned usable range of `bytes` that overlaps no reservation and no firmware entry, or -1. */
function placeMetadata(fa: FrameAllocator, info: BootInfo, bytes: number): number {
  let best = -1;
  for (let i = 0; i < info.memoryCount; i++) {
    const r = info.memory[i]!;
    if (r.type !== MemoryType.Usable) continue;
    const end = alignDown(r.base + r.length, PAGE_SIZE);
    let start = alignUp(r.base, PAGE_SIZE);
    while (start + bytes <= end) {
      const a = overlapsReservation(fa, start, start + bytes);
      const b = a >= 0 ? a : overlapsFirmware(info, start, start + bytes);
      if (b < 0) break;
      start = alignUp(b, PAGE_SIZE);
    }
    if (start + bytes <= end && (best < 0 || start < best)) best = start;
  }
  return best;
}

function markUsed(fa: FrameAllocator, frame: number): void {
  clearBit(fa.freeMap, frame);
  const w = Math.floor(frame / 32);
  if (load32(fa.freeMap + w * 4) === 0) clearBit(fa.summaryMap, w);
  fa.freeFrames--;
  fa.allocations++;
}

/** Allocates one frame; returns its physical address, or -1 when memory is exhausted. */
export function allocFrame(fa: FrameAllocator): number {
  for (let s = fa.hint; s < fa.summaryWords; s++) {
    const sw = load32(fa.summaryMap + s * 4);
    if (sw === 0) continue;
    fa.hint = s;
    const w = s * 32 + lowestBit(sw);
    const frame = w * 32 + lowestBit(load32(fa.freeMap + w * 4));
    markUsed(fa, frame);
    return frame * PAGE_SIZE;
  }
  fa.hint = fa.summaryWords;
  return -1;
}

/**
 * Allocates `count` physically contiguous frames starting on a multiple of `alignFrames` frames
 * (for DMA buffers); returns the physical address of the first, or -1. Linear in memory size.
 */
export function allocContiguous(fa: FrameAllocator, count: number, alignFrames: number): number {
  if (count <= 0 || alignFrames <= 0) return -1;
  let start = 0;
  while (start + count <= fa.frameCount) {
    let ok = true;
    for (let f = start; f < start + count; f++) {
      if (!testBit(fa.freeMap, f)) {
        start = alignUp(f + 1, alignFrames);
        ok = false;
        break;
      }
    }
    if (ok) {
      for (let f = start; f < start + count; f++) markUsed(fa, f);
      return start * PAGE_SIZE;
    }
  }
  return -1;
}

function checkFrame(fa: FrameAllocator, phys: number): number {
  if (phys % PAGE_SIZE !== 0) panic(`frame allocator: free of unaligned address 0x${phys.toString(16)}`);
  const frame = Math.floor(phys / PAGE_SIZE);
  if (phys < 0 || frame >= fa.frameCount || !testBit(fa.ownedMap, frame)) {
    panic(`frame allocator: free of foreign frame 0x${phys.toString(16)} (not allocatable memory)`);
  }
  if (testBit(fa.freeMap, frame)) panic(`frame allocator: double free of frame 0x${phys.toString(16)}`);
  return frame;
}

/** Returns a frame obtained from allocFrame or allocContiguous. */
export function freeFrame(fa: FrameAllocator, phys: number): void {
  const frame = checkFrame(fa, phys);
  setBit(fa.freeMap, frame);
  const w = Math.floor(frame / 32);
  setBit(fa.summaryMap, w);
  const s = Math.floor(w / 32);
  if (s < fa.hint) fa.hint = s;
  fa.freeFrames++;
}

export function freeContiguous(fa: FrameAllocator, phys: number, count: number): void {
  for (let i = 0; i < count; i++) freeFrame(fa, phys + i * PAGE_SIZE);
}

/** Whether the frame at `phys` is currently allocated from this allocator. */
export function frameInUse(fa: FrameAllocator, phys: number): boolean {
  const frame = Math.floor(phys / PAGE_SIZE);
  if (phys < 0 || frame >= fa.frameCount) return false;
  return testBit(fa.ownedMap, frame) && !testBit(fa.freeMap, frame);
}

/** Whether the frame at `phys` is free in this allocator. */
export function frameIsFree(fa: FrameAllocator, phys: number): boolean {
  const frame = Math.floor(phys / PAGE_SIZE);
  if (phys < 0 || frame >= fa.frameCount) return false;
  return testBit(fa.freeMap, frame);
}

function mib(bytes: number): number {
  return Math.floor((bytes + HALF_MIB) / MIB);
}

function mibUp(bytes: number): number {
  return Math.floor((bytes + MIB - 1) / MIB);
}

/** Prints `memory: <usable> MiB usable, <free> MiB free, <reserved> MiB reserved, kernel <k> MiB`. */
export function printFrameStats(fa: FrameAllocator): void {
  console.log(`memory: ${mib(fa.usableFrames * PAGE_SIZE)} MiB usable, ${mib(fa.freeFrames * PAGE_SIZE)} MiB free, ${mibUp(fa.reservedFrames * PAGE_SIZE)} MiB reserved, kernel ${mibUp(fa.kernelBytes)} MiB`);
}
