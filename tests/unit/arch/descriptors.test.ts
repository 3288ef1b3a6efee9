import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { attachMemory, detachAllMemory } from "../../../lang/host/memory.ts";
import { load16, load32, load64 } from "../../../lang/mem.ts";
import { buildGdt, buildTss, GDT_SIZE, Selector, STAR_SYSCALL_BASE, STAR_SYSRET_BASE, Tss, tssSetRsp0 } from "../../../kernel/arch/x86_64/gdt.ts";
import { buildIdt, IDT_SIZE, istFor, setGate } from "../../../kernel/arch/x86_64/idt.ts";
import { addrToWord, wordToAddr } from "../../../kernel/arch/x86_64/words.ts";

const BASE = -0x800000000000 + 0x100000; // a direct-map address (negative canonical form)

beforeEach(() => {
  detachAllMemory();
  attachMemory(BASE, 0x4000);
});
afterEach(() => detachAllMemory());

function u64(addr: number): bigint {
  return load64(addr);
}

describe("words", () => {
  it("converts canonical addresses both ways", () => {
    expect(addrToWord(-0x80000000)).toBe(0xffffffff80000000n);
    expect(addrToWord(-0x800000000000)).toBe(0xffff800000000000n);
    expect(addrToWord(0x1234)).toBe(0x1234n);
    expect(wordToAddr(0xffffffff80001000n)).toBe(-0x80000000 + 0x1000);
    expect(wordToAddr(0x00007fffffffffffn)).toBe(0x7fffffffffff);
    expect(wordToAddr(0x0000800000000000n)).toBe(0); // not canonical
    for (const a of [-1, -4096, -0x7fffffffffff, 0x7ffffffff000, 0x10]) expect(wordToAddr(addrToWord(a))).toBe(a);
  });
});

describe("GDT", () => {
  it("lays out the segments sysret and syscall expect", () => {
    const tss = BASE + 128;
    buildGdt(BASE, tss);
    expect(u64(BASE)).toBe(0n);
    expect(u64(BASE + Selector.KernelCode)).toBe(0x00af9a000000ffffn);
    expect(u64(BASE + Selector.KernelData)).toBe(0x00cf92000000ffffn);
    expect(u64(BASE + (Selector.UserCode32 & ~3))).toBe(0x00cffa000000ffffn);
    expect(u64(BASE + (Selector.UserData & ~3))).toBe(0x00cff2000000ffffn);
    expect(u64(BASE + (Selector.UserCode & ~3))).toBe(0x00affa000000ffffn);
    // sysret: SS = base + 8, CS = base + 16; syscall: CS = base, SS = base + 8.
    expect((STAR_SYSRET_BASE + 8) | 3).toBe(Selector.UserData);
    expect((STAR_SYSRET_BASE + 16) | 3).toBe(Selector.UserCode);
    expect(STAR_SYSCALL_BASE).toBe(Selector.KernelCode);
    expect(STAR_SYSCALL_BASE + 8).toBe(Selector.KernelData);
    expect(Selector.Tss + 16).toBe(GDT_SIZE);
  });

  it("encodes the TSS descriptor with its full 64-bit base", () => {
    const tss = BASE + 128;
    buildGdt(BASE, tss);
    const w = addrToWord(tss);
    const lo = u64(BASE + Selector.Tss);
    const hi = u64(BASE + Selector.Tss + 8);
    const limit = (lo & 0xffffn) | (((lo >> 48n) & 0xfn) << 16n);
    const base = ((lo >> 16n) & 0xffffffn) | (((lo >> 56n) & 0xffn) << 24n) | ((hi & 0xffffffffn) << 32n);
    expect(limit).toBe(BigInt(Tss.SIZE - 1));
    expect(base).toBe(w);
    expect((lo >> 40n) & 0xffn).toBe(0x89n); // present, available 64-bit TSS
    expect(hi >> 32n).toBe(0n);
  });

  it("fills the TSS stacks and disables the I/O bitmap", () => {
    const tss = BASE + 0x1000;
    buildTss(tss, BASE + 0x2000, BASE + 0x3000, BASE + 0x3800, 0);
    expect(load32(tss)).toBe(0);
    // rsp0 sits at offset 4, unaligned: read it as two halves.
    const rsp0 = BigInt(load32(tss + 4)) | (BigInt(load32(tss + 8)) << 32n);
    expect(rsp0).toBe(addrToWord(BASE + 0x2000));
    const ist1 = BigInt(load32(tss + 36)) | (BigInt(load32(tss + 40)) << 32n);
    const ist2 = BigInt(load32(tss + 44)) | (BigInt(load32(tss + 48)) << 32n);
    expect(ist1).toBe(addrToWord(BASE + 0x3000));
    expect(ist2).toBe(addrToWord(BASE + 0x3800));
    expect(load16(tss + 102)).toBe(Tss.SIZE);
    tssSetRsp0(tss, BASE + 0x2ff0);
    expect(BigInt(load32(tss + 4)) | (BigInt(load32(tss + 8)) << 32n)).toBe(addrToWord(BASE + 0x2ff0));
  });
});

describe("IDT", () => {
  it("encodes an interrupt gate", () => {
    const handler = -0x80000000 + 0x201234; // 0xffffffff80201234
    setGate(BASE, 14, handler, 0, 0);
    const lo = u64(BASE + 14 * 16);
    const hi = u64(BASE + 14 * 16 + 8);
    expect(lo & 0xffffn).toBe(0x1234n);
    expect((lo >> 16n) & 0xffffn).toBe(BigInt(Selector.KernelCode));
    expect((lo >> 32n) & 0x7n).toBe(0n); // IST
    expect((lo >> 40n) & 0xffn).toBe(0x8en); // present, DPL 0, 64-bit interrupt gate
    expect((lo >> 48n) & 0xffffn).toBe(0x8020n);
    expect(hi).toBe(0xffffffffn);
  });

  it("points all 256 gates at their stubs with IST for #DF, NMI and #MC", () => {
    const stubs = (v: number) => -0x80000000 + 0x300000 + v * 16;
    buildIdt(BASE, stubs);
    expect(IDT_SIZE).toBe(4096);
    for (let v = 0; v < 256; v++) {
      const lo = u64(BASE + v * 16);
      const hi = u64(BASE + v * 16 + 8);
      const target = (lo & 0xffffn) | (((lo >> 48n) & 0xffffn) << 16n) | ((hi & 0xffffffffn) << 32n);
      expect(target).toBe(addrToWord(stubs(v)));
      expect(Number((lo >> 32n) & 7n)).toBe(istFor(v));
      expect((lo >> 45n) & 3n).toBe(0n);
    }
    expect(istFor(8)).toBe(1);
    expect(istFor(2)).toBe(2);
    expect(istFor(18)).toBe(3);
    expect(istFor(14)).toBe(0);
  });
});
