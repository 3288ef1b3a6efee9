// Fixed arrays: literals, new Array<T>(n).fill(v), length, indexing, fill, for...of.
const lit = [3, 1, 4, 1, 5, 9, 2, 6];
console.log(lit.length, lit[0]!, lit[7]!);
const zeros = new Array<number>(5).fill(0);
for (let i = 0; i < zeros.length; i++) zeros[i] = lit[i]! * 10;
for (const z of zeros) console.log(z);
zeros.fill(-1);
console.log(zeros[0]!, zeros[4]!);
const bigs = [1n, 2n, 0xffffffffffffffffn];
for (const b of bigs) console.log(b);
const empty = new Array<number>(0).fill(1);
console.log(empty.length);
const grid = new Array<number>(12).fill(0);
for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) grid[r * 4 + c] = r * c;
let s = 0;
for (const g of grid) s += g;
console.log(s);
const strs = ["alpha", "beta", "gamma"];
for (const t of strs) console.log(t, t.length);

export {};
