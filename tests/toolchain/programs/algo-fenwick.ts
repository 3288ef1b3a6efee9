// A Fenwick tree for prefix sums with point updates, checked against direct sums.
class Fenwick {
  tree: Array<number>;
  constructor(public n: number) {
    this.tree = new Array<number>(n + 1).fill(0);
  }
  add(i0: number, delta: number): void {
    for (let i = i0 + 1; i <= this.n; i += i & -i) this.tree[i] = this.tree[i]! + delta;
  }
  prefix(i0: number): number {
    let s = 0;
    for (let i = i0; i > 0; i -= i & -i) s += this.tree[i]!;
    return s;
  }
}
const N = 64;
const f = new Fenwick(N);
const raw = new Array<number>(N).fill(0);
for (let k = 0; k < 200; k++) {
  const i = Math.imul(k, 37) & (N - 1);
  const d = ((k * 7919) % 201) - 100;
  f.add(i, d);
  raw[i] = raw[i]! + d;
}
let ok = true;
for (let i = 0; i <= N; i++) {
  let s = 0;
  for (let j = 0; j < i; j++) s += raw[j]!;
  if (s !== f.prefix(i)) ok = false;
}
console.log(ok, f.prefix(N), f.prefix(10), f.prefix(33) - f.prefix(17));

export {};
