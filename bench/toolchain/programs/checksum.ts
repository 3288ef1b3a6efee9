// Benchmark: table-driven CRC-32 and Adler-32 over a 1 MiB buffer, repeated.
const SIZE = 1 << 20;
const ROUNDS = 96;

const table = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = (c & 1) !== 0 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  table[n] = c;
}
const buf = new Uint8Array(SIZE);
let seed = 12345;
for (let i = 0; i < SIZE; i++) {
  seed = (Math.imul(seed, 1103515245) + 12345) | 0;
  buf[i] = seed >>> 24;
}
function crc32(b: Uint8Array, init: number): number {
  let c = init ^ 0xffffffff;
  for (let i = 0; i < b.length; i++) c = table[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function adler32(b: Uint8Array, init: number): number {
  let a = init & 0xffff;
  let s = init >>> 16;
  for (let i = 0; i < b.length; i++) {
    a += b[i]!;
    if (a >= 65521) a -= 65521;
    s += a;
    if (s >= 65521) s -= 65521;
  }
  return ((s << 16) | a) >>> 0;
}
let crc = 0;
let adler = 1;
for (let r = 0; r < ROUNDS; r++) {
  crc = crc32(buf, crc);
  adler = adler32(buf, adler);
  buf[r] = crc & 0xff;
}
console.log(crc, adler);

export {};
