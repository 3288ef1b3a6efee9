// Zeroed, physically contiguous kernel pages for descriptor tables, IST stacks and thread stacks,
// as direct-map virtual addresses, from the physical frame allocator.
//
// Stacks get a guard page: one extra page below the stack whose direct-map mapping is removed, so
// an overflow faults (#PF, reported from the #DF IST stack if need be) instead of silently
// overwriting the neighbouring frame. Unmapping needs the kernel address space; until it is given
// (setGuardPageHooks) the guard page is still reserved but stays mapped.
import { panic } from "../../../lang/core.ts";
import { store32 } from "../../../lang/mem.ts";
import { FrameAllocator, allocContiguous, freeContiguous } from "../../mm/frame-allocator.ts";
import { PAGE_SIZE, physToVirt, virtToPhys } from "../../mm/layout.ts";

/** Removes (or restores) the mapping of the page at a direct-map address; false on failure. */
export type GuardHook = (virt: number) => boolean;

function noGuard(virt: number): boolean {
  void virt;
  return false;
}

let frames: FrameAllocator | null = null;
let unmapGuard: GuardHook = noGuard;
let remapGuard: GuardHook = noGuard;
let guardsActive = false;
/** Pages handed out and not yet returned (for leak checks). */
export let kernelPagesInUse = 0;

/** Makes `fa` the source of kernel pages (done once the frame allocator is built). */
export function usePageAllocator(fa: FrameAllocator): void {
  frames = fa;
}

/** Installs the functions that unmap and remap a guard page in the kernel's direct map. */
export function setGuardPageHooks(unmap: GuardHook, remap: GuardHook): void {
  unmapGuard = unmap;
  remapGuard = remap;
  guardsActive = true;
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
  if (guardsActive && !unmapGuard(guard)) panic("could not unmap a stack guard page");
  return guard + PAGE_SIZE;
}

export function freeGuardedStack(base: number, pages: number): void {
  const guard = base - PAGE_SIZE;
  if (guardsActive && !remapGuard(guard)) panic("could not remap a stack guard page");
  freeKernelPages(guard, pages + 1);
}
