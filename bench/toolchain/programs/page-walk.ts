// Benchmark: 4-level page-table walks over simulated physical memory (a BigUint64Array standing
// in for RAM). Maps a few thousand pages at scattered addresses, then translates many addresses.
const FRAMES = 2048;
const ENTRIES = 512;
const PAGES = 4096;
const LOOKUPS = 12000000;
const PRESENT = 1n;
const WRITABLE = 2n;
const ADDR = 0x000ffffffffff000n;

const ram = new BigUint64Array(FRAMES * ENTRIES);
let nextFrame = 1;
function allocFrame(): number {
  return nextFrame++ * 4096;
}
function index(va: number, shift: number): number {
  return Math.floor(va / shift) % 512;
}
const SHIFTS = [549755813888, 1073741824, 2097152, 4096];
const root = allocFrame();
function map(va: number, pa: number): void {
  let table = root;
  for (let level = 0; level < 3; level++) {
    const slot = Math.floor(table / 4096) * ENTRIES + index(va, SHIFTS[level]!);
    let e = ram[slot]!;
    if ((e & PRESENT) === 0n) {
      e = BigInt(allocFrame()) | PRESENT | WRITABLE;
      ram[slot] = e;
    }
    table = Number(e & ADDR);
  }
  ram[Math.floor(table / 4096) * ENTRIES + index(va, 4096)] = BigInt(pa) | PRESENT;
}
function translate(va: number): number {
  let table = root;
  for (let level = 0; level < 4; level++) {
    const e = ram[Math.floor(table / 4096) * ENTRIES + index(va, SHIFTS[level]!)]!;
    if ((e & PRESENT) === 0n) return -1;
    table = Number(e & ADDR);
  }
  return table + (va % 4096);
}
function pageVa(i: number): number {
  // Scatter pages over the lower half: 64 regions of 64 pages, regions 1 GiB apart.
  return 0x10000000000 + Math.floor(i / 64) * 1073741824 + (i % 64) * 4096;
}
for (let i = 0; i < PAGES; i++) map(pageVa(i), 0x100000000 + i * 4096);
let x = 1;
let sum = 0;
let misses = 0;
for (let n = 0; n < LOOKUPS; n++) {
  x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
  const va = pageVa(x % (PAGES + 64)) + (x & 0xfff);
  const pa = translate(va);
  if (pa < 0) misses++;
  else sum = (sum + pa) % 1000000007;
}
console.log(nextFrame, sum, misses);

export {};
