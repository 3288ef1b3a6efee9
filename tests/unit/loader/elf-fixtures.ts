// Builds the loader's test executables from the sources in tests/unit/fixtures/elf with the host
// gcc and binutils, and offers byte-level helpers to derive malformed variants from them.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { attachMemory, detachAllMemory, writeBytes } from "../../../lang/host/memory.ts";
import { type ElfError, ElfImage, parseElf } from "../../../kernel/loader/elf.ts";

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, "../../..");
const SOURCES = join(ROOT, "tests/unit/fixtures/elf");
const OUT = join(ROOT, "build/test/elf");

const STATIC = ["-static", "-nostdlib", "-ffreestanding", "-fno-pic", "-no-pie", "-O1"];
/** Fixture name → source file and compiler options. */
const FIXTURES: Record<string, [string, string[]]> = {
  "minimal": ["minimal.S", STATIC],
  "minimal-packed": ["minimal.S", [...STATIC, "-Wl,-z,noseparate-code"]],
  "data-bss": ["data-bss.c", STATIC],
  "data-bss-packed": ["data-bss.c", [...STATIC, "-Wl,-z,noseparate-code"]],
  "big-stack": ["minimal.S", [...STATIC, "-Wl,-z,stack-size=0x40000"]],
  // Real linker outputs the loader must refuse.
  "tls": ["tls.c", STATIC],
  "execstack": ["minimal.S", [...STATIC, "-Wl,-z,execstack"]],
  "omagic": ["data-bss.c", [...STATIC, "-Wl,-N", "-Wl,--no-warn-rwx-segments"]],
  "static-pie": ["data-bss.c", ["-static-pie", "-nostdlib", "-ffreestanding", "-fpie", "-O1"]],
};
/** The fixtures that are valid Keel executables. */
export const FIXTURE_NAMES = ["minimal", "minimal-packed", "data-bss", "data-bss-packed", "big-stack"];
/** Real executables that break one rule each. */
export const REFUSED_FIXTURE_NAMES = ["tls", "execstack", "omagic", "static-pie"];

/** Compiles (when out of date) and returns the path of fixture `name`. */
export function fixturePath(name: string): string {
  const [src, options] = FIXTURES[name]!;
  const source = join(SOURCES, src);
  const out = join(OUT, `${name}.elf`);
  let fresh = false;
  try {
    fresh = statSync(out).mtimeMs >= statSync(source).mtimeMs;
  } catch {
    fresh = false;
  }
  if (!fresh) {
    mkdirSync(OUT, { recursive: true });
    // Test files run in parallel workers: build under a private name, then rename atomically.
    const tmp = `${out}.${process.pid}.tmp`;
    execFileSync("gcc", [...options, "-o", tmp, source], { stdio: ["ignore", "ignore", "pipe"] });
    renameSync(tmp, out);
  }
  return out;
}

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(name)));
}

/** A PT_LOAD as readelf reports it: an oracle independent of the parser under test. */
export class ReadelfLoad {
  constructor(
    readonly index: number,
    readonly offset: number,
    readonly vaddr: number,
    readonly filesz: number,
    readonly memsz: number,
    readonly flags: string,
    readonly align: number,
  ) {}
}

export function readelfLoads(path: string): ReadelfLoad[] {
  const text = execFileSync("readelf", ["-lW", path], { encoding: "utf8" });
  const loads: ReadelfLoad[] = [];
  let index = -1;
  const re = /^\s*(\S+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+([RWE ]+?)\s+(0x[0-9a-f]+)$/;
  for (const line of text.split("\n")) {
    const m = re.exec(line);
    if (!m) continue;
    index++;
    if (m[1] !== "LOAD") continue;
    loads.push(new ReadelfLoad(index, Number(m[2]), Number(m[3]), Number(m[5]), Number(m[6]), m[7]!.replace(/ /g, ""), Number(m[8])));
  }
  return loads;
}

export function readelfEntry(path: string): number {
  const text = execFileSync("readelf", ["-hW", path], { encoding: "utf8" });
  const m = /Entry point address:\s+(0x[0-9a-f]+)/.exec(text);
  return Number(m![1]);
}

/** Symbol addresses from nm. */
export function symbols(path: string): Map<string, number> {
  const text = execFileSync("nm", [path], { encoding: "utf8" });
  const map = new Map<string, number>();
  for (const line of text.split("\n")) {
    const parts = line.trim().split(/\s+/);
    if (parts.length === 3) map.set(parts[2]!, parseInt(parts[0]!, 16));
  }
  return map;
}

/** Where tests place images: each parse gets a region exactly the image's size, so any read past it throws. */
export const IMAGE_BASE = 0x10000000;

/** Puts `bytes` alone in simulated memory at IMAGE_BASE. */
export function placeImage(bytes: Uint8Array): number {
  detachAllMemory();
  attachMemory(IMAGE_BASE, bytes.length);
  if (bytes.length > 0) writeBytes(IMAGE_BASE, bytes);
  return IMAGE_BASE;
}

export const DEFAULT_LIMIT = 16 * 1024 * 1024;

/** Parses `bytes` and returns the ElfImage (its `error` says whether it was accepted). */
export function parseBytes(bytes: Uint8Array, limit = DEFAULT_LIMIT): ElfImage {
  const elf = new ElfImage();
  const base = placeImage(bytes);
  const err = parseElf(base, bytes.length, limit, elf);
  if (err !== elf.error) throw new Error(`parseElf returned ${err} but recorded ${elf.error}`);
  return elf;
}

/** ElfError names by value, read from the enum's declaration (a const enum has no reverse map). */
export const ERROR_NAMES: Map<number, string> = (() => {
  const src = readFileSync(join(ROOT, "kernel/loader/elf.ts"), "utf8");
  const body = /export const enum ElfError \{([^}]*)\}/.exec(src)![1]!;
  const names = new Map<number, string>();
  for (const m of body.matchAll(/^\s*(\w+) = (\d+),$/gm)) names.set(Number(m[2]), m[1]!);
  return names;
})();

export function errorName(e: ElfError): string {
  return ERROR_NAMES.get(e) ?? `#${e}`;
}

// Byte editing on a copy of an image.
export class Mutable {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  constructor(src: Uint8Array) {
    this.bytes = new Uint8Array(src);
    this.view = new DataView(this.bytes.buffer);
  }
  get phoff(): number {
    return Number(this.view.getBigUint64(32, true));
  }
  get phnum(): number {
    return this.view.getUint16(56, true);
  }
  ph(i: number): number {
    return this.phoff + i * 56;
  }
  /** Index of the n-th program header of type `type`. */
  find(type: number, n = 0): number {
    for (let i = 0, seen = 0; i < this.phnum; i++) {
      if (this.view.getUint32(this.ph(i), true) === type && seen++ === n) return i;
    }
    throw new Error(`no program header of type ${type}`);
  }
  u8(off: number, v: number): this {
    this.view.setUint8(off, v);
    return this;
  }
  u16(off: number, v: number): this {
    this.view.setUint16(off, v, true);
    return this;
  }
  u32(off: number, v: number): this {
    this.view.setUint32(off, v, true);
    return this;
  }
  u64(off: number, v: bigint): this {
    this.view.setBigUint64(off, v, true);
    return this;
  }
  // Program header fields of header i.
  type(i: number, v: number): this { return this.u32(this.ph(i), v); }
  flags(i: number, v: number): this { return this.u32(this.ph(i) + 4, v); }
  offset(i: number, v: bigint): this { return this.u64(this.ph(i) + 8, v); }
  vaddr(i: number, v: bigint): this { return this.u64(this.ph(i) + 16, v); }
  filesz(i: number, v: bigint): this { return this.u64(this.ph(i) + 32, v); }
  memsz(i: number, v: bigint): this { return this.u64(this.ph(i) + 40, v); }
  align(i: number, v: bigint): this { return this.u64(this.ph(i) + 48, v); }
  getVaddr(i: number): bigint { return this.view.getBigUint64(this.ph(i) + 16, true); }
  getOffset(i: number): bigint { return this.view.getBigUint64(this.ph(i) + 8, true); }
  getFilesz(i: number): bigint { return this.view.getBigUint64(this.ph(i) + 32, true); }
  getMemsz(i: number): bigint { return this.view.getBigUint64(this.ph(i) + 40, true); }
}

/** Returns a copy of `src` with `count` program headers appended and the header table moved there. */
export function withAppendedHeaders(src: Uint8Array, count: number, fill: (m: Mutable, i: number) => void): Uint8Array {
  const old = new Mutable(src);
  const table = Math.ceil(src.length / 8) * 8;
  const grown = new Uint8Array(table + (old.phnum + count) * 56);
  grown.set(src);
  grown.set(src.subarray(old.phoff, old.phoff + old.phnum * 56), table);
  const m = new Mutable(grown);
  m.u64(32, BigInt(table)).u16(56, old.phnum + count);
  for (let i = old.phnum; i < old.phnum + count; i++) fill(m, i);
  return m.bytes;
}
