// Where firmware tables may be read from and where device registers may lie. Every pointer in
// ACPI comes from firmware and may be wrong: a table is read only when all of its bytes lie in
// memory the boot memory map describes (and the kernel's direct map covers), and a device address
// (I/O APIC, HPET, ECAM, a memory-mapped reset register) is accepted only when it overlaps no RAM
// and not the kernel image, so that a bad table can neither fault the kernel nor make it write
// into memory it owns.

/** Physical addresses are below 2^52 (docs/language.md, "Hardware access"). */
export const PHYS_LIMIT = 0x10000000000000;
/** The kernel's direct map covers everything below 4 GiB, memory or not (kernel/mm/mm.ts). */
export const LOW_4G = 0x100000000;

import { release } from "../../lang/core.ts";

export const MAX_FORBIDDEN = 4;

export class PhysMap {
  readStart: number[];
  readEnd: number[];
  readCount = 0;
  ramStart: number[];
  ramEnd: number[];
  ramCount = 0;
  /** Ranges nothing may be read from or placed in (the kernel image's segments). */
  forbidStart: number[] = new Array<number>(MAX_FORBIDDEN).fill(0);
  forbidEnd: number[] = new Array<number>(MAX_FORBIDDEN).fill(0);
  forbidCount = 0;

  constructor(capacity: number) {
    this.readStart = new Array<number>(capacity).fill(0);
    this.readEnd = new Array<number>(capacity).fill(0);
    this.ramStart = new Array<number>(capacity).fill(0);
    this.ramEnd = new Array<number>(capacity).fill(0);
  }
}

/** Returns the map's memory to the heap. */
export function releasePhysMap(m: PhysMap): void {
  release(m.readStart);
  release(m.readEnd);
  release(m.ramStart);
  release(m.ramEnd);
  release(m.forbidStart);
  release(m.forbidEnd);
  release(m);
}

/** Tables may be read from [start, end). Ignored when the map is full or the range is empty. */
export function addReadable(m: PhysMap, start: number, end: number): void {
  if (end <= start || m.readCount >= m.readStart.length) return;
  m.readStart[m.readCount] = start;
  m.readEnd[m.readCount] = end;
  m.readCount++;
}

/** [start, end) is RAM: no device register may lie there. */
export function addRam(m: PhysMap, start: number, end: number): void {
  if (end <= start || m.ramCount >= m.ramStart.length) return;
  m.ramStart[m.ramCount] = start;
  m.ramEnd[m.ramCount] = end;
  m.ramCount++;
}

/** Nothing may be read from or placed in [start, end) (ignored beyond MAX_FORBIDDEN ranges). */
export function forbid(m: PhysMap, start: number, end: number): void {
  if (end <= start || m.forbidCount >= MAX_FORBIDDEN) return;
  m.forbidStart[m.forbidCount] = start;
  m.forbidEnd[m.forbidCount] = end;
  m.forbidCount++;
}

function overlapsForbidden(m: PhysMap, phys: number, end: number): boolean {
  for (let i = 0; i < m.forbidCount; i++) {
    if (phys < m.forbidEnd[i]! && m.forbidStart[i]! < end) return true;
  }
  return false;
}

/**
 * Whether all `len` bytes at `phys` may be read: inside readable ranges (adjacent ones join; the
 * walk takes at most one step per range, so overlapping or unsorted ranges cannot make it loop).
 */
export function physReadable(m: PhysMap, phys: number, len: number): boolean {
  if (phys < 0 || len <= 0 || phys >= PHYS_LIMIT || len > PHYS_LIMIT - phys) return false;
  const end = phys + len;
  if (overlapsForbidden(m, phys, end)) return false;
  let cur = phys;
  for (let step = 0; step <= m.readCount; step++) {
    let next = -1;
    for (let i = 0; i < m.readCount; i++) {
      if (m.readStart[i]! <= cur && cur < m.readEnd[i]! && m.readEnd[i]! > next) next = m.readEnd[i]!;
    }
    if (next < 0) return false;
    if (next >= end) return true;
    cur = next;
  }
  return false;
}

/**
 * Whether `len` bytes of device registers at `phys` are plausible: not null, below `limit`, and
 * overlapping neither RAM nor the kernel image.
 */
export function deviceRangeOk(m: PhysMap, phys: number, len: number, limit: number): boolean {
  if (phys <= 0 || len <= 0 || phys >= limit || len > limit - phys) return false;
  const end = phys + len;
  if (overlapsForbidden(m, phys, end)) return false;
  for (let i = 0; i < m.ramCount; i++) {
    if (phys < m.ramEnd[i]! && m.ramStart[i]! < end) return false;
  }
  return true;
}
