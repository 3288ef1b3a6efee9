import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { attachMemory, detachAllMemory } from "../../../lang/host/memory.ts";
import { load32, store32 } from "../../../lang/mem.ts";
import { DIRECT_MAP_BASE, PAGE_SIZE, physToVirt, virtToPhys } from "../../../kernel/arch/x86_64/layout.ts";
import { createAddressSpace, map, MapResult, PageFlags, translate } from "../../../kernel/arch/x86_64/paging.ts";
import { buildFrameAllocator, frameInUse, frameIsFree } from "../../../kernel/mm/frame-allocator.ts";
import {
  allocGuardedStack, allocKernelPages, freeGuardedStack, freeKernelPages, kernelPagesInUse, tryAllocKernelPages, usePageAllocator,
} from "../../../kernel/mm/pages.ts";
import { MiB, makeBootInfo, usable } from "./helpers.ts";

const KSTART = 0x200000;
const KEND = 0x400000;

type Frames = ReturnType<typeof buildFrameAllocator>;
let frames: Frames | null = null;
function fa(): Frames {
  return frames!;
}

beforeEach(() => {
  detachAllMemory();
  attachMemory(DIRECT_MAP_BASE, 8 * MiB);
  frames = buildFrameAllocator(makeBootInfo([usable(0, 0x9f000), usable(MiB, 7 * MiB)]), KSTART, KEND);
  usePageAllocator(frames, null);
});
afterEach(() => detachAllMemory());

describe("kernel pages", () => {
  it("hands out zeroed, contiguous direct-map pages and takes them back", () => {
    const base = allocKernelPages(3);
    expect(base).toBeLessThan(0); // a direct-map (higher-half) address
    expect((base - DIRECT_MAP_BASE) % PAGE_SIZE).toBe(0);
    for (let off = 0; off < 3 * PAGE_SIZE; off += 4) expect(load32(base + off)).toBe(0);
    for (let i = 0; i < 3; i++) expect(frameInUse(fa(), virtToPhys(base + i * PAGE_SIZE))).toBe(true);
    const before = kernelPagesInUse;
    store32(base, 0xdeadbeef);
    freeKernelPages(base, 3);
    expect(kernelPagesInUse).toBe(before - 3);
    expect(frameIsFree(fa(), virtToPhys(base))).toBe(true);
    // Memory that comes back is zeroed again.
    const again = allocKernelPages(3);
    expect(load32(again)).toBe(0);
  });

  it("reports exhaustion", () => {
    expect(tryAllocKernelPages(4096)).toBe(0);
    expect(() => allocKernelPages(4096)).toThrow(/out of kernel pages/);
  });

  it("puts an unmapped guard page below each stack and restores it on free", () => {
    // An address space whose direct map covers the simulated RAM, as the kernel's does.
    const space = createAddressSpace(fa())!;
    const flags = PageFlags.Writable | PageFlags.NoExecute | PageFlags.Global;
    for (let phys = 0; phys < 8 * MiB; phys += PAGE_SIZE) expect(map(space, physToVirt(phys), phys, flags)).toBe(MapResult.Ok);
    usePageAllocator(fa(), space);
    const base = allocGuardedStack(4);
    expect(translate(space, base - PAGE_SIZE)).toBe(-1);
    expect(translate(space, base)).toBe(virtToPhys(base));
    // The guard frame stays allocated while the stack lives, so nobody else gets it.
    expect(frameInUse(fa(), virtToPhys(base - PAGE_SIZE))).toBe(true);
    freeGuardedStack(base, 4);
    expect(translate(space, base - PAGE_SIZE)).toBe(virtToPhys(base - PAGE_SIZE));
    expect(frameIsFree(fa(), virtToPhys(base - PAGE_SIZE))).toBe(true);
    expect(frameIsFree(fa(), virtToPhys(base + 3 * PAGE_SIZE))).toBe(true);
  });

  it("panics when a guard page cannot be unmapped", () => {
    // Nothing is mapped in this space, so the guard page's unmap fails.
    usePageAllocator(fa(), createAddressSpace(fa())!);
    expect(() => allocGuardedStack(1)).toThrow(/guard page/);
  });
});
