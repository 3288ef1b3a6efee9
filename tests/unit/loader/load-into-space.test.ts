// The loader end to end with the kernel's own memory management: a boot module in simulated
// physical memory, the frame allocator, and real 4-level page tables built by paging.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { attachMemory, detachAllMemory, readBytes, writeBytes } from "../../../lang/host/memory.ts";
import { resetFakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { DIRECT_MAP_BASE, PAGE_SIZE, physToVirt } from "../../../kernel/arch/x86_64/layout.ts";
import { FrameAllocator, allocFrame, buildFrameAllocator, freeFrame, frameInUse } from "../../../kernel/mm/frame-allocator.ts";
import { AddressSpace, createAddressSpace, map, pageFlags, translate } from "../../../kernel/arch/x86_64/paging.ts";
import { ElfError, ElfImage, parseElf } from "../../../kernel/loader/elf.ts";
import { DEFAULT_STACK_SIZE, DEFAULT_STACK_TOP, LoadPlan, buildLoadPlan } from "../../../kernel/loader/load-plan.ts";
import { executeLoadPlan } from "../../../kernel/loader/execute.ts";
import { loadProgram } from "../../../kernel/loader/load-program.ts";
import { makeBootInfo, usable } from "../mm/helpers.ts";
import { Mutable, fixtureBytes, fixturePath, readelfLoads, symbols } from "./elf-fixtures.ts";

const RAM = 16 * 0x100000;
const MODULE_PHYS = 0x800000;

// The adapters a kernel would write: the allocator is the space's own.
function spaceAlloc(space: AddressSpace): number {
  return space.frames.alloc();
}
function spaceFree(space: AddressSpace, phys: number): void {
  space.frames.free(phys);
}

let frames: FrameAllocator;
let space: AddressSpace;
let bytes: Uint8Array;

beforeEach(() => {
  detachAllMemory();
  resetFakeCpu();
  attachMemory(DIRECT_MAP_BASE, RAM);
  bytes = fixtureBytes("data-bss");
  // Fill RAM with garbage first so that a frame the loader forgets to clear shows.
  for (let a = 0; a < RAM; a += 0x10000) writeBytes(physToVirt(a), new Uint8Array(0x10000).fill(0xa5));
  writeBytes(physToVirt(MODULE_PHYS), bytes);
  frames = buildFrameAllocator(makeBootInfo([usable(0, RAM)], [[MODULE_PHYS, MODULE_PHYS + bytes.length]]), 0x200000, 0x300000);
  space = createAddressSpace(frames)!;
});

function userRead(virt: number, len: number, space_ = space): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    const phys = translate(space_, virt + i);
    if (phys < 0) throw new Error(`0x${(virt + i).toString(16)} is not mapped`);
    out[i] = readBytes(physToVirt(phys), 1)[0]!;
  }
  return out;
}

describe("loading a boot module into an address space", () => {
  it("maps data-bss with the linker's contents and the planned permissions", () => {
    const image = physToVirt(MODULE_PHYS);
    const elf = new ElfImage();
    expect(parseElf(image, bytes.length, 1 << 24, elf)).toBe(ElfError.None);
    const plan = new LoadPlan();
    expect(buildLoadPlan(elf, DEFAULT_STACK_TOP, DEFAULT_STACK_SIZE, plan)).toBe(ElfError.None);
    const before = frames.freeFrames;
    expect(executeLoadPlan(plan, image, space, spaceAlloc, spaceFree, map)).toBe(true);
    // Every planned page took one frame, plus the page tables paging needed.
    expect(before - frames.freeFrames).toBe(plan.pages + space.tables - 1);

    const sym = symbols(fixturePath("data-bss"));
    expect(new DataView(userRead(sym.get("counter")!, 4).buffer).getUint32(0, true)).toBe(0x12345678);
    expect([...userRead(sym.get("table")!, 9)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 0]);
    expect(userRead(sym.get("scratch")!, 10000).every((b) => b === 0)).toBe(true);
    const text = readelfLoads(fixturePath("data-bss")).find((l) => l.flags === "RE")!;
    expect([...userRead(text.vaddr, text.filesz)]).toEqual([...bytes.subarray(text.offset, text.offset + text.filesz)]);

    for (let m = 0; m < plan.count; m++) {
      for (let v = plan.virt[m]!; v < plan.virt[m]! + plan.size[m]!; v += PAGE_SIZE) {
        expect(pageFlags(space, v)).toBe(plan.flags[m]);
        expect(frameInUse(frames, translate(space, v))).toBe(true);
      }
    }
    expect(translate(space, plan.guardBase)).toBe(-1);
    expect(translate(space, plan.stackTop)).toBe(-1);
    expect(translate(space, 0)).toBe(-1);
    expect(userRead(plan.initialSp, 8).every((b) => b === 0)).toBe(true);
    // The module itself is left untouched.
    expect(readBytes(image, bytes.length)).toEqual(bytes);
  });
});

describe("loadProgram", () => {
  afterEach(() => vi.restoreAllMocks());
  const image = (): number => physToVirt(MODULE_PHYS);

  it("returns a loaded space and the plan to start it", () => {
    const elf = new ElfImage();
    const plan = new LoadPlan();
    const s = loadProgram(frames, image(), bytes.length, "data-bss", 1 << 24, DEFAULT_STACK_TOP, DEFAULT_STACK_SIZE, elf, plan);
    expect(s).not.toBeNull();
    const sym = symbols(fixturePath("data-bss"));
    expect(plan.entry).toBe(sym.get("_start"));
    expect(new DataView(userRead(sym.get("counter")!, 4, s!).buffer).getUint32(0, true)).toBe(0x12345678);
    expect(pageFlags(s!, plan.stackBase)).toBe(plan.flags[plan.count - 1]);
  });

  it("gives a program the larger stack it asks for", () => {
    const big = fixtureBytes("big-stack");
    writeBytes(physToVirt(MODULE_PHYS), big);
    const plan = new LoadPlan();
    const s = loadProgram(frames, image(), big.length, "big-stack", 1 << 24, DEFAULT_STACK_TOP, DEFAULT_STACK_SIZE, new ElfImage(), plan);
    expect(s).not.toBeNull();
    expect(plan.stackTop - plan.stackBase).toBe(0x40000);
    expect(translate(s!, plan.stackBase)).toBeGreaterThanOrEqual(0);
    expect(translate(s!, plan.stackBase - PAGE_SIZE)).toBe(-1);
  });

  it("logs a refused module and allocates nothing", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const before = frames.freeFrames;
    const bad = new Mutable(bytes).vaddr(2, 0xffff800000000000n).bytes;
    writeBytes(physToVirt(MODULE_PHYS), bad);
    const elf = new ElfImage();
    expect(loadProgram(frames, image(), bad.length, "init", 1 << 24, DEFAULT_STACK_TOP, DEFAULT_STACK_SIZE, elf, new LoadPlan())).toBeNull();
    expect(elf.error).toBe(ElfError.SegmentInKernelHalf);
    expect(log.mock.calls.map((c) => String(c[0]))).toEqual(["elf: init: segment 2 at 0xffff800000000000 lies in the kernel half"]);
    expect(frames.freeFrames).toBe(before);
  });

  it("logs a bad stack layout", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const elf = new ElfImage();
    expect(loadProgram(frames, image(), bytes.length, "init", 1 << 24, DEFAULT_STACK_TOP + 1, DEFAULT_STACK_SIZE, elf, new LoadPlan())).toBeNull();
    expect(elf.error).toBe(ElfError.BadStackLayout);
    expect(log).toHaveBeenCalledTimes(1);
  });

  it("gives every frame back when memory runs out part way", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    // Leave only a few frames: enough for the tables and some pages, not for the whole program.
    const hoard: number[] = [];
    while (frames.freeFrames > 12) hoard.push(allocFrame(frames));
    const before = frames.freeFrames;
    const plan = new LoadPlan();
    const elf = new ElfImage();
    expect(loadProgram(frames, image(), bytes.length, "init", 1 << 24, DEFAULT_STACK_TOP, DEFAULT_STACK_SIZE, elf, plan)).toBeNull();
    // Not a refusal of the file: the caller reports out of memory, not a bad executable.
    expect(elf.error).toBe(ElfError.None);
    expect(plan.pages).toBeGreaterThan(12);
    expect(frames.freeFrames).toBe(before);
    expect(String(log.mock.calls[0]![0])).toBe(`elf: init: out of memory while loading ${plan.pages} pages`);
    for (const f of hoard) freeFrame(frames, f);
  });
});
