// Typed array construction, length, fill, for...of and zero initialisation.
const a = new Uint8Array(8);
console.log(a.length, a[0]!, a[7]!);
a.fill(7);
let sum = 0;
for (const v of a) sum += v;
console.log(sum);
const b = new Int32Array(5);
for (let i = 0; i < b.length; i++) b[i] = i * i - 10;
for (const v of b) console.log(v);
const c = new Uint16Array(4).fill(65535);
console.log(c[3]!, c.length);
const d = new BigUint64Array(2);
d.fill(0xfeedfacecafebeefn);
for (const v of d) console.log(v);
const e = new Int8Array(0);
console.log(e.length);

export {};
