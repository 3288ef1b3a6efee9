// Runs the in-kernel memory and paging suites on the simulated machine, so a broken check is
// found on the host before it is found in QEMU.
import { describe, it, expect, beforeEach, vi } from "vitest";
import { attachMemory, detachAllMemory, writeBytes, type SimRegion } from "../../../lang/host/memory.ts";
import { resetFakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { DIRECT_MAP_BASE, KERNEL_BASE, physToVirt } from "../../../kernel/arch/x86_64/layout.ts";
import { parseBootInfo, MULTIBOOT2_MAGIC } from "../../../kernel/boot/multiboot2.ts";
import { firstFatalBootError } from "../../../kernel/boot/bootinfo.ts";
import { grubBios, grubUefi } from "../fixtures/multiboot2.ts";
import { memoryInit, kernelFrames } from "../../../kernel/mm/mm.ts";
import { allocFrame, freeFrame, frameIsFree } from "../../../kernel/mm/frame-allocator.ts";
import { TestRunner } from "../../../kernel/test/runner.ts";
import { runMemorySuite } from "../../../kernel/test/suites/memory.ts";
import { runPagingSuite } from "../../../kernel/test/suites/paging.ts";
import { makeBootInfo, usable, reserved, MiB } from "./helpers.ts";

let ram: SimRegion;

beforeEach(() => {
  detachAllMemory();
  const cpu = resetFakeCpu();
  ram = attachMemory(DIRECT_MAP_BASE, 16 * MiB);
  const k = KERNEL_BASE + 0x200000;
  cpu.sections = [k, k + 0x5000, k + 0x7000, k + 0x8000, k + 0xa000, k + 0xa000];
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  memoryInit(makeBootInfo([usable(0, 0x9f000), reserved(0xf0000, 0x10000), usable(MiB, 15 * MiB)]));
  log.mockRestore();
});

function run(suite: (t: TestRunner) => void): { t: TestRunner; lines: string[] } {
  const t = new TestRunner();
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  suite(t);
  const lines = log.mock.calls.map((c) => String(c[0]));
  log.mockRestore();
  return { t, lines };
}

describe("in-kernel suites on the simulated machine", () => {
  it("memory suite passes", () => {
    const { t, lines } = run(runMemorySuite);
    expect(lines.filter((l) => l.startsWith("TEST FAIL"))).toEqual([]);
    expect(t.passed).toBeGreaterThanOrEqual(15);
    expect(t.failed).toBe(0);
  });

  it("paging suite passes", () => {
    // The host has no MMU: alias the suite's scratch page onto the frame it will be given (the
    // allocator hands out the lowest free frame) so writes through the mapping land in RAM.
    const fa = kernelFrames();
    const f = allocFrame(fa);
    freeFrame(fa, f);
    const scratch = attachMemory(KERNEL_BASE - 0x40000000, 0x1000);
    (scratch as unknown as { view: DataView }).view = new DataView(ram.view.buffer, f, 0x1000);
    const { t, lines } = run(runPagingSuite);
    expect(lines.filter((l) => l.startsWith("TEST FAIL"))).toEqual([]);
    expect(t.passed).toBeGreaterThanOrEqual(20);
    expect(t.failed).toBe(0);
  });

  it("a failed check is reported, not hidden", () => {
    // Claim no usable memory: the suite's sanity check must fail.
    kernelFrames().usableFrames = 0;
    const { t, lines } = run(runMemorySuite);
    expect(t.failed).toBe(1);
    expect(lines.filter((l) => l.startsWith("TEST FAIL"))[0]).toMatch(/^TEST FAIL memory.has-free-memory: free \d+ of 0 usable frames$/);
  });
});

describe.each([["BIOS", grubBios], ["UEFI", grubUefi]])("boot flow on GRUB's %s boot information", (_n, fixture) => {
  it("parses, brings memory up, prints the memory line, and passes the memory suite", () => {
    detachAllMemory();
    const cpu = resetFakeCpu();
    attachMemory(DIRECT_MAP_BASE, 16 * MiB);
    const f = fixture();
    writeBytes(physToVirt(f.addr), f.bytes);
    const info = parseBootInfo(MULTIBOOT2_MAGIC, f.addr);
    expect(firstFatalBootError(info)).toBe(0);
    const k = KERNEL_BASE + 0x200000;
    cpu.sections = [k, k + 0x40000, k + 0x50000, k + 0x58000, k + 0x80000, k + 0x80000];
    const { lines } = run(() => memoryInit(info));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^memory: 12\d MiB usable, 12\d MiB free, [1-4] MiB reserved, kernel 1 MiB$/);
    const fa = kernelFrames();
    // GRUB's font module and the boot information stay out of the allocator's hands.
    const mod = info.modules[0]!;
    expect(frameIsFree(fa, mod.start - (mod.start % 4096))).toBe(false);
    expect(frameIsFree(fa, f.addr - (f.addr % 4096))).toBe(false);
    const { t } = run(runMemorySuite);
    expect(t.failed).toBe(0);
  });
});
