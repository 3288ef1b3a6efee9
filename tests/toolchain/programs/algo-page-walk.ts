// @checked
// A 4-level x86-64 page-table walk over simulated physical memory: a BigUint64Array standing in for
// RAM, frames of 512 entries, map/translate/unmap with present, writable and NX bits.
const FRAMES = 64;
const ENTRIES = 512;
const ram = new BigUint64Array(FRAMES * ENTRIES);
const PRESENT = 1n;
const WRITABLE = 2n;
const NX = 0x8000000000000000n;
const ADDR = 0x000ffffffffff000n;
let nextFrame = 1;
function allocFrame(): number {
  const f = nextFrame++;
  for (let i = 0; i < ENTRIES; i++) ram[f * ENTRIES + i] = 0n;
  return f * 4096;
}
function entryIndex(table: number, index: number): number {
  return Math.floor(table / 4096) * ENTRIES + index;
}
function indexAt(va: number, level: number): number {
  // Level 4 uses bits 39..47, level 1 bits 12..20; floor division keeps canonical addresses exact.
  let shift = 4096;
  for (let l = 1; l < level; l++) shift *= 512;
  return ((Math.floor(va / shift) % 512) + 512) % 512;
}
const root = allocFrame();
function map(va: number, pa: number, flags: bigint): void {
  let table = root;
  for (let level = 4; level > 1; level--) {
    const slot = entryIndex(table, indexAt(va, level));
    let e = ram[slot]!;
    if ((e & PRESENT) === 0n) {
      e = BigInt(allocFrame()) | PRESENT | WRITABLE;
      ram[slot] = e;
    }
    table = Number(e & ADDR);
  }
  ram[entryIndex(table, indexAt(va, 1))] = BigInt(pa) | flags | PRESENT;
}
function translate(va: number): number {
  let table = root;
  for (let level = 4; level >= 1; level--) {
    const e = ram[entryIndex(table, indexAt(va, level))]!;
    if ((e & PRESENT) === 0n) return -1;
    table = Number(e & ADDR);
  }
  return table + (va % 4096 + 4096) % 4096;
}
function unmap(va: number): boolean {
  let table = root;
  for (let level = 4; level > 1; level--) {
    const e = ram[entryIndex(table, indexAt(va, level))]!;
    if ((e & PRESENT) === 0n) return false;
    table = Number(e & ADDR);
  }
  const slot = entryIndex(table, indexAt(va, 1));
  const was = (ram[slot]! & PRESENT) !== 0n;
  ram[slot] = 0n;
  return was;
}
map(0x400000, 0x12345000, WRITABLE);
map(0x401000, 0x2000, NX);
map(-0x80000000, 0x200000, WRITABLE | NX);
map(0x7fffffffe000, 0xabcdef000, WRITABLE);
console.log(translate(0x400123).toString(16), translate(0x401fff).toString(16));
console.log(translate(-0x80000000 + 0x42).toString(16), translate(0x7fffffffefff).toString(16));
console.log(translate(0x402000), translate(0x1000000000));
console.log(unmap(0x401000), unmap(0x401000), translate(0x401000), translate(0x400000).toString(16));
console.log(nextFrame);
let present = 0;
for (const e of ram) if ((e & PRESENT) !== 0n) present++;
console.log(present);

export {};
