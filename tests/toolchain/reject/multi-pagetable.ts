// Page-table code with typical slips: all reported, in source order.
import { load64, store64 } from "../../../lang/mem.ts";

export const PRESENT = 1n;
export const ADDR_MASK = 0x000ffffffffff000n;

export function entryAddr(table: number, virt: number, level: number): number {
  const shift = 12 + 9 * level;
  const index = Math.floor(virt / 2 ** shift) % 512; // expect: KEEL0209 "**"
  return table + index * 8;
}

export function map(table: number, virt: number, phys: number, flags: bigint): void {
  const at = entryAddr(table, virt, 0);
  const old = load64(at);
  if (old & PRESENT) { // fine: a bigint condition
    console.log(`remap ${virt.toString(16)}`);
  }
  store64(at, BigInt(phys) + flags); // expect: KEEL0207 "+"
  const check = Number(load64(at) & ADDR_MASK) === phys ? "ok" : undefined; // expect: KEEL0103 "undefined"
  const mapped = { virt, phys }; // expect: KEEL0603 "{ virt"
  console.log(check, mapped.virt);
}
