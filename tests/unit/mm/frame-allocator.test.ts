import { describe, it, expect, beforeEach, vi } from "vitest";
import fc from "fast-check";
import { attachMemory, detachAllMemory, writeBytes } from "../../../lang/host/memory.ts";
import { DIRECT_MAP_BASE, physToVirt, PAGE_SIZE } from "../../../kernel/arch/x86_64/layout.ts";
import {
  buildFrameAllocator, allocFrame, freeFrame, allocContiguous, freeContiguous, frameInUse, frameIsFree,
  printFrameStats, type FrameAllocator,
} from "../../../kernel/mm/frame-allocator.ts";
import { parseBootInfo, MULTIBOOT2_MAGIC } from "../../../kernel/boot/multiboot2.ts";
import { MemoryType, type BootInfo } from "../../../kernel/boot/bootinfo.ts";
import { grubBios } from "../fixtures/multiboot2.ts";
import { makeBootInfo, usable, reserved, MiB, type Region } from "./helpers.ts";

const KSTART = 0x200000;
const KEND = 0x2c5000;

beforeEach(() => {
  detachAllMemory();
  attachMemory(DIRECT_MAP_BASE, 16 * MiB);
});

function drain(fa: FrameAllocator): number[] {
  const out: number[] = [];
  for (;;) {
    const f = allocFrame(fa);
    if (f < 0) return out;
    out.push(f);
  }
}

/** Whether a frame may legitimately be handed out, decided from the inputs alone. */
function allowed(info: BootInfo, fa: FrameAllocator, f: number, kstart: number, kend: number): boolean {
  const end = f + PAGE_SIZE;
  const overlaps = (s: number, e: number) => f < e && s < end;
  if (f < MiB || overlaps(kstart, kend) || overlaps(info.infoAddr, info.infoAddr + info.infoSize)) return false;
  if (overlaps(fa.metaPhys, fa.metaPhys + fa.metaBytes)) return false;
  for (let i = 0; i < info.moduleCount; i++) if (overlaps(info.modules[i]!.start, info.modules[i]!.end)) return false;
  let inUsable = false;
  for (let i = 0; i < info.memoryCount; i++) {
    const r = info.memory[i]!;
    if (r.type === MemoryType.Usable && f >= r.base && end <= r.base + r.length) inUsable = true;
    if (r.type !== MemoryType.Usable && overlaps(r.base, r.base + r.length)) return false;
  }
  return inUsable;
}

describe("boot modules", () => {
  it("keeps every module out of the allocator's hands, however many there are", () => {
    const modules: Array<[number, number]> = [];
    for (let i = 0; i < 100; i++) modules.push([4 * MiB + i * 2 * PAGE_SIZE, 4 * MiB + i * 2 * PAGE_SIZE + 100]);
    const info = makeBootInfo([usable(0, 16 * MiB)], modules);
    const fa = buildFrameAllocator(info, KSTART, KEND);
    for (const [s] of modules) expect(frameIsFree(fa, s)).toBe(false);
    expect(frameIsFree(fa, 4 * MiB + PAGE_SIZE)).toBe(true);
    const frames = drain(fa);
    for (const f of frames) expect(allowed(info, fa, f, KSTART, KEND)).toBe(true);
  });
});

describe("frame allocator on GRUB's BIOS memory map", () => {
  function fromFixture() {
    const f = grubBios();
    writeBytes(physToVirt(f.addr), f.bytes);
    const info = parseBootInfo(MULTIBOOT2_MAGIC, f.addr);
    return { info, fa: buildFrameAllocator(info, KSTART, KEND) };
  }

  it("hands out every allowed frame exactly once, then reports exhaustion", () => {
    const { info, fa } = fromFixture();
    const initialFree = fa.freeFrames;
    const frames = drain(fa);
    expect(frames.length).toBe(initialFree);
    expect(new Set(frames).size).toBe(frames.length);
    for (const f of frames) expect(allowed(info, fa, f, KSTART, KEND)).toBe(true);
    // Every allowed frame was handed out: count them independently.
    let allowedCount = 0;
    for (let f = 0; f < fa.frameCount * PAGE_SIZE; f += PAGE_SIZE) if (allowed(info, fa, f, KSTART, KEND)) allowedCount++;
    expect(frames.length).toBe(allowedCount);
    expect(fa.freeFrames).toBe(0);
    expect(allocFrame(fa)).toBe(-1);
    for (const f of frames) freeFrame(fa, f);
    expect(fa.freeFrames).toBe(initialFree);
    expect(allocFrame(fa)).toBe(frames[0]);
  });

  it("prints a memory line with consistent figures", () => {
    const { fa } = fromFixture();
    const spy = vi.spyOn(console, "log").mockImplementation(() => {});
    printFrameStats(fa);
    const line = spy.mock.calls[0]![0] as string;
    spy.mockRestore();
    const m = line.match(/^memory: (\d+) MiB usable, (\d+) MiB free, (\d+) MiB reserved, kernel (\d+) MiB$/);
    expect(m).not.toBeNull();
    const [usableMiB, freeMiB, reservedMiB, kernelMiB] = m!.slice(1).map(Number);
    expect(usableMiB).toBe(127); // QEMU's 128 MiB less the legacy hole and firmware areas
    expect(freeMiB! + reservedMiB!).toBeGreaterThanOrEqual(usableMiB!);
    expect(freeMiB).toBeLessThan(usableMiB!);
    expect(kernelMiB).toBe(1);
  });
});

describe("frame allocator rules", () => {
  const map = (): Region[] => [usable(0, 0x9f000), reserved(0xf0000, 0x10000), usable(MiB, 7 * MiB)];

  it("panics on a double free", () => {
    const fa = buildFrameAllocator(makeBootInfo(map()), KSTART, KEND);
    const f = allocFrame(fa);
    freeFrame(fa, f);
    expect(() => freeFrame(fa, f)).toThrow(/double free of frame 0x/);
  });

  it("panics on freeing a frame it does not own", () => {
    const fa = buildFrameAllocator(makeBootInfo(map()), KSTART, KEND);
    expect(() => freeFrame(fa, KSTART)).toThrow(/foreign frame 0x200000/);
    expect(() => freeFrame(fa, 0x1000)).toThrow(/foreign frame/);
    expect(() => freeFrame(fa, 64 * MiB)).toThrow(/foreign frame/);
    expect(() => freeFrame(fa, fa.metaPhys)).toThrow(/foreign frame/);
    expect(() => freeFrame(fa, MiB + 12)).toThrow(/unaligned/);
  });

  it("never uses a frame that a firmware entry overlaps, even inside a usable entry", () => {
    const info = makeBootInfo([usable(0, 8 * MiB), reserved(3 * MiB + 0x800, 0x1000)]);
    const fa = buildFrameAllocator(info, KSTART, KEND);
    const frames = drain(fa);
    expect(frames).not.toContain(3 * MiB);
    expect(frames).not.toContain(3 * MiB + 0x1000);
    expect(frames).toContain(3 * MiB + 0x2000);
  });

  it("keeps boot modules and the boot information", () => {
    const info = makeBootInfo(map(), [[0x400000, 0x405123]], 0x300100, 0x2000);
    const fa = buildFrameAllocator(info, KSTART, KEND);
    const frames = new Set(drain(fa));
    for (const f of [0x400000, 0x405000, 0x300000, 0x302000]) expect(frames.has(f)).toBe(false);
    expect(frames.has(0x406000)).toBe(true);
    expect(frames.has(0x303000)).toBe(true);
  });

  it("allocates aligned contiguous runs and frees them", () => {
    const fa = buildFrameAllocator(makeBootInfo(map()), KSTART, KEND);
    const a = allocFrame(fa);
    const run = allocContiguous(fa, 16, 16);
    expect(run % (16 * PAGE_SIZE)).toBe(0);
    for (let i = 0; i < 16; i++) expect(frameInUse(fa, run + i * PAGE_SIZE)).toBe(true);
    expect(run).toBeGreaterThan(a);
    const before = fa.freeFrames;
    freeContiguous(fa, run, 16);
    expect(fa.freeFrames).toBe(before + 16);
    expect(frameIsFree(fa, run)).toBe(true);
    expect(allocContiguous(fa, 8 * 256, 1)).toBe(-1); // larger than memory
  });

  it("panics when there is no room for its own bitmaps", () => {
    expect(() => buildFrameAllocator(makeBootInfo([usable(0, MiB)]), KSTART, KEND)).toThrow(/no usable memory/);
  });
});

describe("frame allocator properties", () => {
  const regionArb = fc.record({
    base: fc.integer({ min: 0, max: 15 * 256 }).map((p) => p * PAGE_SIZE + 0),
    length: fc.integer({ min: 1, max: 4 * 256 }).map((p) => p * PAGE_SIZE),
    type: fc.constantFrom(MemoryType.Usable, MemoryType.Usable, MemoryType.Reserved, MemoryType.AcpiNvs, MemoryType.Bad),
    skew: fc.integer({ min: 0, max: 0xfff }),
  });

  it("hands out only allowed frames, each once, for any memory map", () => {
    fc.assert(fc.property(fc.array(regionArb, { minLength: 1, maxLength: 8 }), (rs) => {
      const regions = [usable(MiB, 2 * MiB), ...rs.map((r) => ({ base: r.base + r.skew, length: r.length, type: r.type }))]
        .filter((r) => r.base + r.length <= 16 * MiB);
      const info = makeBootInfo(regions, [[0x500000, 0x501000]], 0x9000, 0x100);
      let fa: FrameAllocator;
      try {
        fa = buildFrameAllocator(info, KSTART, KEND);
      } catch (e) {
        expect(String(e)).toMatch(/no usable memory/);
        return;
      }
      const free = fa.freeFrames;
      const frames = drain(fa);
      expect(new Set(frames).size).toBe(frames.length);
      for (const f of frames) expect(allowed(info, fa, f, KSTART, KEND)).toBe(true);
      // And every allowed frame, counted as free from the start (the bitmaps are filled a word
      // at a time where a region covers one, so word edges and overlapping entries matter).
      let allowedCount = 0;
      for (let f = 0; f < 16 * MiB; f += PAGE_SIZE) if (allowed(info, fa, f, KSTART, KEND)) allowedCount++;
      expect(frames.length).toBe(allowedCount);
      expect(free).toBe(allowedCount);
    }), { numRuns: 60 });
  });

  it("agrees with a set model over random allocate/free sequences", () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat()), { maxLength: 300 }), (ops) => {
      const fa = buildFrameAllocator(makeBootInfo([usable(MiB, MiB / 4 + 3 * MiB)]), 0x180000, 0x190000);
      const total = fa.freeFrames;
      const held: number[] = [];
      for (const [alloc, pick] of ops) {
        if (alloc || held.length === 0) {
          const f = allocFrame(fa);
          if (f < 0) {
            expect(held.length).toBe(total);
          } else {
            expect(held).not.toContain(f);
            held.push(f);
          }
        } else {
          const [f] = held.splice(pick % held.length, 1);
          freeFrame(fa, f!);
        }
        expect(fa.freeFrames).toBe(total - held.length);
      }
      for (const f of held) expect(frameInUse(fa, f)).toBe(true);
    }), { numRuns: 50 });
  });
});
