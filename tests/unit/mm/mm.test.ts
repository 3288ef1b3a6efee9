import { describe, it, expect, beforeEach, vi } from "vitest";
import { attachMemory, detachAllMemory } from "../../../lang/host/memory.ts";
import { resetFakeCpu, type FakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { DIRECT_MAP_BASE, KERNEL_BASE } from "../../../kernel/arch/x86_64/layout.ts";
import { memoryInit, kernelAddressSpace, kernelFrames, mapDeviceMemory } from "../../../kernel/mm/mm.ts";
import { translate, pageFlags, mappedHuge, PageFlags } from "../../../kernel/arch/x86_64/paging.ts";
import { frameInUse, frameIsFree, freeFrame } from "../../../kernel/mm/frame-allocator.ts";
import { makeBootInfo, usable, reserved, MiB } from "./helpers.ts";
import { addBootError, BootError } from "../../../kernel/boot/bootinfo.ts";

let cpu: FakeCpu;
const K = KERNEL_BASE + 0x200000;

beforeEach(() => {
  detachAllMemory();
  cpu = resetFakeCpu();
  attachMemory(DIRECT_MAP_BASE, 16 * MiB);
  // text 0x200000-0x205000, rodata -0x207000, data -0x208000, bss -0x20a000
  cpu.sections = [K, K + 0x5000, K + 0x7000, K + 0x8000, K + 0xa000, K + 0xa000];
  cpu.cr[0] = 0x80000011n;
});

function init() {
  const info = makeBootInfo([usable(0, 0x9f000), reserved(0xf0000, 0x10000), usable(MiB, 15 * MiB)], [[0x400000, 0x405000]]);
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  memoryInit(info);
  const lines = log.mock.calls.map((c) => String(c[0]));
  log.mockRestore();
  return lines;
}

describe("memoryInit", () => {
  it("switches to the kernel address space with WP, NXE and global pages enabled", () => {
    init();
    const space = kernelAddressSpace();
    expect(cpu.cr[3]).toBe(BigInt(space.root));
    expect(cpu.cr[0]! & 0x10000n).toBe(0x10000n);
    expect(cpu.cr[0]! & 0x80000011n).toBe(0x80000011n); // other bits kept
    expect(cpu.cr[4]! & 0x80n).toBe(0x80n);
    expect(cpu.msrs.get(0xc0000080)! & 0x800n).toBe(0x800n);
    expect(frameInUse(kernelFrames(), space.root)).toBe(true);
  });

  it("maps the kernel sections with their own permissions", () => {
    init();
    const s = kernelAddressSpace();
    expect(translate(s, K)).toBe(0x200000);
    expect(translate(s, K + 0x4fff)).toBe(0x204fff);
    expect(pageFlags(s, K)).toBe(PageFlags.Global);
    expect(pageFlags(s, K + 0x5000)).toBe(PageFlags.Global | PageFlags.NoExecute);
    expect(pageFlags(s, K + 0x7000)).toBe(PageFlags.Global | PageFlags.NoExecute | PageFlags.Writable);
    expect(pageFlags(s, K + 0x9000)).toBe(PageFlags.Global | PageFlags.NoExecute | PageFlags.Writable);
    expect(translate(s, K + 0xa000)).toBe(-1);
    expect(translate(s, KERNEL_BASE)).toBe(-1);
  });

  it("direct-maps the low 4 GiB with 2 MiB pages, writable and not executable", () => {
    init();
    const s = kernelAddressSpace();
    for (const p of [0, 0x1234, 0x400000, 15 * MiB + 7, 0xfee00000, 0xffffffff]) {
      expect(translate(s, DIRECT_MAP_BASE + p)).toBe(p);
    }
    expect(translate(s, DIRECT_MAP_BASE + 0x100000000)).toBe(-1);
    expect(mappedHuge(s, DIRECT_MAP_BASE + 0x400000)).toBe(true);
    expect(pageFlags(s, DIRECT_MAP_BASE)).toBe(PageFlags.Writable | PageFlags.NoExecute | PageFlags.Global);
    expect(translate(s, 0x1000)).toBe(-1); // no identity map
  });

  it("prints the memory line", () => {
    const lines = init();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^memory: 16 MiB usable, 1[0-5] MiB free, [1-5] MiB reserved, kernel 1 MiB$/);
  });

  it("never gives out the kernel image or modules", () => {
    init();
    const fa = kernelFrames();
    for (const p of [0x200000, 0x209000, 0x400000, 0x404000]) {
      expect(frameInUse(fa, p)).toBe(false);
      expect(frameIsFree(fa, p)).toBe(false);
      expect(() => freeFrame(fa, p)).toThrow(/foreign frame/);
    }
    expect(frameIsFree(fa, 0x20a000)).toBe(true);
  });
});

describe("memoryInit without a memory map", () => {
  it("panics with the boot information's reason", () => {
    const info = makeBootInfo([]);
    addBootError(info, BootError.NoMemoryMap);
    expect(() => memoryInit(info)).toThrow("PANIC: memory: boot loader gave no memory map");
  });
});

describe("device memory", () => {
  it("makes the direct-map pages of a device uncacheable and leaves their neighbours alone", () => {
    init();
    const s = kernelAddressSpace();
    const v = mapDeviceMemory(0xfee00000, 0x400);
    expect(v).toBe(DIRECT_MAP_BASE + 0xfee00000);
    expect(translate(s, v + 0x20)).toBe(0xfee00020);
    const uc = PageFlags.Writable | PageFlags.NoExecute | PageFlags.Global | PageFlags.CacheDisable | PageFlags.WriteThrough;
    expect(pageFlags(s, v)).toBe(uc);
    expect(pageFlags(s, v + 0x1000)).toBe(PageFlags.Writable | PageFlags.NoExecute | PageFlags.Global);
    expect(translate(s, v + 0x1000)).toBe(0xfee01000);
    // A range above the direct map gets mapped.
    const hi = mapDeviceMemory(0x100000000 + 0x3000, 0x2000);
    expect(translate(s, hi)).toBe(0x100003000);
    expect(pageFlags(s, hi + 0x1000)).toBe(uc);
  });

});
