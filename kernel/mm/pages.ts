// Zeroed, physically contiguous kernel pages for descriptor tables, IST stacks and thread stacks,
// as direct-map virtual addresses, from the physical frame allocator.
//
// Stacks get a guard page: one extra page below the stack whose direct-map mapping is removed, so
// an overflow faults (#PF, reported from the #DF IST stack if need be) instead of silently
// overwriting the neighbouring frame. Unmapping needs the kernel address space; until it is given
// (usePageAllocator) the guard page is still reserved but stays mapped.
import { panic } from "../../lang/core.ts";
import { store32 } from "../../lang/mem.ts";
import { FrameAllocator, allocContiguous, freeContiguous } from "./frame-allocator.ts";
import { PAGE_SIZE, physToVirt, virtToPhys } from "../arch/x86_64/layout.ts";
import { AddressSpace, map, MapResult, PageFlags, unmap } from "../arch/x86_64/paging.ts";

let frames: FrameAllocator | null = null;
/** The address space whose direct map loses the guard pages (the kernel's), once known. */
let guardSpace: AddressSpace | null = null;
/** Pages handed out and not yet returned (for leak checks). */
export let kernelPagesInUse = 0;

/**
 * Makes `fa` the source of kernel pages (done once the frame allocator is built) and, when
 * `space` is given, unmaps each stack's guard page from its direct map.
 */
export function usePageAllocator(fa: FrameAllocator, space: AddressSpace | null): void {
  frames = fa;
  guardSpace = space;
}

function zero(addr: number, count: number): void {
  for (let off = 0; off < count * PAGE_SIZE; off += 4) store32(addr + off, 0);
}

/** `count` zeroed contiguous pages, or 0 when memory is exhausted. */
export function tryAllocKernelPages(count: number): number {
  if (frames === null) return 0;
  const phys = allocContiguous(frames, count, 1);
  if (phys < 0) return 0;
  const addr = physToVirt(phys);
  zero(addr, count);
  kernelPagesInUse += count;
  return addr;
}

/** `count` zeroed contiguous pages; panics when memory is exhausted (boot-time users). */
export function allocKernelPages(count: number): number {
  const addr = tryAllocKernelPages(count);
  if (addr === 0) panic("out of kernel pages (or no frame allocator yet)");
  return addr;
}

export function freeKernelPages(addr: number, count: number): void {
  if (frames === null) return;
  freeContiguous(frames, virtToPhys(addr), count);
  kernelPagesInUse -= count;
}

/**
 * A stack of `pages` pages above a guard page; returns the lowest usable address (the stack top is
 * that plus pages * PAGE_SIZE), or 0 when memory is exhausted.
 */
export function allocGuardedStack(pages: number): number {
  const guard = tryAllocKernelPages(pages + 1);
  if (guard === 0) return 0;
  if (guardSpace !== null && unmap(guardSpace!, guard) < 0) panic("could not unmap a stack guard page");
  return guard + PAGE_SIZE;
}

export function freeGuardedStack(base: number, pages: number): void {
  const guard = base - PAGE_SIZE;
  const flags = PageFlags.Writable | PageFlags.NoExecute | PageFlags.Global;
  if (guardSpace !== null && map(guardSpace!, guard, virtToPhys(guard), flags) !== MapResult.Ok) {
    panic("could not remap a stack guard page");
  }
  freeKernelPages(guard, pages + 1);
}
