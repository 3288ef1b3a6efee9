// Run-length encoding and decoding of a byte buffer, with runs capped at 255.
function encode(src: Uint8Array, out: Uint8Array): number {
  let o = 0;
  let i = 0;
  while (i < src.length) {
    const b = src[i]!;
    let run = 1;
    while (i + run < src.length && src[i + run]! === b && run < 255) run++;
    out[o++] = run;
    out[o++] = b;
    i += run;
  }
  return o;
}
function decode(src: Uint8Array, len: number, out: Uint8Array): number {
  let o = 0;
  for (let i = 0; i < len; i += 2) {
    for (let k = 0; k < src[i]!; k++) out[o++] = src[i + 1]!;
  }
  return o;
}
const data = new Uint8Array(700);
for (let i = 0; i < data.length; i++) data[i] = i < 300 ? 7 : (i >> 4) & 3;
const enc = new Uint8Array(2 * data.length);
const n = encode(data, enc);
const dec = new Uint8Array(data.length);
const m = decode(enc, n, dec);
let same = m === data.length;
for (let i = 0; i < m; i++) if (dec[i]! !== data[i]!) same = false;
console.log(n, m, same);
for (let i = 0; i < 12; i++) console.log(enc[i]!);

export {};
