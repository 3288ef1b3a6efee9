// xorshift64* on bigint: shifts and multiplication wrapped to 64 bits.
class Rng {
  state: bigint;
  constructor(seed: bigint) {
    this.state = seed;
  }
  next(): bigint {
    let x = this.state;
    x = x ^ (x >> 12n);
    x = x ^ BigInt.asUintN(64, x << 25n);
    x = x ^ (x >> 27n);
    this.state = x;
    return BigInt.asUintN(64, x * 0x2545f4914f6cdd1dn);
  }
  below(n: number): number {
    return Number(this.next() % BigInt(n));
  }
}
const r = new Rng(0x9e3779b97f4a7c15n);
for (let i = 0; i < 8; i++) console.log(r.next());
const hist = new Uint32Array(6);
for (let i = 0; i < 6000; i++) {
  const k = r.below(6);
  hist[k] = hist[k]! + 1;
}
for (const h of hist) console.log(h);
console.log(r.state.toString(16));

export {};
