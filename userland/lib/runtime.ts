// Printing helpers for bytes that are not string literals (module names), and the startup block.
import { load32, load64, load8, store8 } from "../../lang/mem.ts";
import { malloc } from "./heap.ts";
import { startupInfo, write } from "./sys.ts";

const SCRATCH = 256;
let scratch = 0;

/** Writes a string without a newline. */
export function print(s: string): void {
  if (scratch === 0) scratch = malloc(SCRATCH);
  if (scratch === 0) return;
  let used = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    store8(scratch + used, c < 0x100 ? c : 0x3f);
    used++;
    if (used === SCRATCH) {
      write(scratch, used);
      used = 0;
    }
  }
  if (used > 0) write(scratch, used);
}

/** Writes `len` bytes at `addr` (in this process's memory). */
export function printBytes(addr: number, len: number): void {
  write(addr, len);
}

/** Whether the `len` bytes at `addr` are exactly the characters of `s`. */
export function bytesEqual(addr: number, len: number, s: string): boolean {
  if (len !== s.length) return false;
  for (let i = 0; i < len; i++) if (load8(addr + i) !== s.charCodeAt(i)) return false;
  return true;
}

/** A 64-bit word of the startup block the kernel passed (Startup offsets in sys.ts). */
export function startupWord(offset: number): number {
  const at = startupInfo() + offset;
  const lo = load32(at);
  const hi = load32(at + 4);
  return (hi >= 0x80000000 ? hi - 4294967296 : hi) * 4294967296 + lo;
}

/** A word of the startup block as the 64-bit pattern it is (the clock's TSC values). */
export function startupBigWord(offset: number): bigint {
  return load64(startupInfo() + offset);
}

/** Reads a 64-bit word (two's complement) from this process's memory. */
export function loadWord(addr: number): number {
  const lo = load32(addr);
  const hi = load32(addr + 4);
  return (hi >= 0x80000000 ? hi - 4294967296 : hi) * 4294967296 + lo;
}

/**
 * A line assembled in memory and written with one system call, so that lines mixing literals,
 * numbers and bytes (module names) are not split by other processes' output.
 */
export class Line {
  buf: number;
  cap: number;
  len = 0;

  constructor(cap: number) {
    this.cap = cap;
    this.buf = malloc(cap);
  }
}

function lineByte(l: Line, b: number): void {
  if (l.buf === 0 || l.len >= l.cap) return;
  store8(l.buf + l.len, b);
  l.len++;
}

/** Appends byte `c` (a character code below 256). */
export function lineChar(l: Line, c: number): Line {
  lineByte(l, c);
  return l;
}

export function lineStr(l: Line, s: string): Line {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    lineByte(l, c < 0x100 ? c : 0x3f);
  }
  return l;
}

export function lineBytes(l: Line, addr: number, len: number): Line {
  for (let i = 0; i < len; i++) lineByte(l, load8(addr + i));
  return l;
}

export function lineNum(l: Line, n: number): Line {
  if (n < 0) {
    lineByte(l, 0x2d);
    n = -n;
  }
  let div = 1;
  while (Math.floor(n / div) >= 10) div *= 10;
  for (; div >= 1; div = Math.floor(div / 10)) lineByte(l, 0x30 + (Math.floor(n / div) % 10));
  return l;
}

/** Ends the line with a newline, writes it and empties the buffer. */
export function lineEnd(l: Line): void {
  lineByte(l, 10);
  if (l.buf !== 0) write(l.buf, l.len);
  l.len = 0;
}
