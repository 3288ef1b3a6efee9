// Fuzzing the Multiboot2 boot information parser (parseBootInfo) and what the boot does with its
// result right after (kernelOptionsFromBootInfo, printOptionWarnings, reportBootInfo, findModule).
//
// Seeds: the two structures GRUB 2.06 really handed to Keel (tests/unit/fixtures/multiboot2/),
// and structures built like GRUB's from random realistic contents: memory maps with every entry
// type, modules with command lines (some overlapping), framebuffer, ACPI, EFI and other tags.
// Built ones are first checked to decode exactly; then everything is mutated: bytes, tag sizes and
// types set to boundary values, total_size lying either way, truncation, tags shifted off their
// 8-byte boundary, duplicated, dropped or swapped, memory-map entry sizes and addresses at and
// beyond 2^52, module ranges reversed or overlapping, unterminated strings, thousands of tags.
//
// Property: nothing throws (except the documented panic of reportBootInfo on a fatal error, with
// that error's message); the parser reads only the structure, [addr, addr + min(total_size,
// 1 MiB)) (it sits alone in simulated memory, so any other read throws), and a bounded number of
// bytes of it; every problem is a documented BootError, reported by name; and what it returns keeps
// the promises of docs/architecture.md, "Boot information": every well-formed module and memory
// map entry before the damage is kept, in order, and nothing else; strings, the RSDP copy and
// module names lie inside the structure; addresses are below 2^52; counts are within the tables.
//
// Runs: KEEL_BOOT_FUZZ_RUNS (default 3000, about 5 s). Seed and replay: tests/unit/fast-check-setup.ts.
import { beforeEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { detachAllMemory } from "../../../lang/host/memory.ts";
import { physToVirt } from "../../../kernel/arch/x86_64/layout.ts";
import { MULTIBOOT2_MAGIC, parseBootInfo } from "../../../kernel/boot/multiboot2.ts";
import {
  BootError,
  BootInfo,
  MAX_BOOT_ERRORS,
  bootErrorFatal,
  bootErrorMessage,
  findModule,
  firstFatalBootError,
  hasBootError,
} from "../../../kernel/boot/bootinfo.ts";
import { reportBootInfo } from "../../../kernel/boot/report.ts";
import { kernelOptionsFromBootInfo, printOptionWarnings } from "../../../kernel/boot/cmdline.ts";
import { FramebufferType } from "../../../kernel/console/framebuffer.ts";
import { setLogLevel } from "../../../kernel/console/log.ts";
import { LogLevel } from "../../../abi/log.ts";
import { fakeCpu, resetFakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { grubBios, grubUefi, listTags } from "../fixtures/multiboot2.ts";
import { loaded, placeCounted } from "../fixtures/counted-memory.ts";

const RUNS = Number(process.env.KEEL_BOOT_FUZZ_RUNS || 3000);
const TIMEOUT = Math.max(120_000, RUNS * 10);
/** The parser's cap on total_size (MAX_TOTAL_SIZE in kernel/boot/multiboot2.ts). */
const MAX_TOTAL = 0x100000;
const ADDR_LIMIT = 2 ** 52;
/** Codes the parser no longer produces (bootinfo.ts). */
const RETIRED = [BootError.MemoryMapTooManyEntries, BootError.TooManyModules];
const LAST_CODE = BootError.DuplicateTag;

beforeEach(() => {
  detachAllMemory();
  resetFakeCpu();
  setLogLevel(LogLevel.Debug);
});

// ---------------------------------------------------------------------------------------------
// Building structures the way GRUB lays them out.

const enc = new TextEncoder();

function le32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

function le64(n: bigint): number[] {
  const out: number[] = [];
  for (let i = 0n; i < 64n; i += 8n) out.push(Number((n >> i) & 0xffn));
  return out;
}

/** One tag: type, size (header + payload, unpadded), payload, padding to 8 bytes. */
function tag(type: number, payload: number[] | Uint8Array): Uint8Array {
  const size = 8 + payload.length;
  const t = new Uint8Array((size + 7) & ~7);
  t.set([...le32(type), ...le32(size)]);
  t.set(payload, 8);
  return t;
}

function cstr(s: string): number[] {
  return [...enc.encode(s), 0];
}

/** A whole structure: header (total_size, reserved), the tags, the end tag. */
function structure(tags: Uint8Array[]): Uint8Array {
  const total = 8 + tags.reduce((n, t) => n + t.length, 0) + 8;
  const b = new Uint8Array(total);
  b.set([...le32(total), 0, 0, 0, 0]);
  let at = 8;
  for (const t of tags) {
    b.set(t, at);
    at += t.length;
  }
  b.set([0, 0, 0, 0, 8, 0, 0, 0], at);
  return b;
}

interface Region {
  base: bigint;
  length: bigint;
  type: number;
}
interface Module {
  start: number;
  end: number;
  name: string;
}
/** What a built structure holds, to check the decoding of the unmutated one. */
interface Built {
  bytes: Uint8Array;
  modules: Module[];
  memory: Region[];
  cmdline: string | null;
  loader: string | null;
  rsdpVersion: number;
  framebuffer: number;
  efiSystemTable: number;
  /** Where the structure is placed: a page boundary (the GRUB captures are only 8-byte aligned). */
  addr: number;
}

const moduleName = fc.oneof(
  fc.constantFrom("init", "font", "hello", "fuzz-1-30000", "exit42", "prog arg1 arg2", "", "/boot/x.elf name"),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 }),
);

const moduleArb = fc.record({
  startPage: fc.integer({ min: 0x100, max: 0xfffff }),
  size: fc.oneof(fc.constantFrom(0, 1, 20770, 0x1000, 0x12345), fc.nat(0x200000)),
  name: moduleName,
  overlap: fc.boolean(),
});

const regionArb = fc.record({
  base: fc.oneof(fc.constantFrom(0n, 0x9fc00n, 0x100000n, 0xfffc0000n, 0x100000000n), fc.bigInt({ min: 0n, max: 1n << 44n })),
  length: fc.oneof(fc.constantFrom(0x400n, 0x1000n, 0x7ee0000n, 0x40000n), fc.bigInt({ min: 1n, max: 1n << 40n })),
  type: fc.constantFrom(1, 1, 1, 2, 2, 3, 4, 5, 20, 0, 0xffffffff),
});

const framebufferArb = fc.constantFrom("rgb", "ega", "indexed", "none");

const builtArb: fc.Arbitrary<Built> = fc
  .record({
    cmdline: fc.option(fc.constantFrom("keel.log=debug keel.test=memory,paging", "keel.log=info", "", "keel.fb=0 keel.serial=1 quiet", "keel.bench=boot keel.test=all,boot"), { nil: null }),
    loader: fc.option(fc.constant("GRUB 2.06-13+deb12u2"), { nil: null }),
    modules: fc.array(moduleArb, { maxLength: 12 }),
    memory: fc.array(regionArb, { minLength: 1, maxLength: 40 }),
    entrySize: fc.constantFrom(24, 24, 24, 32),
    framebuffer: framebufferArb,
    acpi: fc.constantFrom("old", "new", "both", "none"),
    efi: fc.constantFrom("none", "efi64", "efi32", "both"),
    efiMmap: fc.nat(8),
    extras: fc.boolean(),
    order: fc.array(fc.nat(), { minLength: 20, maxLength: 20 }),
    infoPage: fc.integer({ min: 0x10, max: 0x3ffff }),
  })
  .map((r) => {
    const tags: Uint8Array[] = [];
    const starts: number[] = [];
    const memory: Region[] = [];
    let rsdpVersion = 0;
    let efiSystemTable = 0;
    if (r.extras) tags.push(tag(21, le32(0x200000)));
    if (r.cmdline !== null) tags.push(tag(1, cstr(r.cmdline)));
    if (r.loader !== null) tags.push(tag(2, cstr(r.loader)));
    if (r.extras) tags.push(tag(10, new Array(20).fill(0x11)));
    for (const m of r.modules) {
      let start = m.startPage * 0x1000;
      if (m.overlap && starts.length > 0) start = starts[starts.length - 1]! + 0x800;
      const end = Math.min(0xffffffff, start + m.size);
      starts.push(start);
      tags.push(tag(3, [...le32(start), ...le32(end), ...cstr(m.name)]));
    }
    if (r.extras) tags.push(tag(4, [...le32(639), ...le32(129920)]));
    if (r.extras) tags.push(tag(5, [...le32(0xe0), ...le32(0xffffffff), ...le32(0xffffffff)]));
    const entries: number[] = [];
    for (const m of r.memory) {
      entries.push(...le64(m.base), ...le64(m.length), ...le32(m.type), 0, 0, 0, 0);
      for (let i = 24; i < r.entrySize; i++) entries.push(0xee);
      memory.push({ base: m.base, length: m.length, type: [1, 3, 4, 5].includes(m.type) ? m.type : 2 });
    }
    tags.push(tag(6, [...le32(r.entrySize), ...le32(0), ...entries]));
    if (r.extras) tags.push(tag(9, [...le32(0), ...le32(64), ...le32(0), ...new Array(64).fill(0)]));
    let framebuffer = FramebufferType.None;
    if (r.framebuffer === "rgb") {
      tags.push(tag(8, [...le64(0xfd000000n), ...le32(4096), ...le32(1024), ...le32(768), 32, 1, 0, 0, 16, 8, 8, 8, 0, 8]));
      framebuffer = FramebufferType.Rgb;
    } else if (r.framebuffer === "ega") {
      tags.push(tag(8, [...le64(0xb8000n), ...le32(160), ...le32(80), ...le32(25), 16, 2, 0, 0]));
      framebuffer = FramebufferType.EgaText;
    } else if (r.framebuffer === "indexed") {
      tags.push(tag(8, [...le64(0xa0000n), ...le32(320), ...le32(320), ...le32(200), 8, 0, 0, 0, ...le32(2), 0, 0, 0, 255, 255, 255]));
      framebuffer = FramebufferType.Indexed;
    }
    if (r.efi === "efi32" || r.efi === "both") {
      tags.push(tag(11, le32(0x7f9e018)));
      efiSystemTable = 0x7f9e018;
    }
    if (r.efi === "efi64" || r.efi === "both") {
      tags.push(tag(12, le64(0x7f9e018n)));
      efiSystemTable = 0x7f9e018;
    }
    const rsdp = (rev: number, n: number) => [...enc.encode("RSD PTR "), 0, ...enc.encode("BOCHS "), rev, ...le32(0xe0000), ...new Array(n - 20).fill(0)];
    if (r.acpi === "old" || r.acpi === "both") {
      tags.push(tag(14, rsdp(0, 20)));
      rsdpVersion = 1;
    }
    if (r.acpi === "new" || r.acpi === "both") {
      tags.push(tag(15, rsdp(2, 36)));
      rsdpVersion = 2;
    }
    if (r.efiMmap > 0) tags.push(tag(17, [...le32(48), ...le32(1), ...new Array(48 * r.efiMmap).fill(0x5a)]));
    // GRUB's order, or another one: the parser must not care (the memory map is one tag).
    const ordered = r.order[0]! % 2 === 0 ? tags : tags.map((t, i) => [r.order[i % 20]!, t] as const).sort((a, b) => a[0] - b[0]).map(([, t]) => t);
    // Modules are listed in the order of their tags.
    const moduleOrder = ordered.filter((t) => t[0] === 3 && t[1] === 0 && t[2] === 0 && t[3] === 0);
    const names = moduleOrder.map((t) => {
      const dv = new DataView(t.buffer, t.byteOffset);
      const start = dv.getUint32(8, true), end = dv.getUint32(12, true);
      const size = dv.getUint32(4, true);
      const name = new TextDecoder().decode(t.subarray(16, size - 1));
      return { start, end, name };
    });
    return {
      bytes: structure(ordered),
      modules: names,
      memory,
      cmdline: r.cmdline,
      loader: r.loader,
      rsdpVersion,
      framebuffer,
      efiSystemTable,
      addr: r.infoPage * 0x1000,
    };
  });

// ---------------------------------------------------------------------------------------------
// Simulated memory holding nothing but the structure, counting the loads made from it (tests/unit/fixtures/counted-memory.ts).

type Fill = "zero" | "ones" | "repeat" | "noise";
const NOISE = new Uint8Array(MAX_TOTAL).map((_, k) => (k * 2654435761) >>> 24);

/**
 * Bytes of the structure as the parser may see them: [addr, addr + max(4, min(total_size, 1 MiB))).
 * When `bytes` is shorter (truncated, or total_size lies), the rest is `fill`.
 */
function memoryImage(bytes: Uint8Array, fill: Fill): Uint8Array {
  const head = new Uint8Array(4);
  head.set(bytes.subarray(0, 4));
  const total = new DataView(head.buffer).getUint32(0, true);
  const size = Math.max(4, Math.min(total, MAX_TOTAL));
  const m = new Uint8Array(size);
  m.set(head);
  m.set(bytes.subarray(0, size));
  // The fill starts after total_size, so that it is what was read.
  const from = Math.max(4, Math.min(bytes.length, size));
  if (from >= size) return m;
  if (fill === "ones") m.fill(0xff, from);
  else if (fill === "noise") m.set(NOISE.subarray(0, size - from), from);
  else if (fill === "repeat" && bytes.length > 0) {
    m.set(bytes.subarray(0, Math.min(bytes.length, size - from)), from);
    for (let done = Math.min(bytes.length, size - from); done < size - from; done *= 2) m.copyWithin(from + done, from, from + Math.min(done, size - from - done));
  }
  return m;
}

/** The structure alone at `addr`, its loads counted (tests/unit/fixtures/counted-memory.ts). */
function place(addr: number, image: Uint8Array): void {
  placeCounted(physToVirt(addr), image);
}

// ---------------------------------------------------------------------------------------------
// Reference: what the structure holds, decoded from the specification independently of the parser.

interface Expected {
  modules: Module[];
  badRange: boolean;
  memory: Region[] | null; // null: no usable memory map tag
  mmapTags: number;
  stop: "end" | "endNotLast" | "tooSmall" | "pastEnd" | "ran out";
}

function reference(m: Uint8Array): Expected {
  const dv = new DataView(m.buffer, m.byteOffset, m.byteLength);
  const size = m.length;
  const e: Expected = { modules: [], badRange: false, memory: null, mmapTags: 0, stop: "ran out" };
  let off = 8;
  while (off + 8 <= size) {
    const type = dv.getUint32(off, true);
    const tagSize = dv.getUint32(off + 4, true);
    if (tagSize < 8) {
      e.stop = "tooSmall";
      break;
    }
    if (tagSize > size - off) {
      e.stop = "pastEnd";
      break;
    }
    if (type === 0) {
      e.stop = tagSize === 8 && off + 8 === size ? "end" : "endNotLast";
      break;
    }
    if (type === 3 && tagSize >= 17) {
      const start = dv.getUint32(off + 8, true), end = dv.getUint32(off + 12, true);
      if (end < start) {
        e.badRange = true;
      } else {
        let n = 0;
        while (n < tagSize - 16 && m[off + 16 + n] !== 0) n++;
        e.modules.push({ start, end, name: new TextDecoder("latin1").decode(m.subarray(off + 16, off + 16 + n)) });
      }
    }
    if (type === 6) {
      e.mmapTags++;
      if (e.mmapTags === 1 && tagSize >= 16) {
        const entrySize = dv.getUint32(off + 8, true);
        if (entrySize >= 24 && entrySize % 8 === 0) {
          e.memory = [];
          for (let at = 16; at + entrySize <= tagSize; at += entrySize) {
            const base = dv.getBigUint64(off + at, true), length = dv.getBigUint64(off + at + 8, true);
            const raw = dv.getUint32(off + at + 16, true);
            const limit = BigInt(ADDR_LIMIT);
            if (length === 0n || base >= limit || length >= limit || base + length > limit) continue;
            e.memory.push({ base, length, type: [1, 3, 4, 5].includes(raw) ? raw : 2 });
          }
        }
      }
    }
    off += Math.floor((tagSize + 7) / 8) * 8;
  }
  return e;
}

// ---------------------------------------------------------------------------------------------
// The property. Checks throw a plain Error naming the broken promise: a few hundred per run,
// through `expect` they would cost most of the run time.

const SEEN = new Map<number, number>();
let maxLoadsPerByte = 0;

function must(ok: boolean, what: string): void {
  if (!ok) throw new Error(`broken: ${what}`);
}

function show(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}n` : x));
}

function same(actual: unknown, expected: unknown, what: string): void {
  const a = show(actual), e = show(expected);
  if (a !== e) throw new Error(`broken: ${what}: got ${a}, expected ${e}`);
}

function serialText(): string {
  let s = "";
  for (const [port, , v] of fakeCpu.portLog) if (port === 0x3f8) s += String.fromCharCode(v);
  return s;
}

function inside(info: BootInfo, addr: number, len: number): boolean {
  return Number.isInteger(addr) && Number.isInteger(len) && len >= 0 && addr >= info.infoAddr + 8 && addr + len <= info.infoAddr + info.infoSize;
}

/** The string (addr, len) is what the structure holds there: no NUL in it, one after it unless unterminated. */
function checkString(info: BootInfo, image: Uint8Array, addr: number, len: number, what: string): void {
  must(inside(info, addr, len), `${what} inside the structure`);
  const at = addr - info.infoAddr;
  for (let i = 0; i < len; i++) must(image[at + i] !== 0, `${what} has no NUL inside`);
  if (!hasBootError(info, BootError.StringNotTerminated) && info.errorCount < MAX_BOOT_ERRORS) {
    must(at + len < image.length && image[at + len] === 0, `${what} ends at its NUL`);
  }
}

function text(image: Uint8Array, at: number, len: number): string {
  let s = "";
  for (let i = 0; i < len; i++) s += String.fromCharCode(image[at + i]!);
  return s;
}

/** Parses `bytes` at `addr` with `magic`, then does what the boot does with the result, checking it all. */
function check(bytes: Uint8Array, addr: number, magic: number, fill: Fill): BootInfo {
  const image = memoryImage(bytes, fill);
  const valid = magic === MULTIBOOT2_MAGIC && addr !== 0 && addr % 8 === 0;
  // Nothing at all is attached unless the parser may read the structure.
  if (valid) place(addr, image);
  else detachAllMemory();
  loaded.count = 0;
  const info = parseBootInfo(magic, addr);
  must(loaded.count <= (valid ? 2 * image.length + 64 : 0), `at most 2 loads per byte (${loaded.count} for ${image.length})`);
  if (valid) maxLoadsPerByte = Math.max(maxLoadsPerByte, loaded.count / image.length);

  // Errors: documented codes, a bounded list, TooManyErrors only as its last entry.
  must(info.errorCount >= 0 && info.errorCount <= MAX_BOOT_ERRORS, "error count within MAX_BOOT_ERRORS");
  const codes = Array.from(info.errors.slice(0, info.errorCount));
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    must(c >= BootError.BadMagic && c <= LAST_CODE && !RETIRED.includes(c), `error ${c} is a BootError still produced`);
    must(bootErrorMessage(c) !== "unknown boot information error", `error ${c} has a message`);
    must(c !== BootError.TooManyErrors || i === MAX_BOOT_ERRORS - 1, "TooManyErrors only in the last slot");
    SEEN.set(c, (SEEN.get(c) ?? 0) + 1);
  }
  if (codes.length === 0) SEEN.set(0, (SEEN.get(0) ?? 0) + 1);
  const full = info.errorCount === MAX_BOOT_ERRORS;

  // Tables: within their capacity, which the structure's size bounds.
  must(info.memoryCount <= info.memory.length && info.moduleCount <= info.modules.length, "counts within the tables");
  must(info.memory.length <= Math.floor(image.length / 24), "memory table sized by the structure");
  // Every module tag is counted, even one too small to be kept: at least 8 bytes each.
  must(info.modules.length <= Math.floor(image.length / 8), "module table sized by the structure");

  if (magic !== MULTIBOOT2_MAGIC) same(codes, [BootError.BadMagic], "bad magic");
  else if (addr === 0) same(codes, [BootError.NullInfo], "null address");
  else if (addr % 8 !== 0) same(codes, [BootError.MisalignedInfo], "misaligned address");
  else if (image.length < 16) same(codes, [BootError.TotalSizeTooSmall], "total size below 16");
  if (!valid || image.length < 16) {
    must(info.memoryCount + info.moduleCount === 0, "nothing kept from a refused structure");
    same(firstFatalBootError(info), codes[0], "the refusal is fatal");
    checkReport(info, codes);
    return info;
  }

  same([info.infoAddr, info.infoSize], [addr, image.length], "infoAddr and infoSize: the structure, capped at 1 MiB");
  const total = new DataView(image.buffer).getUint32(0, true);
  if (!full) same(hasBootError(info, BootError.TotalSizeTooLarge), total > MAX_TOTAL, "TotalSizeTooLarge");

  // Against the reference: every module and memory region kept, in order, nothing invented.
  const ref = reference(image);
  same(info.moduleCount, ref.modules.length, "module count");
  for (let i = 0; i < info.moduleCount; i++) {
    const m = info.modules[i]!;
    const r = ref.modules[i]!;
    if (m.start !== r.start || m.end !== r.end) same([m.start, m.end], [r.start, r.end], `module ${i} range`);
    must(m.start <= m.end && m.end <= 0xffffffff, `module ${i} range ordered`);
    checkString(info, image, m.nameAddr, m.nameLength, `module ${i} name`);
    const name = text(image, m.nameAddr - addr, m.nameLength);
    if (name !== r.name) same(name, r.name, `module ${i} name`);
  }
  const refMemory = ref.memory ?? [];
  same(info.memoryCount, refMemory.length, "memory region count");
  for (let i = 0; i < info.memoryCount; i++) {
    const g = info.memory[i]!;
    must(Number.isInteger(g.base) && Number.isInteger(g.length) && g.length > 0 && g.base + g.length <= ADDR_LIMIT, `region ${i} below 2^52`);
    const r = refMemory[i]!;
    if (g.base !== Number(r.base) || g.length !== Number(r.length) || g.type !== r.type) same([g.base, g.length, g.type], [Number(r.base), Number(r.length), r.type], `region ${i}`);
  }
  // Structural problems are named as such (when the list had room for them).
  if (!full) {
    same(hasBootError(info, BootError.NoMemoryMap), info.memoryCount === 0, "NoMemoryMap");
    same(hasBootError(info, BootError.TagTooSmall), ref.stop === "tooSmall", "TagTooSmall");
    same(hasBootError(info, BootError.TagPastEnd), ref.stop === "pastEnd", "TagPastEnd");
    same(hasBootError(info, BootError.MissingEndTag), ref.stop === "ran out", "MissingEndTag");
    same(hasBootError(info, BootError.EndTagNotLast), ref.stop === "endNotLast", "EndTagNotLast");
    same(hasBootError(info, BootError.DuplicateTag), ref.mmapTags > 1, "DuplicateTag");
    same(hasBootError(info, BootError.ModuleBadRange), ref.badRange, "ModuleBadRange");
  }

  // Strings and the RSDP copy lie inside the structure.
  if (info.cmdlineLength > 0 || info.cmdlineAddr !== 0) checkString(info, image, info.cmdlineAddr, info.cmdlineLength, "command line");
  if (info.loaderNameLength > 0 || info.loaderNameAddr !== 0) checkString(info, image, info.loaderNameAddr, info.loaderNameLength, "loader name");
  must([0, 1, 2].includes(info.rsdpVersion), "RSDP version 0, 1 or 2");
  if (info.rsdpVersion > 0) {
    must(inside(info, info.rsdpAddr, info.rsdpLength), "RSDP copy inside the structure");
    must(info.rsdpLength >= (info.rsdpVersion === 2 ? 36 : 20), "RSDP copy long enough for its version");
  } else {
    must(info.rsdpAddr === 0 && info.rsdpLength === 0, "no RSDP, no address");
  }
  // The ACPI 1.0 copy, kept as the fallback, too.
  if (info.rsdpV1Addr !== 0) {
    must(inside(info, info.rsdpV1Addr, info.rsdpV1Length) && info.rsdpV1Length >= 20, "ACPI 1.0 RSDP copy inside the structure");
    must(info.rsdpVersion >= 1, "an ACPI 1.0 copy implies an RSDP");
  } else {
    must(info.rsdpV1Length === 0, "no ACPI 1.0 copy, no length");
  }
  // Addresses are exact numbers below 2^52.
  for (const a of [info.efiSystemTable, info.framebuffer.address, info.imageLoadBase]) {
    must(Number.isInteger(a) && a >= 0 && a < ADDR_LIMIT, "addresses below 2^52");
  }
  const fb = info.framebuffer;
  must([FramebufferType.None, FramebufferType.Indexed, FramebufferType.Rgb, FramebufferType.EgaText].includes(fb.type), "framebuffer type");
  if (fb.type === FramebufferType.Indexed && !full) must(hasBootError(info, BootError.FramebufferUnsupported), "indexed framebuffer reported");

  // What the boot does next reads only inside the structure too.
  const opts = kernelOptionsFromBootInfo(info);
  printOptionWarnings(opts);
  for (let i = 0; i < opts.warningCount; i++) {
    must(inside(info, opts.warningAddr[i]! - physToVirt(0), opts.warningLength[i]!), "command-line warnings point into the command line");
  }
  must(findModule(info, "font") < info.moduleCount, "findModule within the modules");
  checkReport(info, codes);
  return info;
}

/** reportBootInfo names every non-fatal problem, in order, then panics with the first fatal one. */
function checkReport(info: BootInfo, codes: number[]): void {
  fakeCpu.portLog.length = 0;
  const fatal = firstFatalBootError(info);
  let thrown: unknown = null;
  try {
    reportBootInfo(info);
  } catch (e) {
    thrown = e;
  }
  if (fatal !== 0) {
    must(bootErrorFatal(fatal), "firstFatalBootError gives a fatal code");
    same(String(thrown), `Error: PANIC: boot information: ${bootErrorMessage(fatal)}; cannot continue`, "the panic names the fatal error");
  } else {
    same(thrown, null, "no panic without a fatal error");
  }
  const warnings = serialText().split("\n").filter((l) => l.startsWith("warning: "));
  same(warnings, codes.filter((c) => !bootErrorFatal(c)).map((c) => `warning: boot information: ${bootErrorMessage(c)}`), "one warning per problem, by name");
}

// ---------------------------------------------------------------------------------------------
// Mutations. Tags are named by their index in the current structure (walked the simple way), so
// a shrunk counterexample still says which tag it damaged.

type Mutation =
  | { kind: "byte"; at: number; value: number; where: "any" | "tagHeader" }
  | { kind: "flip"; at: number; bit: number }
  | { kind: "tagSize"; tag: number; size: SizeValue }
  | { kind: "tagType"; tag: number; type: number }
  | { kind: "total"; size: SizeValue }
  | { kind: "truncate"; tag: number; delta: number; at: number; anywhere: boolean; fixTotal: boolean }
  | { kind: "shift"; tag: number; by: number; fixTotal: boolean }
  | { kind: "dupTag"; tag: number; copies: number }
  | { kind: "dropTag"; tag: number }
  | { kind: "swapTags"; a: number; b: number }
  | { kind: "entrySize"; value: number }
  | { kind: "growMap"; entries: number; type: number }
  | { kind: "entry"; entry: number; field: 0 | 8 | 16; value: bigint }
  | { kind: "module"; tag: number; field: 8 | 12; value: ModuleValue }
  | { kind: "unterminate"; tag: number };

/** A 32-bit size: absolute, or relative to the tag's own size or to the bytes left from it. */
interface SizeValue {
  base: "zero" | "own" | "left" | "length";
  delta: number;
}
interface ModuleValue {
  base: "zero" | "start" | "end" | "otherStart" | "otherEnd" | "info";
  other: number;
  delta: number;
}

const sizeValue: fc.Arbitrary<SizeValue> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.constantFrom(0, 1, 4, 7, 8, 9, 11, 12, 15, 16, 17, 20, 23, 24, 28, 30, 31, 32, 37, 38, 44, 0x1000, 0x100000, 0x100001, 0x7fffffff, 0xfffffff8, 0xffffffff)
      .map((d) => ({ base: "zero" as const, delta: d })),
  },
  { weight: 1, arbitrary: fc.nat({ max: 0xffffffff }).map((d) => ({ base: "zero" as const, delta: d })) },
  {
    weight: 3,
    arbitrary: fc.record({
      base: fc.constantFrom<"own" | "left" | "length">("own", "left", "length"),
      delta: fc.oneof(fc.constantFrom(-9, -8, -7, -1, 0, 1, 7, 8, 9, 24, -24), fc.integer({ min: -64, max: 64 })),
    }),
  },
);

const tagIndex = fc.nat(24);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("byte" as const), at: fc.nat(0xfffff), value: fc.nat(255), where: fc.constantFrom<"any" | "tagHeader">("any", "tagHeader") }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("flip" as const), at: fc.nat(0xfffff), bit: fc.nat(7) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("tagSize" as const), tag: tagIndex, size: sizeValue }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("tagType" as const), tag: tagIndex, type: fc.oneof(fc.nat(22), fc.constantFrom(0x7777, 0xffffffff), fc.nat({ max: 0xffffffff })) }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("total" as const), size: sizeValue }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("truncate" as const),
      tag: tagIndex,
      delta: fc.integer({ min: -16, max: 48 }),
      at: fc.nat(0xfffff),
      anywhere: fc.boolean(),
      fixTotal: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("shift" as const), tag: tagIndex, by: fc.integer({ min: -7, max: 7 }), fixTotal: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("dupTag" as const), tag: tagIndex, copies: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 100, max: 3000 })) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("dropTag" as const), tag: tagIndex }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("swapTags" as const), a: tagIndex, b: tagIndex }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("growMap" as const),
      entries: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 1000 }) }, { weight: 1, arbitrary: fc.constantFrom(43_000, 43_685, 43_686, 50_000) }),
      type: fc.constantFrom(1, 2, 3, 0),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("entrySize" as const), value: fc.oneof(fc.constantFrom(0, 1, 8, 16, 20, 23, 24, 25, 28, 32, 40, 48, 0x1000, 0x80000000, 0xffffffff), fc.nat({ max: 0xffffffff })) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("entry" as const),
      entry: fc.nat(40),
      field: fc.constantFrom<0 | 8 | 16>(0, 8, 16),
      value: fc.oneof(
        fc.constantFrom(0n, 1n, 2n, 3n, 4n, 5n, 6n, 0xffffffffn, 0x100000000n, (1n << 52n) - 0x1000n, (1n << 52n) - 1n, 1n << 52n, (1n << 52n) + 1n, 1n << 53n, 1n << 63n, (1n << 64n) - 1n),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("module" as const),
      tag: tagIndex,
      field: fc.constantFrom<8 | 12>(8, 12),
      value: fc.record({
        base: fc.constantFrom<ModuleValue["base"]>("zero", "start", "end", "otherStart", "otherEnd", "info"),
        other: tagIndex,
        delta: fc.oneof(fc.constantFrom(0, 1, -1, 0x1000, -0x1000, 0xffffffff, -0xffffffff), fc.integer({ min: -0x100000, max: 0x100000 })),
      }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("unterminate" as const), tag: tagIndex }) },
);

function dv(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function get32(b: Uint8Array, off: number): number {
  return off >= 0 && off + 4 <= b.length ? dv(b).getUint32(off, true) : 0;
}

function set32(b: Uint8Array, off: number, v: number): void {
  if (off >= 0 && off + 4 <= b.length) dv(b).setUint32(off, v >>> 0, true);
}

/** Tags as (offset, type, size), and each one's extent (size rounded up, clipped to the bytes). */
function tagsOf(b: Uint8Array): Array<{ off: number; type: number; size: number; extent: number }> {
  return listTags(b).map((t) => ({ ...t, extent: Math.max(8, Math.min(b.length - t.off, (t.size + 7) & ~7)) }));
}

function pick<T>(list: T[], i: number): T | undefined {
  return list.length === 0 ? undefined : list[i % list.length];
}

function sizeOf(b: Uint8Array, off: number, v: SizeValue): number {
  let base = 0;
  if (v.base === "own") base = get32(b, off + 4);
  else if (v.base === "left") base = b.length - off;
  else if (v.base === "length") base = b.length;
  return (base + v.delta) >>> 0;
}

function splice(b: Uint8Array, at: number, remove: number, insert: Uint8Array, fixTotal: boolean): Uint8Array {
  const out = new Uint8Array(b.length - remove + insert.length);
  out.set(b.subarray(0, at));
  out.set(insert, at);
  out.set(b.subarray(at + remove), at + insert.length);
  if (fixTotal) set32(out, 0, out.length);
  return out;
}

function apply(src: Uint8Array, muts: Mutation[]): Uint8Array {
  let b: Uint8Array = new Uint8Array(src);
  for (const m of muts) {
    const tags = tagsOf(b);
    switch (m.kind) {
      case "byte": {
        const t = pick(tags, m.at);
        const off = m.where === "tagHeader" && t !== undefined ? t.off + (m.at % 8) : m.at % Math.max(1, b.length);
        if (off < b.length) b[off] = m.value;
        break;
      }
      case "flip":
        if (b.length > 0) b[m.at % b.length] = b[m.at % b.length]! ^ (1 << m.bit);
        break;
      case "tagSize": {
        const t = pick(tags, m.tag);
        if (t) set32(b, t.off + 4, sizeOf(b, t.off, m.size));
        break;
      }
      case "tagType": {
        const t = pick(tags, m.tag);
        if (t) set32(b, t.off, m.type);
        break;
      }
      case "total":
        set32(b, 0, sizeOf(b, 0, { base: m.size.base === "own" ? "length" : m.size.base, delta: m.size.delta }));
        break;
      case "truncate": {
        const t = pick(tags, m.tag);
        const at = m.anywhere || t === undefined ? m.at % (b.length + 1) : Math.max(0, t.off + m.delta);
        b = b.slice(0, Math.min(b.length, at));
        if (m.fixTotal) set32(b, 0, b.length);
        break;
      }
      case "shift": {
        // Bytes inserted (or removed) in front of a tag: it and every later one leave the 8-byte grid.
        const t = pick(tags, m.tag);
        if (!t || m.by === 0) break;
        b = m.by > 0 ? splice(b, t.off, 0, new Uint8Array(m.by), m.fixTotal) : splice(b, Math.max(8, t.off + m.by), Math.min(-m.by, t.off - 8), new Uint8Array(0), m.fixTotal);
        break;
      }
      case "dupTag": {
        const t = pick(tags, m.tag);
        if (!t || t.extent * m.copies > 0x40000) break;
        const one = b.slice(t.off, t.off + t.extent);
        const copies = new Uint8Array(one.length * m.copies);
        for (let i = 0; i < m.copies; i++) copies.set(one, i * one.length);
        b = splice(b, t.off + t.extent, 0, copies, true);
        break;
      }
      case "dropTag": {
        const t = pick(tags, m.tag);
        if (t) b = splice(b, t.off, t.extent, new Uint8Array(0), true);
        break;
      }
      case "swapTags": {
        const x = pick(tags, m.a), y = pick(tags, m.b);
        if (!x || !y || x.off === y.off) break;
        const [first, second] = x.off < y.off ? [x, y] : [y, x];
        if (first.off + first.extent > second.off) break;
        const out = new Uint8Array(b.length);
        let at = 0;
        for (const part of [
          b.subarray(0, first.off), b.subarray(second.off, second.off + second.extent),
          b.subarray(first.off + first.extent, second.off), b.subarray(first.off, first.off + first.extent),
          b.subarray(second.off + second.extent),
        ]) {
          out.set(part, at);
          at += part.length;
        }
        b = out;
        break;
      }
      case "entrySize": {
        const t = tags.find((x) => x.type === 6);
        if (t) set32(b, t.off + 8, m.value);
        break;
      }
      case "growMap": {
        // Entries appended to the memory map (the tag and total_size follow): huge counts.
        const t = tags.find((x) => x.type === 6);
        if (!t || t.off + t.size > b.length) break;
        const es = get32(b, t.off + 8) === 24 ? 24 : 0;
        if (es === 0) break;
        const extra = new Uint8Array(m.entries * es);
        const v = dv(extra);
        for (let i = 0; i < m.entries; i++) {
          v.setBigUint64(i * es, 0x100000000n + BigInt(i) * 0x10000n, true);
          v.setBigUint64(i * es + 8, 0x10000n, true);
          v.setUint32(i * es + 16, m.type, true);
        }
        const size = t.size + extra.length;
        b = splice(b, t.off + t.size, 0, extra, true);
        // The padding after the old tag, if any, now sits inside the map: realign the rest.
        const pad = ((t.size + 7) & ~7) - t.size;
        if (pad > 0) b = splice(b, t.off + size, pad, new Uint8Array(((size + 7) & ~7) - size), true);
        set32(b, t.off + 4, size);
        break;
      }
      case "entry": {
        const t = tags.find((x) => x.type === 6);
        if (!t) break;
        const es = Math.max(24, get32(b, t.off + 8));
        const off = t.off + 16 + (m.entry % Math.max(1, Math.floor((t.size - 16) / es))) * es + m.field;
        if (m.field === 16) set32(b, off, Number(m.value & 0xffffffffn));
        else if (off + 8 <= b.length) dv(b).setBigUint64(off, m.value, true);
        break;
      }
      case "module": {
        const mods = tags.filter((x) => x.type === 3);
        const t = pick(mods, m.tag);
        if (!t) break;
        const o = pick(mods, m.value.other)!;
        const base = { zero: 0, start: get32(b, t.off + 8), end: get32(b, t.off + 12), otherStart: get32(b, o.off + 8), otherEnd: get32(b, o.off + 12), info: 0x100000 }[m.value.base];
        set32(b, t.off + m.field, Math.max(0, Math.min(0xffffffff, base + m.value.delta)));
        break;
      }
      case "unterminate": {
        const strs = tags.filter((x) => x.type === 1 || x.type === 2 || x.type === 3);
        const t = pick(strs, m.tag);
        if (!t) break;
        for (let i = t.off + (t.type === 3 ? 16 : 8); i < Math.min(b.length, t.off + t.size); i++) if (b[i] === 0) b[i] = 0x78;
        break;
      }
    }
  }
  return b;
}

// ---------------------------------------------------------------------------------------------

interface Seed {
  name: string;
  bytes: Uint8Array;
  addr: number;
}

const captures = (): Seed[] => [grubBios(), grubUefi()].map((f) => ({ name: f.name, bytes: f.bytes, addr: f.addr }));

const seedArb: fc.Arbitrary<Seed> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...captures()) },
  { weight: 1, arbitrary: builtArb.map((b) => ({ name: "built", bytes: b.bytes, addr: b.addr })) },
);

const placement = fc.record({
  where: fc.oneof(
    { weight: 12, arbitrary: fc.constant("seed" as const) },
    { weight: 2, arbitrary: fc.constantFrom(8, 0x1000, 0x9f000, 0xfff00000).map((a) => a as number) },
    { weight: 1, arbitrary: fc.nat(0x1ffffff).map((n) => n * 8) },
    { weight: 1, arbitrary: fc.constantFrom(0, 1, 4, 0x100164).map((a) => a as number) },
  ),
  magic: fc.oneof({ weight: 30, arbitrary: fc.constant(MULTIBOOT2_MAGIC) }, { weight: 1, arbitrary: fc.constantFrom(0, 0x2badb002, 0x36d76288) }),
  fill: fc.constantFrom<Fill>("zero", "ones", "repeat", "noise"),
});

describe("seeds", () => {
  it("the GRUB captures parse cleanly under the same checks", () => {
    for (const s of captures()) {
      const info = check(s.bytes, s.addr, MULTIBOOT2_MAGIC, "zero");
      expect(info.errorCount).toBe(0);
      expect(info.moduleCount).toBe(1);
      expect(findModule(info, "font")).toBe(0);
    }
  });

  it("structures built like GRUB's decode exactly", () => {
    fc.assert(
      fc.property(builtArb, (built) => {
        const b = built;
        const info = check(b.bytes, b.addr, MULTIBOOT2_MAGIC, "zero");
        const expected = b.framebuffer === FramebufferType.Indexed ? [BootError.FramebufferUnsupported] : [];
        expect(Array.from(info.errors.slice(0, info.errorCount))).toEqual(expected);
        expect(info.moduleCount).toBe(b.modules.length);
        for (let i = 0; i < b.modules.length; i++) {
          const m = info.modules[i]!;
          expect([m.start, m.end]).toEqual([b.modules[i]!.start, b.modules[i]!.end]);
          expect(new TextDecoder().decode(b.bytes.subarray(m.nameAddr - b.addr, m.nameAddr - b.addr + m.nameLength))).toBe(b.modules[i]!.name);
        }
        expect(info.memoryCount).toBe(b.memory.length);
        for (let i = 0; i < b.memory.length; i++) {
          const r = info.memory[i]!;
          expect({ base: BigInt(r.base), length: BigInt(r.length), type: r.type }).toEqual(b.memory[i]);
        }
        const text = (a: number, n: number) => new TextDecoder().decode(b.bytes.subarray(a - b.addr, a - b.addr + n));
        expect(info.cmdlineLength > 0 ? text(info.cmdlineAddr, info.cmdlineLength) : null).toBe(b.cmdline === "" || b.cmdline === null ? null : b.cmdline);
        expect(info.loaderNameLength > 0 ? text(info.loaderNameAddr, info.loaderNameLength) : null).toBe(b.loader);
        expect(info.rsdpVersion).toBe(b.rsdpVersion);
        expect(info.framebuffer.type).toBe(b.framebuffer);
        expect(info.efiSystemTable).toBe(b.efiSystemTable);
      }),
      { numRuns: Math.max(100, Math.floor(RUNS / 10)) },
    );
  });
});

describe("mutated boot information", () => {
  it("parses to documented errors and consistent results, reading only the structure", () => {
    SEEN.clear();
    maxLoadsPerByte = 0;
    let withModules = 0;
    let withMemory = 0;
    let mostModules = 0;
    let mostRegions = 0;
    fc.assert(
      fc.property(seedArb, fc.array(mutation, { minLength: 1, maxLength: 8 }), placement, (seed, muts, p) => {
        const bytes = apply(seed.bytes, muts);
        const addr = p.where === "seed" ? seed.addr : p.where;
        const info = check(bytes, addr, p.magic, p.fill);
        if (info.moduleCount > 0) withModules++;
        if (info.memoryCount > 0) withMemory++;
        mostModules = Math.max(mostModules, info.moduleCount);
        mostRegions = Math.max(mostRegions, info.memoryCount);
      }),
      { numRuns: RUNS },
    );
    if (process.env.KEEL_BOOT_FUZZ_RUNS) {
      const codes = [...SEEN.entries()].sort((a, b) => a[0] - b[0]).map(([c, n]) => `${c} ${n}`);
      console.log(`multiboot2 fuzz: ${RUNS} runs, ${withMemory} with a memory map (at most ${mostRegions} regions), ` +
        `${withModules} with modules (at most ${mostModules}), ` +
        `at most ${maxLoadsPerByte.toFixed(2)} loads per byte; errors (code count): ${codes.join(", ")}`);
    }
    // The mutations must keep much of the structure usable and reach most problems.
    expect(withMemory).toBeGreaterThan(RUNS / 5);
    expect(withModules).toBeGreaterThan(RUNS / 10);
    expect(SEEN.size).toBeGreaterThanOrEqual(17);
  }, TIMEOUT);
});
