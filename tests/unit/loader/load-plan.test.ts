// Load plans built from real executables, and the kernel executor run against simulated physical
// memory: the user address space it produces must hold exactly what the linker put at each symbol.
import { beforeAll, describe, expect, it } from "vitest";
import { ElfError, ElfImage, parseElf } from "../../../kernel/loader/elf.ts";
import {
  DEFAULT_STACK_SIZE,
  DEFAULT_STACK_TOP,
  LoadPlan,
  MapFlag,
  STARTUP_INFO_SIZE,
  buildLoadPlan,
  segmentMapFlags,
} from "../../../kernel/loader/load-plan.ts";
import { executeLoadPlan } from "../../../kernel/loader/execute.ts";
import { attachMemory, detachAllMemory, readBytes, writeBytes } from "../../../lang/host/memory.ts";
import { PAGE_SIZE, USER_TOP, physToVirt } from "../../../kernel/arch/x86_64/layout.ts";
import {
  FIXTURE_NAMES,
  IMAGE_BASE,
  Mutable,
  errorName,
  fixtureBytes,
  fixturePath,
  parseBytes,
  readelfLoads,
  symbols,
} from "./elf-fixtures.ts";

beforeAll(() => {
  for (const name of FIXTURE_NAMES) fixturePath(name);
});

function planFor(bytes: Uint8Array, top = DEFAULT_STACK_TOP, size = DEFAULT_STACK_SIZE): [ElfImage, LoadPlan, ElfError] {
  const elf = parseBytes(bytes);
  expect(errorName(elf.error)).toBe("None");
  const plan = new LoadPlan();
  return [elf, plan, buildLoadPlan(elf, top, size, plan)];
}

describe("load plan", () => {
  it("maps ELF permissions to page flags", () => {
    expect(segmentMapFlags(4)).toBe(MapFlag.User | MapFlag.NoExecute); // R
    expect(segmentMapFlags(5)).toBe(MapFlag.User); // R E
    expect(segmentMapFlags(6)).toBe(MapFlag.User | MapFlag.Writable | MapFlag.NoExecute); // RW
    expect(segmentMapFlags(0)).toBe(MapFlag.User | MapFlag.NoExecute);
  });

  it.each(FIXTURE_NAMES)("%s: one page-aligned mapping per segment, then the stack", (name) => {
    const [, plan, err] = planFor(fixtureBytes(name));
    expect(err).toBe(ElfError.None);
    const loads = readelfLoads(fixturePath(name));
    expect(plan.count).toBe(loads.length + 1);
    let pages = 0;
    loads.forEach((l, i) => {
      const start = Math.floor(l.vaddr / PAGE_SIZE) * PAGE_SIZE;
      const end = Math.ceil((l.vaddr + l.memsz) / PAGE_SIZE) * PAGE_SIZE;
      expect(plan.virt[i]).toBe(start);
      expect(plan.size[i]).toBe(end - start);
      expect(plan.copyTo[i]).toBe(l.vaddr);
      expect(plan.fileOffset[i]).toBe(l.offset);
      expect(plan.copyLength[i]).toBe(l.filesz);
      expect(plan.zeroFrom[i]).toBe(l.vaddr + l.filesz);
      expect(plan.header[i]).toBe(l.index);
      const f = plan.flags[i]!;
      expect((f & MapFlag.User) !== 0).toBe(true);
      expect((f & MapFlag.Writable) !== 0).toBe(l.flags.includes("W"));
      expect((f & MapFlag.NoExecute) !== 0).toBe(!l.flags.includes("E"));
      pages += (end - start) / PAGE_SIZE;
    });
    const s = loads.length;
    expect(plan.virt[s]).toBe(DEFAULT_STACK_TOP - DEFAULT_STACK_SIZE);
    expect(plan.size[s]).toBe(DEFAULT_STACK_SIZE);
    expect(plan.flags[s]).toBe(MapFlag.User | MapFlag.Writable | MapFlag.NoExecute);
    expect(plan.copyLength[s]).toBe(0);
    expect(plan.header[s]).toBe(-1);
    expect(plan.pages).toBe(pages + DEFAULT_STACK_SIZE / PAGE_SIZE);
  });

  it("places the stack, its guard, the startup block and the initial rsp", () => {
    const [, plan] = planFor(fixtureBytes("data-bss"));
    expect(plan.stackTop).toBe(0x7ffffffff000);
    expect(plan.stackBase).toBe(0x7ffffffef000);
    expect(plan.guardBase).toBe(0x7ffffffee000);
    expect(plan.startupInfo).toBe(plan.stackTop - STARTUP_INFO_SIZE);
    // As after a call: rsp + 8 is 16-byte aligned.
    expect((plan.initialSp + 8) % 16).toBe(0);
    expect(plan.initialSp).toBeLessThan(plan.startupInfo);
    expect(plan.initialSp).toBeGreaterThanOrEqual(plan.stackBase);
  });

  it("the .bss tail of data-bss starts mid-page and runs to the end of its last page", () => {
    const [, plan] = planFor(fixtureBytes("data-bss"));
    const rw = [...Array(plan.count).keys()].find((i) => plan.header[i] === 3)!;
    expect(plan.zeroFrom[rw]! % PAGE_SIZE).not.toBe(0);
    expect(plan.virt[rw]! + plan.size[rw]!).toBeGreaterThan(plan.zeroFrom[rw]! + PAGE_SIZE);
  });

  it("accepts a custom stack", () => {
    const [, plan, err] = planFor(fixtureBytes("minimal"), 0x10000000, 0x4000);
    expect(err).toBe(ElfError.None);
    expect(plan.stackBase).toBe(0x10000000 - 0x4000);
    expect(plan.size[plan.count - 1]).toBe(0x4000);
  });

  it("refuses a bad stack layout", () => {
    for (const [top, size] of [
      [DEFAULT_STACK_TOP + 8, DEFAULT_STACK_SIZE],
      [DEFAULT_STACK_TOP, 100],
      [DEFAULT_STACK_TOP, 0],
      [DEFAULT_STACK_TOP, -PAGE_SIZE],
      [USER_TOP + PAGE_SIZE, PAGE_SIZE],
      [-0x80000000, PAGE_SIZE],
      [0x3000, 0x2000], // the guard would be the null page
      [0x3000, 0x4000],
      [DEFAULT_STACK_TOP, PAGE_SIZE], // the startup block would fill the stack
    ] as const) {
      const [elf, plan, err] = planFor(fixtureBytes("minimal"), top, size);
      expect(errorName(err)).toBe("BadStackLayout");
      expect(elf.error).toBe(ElfError.BadStackLayout);
      expect(plan.count).toBe(0);
    }
    const [, , ok] = planFor(fixtureBytes("minimal"), 0x4000, 0x2000);
    expect(ok).toBe(ElfError.None);
  });

  it("refuses a stack or guard page that shares a page with a segment", () => {
    // data-bss occupies the pages 0x400000..0x406000: a stack inside it, a stack whose top page
    // is its first page, and a stack right above it whose guard page is its last page.
    for (const top of [0x402000, 0x401000, 0x406000 + DEFAULT_STACK_SIZE]) {
      const [elf, , err] = planFor(fixtureBytes("data-bss"), top, DEFAULT_STACK_SIZE);
      expect(errorName(err)).toBe("StackOverlapsSegment");
      expect(elf.segment).toBeGreaterThanOrEqual(0);
    }
    // Stack ending right below the image's first page, or guard page right above its last: fine.
    for (const top of [0x400000, 0x407000 + DEFAULT_STACK_SIZE]) {
      const [, , ok] = planFor(fixtureBytes("data-bss"), top, DEFAULT_STACK_SIZE);
      expect(ok).toBe(ElfError.None);
    }
  });

  it("refuses to plan a rejected image", () => {
    const elf = parseBytes(new Mutable(fixtureBytes("data-bss")).u16(18, 3).bytes);
    const plan = new LoadPlan();
    expect(buildLoadPlan(elf, DEFAULT_STACK_TOP, DEFAULT_STACK_SIZE, plan)).toBe(ElfError.WrongMachine);
    expect(plan.count).toBe(0);
  });
});

// A simulated machine for the executor: a pool of physical frames (pre-filled with garbage so that
// missing zeroing shows) reachable through the direct map, and a page table kept in a Map.
const PHYS_BASE = 0x1000000;
const PHYS_FRAMES = 64;

class FakeSpace {
  pages = new Map<number, [number, number]>(); // virt → [phys, flags]
  read(virt: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) {
      const page = Math.floor((virt + i) / PAGE_SIZE) * PAGE_SIZE;
      const entry = this.pages.get(page);
      if (!entry) throw new Error(`user address 0x${(virt + i).toString(16)} is not mapped`);
      out[i] = readBytes(physToVirt(entry[0]) + (virt + i - page), 1)[0]!;
    }
    return out;
  }
}

let nextFrame = 0;
let framesLeft = 0;
const freed: number[] = [];
function allocFrame(space: FakeSpace): number {
  void space;
  if (framesLeft === 0) return -1;
  framesLeft--;
  return PHYS_BASE + PAGE_SIZE * nextFrame++;
}
function freeFrame(space: FakeSpace, phys: number): void {
  void space;
  freed.push(phys);
}
function mapPage(space: FakeSpace, virt: number, phys: number, flags: number): number {
  if (space.pages.has(virt)) return 2;
  space.pages.set(virt, [phys, flags]);
  return 0;
}
function failingMap(space: FakeSpace, virt: number, phys: number, flags: number): number {
  void space; void virt; void phys; void flags;
  return 3;
}

function loadFixture(name: string, frames = PHYS_FRAMES): [FakeSpace, LoadPlan, boolean, Uint8Array] {
  const bytes = fixtureBytes(name);
  const [, plan, err] = planFor(bytes);
  expect(err).toBe(ElfError.None);
  // planFor placed the image at IMAGE_BASE; add physical memory beside it.
  const phys = attachMemory(physToVirt(PHYS_BASE), PHYS_FRAMES * PAGE_SIZE);
  new Uint8Array(phys.view.buffer).fill(0xcc);
  nextFrame = 0;
  framesLeft = frames;
  freed.length = 0;
  const space = new FakeSpace();
  const ok = executeLoadPlan(plan, IMAGE_BASE, space, allocFrame, freeFrame, mapPage);
  return [space, plan, ok, bytes];
}

function le32(b: Uint8Array): number {
  return new DataView(b.buffer, b.byteOffset).getUint32(0, true);
}

describe("executing a plan", () => {
  it("data-bss: every symbol holds what the linker put there", () => {
    const [space, plan, ok, bytes] = loadFixture("data-bss");
    expect(ok).toBe(true);
    const sym = symbols(fixturePath("data-bss"));
    expect(plan.entry).toBe(sym.get("_start"));
    expect(le32(space.read(sym.get("counter")!, 4))).toBe(0x12345678);
    expect([...space.read(sym.get("table")!, 10)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 0, 0]);
    expect(new TextDecoder().decode(space.read(sym.get("greeting")!, 5))).toBe("keel\0");
    expect(space.read(sym.get("scratch")!, 10000).every((b) => b === 0)).toBe(true);
    expect(space.read(sym.get("zeroed")!, 8).every((b) => b === 0)).toBe(true);
    // The code at the entry point is the file's bytes.
    const text = readelfLoads(fixturePath("data-bss")).find((l) => l.flags === "RE")!;
    expect([...space.read(text.vaddr, text.filesz)]).toEqual([...bytes.subarray(text.offset, text.offset + text.filesz)]);
  });

  it("data-bss: the rest of each page is zero even where the file has other bytes", () => {
    const [space] = loadFixture("data-bss");
    for (const l of readelfLoads(fixturePath("data-bss"))) {
      const start = Math.floor(l.vaddr / PAGE_SIZE) * PAGE_SIZE;
      const end = Math.ceil((l.vaddr + l.memsz) / PAGE_SIZE) * PAGE_SIZE;
      const fileEnd = l.vaddr + l.filesz;
      const tail = space.read(fileEnd, end - fileEnd);
      expect(tail.every((b) => b === 0)).toBe(true);
      expect(space.read(start, l.vaddr - start).every((b) => b === 0)).toBe(true);
    }
    // The file does hold non-zero bytes right after .data, so the zeroing above is not vacuous.
    const bytes = fixtureBytes("data-bss");
    const rw = readelfLoads(fixturePath("data-bss")).find((l) => l.flags === "RW")!;
    expect(bytes.subarray(rw.offset + rw.filesz, rw.offset + rw.filesz + PAGE_SIZE).some((b) => b !== 0)).toBe(true);
  });

  it("maps exactly the planned pages with their flags, stack included, guard not", () => {
    const [space, plan] = loadFixture("data-bss");
    expect(space.pages.size).toBe(plan.pages);
    for (let m = 0; m < plan.count; m++) {
      for (let v = plan.virt[m]!; v < plan.virt[m]! + plan.size[m]!; v += PAGE_SIZE) {
        expect(space.pages.get(v)?.[1]).toBe(plan.flags[m]);
      }
    }
    expect(space.pages.has(plan.guardBase)).toBe(false);
    expect(space.pages.has(plan.stackTop)).toBe(false);
    expect(space.pages.has(0)).toBe(false);
    expect(space.read(plan.stackBase, DEFAULT_STACK_SIZE).every((b) => b === 0)).toBe(true);
    // W^X holds page by page.
    for (const [, [, f]] of space.pages) expect((f & MapFlag.Writable) === 0 || (f & MapFlag.NoExecute) !== 0).toBe(true);
  });

  it("copies correctly from an image at an odd address", () => {
    const bytes = fixtureBytes("data-bss");
    detachAllMemory();
    attachMemory(IMAGE_BASE, bytes.length + 16);
    const base = IMAGE_BASE + 5;
    writeBytes(base, bytes);
    const elf = new ElfImage();
    expect(parseElf(base, bytes.length, 1 << 24, elf)).toBe(ElfError.None);
    const plan = new LoadPlan();
    expect(buildLoadPlan(elf, DEFAULT_STACK_TOP, DEFAULT_STACK_SIZE, plan)).toBe(ElfError.None);
    attachMemory(physToVirt(PHYS_BASE), PHYS_FRAMES * PAGE_SIZE).view.setUint32(0, 0xcccccccc);
    nextFrame = 0;
    framesLeft = PHYS_FRAMES;
    const space = new FakeSpace();
    expect(executeLoadPlan(plan, base, space, allocFrame, freeFrame, mapPage)).toBe(true);
    const sym = symbols(fixturePath("data-bss"));
    expect(le32(space.read(sym.get("counter")!, 4))).toBe(0x12345678);
    expect([...space.read(sym.get("table")!, 8)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const text = readelfLoads(fixturePath("data-bss")).find((l) => l.flags === "RE")!;
    expect([...space.read(text.vaddr, text.filesz)]).toEqual([...bytes.subarray(text.offset, text.offset + text.filesz)]);
  });

  it("stops when frames run out", () => {
    const [space, , ok] = loadFixture("data-bss", 3);
    expect(ok).toBe(false);
    expect(space.pages.size).toBe(3);
  });

  it("gives the frame back when mapping fails", () => {
    const bytes = fixtureBytes("minimal");
    const [, plan] = planFor(bytes);
    attachMemory(physToVirt(PHYS_BASE), PHYS_FRAMES * PAGE_SIZE);
    nextFrame = 0;
    framesLeft = PHYS_FRAMES;
    freed.length = 0;
    expect(executeLoadPlan(plan, IMAGE_BASE, new FakeSpace(), allocFrame, freeFrame, failingMap)).toBe(false);
    expect(freed).toEqual([PHYS_BASE]);
  });
});
