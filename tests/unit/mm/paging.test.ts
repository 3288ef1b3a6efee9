import { describe, it, expect, beforeEach } from "vitest";
import fc from "fast-check";
import { attachMemory, detachAllMemory } from "../../../lang/host/memory.ts";
import { load64, store64 } from "../../../lang/mem.ts";
import { resetFakeCpu, type FakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { DIRECT_MAP_BASE, KERNEL_BASE, physToVirt } from "../../../kernel/arch/x86_64/layout.ts";
import { buildFrameAllocator, allocFrame, type FrameAllocator } from "../../../kernel/mm/frame-allocator.ts";
import {
  createAddressSpace, map, mapHuge, mapRange, unmap, protect, translate, translateUserPage, pageFlags, mappedHuge, switchTo, isCurrent,
  destroyAddressSpace, shareKernelHalf, tableIndex, PageFlags, MapResult, type AddressSpace,
} from "../../../kernel/arch/x86_64/paging.ts";
import { makeBootInfo, usable, MiB } from "./helpers.ts";

const RAM = 16 * MiB;
const RW = PageFlags.Writable | PageFlags.NoExecute;
let cpu: FakeCpu;
let frames: FrameAllocator;
let space: AddressSpace;
let baseline: number;

beforeEach(() => {
  detachAllMemory();
  cpu = resetFakeCpu();
  attachMemory(DIRECT_MAP_BASE, RAM);
  frames = buildFrameAllocator(makeBootInfo([usable(0, RAM)]), 0x200000, 0x300000);
  baseline = frames.freeFrames;
  space = createAddressSpace(frames)!;
});

/** Reference walk, written independently with bigint shifts on the unsigned address. */
function refEntries(root: number, virt: number): bigint[] {
  const u = BigInt.asUintN(48, BigInt(virt));
  const out: bigint[] = [];
  let table = root;
  for (const shift of [39n, 30n, 21n, 12n]) {
    const idx = Number((u >> shift) & 511n);
    const e = load64(physToVirt(table) + idx * 8);
    out.push(e);
    if ((e & 1n) === 0n || (shift !== 12n && (e & 0x80n) !== 0n && shift !== 39n)) break;
    table = Number(e & 0x000ffffffffff000n);
  }
  return out;
}

describe("indices", () => {
  it("match bit slicing of the unsigned address, in both halves", () => {
    fc.assert(fc.property(fc.integer({ min: -(2 ** 47), max: 2 ** 47 - 1 }), (v) => {
      const u = BigInt.asUintN(48, BigInt(v));
      for (let l = 0; l < 4; l++) expect(tableIndex(v, l)).toBe(Number((u >> BigInt(12 + 9 * l)) & 511n));
    }));
    expect([3, 2, 1, 0].map((l) => tableIndex(KERNEL_BASE, l))).toEqual([511, 510, 0, 0]);
  });
});

describe("translateUserPage", () => {
  it("answers like pageFlags then translate: user pages only, writable ones when asked", () => {
    const rw = allocFrame(frames);
    const ro = allocFrame(frames);
    const kernelOnly = allocFrame(frames);
    expect(map(space, 0x400000, rw, RW | PageFlags.User)).toBe(MapResult.Ok);
    expect(map(space, 0x401000, ro, PageFlags.User)).toBe(MapResult.Ok);
    expect(map(space, 0x402000, kernelOnly, RW)).toBe(MapResult.Ok);
    expect(translateUserPage(space, 0x400000, true)).toBe(rw);
    expect(translateUserPage(space, 0x400000, false)).toBe(rw);
    expect(translateUserPage(space, 0x401000, false)).toBe(ro);
    expect(translateUserPage(space, 0x401000, true)).toBe(-1);
    expect(translateUserPage(space, 0x402000, false)).toBe(-1);
    expect(translateUserPage(space, 0x403000, false)).toBe(-1);
    expect(translateUserPage(space, KERNEL_BASE, false)).toBe(-1);
    for (const page of [0x400000, 0x401000, 0x402000, 0x403000, 0x7ff000]) {
      for (const write of [false, true]) {
        const f = pageFlags(space, page);
        const ok = f >= 0 && (f & PageFlags.User) !== 0 && (!write || (f & PageFlags.Writable) !== 0);
        expect(translateUserPage(space, page, write)).toBe(ok ? translate(space, page) : -1);
      }
    }
  });
});

describe("map and translate", () => {
  it("maps a user page with the requested bits at every level", () => {
    const f = allocFrame(frames);
    expect(map(space, 0x400000, f, RW | PageFlags.User)).toBe(MapResult.Ok);
    expect(translate(space, 0x400123)).toBe(f + 0x123);
    expect(translate(space, 0x401000)).toBe(-1);
    const [pml4e, pdpte, pde, pte] = refEntries(space.root, 0x400000);
    for (const e of [pml4e!, pdpte!, pde!]) expect(e & 0x7n).toBe(0x7n); // present, writable, user
    expect(pte! & 0x000ffffffffff000n).toBe(BigInt(f));
    expect(pte! & 0x8000000000000007n).toBe(0x8000000000000007n);
    expect(pageFlags(space, 0x400000)).toBe(RW | PageFlags.User);
    expect(space.tables).toBe(4);
  });

  it("maps kernel-half addresses without the user bit on the way", () => {
    const f = allocFrame(frames);
    expect(map(space, KERNEL_BASE + 0x5000, f, PageFlags.Global)).toBe(MapResult.Ok);
    expect(translate(space, KERNEL_BASE + 0x5fff)).toBe(f + 0xfff);
    const es = refEntries(space.root, KERNEL_BASE + 0x5000);
    expect(es.length).toBe(4);
    for (const e of es) expect(e & 0x4n).toBe(0n);
    expect(es[3]! & 0x8000000000000102n).toBe(0x100n); // global, read-only, executable
  });

  it("refuses writable and executable, misaligned, non-canonical and double mappings", () => {
    const f = allocFrame(frames);
    expect(map(space, 0x400000, f, PageFlags.Writable)).toBe(MapResult.WriteExecute);
    expect(map(space, 0x400000, f, PageFlags.Writable | PageFlags.User)).toBe(MapResult.WriteExecute);
    expect(map(space, 0x400010, f, RW)).toBe(MapResult.Misaligned);
    expect(map(space, 0x400000, f + 8, RW)).toBe(MapResult.Misaligned);
    expect(map(space, 0x800000000000, f, RW)).toBe(MapResult.NonCanonical);
    expect(map(space, -0x800000001000, f, RW)).toBe(MapResult.NonCanonical);
    expect(space.tables).toBe(1); // nothing was built for refused requests
    expect(map(space, 0x400000, f, RW)).toBe(MapResult.Ok);
    expect(map(space, 0x400000, f, RW)).toBe(MapResult.AlreadyMapped);
  });

  it("reports exhaustion of page-table frames", () => {
    while (allocFrame(frames) >= 0) { /* drain */ }
    expect(map(space, 0x400000, 0x500000, RW)).toBe(MapResult.NoMemory);
  });
});

describe("unmap", () => {
  it("returns the frame and frees the tables it leaves empty", () => {
    expect(map(space, 0x7f0000001000, 0x600000, RW)).toBe(MapResult.Ok);
    expect(map(space, 0x7f0000002000, 0x601000, RW)).toBe(MapResult.Ok);
    expect(frames.freeFrames).toBe(baseline - 4);
    expect(unmap(space, 0x7f0000001000)).toBe(0x600000);
    expect(translate(space, 0x7f0000001000)).toBe(-1);
    expect(translate(space, 0x7f0000002000)).toBe(0x601000);
    expect(space.tables).toBe(4); // the PT still holds the other page
    expect(unmap(space, 0x7f0000002000)).toBe(0x601000);
    expect(space.tables).toBe(1);
    expect(frames.freeFrames).toBe(baseline - 1);
    expect(load64(physToVirt(space.root) + tableIndex(0x7f0000002000, 3) * 8)).toBe(0n);
    expect(unmap(space, 0x7f0000002000)).toBe(-1);
  });

  it("keeps kernel-half PDPTs, which every address space shares", () => {
    expect(map(space, KERNEL_BASE, 0x600000, 0)).toBe(MapResult.Ok);
    unmap(space, KERNEL_BASE);
    expect(space.tables).toBe(2);
    expect(load64(physToVirt(space.root) + 511 * 8) & 1n).toBe(1n);
  });

  it("invalidates the TLB entry only when the space is loaded", () => {
    map(space, 0x400000, 0x600000, RW);
    unmap(space, 0x400000);
    expect(cpu.invalidated).toEqual([]);
    switchTo(space);
    expect(cpu.cr[3]).toBe(BigInt(space.root));
    expect(isCurrent(space)).toBe(true);
    map(space, 0x400000, 0x600000, RW);
    protect(space, 0x400000, PageFlags.NoExecute);
    unmap(space, 0x400000);
    expect(cpu.invalidated).toEqual([0x400000, 0x400000]);
  });
});

describe("protect", () => {
  it("changes permissions, keeps the frame, and enforces W^X", () => {
    map(space, 0x400000, 0x600000, RW | PageFlags.User);
    expect(protect(space, 0x400000, PageFlags.User | PageFlags.NoExecute)).toBe(MapResult.Ok);
    expect(pageFlags(space, 0x400000)).toBe(PageFlags.User | PageFlags.NoExecute);
    expect(translate(space, 0x400000)).toBe(0x600000);
    expect(protect(space, 0x400000, PageFlags.Writable | PageFlags.User)).toBe(MapResult.WriteExecute);
    expect(pageFlags(space, 0x400000)).toBe(PageFlags.User | PageFlags.NoExecute);
    expect(protect(space, 0x401000, RW)).toBe(MapResult.NotMapped);
    expect(protect(space, 0x400000, RW | PageFlags.CacheDisable | PageFlags.WriteThrough)).toBe(MapResult.Ok);
    expect(refEntries(space.root, 0x400000)[3]! & 0x18n).toBe(0x18n);
  });
});

describe("huge pages", () => {
  it("maps and translates 2 MiB pages", () => {
    expect(mapHuge(space, DIRECT_MAP_BASE + 0x400000, 0x400000, RW | PageFlags.Global)).toBe(MapResult.Ok);
    expect(translate(space, DIRECT_MAP_BASE + 0x5abcde)).toBe(0x5abcde);
    expect(mappedHuge(space, DIRECT_MAP_BASE + 0x400000)).toBe(true);
    expect(mapHuge(space, DIRECT_MAP_BASE + 0x400000, 0x400000, RW)).toBe(MapResult.AlreadyMapped);
    expect(mapHuge(space, DIRECT_MAP_BASE + 0x401000, 0x400000, RW)).toBe(MapResult.Misaligned);
    expect(mapHuge(space, DIRECT_MAP_BASE, 0, PageFlags.Writable)).toBe(MapResult.WriteExecute);
  });

  it("splits a 2 MiB page when one 4 KiB page inside it changes", () => {
    mapHuge(space, 0x40000000, 0x800000, RW);
    expect(protect(space, 0x40003000, PageFlags.NoExecute)).toBe(MapResult.Ok);
    expect(mappedHuge(space, 0x40003000)).toBe(false);
    for (let off = 0; off < 0x200000; off += 0x1000) {
      expect(translate(space, 0x40000000 + off)).toBe(0x800000 + off);
      expect(pageFlags(space, 0x40000000 + off)).toBe(off === 0x3000 ? PageFlags.NoExecute : RW);
    }
    expect(unmap(space, 0x40005000)).toBe(0x805000);
    expect(translate(space, 0x40005000)).toBe(-1);
    expect(translate(space, 0x40006000)).toBe(0x806000);
  });

  it("reads and splits a 1 GiB page left by boot tables", () => {
    // A PDPT with one 1 GiB page at virtual 1 GiB -> physical 0, as a loader might build.
    const pdpt = allocFrame(frames);
    for (let i = 0; i < 512; i++) store64(physToVirt(pdpt) + i * 8, 0n);
    store64(physToVirt(pdpt) + 8, 0x83n | 0x8000000000000000n);
    store64(physToVirt(space.root), BigInt(pdpt) | 3n);
    expect(translate(space, 0x40000000 + 0x12345678)).toBe(0x12345678);
    expect(mappedHuge(space, 0x40000000)).toBe(true);
    expect(unmap(space, 0x40000000 + 0x200000)).toBe(0x200000);
    expect(translate(space, 0x40000000 + 0x200000)).toBe(-1);
    expect(translate(space, 0x40000000 + 0x201000)).toBe(0x201000);
    expect(translate(space, 0x40000000 + 0x3fe00000)).toBe(0x3fe00000);
    expect(mappedHuge(space, 0x40000000 + 0x3fe00000)).toBe(true);
    expect(pageFlags(space, 0x40000000 + 0x201000)).toBe(RW);
  });
});

describe("address spaces", () => {
  it("share the kernel half and give back every table when destroyed", () => {
    map(space, KERNEL_BASE, 0x600000, 0);
    const other = createAddressSpace(frames)!;
    shareKernelHalf(other, space);
    expect(translate(other, KERNEL_BASE)).toBe(0x600000);
    expect(mapRange(other, 0x1000, 0x700000, 0x5000, RW | PageFlags.User)).toBe(MapResult.Ok);
    expect(mapRange(other, 0x7fff00000000, 0x700000, 0x1000, RW | PageFlags.User)).toBe(MapResult.Ok);
    const before = frames.freeFrames;
    const tables = other.tables;
    destroyAddressSpace(other);
    expect(frames.freeFrames).toBe(before + tables);
    expect(translate(space, KERNEL_BASE)).toBe(0x600000);
  });

  it("translate agrees with a model over random map/unmap sequences, and tables return to the allocator", () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 63 }), fc.integer({ min: 0, max: 3 })), { maxLength: 80 }), (ops) => {
      const s = createAddressSpace(frames)!;
      const start = frames.freeFrames;
      const model = new Map<number, number>();
      // Pages spread over different PTs, PDs and PDPTs.
      const page = (i: number, r: number) => [0x1000, 0x40000000, 0x8000000000, 0x7f0000000000][r]! + i * 0x201000;
      for (const [doMap, i, r] of ops) {
        const v = page(i, r);
        if (doMap) {
          const res = map(s, v, 0x900000 + i * 0x1000, RW);
          expect(res).toBe(model.has(v) ? MapResult.AlreadyMapped : MapResult.Ok);
          model.set(v, 0x900000 + i * 0x1000);
        } else {
          expect(unmap(s, v)).toBe(model.get(v) ?? -1);
          model.delete(v);
        }
      }
      for (const [v, p] of model) expect(translate(s, v + 0x10)).toBe(p + 0x10);
      for (const v of [...model.keys()]) unmap(s, v);
      expect(s.tables).toBe(1);
      expect(frames.freeFrames).toBe(start);
      destroyAddressSpace(s);
    }), { numRuns: 40 });
  });
});

