// Fuzzing the ELF loader's input side (parseElf, then buildLoadPlan as loadProgram calls them) over
// mutations of a real Keel user program: fixtures/exit42.elf, as `make userland` builds it (see
// fixtures/README.md; a test below checks it still has the layout the build produces).
//
// Property, for every mutated image: parsing and planning never throw, read only the image's own
// bytes (it sits alone in simulated memory, exactly its length, so a read past it throws) and only
// a bounded number of them, and either refuse it with a documented ElfError (also recorded in the
// ElfImage, and printable by logElfError) or accept it with segments and a plan inside the file,
// inside the user half between the null page and the last user page, W^X, disjoint, the entry in
// an executable segment. An ElfImage and LoadPlan reused from earlier runs, as the kernel reuses
// them, give the same answer as fresh ones.
//
// Runs: KEEL_BOOT_FUZZ_RUNS (default 4000, about 5 s). Seed and replay: tests/unit/fast-check-setup.ts.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import { ElfError, ElfImage, MAX_LOAD_SEGMENTS, SegmentFlag, elfErrorText, logElfError, parseElf } from "../../../kernel/loader/elf.ts";
import { DEFAULT_STACK_SIZE, DEFAULT_STACK_TOP, LoadPlan, MapFlag, buildLoadPlan, stackSizeFor } from "../../../kernel/loader/load-plan.ts";
import { PAGE_SIZE, USER_TOP } from "../../../kernel/arch/x86_64/layout.ts";
import { MAX_IMAGE_BYTES } from "../../../kernel/proc/process.ts";
import { ERROR_NAMES, IMAGE_BASE, Mutable, ROOT, errorName, withAppendedHeaders } from "./elf-fixtures.ts";
import { loaded, placeCounted } from "../fixtures/counted-memory.ts";

const RUNS = Number(process.env.KEEL_BOOT_FUZZ_RUNS || 4000);
/** Generous: a long run (KEEL_BOOT_FUZZ_RUNS=200000) takes a few minutes. */
const TIMEOUT = Math.max(120_000, RUNS * 10);
const FIXTURE = join(ROOT, "tests/unit/loader/fixtures/exit42.elf");
const BUILT = join(ROOT, "build/user/exit42.elf");

const PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_NOTE = 4, PT_PHDR = 6, PT_TLS = 7;
const PT_GNU_EH_FRAME = 0x6474e550, PT_GNU_STACK = 0x6474e551, PT_GNU_RELRO = 0x6474e552, PT_GNU_PROPERTY = 0x6474e553;
const U64 = 1n << 64n;
const LAST_PAGE = USER_TOP - PAGE_SIZE;
/**
 * Loads the parser needs: 18 for the ELF header and the entry point, at most 7 per program header,
 * of which there are at most 64; with a little room. More means it walks something it should not.
 */
const MAX_LOADS = 20 + 64 * 8;

let seed: Uint8Array;
beforeAll(() => {
  seed = new Uint8Array(readFileSync(FIXTURE));
});
afterEach(() => {
  vi.restoreAllMocks();
});

// ---------------------------------------------------------------------------------------------
// Simulated memory that counts the loads made from the image (tests/unit/fixtures/counted-memory.ts).

/** Puts `bytes` alone at IMAGE_BASE, in a region of exactly its length whose loads are counted. */
function place(bytes: Uint8Array): void {
  placeCounted(IMAGE_BASE, bytes);
}

// ---------------------------------------------------------------------------------------------
// Mutations. Values are given relative to the image being mutated, so that a shrunk
// counterexample still means what it meant (e.g. "p_filesz = bytes left in the file + 1").

/** What a 64-bit value is measured from. */
type Base =
  | "zero" // absolute value: delta alone
  | "length" // the file length
  | "fileRest" // bytes from this header's p_offset to the end of the file (for p_filesz)
  | "userTop" // USER_TOP - this header's p_vaddr (for p_memsz: ends exactly at the top)
  | "lastPage" // the last user page - p_vaddr
  | "wrap" // 2^64 - p_vaddr (for p_memsz: wraps exactly to 0)
  | "other"; // the same field of header `other`

interface Value {
  base: Base;
  delta: bigint;
  other: number;
}

const PH_FIELDS = { type: 0, flags: 4, offset: 8, vaddr: 16, paddr: 24, filesz: 32, memsz: 40, align: 48 } as const;
type PhField = keyof typeof PH_FIELDS;

type Mutation =
  | { kind: "flip"; at: number; bit: number; area: "any" | "header" | "table" }
  | { kind: "byte"; at: number; value: number; area: "any" | "header" | "table" }
  | { kind: "truncate"; anchor: "any" | "header" | "table" | "segmentStart" | "segmentEnd"; index: number; delta: number; at: number }
  | { kind: "ehdr"; field: "phoff" | "entry"; value: Value }
  | { kind: "ehdr16"; field: "phnum" | "phentsize" | "ehsize" | "type" | "machine"; value: number }
  | { kind: "phdr"; header: number; field: PhField; value: Value }
  | { kind: "place"; header: number; at: number | Anchor; pages: number }
  | { kind: "copyHeader"; from: number; to: number }
  | { kind: "append"; count: number; from: number; stride: number; type: number };

const deltas = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(0n, 1n, -1n, 8n, -8n, 56n, -56n, 0x1000n, -0x1000n, 0x1001n, -0x1001n, 0xfffn) },
  { weight: 1, arbitrary: fc.bigInt({ min: -0x10000n, max: 0x10000n }) },
);

/** Values at the edges the validator cares about, including well beyond 2^32. */
const edges = fc.constantFrom(
  0n, 1n, 0x38n, 0x40n, 0xfffn, 0x1000n, 0x1001n, 0x400000n, 0x401000n, 0x7fffffffn, 0xffffffffn, 0x100000000n,
  0x100001000n, 0x1000000n, 0x1000001n, 0x4000000n, 0x7fffffffe000n, 0x7ffffffff000n, 0x7ffffffff001n, 0x7fffffffffffn,
  0x800000000000n, 0x800000001000n, 1n << 52n, 1n << 53n, (1n << 53n) + 1n, 0x8000000000000000n, 0xffff800000000000n,
  0xffffffff80000000n, 0xfffffffffffff000n, 0xffffffffffffffc8n, 0xffffffffffffffffn,
);

/** Pages where the user address-space layout changes. */
const ANCHOR_PAGES = {
  nullPage: 0n,
  firstPage: 0x1000n,
  fourGiB: 0x100000000n,
  guard: BigInt(DEFAULT_STACK_TOP - DEFAULT_STACK_SIZE - PAGE_SIZE),
  stack: BigInt(DEFAULT_STACK_TOP - DEFAULT_STACK_SIZE),
  lastPage: BigInt(LAST_PAGE),
  userTop: BigInt(USER_TOP),
  kernelHalf: 0xffff800000000000n,
  top: 0xfffffffffffff000n,
} as const;
type Anchor = keyof typeof ANCHOR_PAGES;
const ANCHORS = Object.keys(ANCHOR_PAGES) as Anchor[];

const value: fc.Arbitrary<Value> = fc.oneof(
  { weight: 3, arbitrary: edges.map((d) => ({ base: "zero" as Base, delta: d, other: 0 })) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: U64 - 1n }).map((d) => ({ base: "zero" as Base, delta: d, other: 0 })) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 0x10000n }).map((d) => ({ base: "zero" as Base, delta: d, other: 0 })) },
  {
    weight: 4,
    arbitrary: fc.record({
      base: fc.constantFrom<Base>("length", "fileRest", "userTop", "lastPage", "wrap", "other"),
      delta: deltas,
      other: fc.nat(7),
    }),
  },
);

const area = fc.constantFrom<"any" | "header" | "table">("any", "header", "table", "table");

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("flip" as const), at: fc.nat(0xffffff), bit: fc.nat(7), area }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("byte" as const), at: fc.nat(0xffffff), value: fc.nat(255), area }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("truncate" as const),
      anchor: fc.constantFrom<"any" | "header" | "table" | "segmentStart" | "segmentEnd">("any", "header", "table", "segmentStart", "segmentEnd"),
      index: fc.nat(7),
      delta: fc.integer({ min: -64, max: 64 }),
      at: fc.nat(0xffffff),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("ehdr" as const), field: fc.constantFrom<"phoff" | "entry">("phoff", "phoff", "entry"), value }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("ehdr16" as const),
      field: fc.constantFrom<"phnum" | "phentsize" | "ehsize" | "type" | "machine">("phnum", "phnum", "phentsize", "ehsize", "type", "machine"),
      value: fc.oneof(fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7, 32, 55, 56, 57, 62, 63, 64, 65, 0x7fff, 0xffff), fc.nat(0xffff)),
    }),
  },
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant("phdr" as const),
      header: fc.oneof({ weight: 4, arbitrary: fc.nat(4) }, { weight: 1, arbitrary: fc.nat(7) }),
      field: fc.constantFrom<PhField>("offset", "vaddr", "filesz", "memsz", "memsz", "align", "flags", "type", "paddr"),
      value: fc.oneof(
        { weight: 4, arbitrary: value },
        {
          weight: 1,
          arbitrary: fc.constantFrom(PT_LOAD, PT_DYNAMIC, PT_INTERP, PT_NOTE, PT_PHDR, PT_TLS, PT_GNU_EH_FRAME, PT_GNU_STACK, PT_GNU_RELRO, PT_GNU_PROPERTY, 0, 1, 2, 3, 4, 5, 6, 7, 0xffffffff)
            .map((n) => ({ base: "zero" as Base, delta: BigInt(n), other: 0 })),
        },
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("place" as const),
      header: fc.nat(4),
      at: fc.oneof(fc.nat(4), fc.constantFrom<Anchor>(...ANCHORS)),
      pages: fc.integer({ min: -2, max: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("copyHeader" as const), from: fc.nat(7), to: fc.nat(7) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("append" as const),
      count: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constantFrom(11, 12, 13, 59, 60, 61)),
      from: fc.nat(4),
      stride: fc.constantFrom(0, 1, 2, 0x41, 0x100),
      type: fc.constantFrom(PT_LOAD, PT_LOAD, PT_NOTE, PT_GNU_STACK, PT_TLS),
    }),
  },
);

function u64At(b: Uint8Array, off: number): bigint {
  return off + 8 <= b.length ? new DataView(b.buffer, b.byteOffset).getBigUint64(off, true) : 0n;
}

function phoffOf(b: Uint8Array): number {
  const p = u64At(b, 32);
  return p < 0x1000000n ? Number(p) : 64;
}

function phField(b: Uint8Array, header: number, field: PhField): bigint {
  return u64At(b, phoffOf(b) + header * 56 + PH_FIELDS[field]);
}

function resolve(b: Uint8Array, header: number, field: PhField | "phoff" | "entry", v: Value): bigint {
  let base = 0n;
  switch (v.base) {
    case "zero": base = 0n; break;
    case "length": base = BigInt(b.length); break;
    case "fileRest": base = BigInt(b.length) - phField(b, header, "offset"); break;
    case "userTop": base = BigInt(USER_TOP) - phField(b, header, "vaddr"); break;
    case "lastPage": base = BigInt(LAST_PAGE) - phField(b, header, "vaddr"); break;
    case "wrap": base = U64 - phField(b, header, "vaddr"); break;
    case "other": base = phField(b, v.other, field === "phoff" ? "offset" : field === "entry" ? "vaddr" : field); break;
  }
  return BigInt.asUintN(64, base + v.delta);
}

/** An offset inside `area` of a `length`-byte image, from a raw number. */
function offsetIn(b: Uint8Array, area: "any" | "header" | "table", at: number): number {
  if (area === "header") return at % 64;
  if (area === "table") return phoffOf(b) + (at % (8 * 56));
  return at % Math.max(1, b.length);
}

function write(b: Uint8Array, off: number, size: 1 | 2 | 4 | 8, v: bigint): void {
  if (off < 0 || off + size > b.length) return;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (size === 1) dv.setUint8(off, Number(v & 0xffn));
  else if (size === 2) dv.setUint16(off, Number(v & 0xffffn), true);
  else if (size === 4) dv.setUint32(off, Number(v & 0xffffffffn), true);
  else dv.setBigUint64(off, BigInt.asUintN(64, v), true);
}

function apply(src: Uint8Array, muts: Mutation[]): Uint8Array {
  let b: Uint8Array = new Uint8Array(src);
  for (const m of muts) {
    switch (m.kind) {
      case "flip": {
        const off = offsetIn(b, m.area, m.at);
        if (off < b.length) b[off] = b[off]! ^ (1 << m.bit);
        break;
      }
      case "byte": {
        const off = offsetIn(b, m.area, m.at);
        if (off < b.length) b[off] = m.value;
        break;
      }
      case "truncate": {
        let at: number;
        if (m.anchor === "any") at = m.at % (b.length + 1);
        else if (m.anchor === "header") at = 64 + m.delta;
        else if (m.anchor === "table") at = phoffOf(b) + (m.index % 6) * 56 + m.delta;
        else {
          const off = Number(BigInt.asUintN(32, phField(b, m.index, "offset")));
          at = m.anchor === "segmentStart" ? off + m.delta : off + Number(BigInt.asUintN(32, phField(b, m.index, "filesz"))) + m.delta;
        }
        b = b.slice(0, Math.max(0, Math.min(b.length, at)));
        break;
      }
      case "ehdr":
        write(b, m.field === "phoff" ? 32 : 24, 8, resolve(b, 0, m.field, m.value));
        break;
      case "ehdr16": {
        const off = { phnum: 56, phentsize: 54, ehsize: 52, type: 16, machine: 18 }[m.field];
        write(b, off, 2, BigInt(m.value));
        break;
      }
      case "phdr": {
        const off = phoffOf(b) + m.header * 56 + PH_FIELDS[m.field];
        const size = m.field === "type" || m.field === "flags" ? 4 : 8;
        write(b, off, size, resolve(b, m.header, m.field, m.value));
        break;
      }
      case "place": {
        // Header `header` moved, keeping its page congruence, `pages` pages from another header's
        // first page or from an address where the layout changes.
        const page = typeof m.at === "number" ? phField(b, m.at, "vaddr") & ~0xfffn : ANCHOR_PAGES[m.at];
        const vaddr = BigInt.asUintN(64, page + BigInt(m.pages * PAGE_SIZE));
        write(b, phoffOf(b) + m.header * 56 + 16, 8, vaddr + (phField(b, m.header, "offset") & 0xfffn));
        break;
      }
      case "copyHeader": {
        const p = phoffOf(b);
        const from = p + m.from * 56, to = p + m.to * 56;
        if (from + 56 <= b.length && to + 56 <= b.length) b.copyWithin(to, from, from + 56);
        break;
      }
      case "append": {
        // Only over a table that is whole, copying one of its own headers.
        const phnum = b.length >= 58 ? new DataView(b.buffer, b.byteOffset).getUint16(56, true) : 0;
        if (m.from >= phnum || u64At(b, 32) + BigInt(phnum * 56) > BigInt(b.length)) break;
        b = withAppendedHeaders(b, m.count, (mm, i) => {
          const src = mm.ph(m.from);
          mm.bytes.copyWithin(mm.ph(i), src, src + 56);
          mm.type(i, m.type);
          const shift = BigInt((i + 1) * m.stride * PAGE_SIZE);
          mm.vaddr(i, mm.getVaddr(m.from) + shift);
        });
        break;
      }
    }
  }
  return b;
}

// ---------------------------------------------------------------------------------------------
// The property.

const SEEN = new Map<number, number>();
let accepted = 0;
let planned = 0;
const dirtyElf = new ElfImage();
const dirtyPlan = new LoadPlan();

/** Parses and plans `bytes` as loadProgram does, and checks everything the loader promises. */
function check(bytes: Uint8Array): void {
  place(bytes);
  const elf = new ElfImage();
  const err = parseElf(IMAGE_BASE, bytes.length, MAX_IMAGE_BYTES, elf);
  expect(loaded.count).toBeLessThanOrEqual(MAX_LOADS);
  expect(elf.error).toBe(err);
  // A documented code, with its own text, and a log line that does not throw.
  expect(ERROR_NAMES.has(err)).toBe(true);
  expect(elfErrorText(err)).not.toBe("has an unknown problem");

  const plan = new LoadPlan();
  const perr = buildLoadPlan(elf, DEFAULT_STACK_TOP, stackSizeFor(elf, DEFAULT_STACK_SIZE), plan);
  expect(ERROR_NAMES.has(perr)).toBe(true);
  expect(elf.error).toBe(perr);
  SEEN.set(perr, (SEEN.get(perr) ?? 0) + 1);
  if (perr !== ElfError.None) {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    logElfError("fuzz", elf);
    expect(log).toHaveBeenCalledTimes(1);
    log.mockRestore();
  }

  // Reused objects, dirty from the previous image, give the same answer.
  const again = parseElf(IMAGE_BASE, bytes.length, MAX_IMAGE_BYTES, dirtyElf);
  expect(errorName(again)).toBe(errorName(err));
  const planAgain = buildLoadPlan(dirtyElf, DEFAULT_STACK_TOP, stackSizeFor(dirtyElf, DEFAULT_STACK_SIZE), dirtyPlan);
  expect(errorName(dirtyElf.error)).toBe(errorName(elf.error));
  expect([dirtyElf.segment, dirtyElf.other, dirtyElf.value]).toEqual([elf.segment, elf.other, elf.value]);
  expect(planAgain).toBe(perr);

  if (err !== ElfError.None) {
    // Only the plan can refuse an accepted image; a refused one plans nothing.
    expect(plan.count).toBe(0);
    return;
  }
  accepted++;
  checkImage(bytes, elf);
  expect(dirtyElf.count).toBe(elf.count);
  expect(dirtyElf.entry).toBe(elf.entry);
  expect(dirtyElf.stackSize).toBe(elf.stackSize);
  if (perr !== ElfError.None) {
    // With the kernel's stack layout the one possible refusal is a segment on the stack.
    expect(errorName(perr)).toBe("StackOverlapsSegment");
    return;
  }
  planned++;
  checkPlan(bytes, elf, plan);
  expect(dirtyPlan.count).toBe(plan.count);
  for (let m = 0; m < plan.count; m++) {
    expect([dirtyPlan.virt[m], dirtyPlan.size[m], dirtyPlan.flags[m], dirtyPlan.fileOffset[m], dirtyPlan.copyLength[m]])
      .toEqual([plan.virt[m], plan.size[m], plan.flags[m], plan.fileOffset[m], plan.copyLength[m]]);
  }
}

function checkImage(bytes: Uint8Array, elf: ElfImage): void {
  const raw = new Mutable(bytes);
  expect(elf.count).toBeGreaterThan(0);
  expect(elf.count).toBeLessThanOrEqual(MAX_LOAD_SEGMENTS);
  let entrySegment = -1;
  for (let i = 0; i < elf.count; i++) {
    const h = elf.header[i]!;
    const v = elf.vaddr[i]!, m = elf.memsz[i]!, o = elf.offset[i]!, f = elf.filesz[i]!;
    // What the header says, exactly.
    expect(raw.view.getUint32(raw.ph(h), true)).toBe(PT_LOAD);
    expect([BigInt(v), BigInt(m), BigInt(o), BigInt(f)]).toEqual([raw.getVaddr(h), raw.getMemsz(h), raw.getOffset(h), raw.getFilesz(h)]);
    // Inside the file, inside the user half between the null page and the last page.
    expect(o + f).toBeLessThanOrEqual(bytes.length);
    expect(f).toBeLessThanOrEqual(m);
    expect(m).toBeGreaterThan(0);
    expect(v).toBeGreaterThanOrEqual(PAGE_SIZE);
    expect(v + m).toBeLessThanOrEqual(LAST_PAGE);
    expect(v % PAGE_SIZE).toBe(o % PAGE_SIZE);
    const fl = elf.flags[i]!;
    expect((fl & SegmentFlag.Write) !== 0 && (fl & SegmentFlag.Execute) !== 0).toBe(false);
    for (let j = 0; j < i; j++) {
      expect(elf.pageEnd(i) <= elf.pageStart(j) || elf.pageEnd(j) <= elf.pageStart(i)).toBe(true);
    }
    if (elf.entry >= v && elf.entry < v + m) entrySegment = i;
  }
  expect(entrySegment).toBeGreaterThanOrEqual(0);
  expect(elf.flags[entrySegment]! & SegmentFlag.Execute).not.toBe(0);
  expect(elf.memoryBytes).toBeLessThanOrEqual(MAX_IMAGE_BYTES);
  expect(elf.stackSize % PAGE_SIZE).toBe(0);
  expect(elf.stackSize).toBeLessThanOrEqual(0x1000000);
}

function checkPlan(bytes: Uint8Array, elf: ElfImage, plan: LoadPlan): void {
  expect(plan.count).toBe(elf.count + 1);
  expect(plan.entry).toBe(elf.entry);
  let pages = 0;
  for (let m = 0; m < plan.count; m++) {
    const v = plan.virt[m]!, s = plan.size[m]!, f = plan.flags[m]!;
    expect(v % PAGE_SIZE).toBe(0);
    expect(s % PAGE_SIZE).toBe(0);
    expect(s).toBeGreaterThan(0);
    expect(v).toBeGreaterThanOrEqual(PAGE_SIZE);
    expect(v + s).toBeLessThanOrEqual(LAST_PAGE);
    expect(f & MapFlag.User).not.toBe(0);
    expect((f & MapFlag.Writable) !== 0 && (f & MapFlag.NoExecute) === 0).toBe(false);
    // The bytes copied come from inside the file and land inside the mapping.
    expect(plan.fileOffset[m]!).toBeGreaterThanOrEqual(0);
    expect(plan.fileOffset[m]! + plan.copyLength[m]!).toBeLessThanOrEqual(bytes.length);
    expect(plan.copyTo[m]!).toBeGreaterThanOrEqual(v);
    expect(plan.copyTo[m]! + plan.copyLength[m]!).toBeLessThanOrEqual(v + s);
    expect(plan.zeroFrom[m]!).toBe(plan.copyTo[m]! + plan.copyLength[m]!);
    for (let n = 0; n < m; n++) expect(v + s <= plan.virt[n]! || plan.virt[n]! + plan.size[n]! <= v).toBe(true);
    // Nothing on the guard page.
    expect(v + s <= plan.guardBase || v >= plan.stackBase).toBe(true);
    pages += s / PAGE_SIZE;
  }
  expect(plan.pages).toBe(pages);
  const stack = plan.count - 1;
  expect(plan.header[stack]).toBe(-1);
  expect([plan.virt[stack], plan.virt[stack]! + plan.size[stack]!]).toEqual([plan.stackBase, DEFAULT_STACK_TOP]);
  expect(plan.size[stack]).toBe(stackSizeFor(elf, DEFAULT_STACK_SIZE));
}

// ---------------------------------------------------------------------------------------------

/** What a build/user/*.elf looks like to the loader, without what changes with the code's size. */
function layout(bytes: Uint8Array): unknown {
  const m = new Mutable(bytes);
  const dv = m.view;
  const headers = [];
  let prevEnd = -1;
  for (let i = 0; i < m.phnum; i++) {
    const type = dv.getUint32(m.ph(i), true);
    const vaddr = Number(m.getVaddr(i)), memsz = Number(m.getMemsz(i)), filesz = Number(m.getFilesz(i)), offset = Number(m.getOffset(i));
    const load = type === PT_LOAD;
    headers.push({
      type,
      flags: dv.getUint32(m.ph(i) + 4, true),
      align: Number(dv.getBigUint64(m.ph(i) + 48, true)),
      congruent: vaddr % PAGE_SIZE === offset % PAGE_SIZE,
      pageAligned: load ? vaddr % PAGE_SIZE === 0 : null,
      bss: load ? memsz > filesz : null,
      sharesPageWithPrevious: load ? Math.floor(vaddr / PAGE_SIZE) * PAGE_SIZE < prevEnd : null,
      memsz: load ? null : memsz,
    });
    if (load) prevEnd = Math.ceil((vaddr + memsz) / PAGE_SIZE) * PAGE_SIZE;
  }
  return {
    ident: Array.from(bytes.subarray(0, 16)),
    type: dv.getUint16(16, true),
    machine: dv.getUint16(18, true),
    phoff: m.phoff,
    ehsize: dv.getUint16(52, true),
    phentsize: dv.getUint16(54, true),
    firstPage: Number(m.getVaddr(0)),
    headers,
  };
}

describe("the seed", () => {
  it("is a Keel user program the loader accepts and plans", () => {
    expect(seed.length).toBeGreaterThan(0x4000);
    check(seed);
    const elf = new ElfImage();
    place(seed);
    expect(parseElf(IMAGE_BASE, seed.length, MAX_IMAGE_BYTES, elf)).toBe(ElfError.None);
    expect(elf.count).toBe(4);
  });

  // The fixture is a copy of a build output; when build/ has that program, the copy must still
  // look like it to the loader (same headers, kinds, permissions, alignments, page sharing).
  it.skipIf(!existsSync(BUILT))("has the layout of build/user/exit42.elf", () => {
    const built = new Uint8Array(readFileSync(BUILT));
    expect(layout(seed), "tests/unit/loader/fixtures/exit42.elf no longer looks like build/user/exit42.elf: " +
      "copy the new build over it (tests/unit/loader/fixtures/README.md)").toEqual(layout(built));
  });
});

describe("mutated real executables", () => {
  it("parse and plan to a documented result, reading only the image", () => {
    SEEN.clear();
    accepted = 0;
    planned = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (muts) => {
        check(apply(seed, muts));
      }),
      { numRuns: RUNS },
    );
    if (process.env.KEEL_BOOT_FUZZ_RUNS) {
      const codes = [...SEEN.entries()].sort((a, b) => a[0] - b[0]).map(([e, n]) => `${errorName(e)} ${n}`);
      console.log(`elf fuzz: ${RUNS} runs, ${accepted} accepted, ${planned} planned; ${codes.join(", ")}`);
    }
    // The mutations must reach both outcomes and most refusals, or the property says little.
    expect(accepted).toBeGreaterThan(RUNS / 20);
    expect(planned).toBeGreaterThan(RUNS / 40);
    expect(SEEN.size).toBeGreaterThanOrEqual(30);
  }, TIMEOUT);
});
