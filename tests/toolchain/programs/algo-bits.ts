// @checked
// Bit tricks on int32: popcount, count leading/trailing zeros, bit reversal, Gray code, powers of two.
function popcount(v: number): number {
  let x = v >>> 0;
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
function clz(v: number): number {
  let x = v >>> 0;
  if (x === 0) return 32;
  let n = 0;
  while ((x & 0x80000000) === 0) {
    x = x << 1;
    n++;
  }
  return n;
}
function ctz(v: number): number {
  if ((v | 0) === 0) return 32;
  let n = 0;
  let x = v | 0;
  while ((x & 1) === 0) {
    x = x >> 1;
    n++;
  }
  return n;
}
function reverse(v: number): number {
  let x = v >>> 0;
  let r = 0;
  for (let i = 0; i < 32; i++) {
    r = (r << 1) | (x & 1);
    x = x >>> 1;
  }
  return r >>> 0;
}
const vals = [0, 1, 2, 3, 255, 256, 0x80000000, 0xffffffff, 0x12345678, -8, 1 << 20];
for (const v of vals) {
  console.log(v, popcount(v), clz(v), ctz(v), reverse(v), (v ^ (v >>> 1)) >>> 0, v > 0 && (v & (v - 1)) === 0);
}

export {};
