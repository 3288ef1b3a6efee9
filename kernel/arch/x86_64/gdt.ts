// Global descriptor table and task state segment.
//
// Selector layout follows what syscall/sysret require, so user mode can use them directly:
//   syscall loads CS = STAR[47:32] and SS = STAR[47:32] + 8  -> kernel code, kernel data;
//   sysretq loads CS = STAR[63:48] + 16 and SS = STAR[63:48] + 8 (both with RPL 3)
//   -> with STAR[63:48] = 0x18: user data at 0x20, user code (64-bit) at 0x28, and 0x18 a 32-bit
//   user code segment (what sysretl would load; present so the layout is the architectural one).
// The 64-bit TSS descriptor takes two slots.
import { store16, store32, store64 } from "../../../lang/mem.ts";
import { addrToWord, storeAddr64, low32, high32 } from "./words.ts";

export const enum Selector {
  Null = 0x00,
  KernelCode = 0x08,
  KernelData = 0x10,
  UserCode32 = 0x18 | 3,
  UserData = 0x20 | 3,
  UserCode = 0x28 | 3,
  Tss = 0x30,
}

export const GDT_ENTRIES = 8;
export const GDT_SIZE = GDT_ENTRIES * 8;

/** Value for IA32_STAR[63:32]: the sysret base (0x18 | RPL 3) and the syscall base (0x08). */
export const STAR_SYSRET_BASE = 0x18 | 3;
export const STAR_SYSCALL_BASE = 0x08;

/** IST slots (1-based, as IDT gates name them). */
export const enum Ist {
  None = 0,
  DoubleFault = 1,
  Nmi = 2,
  MachineCheck = 3,
}

// 64-bit TSS: rsp0 at 4, rsp1 at 12, rsp2 at 20, ist1..ist7 at 36 + 8 * (n - 1), I/O map base at 102.
export const enum Tss {
  Rsp0 = 4,
  Ist1 = 36,
  IoMapBase = 102,
  SIZE = 104,
}

// Flat segment descriptors, as (low word, high word): access byte in bits 40-47 (= high bits 8-15),
// flags in bits 52-55 (= high bits 20-23). Limits and bases are ignored in long mode.
const FLAT_LOW = 0x0000ffff;
const KERNEL_CODE_HIGH = 0x00af9a00; // P, DPL0, code exec/read, L=1, G=1
const KERNEL_DATA_HIGH = 0x00cf9200; // P, DPL0, data read/write, D/B=1, G=1
const USER_CODE32_HIGH = 0x00cffa00; // P, DPL3, code exec/read, D/B=1, G=1
const USER_DATA_HIGH = 0x00cff200; // P, DPL3, data read/write
const USER_CODE_HIGH = 0x00affa00; // P, DPL3, code exec/read, L=1

function setEntry(gdt: number, index: number, lowWord: number, highWord: number): void {
  store32(gdt + index * 8, lowWord);
  store32(gdt + index * 8 + 4, highWord);
}

/** Writes the TSS descriptor (two slots at `index`) for a TSS at `tss` of `limit + 1` bytes. */
function setTssDescriptor(gdt: number, index: number, tss: number, limit: number): void {
  const lo = low32(tss);
  const at = gdt + index * 8;
  store32(at, ((lo & 0xffff) << 16) | (limit & 0xffff));
  // base 23:16 | type 0x9 (available 64-bit TSS), P | limit 19:16 | base 31:24
  store32(at + 4, ((lo >>> 16) & 0xff) | 0x8900 | (limit & 0xf0000) | (lo & 0xff000000));
  store32(at + 8, high32(tss));
  store32(at + 12, 0);
}

/**
 * Fills a GDT of GDT_SIZE bytes at `gdt` whose TSS lives at `tss` and spans `tssBytes` (Tss.SIZE,
 * or more when an I/O permission bitmap follows it).
 */
export function buildGdt(gdt: number, tss: number, tssBytes: number = Tss.SIZE): void {
  setEntry(gdt, 0, 0, 0);
  setEntry(gdt, 1, FLAT_LOW, KERNEL_CODE_HIGH);
  setEntry(gdt, 2, FLAT_LOW, KERNEL_DATA_HIGH);
  setEntry(gdt, 3, FLAT_LOW, USER_CODE32_HIGH);
  setEntry(gdt, 4, FLAT_LOW, USER_DATA_HIGH);
  setEntry(gdt, 5, FLAT_LOW, USER_CODE_HIGH);
  setTssDescriptor(gdt, 6, tss, tssBytes - 1);
}

/**
 * Zeroes a TSS at `tss` and sets its stacks (tops of stack, 0 for none) and the I/O map base
 * (offset from `tss`; Tss.SIZE, past the limit, for none).
 */
export function buildTss(tss: number, rsp0: number, ist1: number, ist2: number, ist3: number, ioMapBase: number = Tss.SIZE): void {
  for (let off = 0; off < Tss.SIZE; off += 4) store32(tss + off, 0);
  storeAddr64(tss + Tss.Rsp0, rsp0);
  storeAddr64(tss + Tss.Ist1, ist1);
  storeAddr64(tss + Tss.Ist1 + 8, ist2);
  storeAddr64(tss + Tss.Ist1 + 16, ist3);
  // An I/O map base at or past the limit means "no I/O permission bitmap": ring 3 port access faults.
  store16(tss + Tss.IoMapBase, ioMapBase);
}

/**
 * Sets the stack the CPU switches to on an interrupt or syscall from ring 3.
 * @inline
 */
export function tssSetRsp0(tss: number, top: number): void {
  tssSetRsp0Word(tss, addrToWord(top));
}

/**
 * tssSetRsp0 with the top as its 64-bit word already (addrToWord), as the thread switch keeps it.
 * @inline
 */
export function tssSetRsp0Word(tss: number, top: bigint): void {
  store64(tss + Tss.Rsp0, top);
}
