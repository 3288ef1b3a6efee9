// The one piece of AML the kernel reads: `Name (_S5_, Package () { SLP_TYPa, SLP_TYPb, ... })`,
// the values to write to PM1a/PM1b_CNT.SLP_TYP to enter soft-off (ACPI 6.5, 7.4.2 and 16.1.3).
// There is no interpreter: the table's bytes are scanned for the name preceded by NameOp (with an
// optional root or parent prefix) and followed by PackageOp, and the package's first elements
// must be integer constants. Anything else (a method returning the package, a reference) is not
// understood and reported as missing rather than guessed. Every byte read is inside the range
// given, which the caller has checked is readable.
import { release } from "../../lang/core.ts";
import { load8 } from "../../lang/mem.ts";
import { physToVirt } from "../arch/x86_64/layout.ts";

const NAME_OP = 0x08;
const PACKAGE_OP = 0x12;
const ROOT_PREFIX = 0x5c; // '\'
const PARENT_PREFIX = 0x5e; // '^'
const ZERO_OP = 0x00;
const ONE_OP = 0x01;
const BYTE_PREFIX = 0x0a;
const WORD_PREFIX = 0x0b;
const DWORD_PREFIX = 0x0c;
const QWORD_PREFIX = 0x0e;

/** SLP_TYP is a 3-bit field of PM1_CNT. */
export const SLP_TYP_MAX = 7;

/** An integer constant decoded from AML: its value (-1 if not one) and the offset after it. */
class AmlInteger {
  value = -1;
  next = 0;
}

function byteAt(phys: number): number {
  return load8(physToVirt(phys));
}

/** Decodes the integer constant at `p` (before `end`) into `out`; value -1 if it is none. */
function readInteger(p: number, end: number, out: AmlInteger): void {
  out.value = -1;
  out.next = p;
  if (p >= end) return;
  const op = byteAt(p);
  let size = 0;
  if (op === ZERO_OP || op === ONE_OP) {
    out.value = op;
    out.next = p + 1;
    return;
  }
  if (op === BYTE_PREFIX) size = 1;
  else if (op === WORD_PREFIX) size = 2;
  else if (op === DWORD_PREFIX) size = 4;
  else if (op === QWORD_PREFIX) size = 8;
  else return; // OnesOp and everything else: not a plausible sleep type
  if (size > end - p - 1) return;
  let v = 0;
  // Little-endian; bytes above the fourth must be zero for a value the kernel could use.
  for (let i = size - 1; i >= 0; i--) {
    const b = byteAt(p + 1 + i);
    if (i >= 4 && b !== 0) return;
    if (i < 4) v = v * 256 + b;
  }
  out.value = v;
  out.next = p + 1 + size;
}

/** Whether `_S5_` at `p` is the name of a NameOp (optionally after `\` or `^` prefixes). */
function namedByNameOp(p: number, start: number): boolean {
  let q = p - 1;
  // At most a few parent prefixes in practice; a bounded walk keeps a run of '^' cheap.
  for (let i = 0; i < 8 && q >= start; i++) {
    const b = byteAt(q);
    if (b === NAME_OP) return true;
    if (b !== ROOT_PREFIX && b !== PARENT_PREFIX) return false;
    q--;
  }
  return false;
}

/** Decodes the package at `p` (PackageOp); SLP_TYPa | SLP_TYPb << 8, or -1. */
function s5Package(p: number, end: number, n: AmlInteger): number {
  if (p >= end || byteAt(p) !== PACKAGE_OP) return -1;
  p++;
  if (p >= end) return -1;
  // PkgLength: the top two bits of the lead byte count the bytes that follow it.
  const follow = byteAt(p) >> 6;
  const pkgStart = p;
  let pkgLength = follow === 0 ? byteAt(p) & 0x3f : byteAt(p) & 0x0f;
  if (follow > end - p - 1) return -1;
  for (let i = 1; i <= follow; i++) pkgLength += byteAt(p + i) * (i === 1 ? 16 : i === 2 ? 4096 : 1048576);
  p += 1 + follow;
  // The package may not claim to run past the table; its elements are read inside it.
  if (pkgLength < 1 + follow + 1 || pkgLength > end - pkgStart) return -1;
  const pkgEnd = pkgStart + pkgLength;
  const count = byteAt(p);
  p++;
  if (count === 0) return -1;
  readInteger(p, pkgEnd, n);
  if (n.value < 0) return -1;
  let a = n.value;
  let b = 0;
  if (count === 1) {
    // One element holds both values, SLP_TYPa in bits 0-7 and SLP_TYPb in bits 8-15 (as ACPICA
    // reads it).
    b = Math.floor(a / 256) & 0xff;
    a = a & 0xff;
  } else {
    readInteger(n.next, pkgEnd, n);
    if (n.value < 0) return -1;
    b = n.value;
  }
  if (a > SLP_TYP_MAX || b > SLP_TYP_MAX) return -1;
  return a | (b << 8);
}

/**
 * Searches the AML in physical [start, end) for the `_S5_` package; returns SLP_TYPa |
 * SLP_TYPb << 8, or -1 when there is none it can read.
 */
export function findS5(start: number, end: number): number {
  const n = new AmlInteger();
  let result = -1;
  for (let p = start; p + 4 <= end && result < 0; p++) {
    if (byteAt(p) !== 0x5f || byteAt(p + 1) !== 0x53 || byteAt(p + 2) !== 0x35 || byteAt(p + 3) !== 0x5f) continue;
    if (!namedByNameOp(p, start)) continue;
    result = s5Package(p + 4, end, n);
  }
  release(n);
  return result;
}
