// Page-table-entry style bit manipulation on bigint.
const PRESENT = 1n;
const WRITABLE = BigInt.asUintN(64, 1n << 1n);
const USER = BigInt.asUintN(64, PRESENT << 2n);
const HUGE = 0x80n;
const NX = BigInt.asUintN(64, 1n << 63n);
const ADDR_MASK = 0x000ffffffffff000n;

function makeEntry(phys: number, flags: bigint): bigint {
  return (BigInt(phys) & ADDR_MASK) | flags;
}
function entryAddr(e: bigint): number {
  return Number(e & ADDR_MASK);
}
function describe(e: bigint): void {
  console.log(
    `entry ${e.toString(16).padStart(16, "0")} addr ${entryAddr(e).toString(16)}`,
    (e & PRESENT) !== 0n, (e & WRITABLE) !== 0n, (e & USER) !== 0n, (e & HUGE) !== 0n, (e & NX) !== 0n,
  );
}
let e = makeEntry(0x1234567000, PRESENT | WRITABLE | NX);
describe(e);
e = e & BigInt.asUintN(64, ~WRITABLE);
describe(e);
e = e | USER | HUGE;
describe(e);
e = BigInt.asUintN(64, e ^ NX);
describe(e);
const va = 0x7fffdeadb000;
console.log(Math.floor(va / 549755813888) % 512, Math.floor(va / 1073741824) % 512, Math.floor(va / 2097152) % 512, Math.floor(va / 4096) % 512);
describe(makeEntry(0xfffffffffffff, PRESENT));

export {};
