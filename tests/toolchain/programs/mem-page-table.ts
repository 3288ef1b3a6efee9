// lang/mem.ts accessors over scratch memory: little-endian loads and stores of every
// width, truncating stores, and a 4-level page-table walk with entries in that memory.
// The scratch pages come from libc's valloc in the hosted build and from a simulated region under
// Node, so only offsets from the base are printed.
import { load8, load16, load32, load64, store8, store16, store32, store64 } from "../../../lang/mem.ts";
import { attachMemory } from "../../../lang/host/memory.ts";

/**
 * Page-aligned scratch memory of `size` bytes.
 * @extern valloc
 */
function scratchPages(size: number): number {
  attachMemory(0x40000000, size);
  return 0x40000000;
}

const PAGES = 16;
const base = scratchPages(PAGES * 4096);
for (let a = base; a < base + PAGES * 4096; a += 8) store64(a, 0n);

store32(base, 0x11223344);
console.log(load8(base).toString(16), load8(base + 3).toString(16), load16(base).toString(16), load16(base + 2).toString(16));
store16(base + 8, 70000);
store8(base + 10, 300);
store8(base + 11, -1);
console.log(load16(base + 8), load8(base + 10), load8(base + 11), load32(base + 8).toString(16));
store32(base + 16, -1);
console.log(load32(base + 16), load64(base + 16));
store64(base + 24, 0xfedcba9876543210n);
console.log(load32(base + 24).toString(16), load32(base + 28).toString(16), load64(base + 24).toString(16));

// Page tables: frame 1 is the root; frames are handed out in order; entries hold base-relative
// physical addresses so that the output does not depend on where the memory is.
const PRESENT = 1n;
const WRITABLE = 2n;
const ADDR = 0x000ffffffffff000n;
let nextFrame = 1;
function frame(): number {
  return nextFrame++ * 4096;
}
function slot(table: number, va: number, level: number): number {
  let div = 4096;
  for (let l = 1; l < level; l++) div *= 512;
  return base + table + (Math.floor(va / div) % 512) * 8;
}
const root = frame();
function map(va: number, pa: number): void {
  let table = root;
  for (let level = 4; level > 1; level--) {
    const s = slot(table, va, level);
    let e = load64(s);
    if ((e & PRESENT) === 0n) {
      e = BigInt(frame()) | PRESENT | WRITABLE;
      store64(s, e);
    }
    table = Number(e & ADDR);
  }
  store64(slot(table, va, 1), BigInt(pa) | PRESENT);
}
function translate(va: number): number {
  let table = root;
  for (let level = 4; level >= 1; level--) {
    const e = load64(slot(table, va, level));
    if ((e & PRESENT) === 0n) return -1;
    table = Number(e & ADDR);
  }
  return table + (va % 4096);
}
map(0x400000, 0x7000);
map(0x401000, 0x9000);
map(0x7fffffe00000, 0xa000);
console.log(translate(0x400010).toString(16), translate(0x401abc).toString(16), translate(0x7fffffe00fff).toString(16));
console.log(translate(0x402000), translate(0x800000000), nextFrame);
let used = 0;
for (let a = base; a < base + PAGES * 4096; a += 8) if (load64(a) !== 0n) used++;
console.log(used);
