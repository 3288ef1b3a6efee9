// Conversions between signed canonical addresses (`number`, as the kernel writes them) and raw
// 64-bit words (`bigint`, as hardware and saved registers hold them).
import { store64 } from "../../../lang/mem.ts";

const TWO32 = 4294967296;

/** Low 32 bits of an address as an unsigned number. */
export function low32(addr: number): number {
  return addr >>> 0;
}

/** High 32 bits of an address's 64-bit two's-complement pattern, unsigned. */
export function high32(addr: number): number {
  return Math.floor(addr / TWO32) >>> 0;
}

/** Stores an address as a little-endian 64-bit word (x86 needs no alignment: TSS.rsp0 has none). */
export function storeAddr64(at: number, addr: number): void {
  store64(at, addrToWord(addr));
}

/** The raw 64-bit pattern of a signed canonical address. */
export function addrToWord(addr: number): bigint {
  if (addr >= 0) return BigInt(addr);
  return BigInt.asUintN(64, 0n - BigInt(-addr));
}

/** Whether a raw 64-bit word is a canonical address (bits 63..47 all equal). */
function isCanonical(w: bigint): boolean {
  const top = w >> 47n;
  return top === 0n || top === 0x1ffffn;
}

/** The signed canonical form of a raw word; 0 for a non-canonical word (never a valid address). */
export function wordToAddr(w: bigint): number {
  if (!isCanonical(w)) return 0;
  const hi = Number(w >> 32n);
  const lo = Number(w & 0xffffffffn);
  if (hi >= 0x80000000) return (hi - TWO32) * TWO32 + lo;
  return hi * TWO32 + lo;
}
