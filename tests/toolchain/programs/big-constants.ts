// bigint constants folded exactly: masks, flags and limits written as arithmetic on constants,
// without BigInt.asUintN, as page-table and register code writes them.
const PAGE_SHIFT = 12n;
const PAGE = 1n << PAGE_SHIFT;
const NX = 1n << 63n;
const ADDR_MASK = ((1n << 52n) - 1n) - (PAGE - 1n);
const MAX_U64 = (1n << 63n) + ((1n << 63n) - 1n);
const KIB = 1024n;
const GIB = KIB * KIB * KIB;
const LIMIT = 4n * GIB + 3n * PAGE;
const FLAGS = (1n << 0n) | (1n << 1n) | (1n << 2n);

class Entry {
  bits: bigint;
  constructor(phys: bigint, flags: bigint) {
    this.bits = (phys & ADDR_MASK) | flags;
  }
  phys(): bigint {
    return this.bits & ADDR_MASK;
  }
  noExec(): boolean {
    return (this.bits & NX) !== 0n;
  }
}

const entries = [new Entry(0x1234567n * PAGE, FLAGS), new Entry(LIMIT, FLAGS | NX), new Entry(MAX_U64, 0n)];
for (const e of entries) {
  console.log(e.phys(), e.noExec(), `${e.bits.toString(16)}`);
}
console.log(PAGE, NX, MAX_U64, LIMIT, FLAGS, GIB);
console.log(`${ADDR_MASK.toString(16)} ${(MAX_U64 >> 1n).toString(16)} ${NX > LIMIT}`);
let acc = 0n;
for (let i = 0; i < 10; i++) acc = BigInt.asUintN(64, BigInt.asUintN(64, acc * (KIB + 7n)) + BigInt.asUintN(64, BigInt(i) + NX));
console.log(acc);
