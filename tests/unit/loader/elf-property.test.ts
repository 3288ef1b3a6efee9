// Property: no mutation of a valid executable makes the loader throw; it either refuses the image
// with an ElfError or produces a plan that keeps every promise the kernel relies on.
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { ElfError, ELF_ERROR_COUNT, SegmentFlag } from "../../../kernel/loader/elf.ts";
import { DEFAULT_STACK_TOP, LoadPlan, MapFlag, buildLoadPlan } from "../../../kernel/loader/load-plan.ts";
import { executeLoadPlan } from "../../../kernel/loader/execute.ts";
import { attachMemory } from "../../../lang/host/memory.ts";
import { PAGE_SIZE, USER_TOP, physToVirt } from "../../../kernel/arch/x86_64/layout.ts";
import { IMAGE_BASE, Mutable, fixtureBytes, parseBytes } from "./elf-fixtures.ts";

const LIMIT = 256 * 1024;
// A small stack keeps the executor cheap enough to run on every accepted image.
const STACK_SIZE = 2 * PAGE_SIZE;
const BASES = ["data-bss", "minimal-packed"];
const images = new Map<string, Uint8Array>();

beforeAll(() => {
  for (const name of BASES) images.set(name, fixtureBytes(name));
});

// Values that sit on the edges the validator cares about.
const edgy64 = fc.constantFrom(
  0n, 1n, 0xfffn, 0x1000n, 0x1001n, 0x400000n, 0x401000n, 0x403000n, 0x7fffffffe000n, 0x7ffffffff000n,
  0x800000000000n, 0xffff800000000000n, 0xffffffff80000000n, 0x8000000000000000n, 0xfffffffffffff000n,
  0xffffffffffffffffn,
);

type Mutation =
  | { kind: "byte"; at: number; value: number }
  | { kind: "field"; header: number; field: number; value: bigint }
  | { kind: "truncate"; keep: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("byte" as const), at: fc.nat(64 + 8 * 56), value: fc.nat(255) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("byte" as const), at: fc.nat(0x4000), value: fc.nat(255) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("field" as const),
      header: fc.nat(7),
      field: fc.constantFrom(8, 16, 32, 40, 48),
      value: fc.oneof(
        { weight: 2, arbitrary: edgy64 },
        { weight: 2, arbitrary: fc.nat(0x800).map((n) => BigInt(n) * 0x1000n) },
        { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 0x10000n }) },
        { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 0xffffffffffffffffn }) },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("truncate" as const), keep: fc.nat(0x5000) }) },
);

function apply(src: Uint8Array, muts: Mutation[]): Uint8Array {
  let bytes = new Uint8Array(src);
  for (const m of muts) {
    if (m.kind === "byte") {
      if (m.at < bytes.length) bytes[m.at] = m.value;
    } else if (m.kind === "field") {
      const off = 64 + m.header * 56 + m.field;
      if (off + 8 <= bytes.length) new DataView(bytes.buffer).setBigUint64(off, m.value, true);
    } else {
      bytes = bytes.slice(0, m.keep);
    }
  }
  return bytes;
}

const PHYS_BASE = 0x1000000;
const PHYS_PAGES = 24;
let next = 0;
let executed = 0;
function alloc(space: Set<number>): number {
  void space;
  return next < PHYS_PAGES ? PHYS_BASE + PAGE_SIZE * next++ : -1;
}
function free(space: Set<number>, phys: number): void {
  void space;
  void phys;
}
function map(space: Set<number>, virt: number, phys: number, flags: number): number {
  void phys;
  void flags;
  if (space.has(virt)) throw new Error(`page 0x${virt.toString(16)} mapped twice`);
  space.add(virt);
  return 0;
}

/** Checks an accepted image against its own bytes and against the kernel's invariants. */
function checkAccepted(bytes: Uint8Array): boolean {
  const elf = parseBytes(bytes, LIMIT);
  expect(elf.error).toBeGreaterThanOrEqual(0);
  expect(elf.error).toBeLessThan(ELF_ERROR_COUNT);
  if (elf.error !== ElfError.None) return false;

  const raw = new Mutable(bytes);
  expect(elf.count).toBeGreaterThan(0);
  let execSegment = -1;
  for (let i = 0; i < elf.count; i++) {
    const h = elf.header[i]!;
    expect(raw.view.getUint32(raw.ph(h), true)).toBe(1);
    expect(BigInt(elf.vaddr[i]!)).toBe(raw.getVaddr(h));
    expect(BigInt(elf.memsz[i]!)).toBe(raw.getMemsz(h));
    expect(BigInt(elf.offset[i]!)).toBe(raw.getOffset(h));
    expect(BigInt(elf.filesz[i]!)).toBe(raw.getFilesz(h));
    expect(elf.vaddr[i]!).toBeGreaterThanOrEqual(PAGE_SIZE);
    expect(elf.vaddr[i]! + elf.memsz[i]!).toBeLessThanOrEqual(USER_TOP);
    expect(elf.filesz[i]!).toBeLessThanOrEqual(elf.memsz[i]!);
    expect(elf.offset[i]! + elf.filesz[i]!).toBeLessThanOrEqual(bytes.length);
    const f = elf.flags[i]!;
    expect((f & SegmentFlag.Write) !== 0 && (f & SegmentFlag.Execute) !== 0).toBe(false);
    if (elf.entry >= elf.vaddr[i]! && elf.entry < elf.vaddr[i]! + elf.memsz[i]!) {
      expect(f & SegmentFlag.Execute).not.toBe(0);
      execSegment = i;
    }
  }
  expect(execSegment).toBeGreaterThanOrEqual(0);
  expect(elf.memoryBytes).toBeLessThanOrEqual(LIMIT);

  const plan = new LoadPlan();
  const err = buildLoadPlan(elf, DEFAULT_STACK_TOP, STACK_SIZE, plan);
  if (err !== ElfError.None) {
    expect(err).toBe(ElfError.StackOverlapsSegment);
    return true;
  }
  // Mappings: page-aligned, in the user half above the null page, pairwise disjoint, W^X.
  for (let m = 0; m < plan.count; m++) {
    const v = plan.virt[m]!, s = plan.size[m]!, f = plan.flags[m]!;
    expect(v % PAGE_SIZE).toBe(0);
    expect(s % PAGE_SIZE).toBe(0);
    expect(s).toBeGreaterThan(0);
    expect(v).toBeGreaterThanOrEqual(PAGE_SIZE);
    expect(v + s).toBeLessThanOrEqual(USER_TOP);
    expect(f & MapFlag.User).not.toBe(0);
    expect((f & MapFlag.Writable) !== 0 && (f & MapFlag.NoExecute) === 0).toBe(false);
    expect(plan.copyTo[m]!).toBeGreaterThanOrEqual(v);
    expect(plan.copyTo[m]! + plan.copyLength[m]!).toBeLessThanOrEqual(v + s);
    for (let n = m + 1; n < plan.count; n++) {
      expect(v + s <= plan.virt[n]! || plan.virt[n]! + plan.size[n]! <= v).toBe(true);
    }
    if (plan.entry >= v && plan.entry < v + s) expect(f & MapFlag.NoExecute).toBe(0);
  }
  // The guard page is mapped by nobody.
  for (let m = 0; m < plan.count; m++) {
    expect(plan.virt[m]! + plan.size[m]! <= plan.guardBase || plan.virt[m]! >= plan.stackBase).toBe(true);
  }
  // Executing it reads only inside the image (the simulated memory throws otherwise).
  if (plan.pages <= PHYS_PAGES) {
    attachMemory(physToVirt(PHYS_BASE), PHYS_PAGES * PAGE_SIZE);
    next = 0;
    const space = new Set<number>();
    expect(executeLoadPlan(plan, IMAGE_BASE, space, alloc, free, map)).toBe(true);
    expect(space.size).toBe(plan.pages);
    executed++;
  }
  return true;
}

describe("random mutations of valid executables", () => {
  it.each(BASES)("%s: never throws, and every accepted plan is sound", (name) => {
    const src = images.get(name)!;
    let accepted = 0;
    let refused = 0;
    executed = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (muts) => {
        if (checkAccepted(apply(src, muts))) accepted++;
        else refused++;
      }),
      { numRuns: 1000 },
    );
    // The generator must exercise both outcomes, or the property says little.
    expect(accepted).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(50);
    expect(executed).toBeGreaterThan(50);
  }, 120_000);

  it("the unmutated images pass the same checks", () => {
    for (const name of BASES) {
      const bytes = images.get(name)!;
      expect(checkAccepted(bytes)).toBe(true);
    }
  });
});
