// The user memory allocator, on top of the map and unmap system calls. Small blocks come from
// power-of-two size classes (16 bytes to 32 KiB) carved out of 64 KiB chunks that the heap maps
// one after another upward from HEAP_BASE; freed blocks go to their class's free list. Larger
// requests get a region of their own, returned to the kernel on free.
//
// Every block is preceded by a 16-byte header: its class and requested size; for a region, minus
// its mapped length and the requested size. Free blocks hold the next free block's address in their first word.
import { load32, store32 } from "../../lang/mem.ts";
import { MapFlag, mapMemory, unmapMemory } from "./sys.ts";

export const HEAP_BASE = 0x10000000;
/** Upper end of the heap's address range (1 GiB of addresses). */
export const HEAP_LIMIT = 0x50000000;
export const CHUNK = 0x10000;
const PAGE = 4096;
const HEADER = 16;
const CLASSES = 12; // 16 << 11 = 32 KiB
const TWO32 = 4294967296;

export class Heap {
  base: number;
  limit: number;
  /** Next unused address for chunks or regions; the current chunk's free tail. */
  top: number;
  chunkNext = 0;
  chunkEnd = 0;
  freeLists: number[] = new Array<number>(CLASSES).fill(0);
  /** Bytes handed out and not freed (headers excluded), and blocks live. */
  liveBytes = 0;
  liveBlocks = 0;
  mappedBytes = 0;

  constructor(base: number, limit: number) {
    this.base = base;
    this.limit = limit;
    this.top = base;
  }
}

function storeWord(addr: number, v: number): void {
  store32(addr, v >>> 0);
  store32(addr + 4, Math.floor(v / TWO32) >>> 0);
}

function loadWord(addr: number): number {
  const hi = load32(addr + 4);
  const signedHi = hi >= 0x80000000 ? hi - TWO32 : hi;
  return signedHi * TWO32 + load32(addr);
}

function classOf(size: number): number {
  let c = 0;
  while ((16 << c) < size) c++;
  return c;
}

function mapMore(h: Heap, len: number): number {
  if (h.top + len > h.limit) return 0;
  const at = h.top;
  if (mapMemory(at, len, MapFlag.Writable) !== 0) return 0;
  h.top += len;
  h.mappedBytes += len;
  return at;
}

/** `size` bytes, 16-byte aligned and zeroed when fresh from the kernel; 0 when memory runs out. */
export function heapAlloc(h: Heap, size: number): number {
  if (size <= 0) size = 1;
  const c = classOf(size);
  if (c >= CLASSES) {
    const len = Math.floor((size + HEADER + PAGE - 1) / PAGE) * PAGE;
    const at = mapMore(h, len);
    if (at === 0) return 0;
    storeWord(at, -len);
    storeWord(at + 8, size);
    h.liveBytes += size;
    h.liveBlocks++;
    return at + HEADER;
  }
  const blockSize = (16 << c) + HEADER;
  let block = h.freeLists[c]!;
  if (block !== 0) {
    h.freeLists[c] = loadWord(block + HEADER);
    for (let off = 0; off < 16 << c; off += 4) store32(block + HEADER + off, 0);
  } else {
    if (h.chunkNext + blockSize > h.chunkEnd) {
      const chunk = mapMore(h, CHUNK);
      if (chunk === 0) return 0;
      h.chunkNext = chunk;
      h.chunkEnd = chunk + CHUNK;
    }
    block = h.chunkNext;
    h.chunkNext += blockSize;
  }
  storeWord(block, c);
  storeWord(block + 8, size);
  h.liveBytes += size;
  h.liveBlocks++;
  return block + HEADER;
}

/** Returns a block from heapAlloc. */
export function heapFree(h: Heap, addr: number): void {
  if (addr === 0) return;
  const block = addr - HEADER;
  const c = loadWord(block);
  if (c < 0) {
    const len = -c;
    h.liveBlocks--;
    h.liveBytes -= loadWord(block + 8);
    unmapMemory(block, len);
    h.mappedBytes -= len;
    return;
  }
  if (c < 0 || c >= CLASSES) throw new Error("heapFree: not a heap block");
  h.liveBytes -= loadWord(block + 8);
  h.liveBlocks--;
  storeWord(addr, h.freeLists[c]!);
  h.freeLists[c] = block;
}

/** The program's heap. */
export const heap = new Heap(HEAP_BASE, HEAP_LIMIT);

export function malloc(size: number): number {
  return heapAlloc(heap, size);
}

export function free(addr: number): void {
  heapFree(heap, addr);
}

/**
 * Gives the collected heap of the user runtime (toolchain/runtime/keel_gc.c) a region of `bytes`
 * bytes (a multiple of 4096) mapped from this heap's address range; 0 when there is none. Without
 * it a program's managed heap is its 256 KiB static arena.
 * @export keel_heap_more
 */
export function runtimeHeapMore(bytes: number): number {
  return mapMore(heap, bytes);
}
