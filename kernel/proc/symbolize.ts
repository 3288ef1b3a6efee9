// Names the TypeScript statement at a faulting user address, for the kill report. mk/userland.mk
// adds a `.keel.lines` section to every program (userland/lib/line-table.mjs: address -> file and
// line, from the DWARF line table keelc's #line directives produce). The section is not loaded;
// it is read from the boot module's image, which stays in memory. Every offset is checked against
// the image's length: the image is untrusted, and a bad table only means no location.
import { load16, load32, load8 } from "../../lang/mem.ts";
import { physToVirt } from "../arch/x86_64/layout.ts";
import { consoleWrite, consoleWriteByte, consoleWriteString } from "../console/log.ts";
import { Process, processBootInfo } from "./process.ts";

const SECTION_NAME = ".keel.lines";
const TWO32 = 4294967296;
/** findLineSection's answer; one for the kernel, as an array made per lookup is never freed. */
const found = [0, 0];

/** A 64-bit field that must fit in 32 bits (offsets and sizes inside a module); -1 otherwise. */
function load64Small(addr: number): number {
  return load32(addr + 4) === 0 ? load32(addr) : -1;
}

function inImage(len: number, off: number, size: number): boolean {
  return off >= 0 && size >= 0 && off + size <= len;
}

function nameIs(image: number, len: number, off: number, s: string): boolean {
  if (!inImage(len, off, s.length + 1)) return false;
  for (let i = 0; i < s.length; i++) if (load8(image + off + i) !== s.charCodeAt(i)) return false;
  return load8(image + off + s.length) === 0;
}

/** Offset and size of the `.keel.lines` section in the image, as out[0], out[1]; false if none. */
function findLineSection(image: number, len: number, out: number[]): boolean {
  if (len < 64) return false;
  const shoff = load64Small(image + 0x28);
  const shentsize = load16(image + 0x3a);
  const shnum = load16(image + 0x3c);
  const shstrndx = load16(image + 0x3e);
  if (shoff < 0 || shentsize !== 64 || shstrndx >= shnum || !inImage(len, shoff, shnum * 64)) return false;
  const strOff = load64Small(image + shoff + shstrndx * 64 + 0x18);
  const strSize = load64Small(image + shoff + shstrndx * 64 + 0x20);
  if (!inImage(len, strOff, strSize)) return false;
  for (let i = 0; i < shnum; i++) {
    const sh = image + shoff + i * 64;
    const name = load32(sh);
    if (name >= strSize || !nameIs(image, len, strOff + name, SECTION_NAME)) continue;
    const off = load64Small(sh + 0x18);
    const size = load64Small(sh + 0x20);
    if (!inImage(len, off, size)) return false;
    out[0] = off;
    out[1] = size;
    return true;
  }
  return false;
}

/**
 * Prints `  at <file>:<line>` for `rip` in process `p` when its program's line table places it.
 * Returns whether it did.
 */
export function printUserLocation(p: Process, rip: number): boolean {
  const info = processBootInfo();
  if (info === null || p.moduleIndex < 0 || p.moduleIndex >= info.moduleCount) return false;
  const mod = info.modules[p.moduleIndex]!;
  const image = physToVirt(mod.start);
  const len = mod.end - mod.start;
  if (!findLineSection(image, len, found)) return false;
  const base = found[0]!;
  const size = found[1]!;
  if (size < 8) return false;
  const count = load32(image + base);
  const files = load32(image + base + 4);
  const entries = Math.floor((8 + 4 * files + 7) / 8) * 8;
  const strings = entries + 16 * count;
  if (strings > size) return false;
  // Binary search for the last row at or below rip.
  let lo = 0;
  let hi = count - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const e = image + base + entries + 16 * mid;
    const addr = load32(e + 4) * TWO32 + load32(e);
    if (addr <= rip) {
      best = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (best < 0) return false;
  const e = image + base + entries + 16 * best;
  const line = load32(e + 8);
  const file = load32(e + 12);
  if (file >= files) return false; // -1 (runtime code) reads as 0xffffffff
  const nameOff = strings + load32(image + base + 8 + 4 * file);
  let nameLen = 0;
  while (nameOff + nameLen < size && load8(image + base + nameOff + nameLen) !== 0) nameLen++;
  if (nameOff + nameLen >= size) return false;
  consoleWriteString("  at ");
  consoleWrite(image + base + nameOff, nameLen);
  consoleWriteString(`:${line}`);
  consoleWriteByte(10);
  return true;
}
