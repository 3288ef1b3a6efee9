// User access to I/O ports through the TSS's I/O permission bitmap. One bit per port, 0 = allowed;
// a port whose bit is 1 (or that lies past the bitmap) makes `in`/`out` in ring 3 raise #GP.
// Each process that was granted ports owns an IoMap; the CPU's bitmap holds the map of the last
// user thread switched in. A switch copies only the bytes a map ever allowed (its [lo, hi) span),
// and only when the incoming process's map is not the loaded one, so processes without ports and
// switches between threads of one process cost a pointer comparison.
import { release } from "../../../lang/core.ts";
import { load8, store8 } from "../../../lang/mem.ts";

export const IO_PORTS = 65536;
/** Bytes of the bitmap (one bit per port), plus the all-ones byte the CPU may read past its end. */
export const IO_BITMAP_BYTES = 8192;

/** One process's port permissions; the bitmap is made the first time a port is allowed. */
export class IoMap {
  /** 1 bits: denied; null: every port denied. */
  bits: Uint8Array | null = null;
  /** Bytes [lo, hi) are the only ones that may differ from 0xff. */
  lo = IO_BITMAP_BYTES;
  hi = 0;
  /** The owner's account was charged for `bits`. */
  charged = false;
}

// The CPU's bitmap, as plain module variables rather than an object: the switch reads them
// without a null check each (the IPC round trip switches twice).
/** Kernel address of the CPU's bitmap (0 until ioBitmapInit). */
let bitmapAt = 0;
/** The map loaded (the last user thread's), and the bytes [lo, hi) that may differ from 0xff. */
let loadedMap: IoMap | null = null;
let loadedLo = IO_BITMAP_BYTES;
let loadedHi = 0;

/** Takes the bitmap at `at` (IO_BITMAP_BYTES + 1 bytes, inside the TSS limit): all ports denied. */
export function ioBitmapInit(at: number): void {
  bitmapAt = at;
  for (let i = 0; i <= IO_BITMAP_BYTES; i++) store8(at + i, 0xff);
  loadedMap = null;
  loadedLo = IO_BITMAP_BYTES;
  loadedHi = 0;
}

/** Sets ports [base, base + count) allowed (or denied) in `m`; the caller checked the range. */
export function ioMapSet(m: IoMap, base: number, count: number, allowed: boolean): void {
  if (m.bits === null) {
    if (!allowed) return;
    const fresh = new Uint8Array(IO_BITMAP_BYTES);
    for (let i = 0; i < IO_BITMAP_BYTES; i++) fresh[i] = 0xff;
    m.bits = fresh;
  }
  const bits = m.bits!;
  for (let port = base; port < base + count; port++) {
    const byte = port >>> 3;
    const bit = 1 << (port & 7);
    bits[byte] = allowed ? bits[byte]! & ~bit : bits[byte]! | bit;
  }
  if (allowed && count > 0) {
    m.lo = Math.min(m.lo, base >>> 3);
    m.hi = Math.max(m.hi, ((base + count - 1) >>> 3) + 1);
  }
  if (loadedMap === m) load(m);
}

/** Whether `m` allows `port`. */
export function ioMapAllows(m: IoMap | null, port: number): boolean {
  if (m === null || m.bits === null || port < 0 || port >= IO_PORTS) return false;
  return (m.bits![port >>> 3]! & (1 << (port & 7))) === 0;
}

/**
 * Makes `m` (null: no ports) the CPU's bitmap, for the user thread about to run.
 * @inline
 */
export function ioMapSwitch(m: IoMap | null): void {
  if (m === loadedMap) return;
  // The common case on every switch between two processes without ports: the CPU's bitmap denies
  // everything and so does the next map, so only the owner changes (the IPC round trip pays this
  // twice).
  if (loadedHi === 0 && (m === null || m.bits === null)) {
    loadedMap = m;
    return;
  }
  load(m);
}

/** A map is going away: the CPU no longer grants what it allowed; its bitmap is freed. */
export function ioMapForget(m: IoMap): void {
  if (loadedMap === m) load(null);
  if (m.bits !== null) release(m.bits);
  m.bits = null;
  m.lo = IO_BITMAP_BYTES;
  m.hi = 0;
}

/** Makes `m` the CPU's bitmap (nothing before ioBitmapInit: there is no bitmap to write). */
function load(m: IoMap | null): void {
  const at = bitmapAt;
  if (at === 0) return;
  for (let i = loadedLo; i < loadedHi; i++) store8(at + i, 0xff);
  loadedMap = m;
  loadedLo = IO_BITMAP_BYTES;
  loadedHi = 0;
  if (m === null || m.bits === null) return;
  const bits = m.bits!;
  for (let i = m.lo; i < m.hi; i++) store8(at + i, bits[i]!);
  loadedLo = m.lo;
  loadedHi = m.hi;
}

/** The CPU bitmap's bit for `port` (tests and diagnostics): true when ring 3 may use it. */
export function ioBitmapAllows(port: number): boolean {
  if (bitmapAt === 0) return false;
  return (load8(bitmapAt + (port >>> 3)) & (1 << (port & 7))) === 0;
}
