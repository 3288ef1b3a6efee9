// x86-64 4-level paging: map, unmap, protect and translate on an address space, through the
// direct map. Page-table frames come from the address space's FrameSource (the kernel's frame
// allocator, kernel/mm/, which sits above this file) and go back to it when a table becomes empty. W^X holds for every mapping: writable pages are never executable.
//
// Virtual addresses are signed canonical numbers (see layout.ts), so table indices come from floor
// division of the address taken modulo 2^48, never from int32 shifts. Entries are bigint.
import { load64, store64 } from "../../../lang/mem.ts";
import { release } from "../../../lang/core.ts";
import { invlpg, readCr, wrmsr, writeCr, writeCr3 } from "./cpu.ts";
import { PAGE_SIZE, physToVirt } from "./layout.ts";

/**
 * Mapping permissions and caching; present is implied. Caching goes through the PAT, which
 * patInit programs: WriteThrough alone selects write-combining (entry 1), CacheDisable with
 * WriteThrough uncached (entry 3), neither write-back.
 */
export const enum PageFlags {
  None = 0,
  Writable = 1,
  User = 2,
  NoExecute = 4,
  Global = 8,
  WriteThrough = 16,
  CacheDisable = 32,
}

export const enum MapResult {
  Ok = 0,
  WriteExecute = 1,
  AlreadyMapped = 2,
  NoMemory = 3,
  Misaligned = 4,
  NonCanonical = 5,
  NotMapped = 6,
}

const ENTRY_PRESENT = 0x1n;
const ENTRY_WRITABLE = 0x2n;
const ENTRY_USER = 0x4n;
const ENTRY_WRITE_THROUGH = 0x8n;
const ENTRY_CACHE_DISABLE = 0x10n;
const ENTRY_HUGE = 0x80n;
const ENTRY_GLOBAL = 0x100n;
const ENTRY_NO_EXECUTE = 0x8000000000000000n;
/** Physical address bits 12..51 of an entry. */
const ADDR_MASK = 0x000ffffffffff000n;
/** The same without bit 12, which is the PAT selector in a huge entry. */
const HUGE_ADDR_MASK = 0x000fffffffffe000n;
/** Permission and caching bits copied when a huge page is split. */
const LEAF_BITS = 0x800000000000011fn;

const ENTRIES = 512;
const WALK_NO_MEMORY = 1;
const HALF_SPACE = 0x800000000000; // 2^47
const KERNEL_HALF_FIRST = 256; // first PML4 entry of the kernel half
const FULL_SPACE = 0x1000000000000; // 2^48
export const HUGE_PAGE_SIZE = 0x200000;
/** Bytes covered by one entry at level 0 (PT) .. 3 (PML4). */
function levelSpan(level: number): number {
  switch (level) {
    case 0: return 0x1000;
    case 1: return 0x200000;
    case 2: return 0x40000000;
    default: return 0x8000000000;
  }
}

/**
 * Where an address space's frames come from: physical page frames, handed out and taken back. The
 * kernel's frame allocator (kernel/mm/frame-allocator.ts) extends this; this base has none.
 */
export class FrameSource {
  /** A free frame's physical address, or -1 when there is none. */
  alloc(): number {
    return -1;
  }

  /** Takes back a frame `alloc` gave. */
  free(phys: number): void {
    void phys;
  }
}

export class AddressSpace {
  /** Physical address of the PML4. */
  root = 0;
  frames: FrameSource;
  /** Page-table frames this space holds, the root included. */
  tables = 0;

  constructor(frames: FrameSource) {
    this.frames = frames;
  }
}

function canonical(virt: number): boolean {
  return virt >= -HALF_SPACE && virt < HALF_SPACE;
}

/** Index into the table of `level` (3 = PML4 .. 0 = PT) for a canonical address. */
export function tableIndex(virt: number, level: number): number {
  const u = virt < 0 ? virt + FULL_SPACE : virt;
  return Math.floor(u / levelSpan(level)) % ENTRIES;
}

function entryAddr(tablePhys: number, index: number): number {
  return physToVirt(tablePhys) + index * 8;
}

function entryPhys(e: bigint): number {
  return Number(e & ADDR_MASK);
}

function present(e: bigint): boolean {
  return (e & ENTRY_PRESENT) !== 0n;
}

function huge(e: bigint): boolean {
  return (e & ENTRY_HUGE) !== 0n;
}

function zeroTable(phys: number): void {
  const v = physToVirt(phys);
  for (let i = 0; i < ENTRIES; i++) store64(v + i * 8, 0n);
}

function tableEmpty(phys: number): boolean {
  const v = physToVirt(phys);
  for (let i = 0; i < ENTRIES; i++) {
    if (load64(v + i * 8) !== 0n) return false;
  }
  return true;
}

function allocTable(space: AddressSpace): number {
  const f = space.frames.alloc();
  if (f < 0) return -1;
  zeroTable(f);
  space.tables++;
  return f;
}

function freeTable(space: AddressSpace, phys: number): void {
  space.frames.free(phys);
  space.tables--;
}

/** Entry bits of a leaf for `flags` (without the huge bit). */
function leafBits(flags: number): bigint {
  let e = ENTRY_PRESENT;
  if ((flags & PageFlags.Writable) !== 0) e = e | ENTRY_WRITABLE;
  if ((flags & PageFlags.User) !== 0) e = e | ENTRY_USER;
  if ((flags & PageFlags.NoExecute) !== 0) e = e | ENTRY_NO_EXECUTE;
  if ((flags & PageFlags.Global) !== 0) e = e | ENTRY_GLOBAL;
  if ((flags & PageFlags.WriteThrough) !== 0) e = e | ENTRY_WRITE_THROUGH;
  if ((flags & PageFlags.CacheDisable) !== 0) e = e | ENTRY_CACHE_DISABLE;
  return e;
}

function flagsOf(e: bigint): number {
  let f = 0;
  if ((e & ENTRY_WRITABLE) !== 0n) f = f | PageFlags.Writable;
  if ((e & ENTRY_USER) !== 0n) f = f | PageFlags.User;
  if ((e & ENTRY_NO_EXECUTE) !== 0n) f = f | PageFlags.NoExecute;
  if ((e & ENTRY_GLOBAL) !== 0n) f = f | PageFlags.Global;
  if ((e & ENTRY_WRITE_THROUGH) !== 0n) f = f | PageFlags.WriteThrough;
  if ((e & ENTRY_CACHE_DISABLE) !== 0n) f = f | PageFlags.CacheDisable;
  return f;
}

/** Intermediate entries allow everything; the leaf decides. User bit only in the lower half. */
function tableBits(virt: number): bigint {
  return virt >= 0 ? ENTRY_PRESENT | ENTRY_WRITABLE | ENTRY_USER : ENTRY_PRESENT | ENTRY_WRITABLE;
}

/** IA32_PAT. */
const MSR_PAT = 0x277;
/** The reset value with entry 1 (PWT alone) write-combining (1) instead of write-through (4). */
const PAT_WITH_WC = 0x0007040600070106n;

/** Makes PageFlags.WriteThrough alone mean write-combining (framebuffers); once, at boot. */
export function patInit(): void {
  wrmsr(MSR_PAT, PAT_WITH_WC);
}

/** Whether `space` is the one loaded in CR3 (so its TLB entries must be invalidated). */
export function isCurrent(space: AddressSpace): boolean {
  return Number(readCr(3) & ADDR_MASK) === space.root;
}

function flush(space: AddressSpace, virt: number): void {
  if (isCurrent(space)) invlpg(virt);
}

/** The root switchTo loaded last (0 before the first): CR3 known without reading it. */
let loadedRoot = 0;

/** Loads the space into CR3 (which flushes every non-global TLB entry). */
export function switchTo(space: AddressSpace): void {
  writeCr(3, BigInt(space.root));
  loadedRoot = space.root;
}

/**
 * Loads page-table root `root` into CR3 unless it is there already (the thread switch's case).
 * @inline
 */
export function loadRoot(root: number): void {
  if (root === loadedRoot) return;
  writeCr3(root);
  loadedRoot = root;
}

/** A new address space with an empty PML4, or null when memory is exhausted. */
export function createAddressSpace(frames: FrameSource): AddressSpace | null {
  const space = new AddressSpace(frames);
  const root = allocTable(space);
  if (root < 0) {
    release(space);
    return null;
  }
  space.root = root;
  return space;
}

/** Makes `dst` share the kernel half (PML4 entries 256..511) of `src`. */
export function shareKernelHalf(dst: AddressSpace, src: AddressSpace): void {
  for (let i = KERNEL_HALF_FIRST; i < ENTRIES; i++) store64(entryAddr(dst.root, i), load64(entryAddr(src.root, i)));
}

/**
 * Splits the huge entry at `slot` (a 2 MiB page when `level` is 1, 1 GiB when 2) into a table of
 * entries with the same permissions covering the same memory. Returns false when out of memory.
 */
function splitHuge(space: AddressSpace, slot: number, level: number, virt: number): boolean {
  const e = load64(slot);
  const table = allocTable(space);
  if (table < 0) return false;
  const base = Number(e & HUGE_ADDR_MASK);
  const bits = e & LEAF_BITS;
  const step = levelSpan(level - 1);
  const childHuge = level === 2 ? ENTRY_HUGE : 0n;
  for (let i = 0; i < ENTRIES; i++) {
    store64(entryAddr(table, i), BigInt(base + i * step) | bits | childHuge);
  }
  store64(slot, BigInt(table) | tableBits(virt));
  flush(space, virt);
  return true;
}

/**
 * Address (in the direct map) of the entry for `virt` at `level`, walking down from the PML4.
 * With `create`, missing tables are allocated and huge pages on the way are split; without it,
 * returns 0 when the walk ends early. Returns WALK_NO_MEMORY when a table cannot be allocated.
 * (Entry addresses are direct-map addresses, which are never 0 or 1.)
 */
function walk(space: AddressSpace, virt: number, level: number, create: boolean): number {
  let table = space.root;
  for (let l = 3; l > level; l--) {
    const slot = entryAddr(table, tableIndex(virt, l));
    let e = load64(slot);
    if (!present(e)) {
      if (!create) return 0;
      const t = allocTable(space);
      if (t < 0) return WALK_NO_MEMORY;
      e = BigInt(t) | tableBits(virt);
      store64(slot, e);
    } else if (huge(e) && l <= 2) {
      if (!create) return 0;
      if (!splitHuge(space, slot, l, virt)) return WALK_NO_MEMORY;
      e = load64(slot);
    }
    table = entryPhys(e);
  }
  return entryAddr(table, tableIndex(virt, level));
}

function checkRequest(virt: number, phys: number, flags: number, size: number): number {
  if (!canonical(virt) || !canonical(virt + size - 1)) return MapResult.NonCanonical;
  if (virt % size !== 0 || phys % size !== 0 || phys < 0) return MapResult.Misaligned;
  if ((flags & PageFlags.Writable) !== 0 && (flags & PageFlags.NoExecute) === 0) return MapResult.WriteExecute;
  return MapResult.Ok;
}

/** Maps the 4 KiB page at `virt` to the frame at `phys`. */
export function map(space: AddressSpace, virt: number, phys: number, flags: number): number {
  const r = checkRequest(virt, phys, flags, PAGE_SIZE);
  if (r !== MapResult.Ok) return r;
  const slot = walk(space, virt, 0, true);
  if (slot === WALK_NO_MEMORY) return MapResult.NoMemory;
  if (present(load64(slot))) return MapResult.AlreadyMapped;
  store64(slot, BigInt(phys) | leafBits(flags));
  return MapResult.Ok;
}

/** Maps a 2 MiB page (used for the direct map). The range must be unmapped. */
export function mapHuge(space: AddressSpace, virt: number, phys: number, flags: number): number {
  const r = checkRequest(virt, phys, flags, HUGE_PAGE_SIZE);
  if (r !== MapResult.Ok) return r;
  let table = space.root;
  for (let l = 3; l > 1; l--) {
    const slot = entryAddr(table, tableIndex(virt, l));
    let e = load64(slot);
    if (!present(e)) {
      const t = allocTable(space);
      if (t < 0) return MapResult.NoMemory;
      e = BigInt(t) | tableBits(virt);
      store64(slot, e);
    } else if (huge(e)) {
      return MapResult.AlreadyMapped;
    }
    table = entryPhys(e);
  }
  const slot = entryAddr(table, tableIndex(virt, 1));
  if (present(load64(slot))) return MapResult.AlreadyMapped;
  store64(slot, BigInt(phys) | leafBits(flags) | ENTRY_HUGE);
  return MapResult.Ok;
}

/** Maps [virt, virt+bytes) to [phys, ...) with 4 KiB pages; stops at the first failure. */
export function mapRange(space: AddressSpace, virt: number, phys: number, bytes: number, flags: number): number {
  for (let off = 0; off < bytes; off += PAGE_SIZE) {
    const r = map(space, virt + off, phys + off, flags);
    if (r !== MapResult.Ok) return r;
  }
  return MapResult.Ok;
}

/** Frees the tables above the PT that `virt` goes through, bottom up, while they are empty. */
function freeEmptyTables(space: AddressSpace, virt: number): void {
  // Kernel-half PDPTs stay: every address space shares them through its PML4.
  const topLevel = virt < 0 ? 2 : 3;
  for (let level = 1; level <= topLevel; level++) {
    const slot = walk(space, virt, level, false);
    if (slot === 0) return;
    const child = entryPhys(load64(slot));
    if (!tableEmpty(child)) return;
    store64(slot, 0n);
    freeTable(space, child);
  }
}

/**
 * Removes the mapping of the 4 KiB page at `virt` (splitting a huge page if needed) and returns
 * the physical address it mapped, or -1 if nothing was mapped. Tables left empty are freed.
 */
export function unmap(space: AddressSpace, virt: number): number {
  if (!canonical(virt) || virt % PAGE_SIZE !== 0) return -1;
  if (translate(space, virt) < 0) return -1;
  const slot = walk(space, virt, 0, true);
  if (slot === WALK_NO_MEMORY) return -1;
  const e = load64(slot);
  store64(slot, 0n);
  flush(space, virt);
  freeEmptyTables(space, virt);
  return entryPhys(e);
}

/** Changes the permissions of the mapped 4 KiB page at `virt`. */
export function protect(space: AddressSpace, virt: number, flags: number): number {
  const r = checkRequest(virt, 0, flags, PAGE_SIZE);
  if (r !== MapResult.Ok) return r;
  if (translate(space, virt) < 0) return MapResult.NotMapped;
  const slot = walk(space, virt, 0, true);
  if (slot === WALK_NO_MEMORY) return MapResult.NoMemory;
  const e = load64(slot);
  store64(slot, (e & ADDR_MASK) | leafBits(flags));
  flush(space, virt);
  return MapResult.Ok;
}

/** Level of the leaf entry mapping `virt`: 0 for a 4 KiB page, 1 for 2 MiB, 2 for 1 GiB; -1 if unmapped. */
function leafLevel(space: AddressSpace, virt: number): number {
  let table = space.root;
  for (let l = 3; l >= 0; l--) {
    const e = load64(entryAddr(table, tableIndex(virt, l)));
    if (!present(e)) return -1;
    if (l === 0 || (huge(e) && l <= 2)) return l;
    table = entryPhys(e);
  }
  return -1;
}

/** The leaf entry mapping `virt` (any page size), or 0n: one walk. */
function leafEntry(space: AddressSpace, virt: number): bigint {
  let table = space.root;
  for (let l = 3; l >= 0; l--) {
    const e = load64(entryAddr(table, tableIndex(virt, l)));
    if (!present(e)) return 0n;
    if (l === 0 || (huge(e) && l <= 2)) return e;
    table = entryPhys(e);
  }
  return 0n;
}

/** Physical address of unsigned address `u` under leaf entry `e` found at level `l`. */
function leafPhys(e: bigint, l: number, u: number): number {
  if (l === 0) return entryPhys(e) + (u % PAGE_SIZE);
  const span = levelSpan(l);
  const base = Number(e & HUGE_ADDR_MASK);
  return base - (base % span) + (u % span);
}

/** Physical address `virt` maps to, or -1 when it is not mapped. */
export function translate(space: AddressSpace, virt: number): number {
  if (!canonical(virt)) return -1;
  let table = space.root;
  const u = virt < 0 ? virt + FULL_SPACE : virt;
  for (let l = 3; l >= 0; l--) {
    const e = load64(entryAddr(table, tableIndex(virt, l)));
    if (!present(e)) return -1;
    if (l === 0 || (huge(e) && l <= 2)) return leafPhys(e, l, u);
    table = entryPhys(e);
  }
  return -1;
}

/** PageFlags of the mapping of `virt`, or -1 when it is not mapped. */
export function pageFlags(space: AddressSpace, virt: number): number {
  if (!canonical(virt)) return -1;
  const e = leafEntry(space, virt);
  return present(e) ? flagsOf(e) : -1;
}

/**
 * Physical address of the 4 KiB user page `page` (page-aligned) when it is mapped for user
 * access, and writable if `write`; -1 otherwise. One walk, where pageFlags then translate take
 * two (a message window checks and maps its pages this way).
 */
export function translateUserPage(space: AddressSpace, page: number, write: boolean): number {
  if (!canonical(page) || page < 0) return -1;
  let table = space.root;
  for (let l = 3; l >= 0; l--) {
    const e = load64(entryAddr(table, tableIndex(page, l)));
    if (!present(e) || (e & ENTRY_USER) === 0n) return -1;
    if (l === 0 || (huge(e) && l <= 2)) return write && (e & ENTRY_WRITABLE) === 0n ? -1 : leafPhys(e, l, page);
    table = entryPhys(e);
  }
  return -1;
}

/** Whether `virt` is mapped by a 2 MiB or 1 GiB page. */
export function mappedHuge(space: AddressSpace, virt: number): boolean {
  return canonical(virt) && leafLevel(space, virt) > 0;
}

/** Frees every table of the user half and the root; the mapped frames are the caller's. */
export function destroyAddressSpace(space: AddressSpace): void {
  for (let i = 0; i < KERNEL_HALF_FIRST; i++) {
    const e = load64(entryAddr(space.root, i));
    if (present(e)) freeSubtree(space, entryPhys(e), 2);
  }
  freeTable(space, space.root);
  space.root = 0;
}

function freeSubtree(space: AddressSpace, table: number, level: number): void {
  if (level > 0) {
    for (let i = 0; i < ENTRIES; i++) {
      const e = load64(entryAddr(table, i));
      if (present(e) && !huge(e)) freeSubtree(space, entryPhys(e), level - 1);
    }
  }
  freeTable(space, table);
}

