// Memory objects: a fixed set of zeroed frames that capabilities name and that can be mapped into
// several address spaces at once, each mapping with its own rights (read-only or read-write; W^X
// per mapping). The frames are reference-counted by their mappings plus the object itself: they
// go back to the allocator when the last capability has gone and the last mapping is removed, in
// whichever order that happens.
//
// Two other kinds share the same calls (MemoryKind): device memory, a physical range that is not
// RAM (registers, a framebuffer), claimed through the device control object, mapped uncached or
// write-combining and never freed to the allocator; and DMA memory, contiguous frames whose
// physical address the holder may ask for, so that it can program a device with it.
//
// The object header (kernel/cap/object.ts) dies with its last capability; the frames live in a
// MemoryRecord of this module's own table, which the header names through `index`, so a mapping
// can outlive the header. The table has no fixed size: it doubles when full, and every record is
// charged to its creator's quota with its frames, so the number of memory objects is bounded by
// quotas alone and one process filling its own quota leaves room for everyone else.
import { release } from "../../lang/core.ts";
import { store64 } from "../../lang/mem.ts";
import { CapTable, lookupCap, lookupError } from "../cap/cap-table.ts";
import { capInstallRoot } from "../cap/cdt.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { KernelObject, objectCreate, objectCreateBacked, objectDestroy } from "../cap/object.ts";
import { flagsValid, Right, RIGHTS_ALL } from "../../abi/rights.ts";
import { allocContiguous, allocFrame, FrameAllocator, freeFrame } from "../mm/frame-allocator.ts";
import { PAGE_SIZE, physToVirt } from "../arch/x86_64/layout.ts";
import { AddressSpace, map, MapResult, PageFlags, translate, unmap } from "../arch/x86_64/paging.ts";
import { ObjectType } from "../../abi/object-type.ts";
import type { Message } from "../cap/message.ts";
import { Method } from "../../abi/message.ts";
import { RecordTable, recordAdd, recordAt, recordRemove } from "./record-table.ts";

/** Largest memory object, in pages (1 MiB). */
export const MAX_MEMORY_PAGES = 256;
/** Slots of the record table at first; it doubles whenever it is full. */
const INITIAL_RECORD_SLOTS = 64;
/** Kernel memory charged per page: the frame itself and its entry here. */
export const MEMORY_PAGE_COST = PAGE_SIZE + 16;
/** Kernel memory charged per object besides its header and pages: the record, its frame array's header, its table slot (twice, as the table doubles). */
export const MEMORY_RECORD_COST = 64;

/** What backs a memory object. */
export const enum MemoryKind {
  /** Zeroed frames from the kernel's allocator. */
  Ram = 0,
  /** A physical range that is not RAM (device registers, a framebuffer): never the kernel's. */
  Device = 1,
  /** Physically contiguous zeroed frames whose address the holder may learn, for device DMA. */
  Dma = 2,
}

export class MemoryRecord {
  frames: number[];
  pages: number;
  kind: number = MemoryKind.Ram;
  /** Device: first physical address (the frames are base + i * PAGE_SIZE, not in `frames`). */
  base = 0;
  /** Device: page flags for caching (PageFlags.CacheDisable and/or WriteThrough). */
  cacheFlags = 0;
  /** Mappings in any address space. */
  mappings = 0;
  /** The object header is alive (some capability names it). */
  named = true;

  constructor(pages: number, framed: boolean) {
    this.pages = pages;
    this.frames = new Array<number>(framed ? pages : 0).fill(-1);
  }
}

/** Physical address of page `i` of `r`. */
export function memoryFrame(r: MemoryRecord, i: number): number {
  return r.kind === MemoryKind.Device ? r.base + i * PAGE_SIZE : r.frames[i]!;
}

class ShmState {
  records = new RecordTable<MemoryRecord>(INITIAL_RECORD_SLOTS);
  frames: FrameAllocator | null = null;
  /** Frames held by memory objects, for leak checks. */
  framesHeld = 0;
}

const shm = new ShmState();

/**
 * The allocator memory objects take their frames from (the kernel's; host tests give theirs, or
 * null to check that the kernel's is taken when none was given).
 */
export function shmInit(frames: FrameAllocator | null): void {
  shm.frames = frames;
}

export function shmFramesHeld(): number {
  return shm.framesHeld;
}

export function memoryRecord(index: number): MemoryRecord | null {
  return recordAt(shm.records, index);
}

function freeRecord(index: number): void {
  const r = recordAt(shm.records, index)!;
  for (let i = 0; i < r.frames.length; i++) {
    if (r.frames[i]! >= 0) {
      freeFrame(shm.frames!, r.frames[i]!);
      shm.framesHeld--;
    }
  }
  recordRemove(shm.records, index);
  release(r.frames);
  release(r);
}

/** Creates a memory object of `pages` zeroed pages: handle (all rights) or -error. */
export function memoryCreate(t: CapTable, pages: number): number {
  if (pages <= 0 || pages > MAX_MEMORY_PAGES) return -ErrorCode.InvalidArgument;
  return createFramed(t, pages, MemoryKind.Ram);
}

/**
 * Creates a DMA memory object: `pages` physically contiguous zeroed pages (MemoryPhys tells its
 * address). NoMemory when no contiguous run is free.
 */
export function memoryCreateDma(t: CapTable, pages: number): number {
  if (pages <= 0 || pages > MAX_MEMORY_PAGES) return -ErrorCode.InvalidArgument;
  return createFramed(t, pages, MemoryKind.Dma);
}

function createFramed(t: CapTable, pages: number, kind: number): number {
  if (shm.frames === null) return -ErrorCode.QuotaExceeded;
  // The frames are charged to the quota but come from the frame allocator, not the kernel heap.
  const obj = objectCreateBacked(ObjectType.MemoryObject, t.account, MEMORY_RECORD_COST + pages * (MEMORY_PAGE_COST - PAGE_SIZE), pages * PAGE_SIZE);
  if (obj === null) return -ErrorCode.QuotaExceeded;
  const r = new MemoryRecord(pages, true);
  r.kind = kind;
  const index = recordAdd(shm.records, r);
  obj.index = index;
  const run = kind === MemoryKind.Dma ? allocContiguous(shm.frames!, pages, 1) : 0;
  for (let i = 0; i < pages; i++) {
    const phys = kind === MemoryKind.Dma ? (run < 0 ? -1 : run + i * PAGE_SIZE) : allocFrame(shm.frames!);
    if (phys < 0) {
      // Out of frames: nothing names the header yet, so it goes at once.
      r.named = false;
      freeRecord(index);
      obj.index = -1;
      objectDestroy(obj);
      return kind === MemoryKind.Dma ? -ErrorCode.NoMemory : -ErrorCode.QuotaExceeded;
    }
    r.frames[i] = phys;
    shm.framesHeld++;
    const v = physToVirt(phys);
    for (let off = 0; off < PAGE_SIZE; off += 8) store64(v + off, 0n);
  }
  return capInstallRoot(t, obj, RIGHTS_ALL);
}

/** Largest device memory object, in pages (256 MiB: a large framebuffer or PCI BAR). */
export const MAX_DEVICE_PAGES = 65536;

/**
 * Creates a memory object over the physical range [phys, phys + pages * PAGE_SIZE), which the
 * caller (device-control.ts) has checked is not RAM nor the kernel's; `cacheFlags` are the page
 * flags its mappings get. Busy when another device memory object overlaps it.
 */
export function memoryCreateDevice(t: CapTable, phys: number, pages: number, cacheFlags: number): number {
  for (let i = 0; i < shm.records.slots.length; i++) {
    const o = shm.records.slots[i]!;
    if (o !== null && o.kind === MemoryKind.Device && phys < o.base + o.pages * PAGE_SIZE && o.base < phys + pages * PAGE_SIZE) {
      return -ErrorCode.Busy;
    }
  }
  const obj = objectCreate(ObjectType.MemoryObject, t.account, MEMORY_RECORD_COST);
  if (obj === null) return -ErrorCode.QuotaExceeded;
  const r = new MemoryRecord(pages, false);
  r.kind = MemoryKind.Device;
  r.base = phys;
  r.cacheFlags = cacheFlags;
  const index = recordAdd(shm.records, r);
  obj.index = index;
  return capInstallRoot(t, obj, RIGHTS_ALL);
}

/** Pages of the memory object `h` names, or -error. */
function memorySize(t: CapTable, h: number): number {
  const e = lookupError(t, h, ObjectType.MemoryObject, 0);
  if (e !== ErrorCode.Ok) return -e;
  return memoryRecord(lookupCap(t, h).object.index)!.pages;
}

/** Mapping rights a caller may ask for: Read, Write, Execute (Read is implied). */
export const MAP_RIGHTS = Right.Read | Right.Write | Right.Execute;

/**
 * Maps every page of the memory object `h` at page-aligned `addr` in `space` with `rights`
 * (Right.Read | Right.Write | Right.Execute, at most the capability's, which needs Map; never
 * Write with Execute). The range [addr, limit) must be free. Returns the record index or -error.
 */
export function memoryMap(t: CapTable, h: number, space: AddressSpace, addr: number, rights: number, limit: number): number {
  if (!flagsValid(rights, MAP_RIGHTS) || (rights & Right.Read) === 0) return -ErrorCode.InvalidArgument;
  if ((rights & Right.Write) !== 0 && (rights & Right.Execute) !== 0) return -ErrorCode.InvalidArgument;
  const e = lookupError(t, h, ObjectType.MemoryObject, Right.Map | rights);
  if (e !== ErrorCode.Ok) return -e;
  const index = lookupCap(t, h).object.index;
  const r = memoryRecord(index)!;
  if (r.kind === MemoryKind.Device && (rights & Right.Execute) !== 0) return -ErrorCode.InvalidArgument;
  const len = r.pages * PAGE_SIZE;
  if (addr % PAGE_SIZE !== 0 || addr < PAGE_SIZE || addr + len > limit) return -ErrorCode.InvalidArgument;
  // A range already mapped is an invalid argument, as for map (docs/syscalls.md, error codes).
  for (let i = 0; i < r.pages; i++) if (translate(space, addr + i * PAGE_SIZE) >= 0) return -ErrorCode.InvalidArgument;
  let flags = PageFlags.User;
  if ((rights & Right.Write) !== 0) flags |= PageFlags.Writable;
  if ((rights & Right.Execute) === 0) flags |= PageFlags.NoExecute;
  flags |= r.cacheFlags;
  for (let i = 0; i < r.pages; i++) {
    const m = map(space, addr + i * PAGE_SIZE, memoryFrame(r, i), flags);
    if (m !== MapResult.Ok) {
      for (let j = 0; j < i; j++) unmap(space, addr + j * PAGE_SIZE);
      return -ErrorCode.QuotaExceeded;
    }
  }
  r.mappings++;
  return index;
}

/** Removes a mapping memoryMap made of record `index` at `addr`; frees the frames if it was the last. */
export function memoryUnmap(space: AddressSpace, addr: number, index: number): void {
  const r = memoryRecord(index)!;
  for (let i = 0; i < r.pages; i++) unmap(space, addr + i * PAGE_SIZE);
  r.mappings--;
  if (r.mappings === 0 && !r.named) freeRecord(index);
}

export function destroyMemory(obj: KernelObject): void {
  const index = obj.index;
  obj.index = -1;
  const r = memoryRecord(index);
  if (r === null) return;
  r.named = false;
  if (r.mappings === 0) freeRecord(index);
}

/**
 * A memory object's methods (object-type.ts): MemorySize answers the pages in words[0];
 * MemoryPhys (Read) the physical address of a DMA object (InvalidArgument for any other kind).
 */
export function memoryInvoke(t: CapTable, h: number, m: Message): ErrorCode {
  if (m.label === Method.MemoryPhys) {
    const e = lookupError(t, h, ObjectType.MemoryObject, Right.Read);
    if (e !== ErrorCode.Ok) return e;
    const r = memoryRecord(lookupCap(t, h).object.index)!;
    if (r.kind !== MemoryKind.Dma) return ErrorCode.InvalidArgument;
    m.words[0] = BigInt(r.frames[0]!);
    return ErrorCode.Ok;
  }
  if (m.label !== Method.MemorySize) return ErrorCode.InvalidArgument;
  const r = memorySize(t, h);
  if (r < 0) return -r;
  m.words[0] = BigInt(r);
  return ErrorCode.Ok;
}
