import { describe, it, expect, beforeEach, vi } from "vitest";
import { attachMemory, detachAllMemory } from "../../../lang/host/memory.ts";
import { resetFakeCpu, type FakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { DIRECT_MAP_BASE, KERNEL_BASE } from "../../../kernel/arch/x86_64/layout.ts";
import { memoryInit, kernelAddressSpace, kernelFrames, mapDeviceMemory, firstNonRamAddress, checkImagePlacement } from "../../../kernel/mm/mm.ts";
import { translate, pageFlags, mappedHuge, PageFlags } from "../../../kernel/arch/x86_64/paging.ts";
import { frameInUse, frameIsFree, freeFrame } from "../../../kernel/mm/frame-allocator.ts";
import { makeBootInfo, usable, reserved, MiB } from "./helpers.ts";
import { COM1, serialInit, serialSetEnabled } from "../../../kernel/console/serial.ts";
import { addBootError, BootError, MemoryType } from "../../../kernel/boot/bootinfo.ts";

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

describe("kernel image placement", () => {
  const nvs = (base: number, length: number) => ({ base, length, type: MemoryType.AcpiNvs });
  // The map OVMF gives on q35: ACPI NVS inside the range a large image at 0x200000 would cover.
  const ovmf = () => makeBootInfo([usable(0, 0x9f000), usable(MiB, 0x706000), nvs(0x806000, 0x2000), usable(0x808000, 0x8000),
    nvs(0x810000, 0xf0000), usable(0x900000, 200 * MiB)]);

  it("accepts an image that lies wholly in usable RAM, across adjacent usable entries", () => {
    expect(firstNonRamAddress(ovmf(), 0x200000, 0x270000)).toBe(-1);
    expect(firstNonRamAddress(makeBootInfo([usable(MiB, MiB), usable(2 * MiB, MiB)]), 0x180000, 0x280000)).toBe(-1);
  });

  it("finds the first firmware byte inside the image, and a hole no entry covers", () => {
    expect(firstNonRamAddress(ovmf(), 0x200000, 0xa5a720)).toBe(0x806000);
    // Overlapping entries: usable in one, reserved in another counts as not RAM.
    expect(firstNonRamAddress(makeBootInfo([usable(MiB, 8 * MiB), reserved(0x300000, 0x1000)]), 0x200000, 0x400000)).toBe(0x300000);
    expect(firstNonRamAddress(makeBootInfo([usable(MiB, MiB), usable(0x280000, MiB)]), 0x180000, 0x300000)).toBe(2 * MiB);
    expect(firstNonRamAddress(makeBootInfo([]), 0x200000, 0x201000)).toBe(0x200000);
  });

  it("says so on the console, in error lines, when the loader put the image over firmware memory", () => {
    // A UART that takes every byte at once, so the serial console's output can be read back.
    const sent: number[] = [];
    let scratch = 0;
    let lcr = 0;
    cpu.portWriters.set(COM1 + 7, (_p, _s, v) => { scratch = v; });
    cpu.portReaders.set(COM1 + 7, () => scratch);
    cpu.portReaders.set(COM1 + 5, () => 0x60);
    cpu.portWriters.set(COM1 + 3, (_p, _s, v) => { lcr = v; });
    cpu.portWriters.set(COM1, (_p, _s, v) => { if ((lcr & 0x80) === 0) sent.push(v); });
    serialInit();
    serialSetEnabled(true);
    const bad = checkImagePlacement(ovmf(), 0x200000, 0xa5a720);
    const afterBad = sent.length;
    const ok = checkImagePlacement(ovmf(), 0x200000, 0x270000);
    const text = String.fromCharCode(...sent);
    expect(bad).toBe(false);
    expect(ok).toBe(true);
    expect(sent.length).toBe(afterBad); // a sound placement prints nothing
    expect(text).toMatch(/^error: memory: THE KERNEL IMAGE 0x200000-0xa5a720 IS NOT ALL USABLE RAM: 0x806000 is ACPI NVS \(0x806000-0x808000\)\n/);
    expect(text.trimEnd().split("\n")).toHaveLength(2);
  });
});
