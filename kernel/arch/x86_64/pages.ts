// Zeroed, physically contiguous kernel pages for descriptor tables, IST stacks and thread stacks,
// as direct-map virtual addresses. The memory manager installs the real source at boot.
import { panic } from "../../../toolchain/lib/core.ts";
import { store32 } from "../../../toolchain/lib/mem.ts";

/** Returns the direct-map address of `count` contiguous free pages, or 0 when there are none. */
export type PageSource = (count: number) => number;
/** Returns `count` contiguous pages starting at a direct-map address to the allocator. */
export type PageSink = (addr: number, count: number) => void;

function noSource(count: number): number {
  void count;
  return 0;
}

function noSink(addr: number, count: number): void {
  void addr;
  void count;
}

let source: PageSource = noSource;
let sink: PageSink = noSink;

export function setPageSource(alloc: PageSource, free: PageSink): void {
  source = alloc;
  sink = free;
}

/** `count` zeroed pages; panics when memory is exhausted (callers run at boot or spawn time). */
export function allocKernelPages(count: number): number {
  const addr = source(count);
  if (addr === 0) panic("out of kernel pages");
  for (let off = 0; off < count * 4096; off += 4) store32(addr + off, 0);
  return addr;
}

/** Like allocKernelPages, but returns 0 instead of panicking. */
export function tryAllocKernelPages(count: number): number {
  const addr = source(count);
  if (addr === 0) return 0;
  for (let off = 0; off < count * 4096; off += 4) store32(addr + off, 0);
  return addr;
}

export function freeKernelPages(addr: number, count: number): void {
  sink(addr, count);
}
