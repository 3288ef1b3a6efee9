// @checked
// CRC-32 (IEEE, reflected) with a generated table, Adler-32 and Fletcher-16 over a buffer.
const table = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = (c & 1) !== 0 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  table[n] = c;
}
function crc32(buf: Uint8Array, len: number): number {
  let c = 0xffffffff;
  for (let i = 0; i < len; i++) c = table[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function adler32(buf: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const x of buf) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}
function fletcher16(buf: Uint8Array): number {
  let s1 = 0;
  let s2 = 0;
  for (const x of buf) {
    s1 = (s1 + x) % 255;
    s2 = (s2 + s1) % 255;
  }
  return (s2 << 8) | s1;
}
// "123456789" has the well-known CRC-32 cbf43926.
const check = new Uint8Array(9);
for (let i = 0; i < check.length; i++) check[i] = 0x31 + i;
console.log(crc32(check, check.length).toString(16), adler32(check).toString(16), fletcher16(check).toString(16));
const buf = new Uint8Array(4096);
for (let i = 0; i < buf.length; i++) buf[i] = Math.imul(i, 2654435761) >>> 24;
console.log(crc32(buf, buf.length), adler32(buf), fletcher16(buf));
console.log(crc32(buf, 0), crc32(buf, 1), crc32(buf, 4095));

export {};
