// The integer members of Math and Number: ceil, round, sign, clz32 and pow beside floor and
// trunc, the safe-integer constants and tests. Math.round of a quotient rounds the double Node
// computes, also from 2^52 on, where that double can be a half the exact quotient is not.
export {};

const ns = [0, 1, -1, 5, -5, 7, -7, 9, -9, 10, -10, 2147483647, -2147483648, 9007199254740991, -9007199254740991, 4503599627370497, -4503599627370497, 6755399441055745];
const ds = [1, -1, 2, -2, 3, -3, 4, 7, -10, 1000, 4503599627370496, 3002399751580331, -9007199254740991, 6004799503160661];
let line = "";
for (const n of ns) {
  for (const d of ds) {
    line += `${Math.ceil(n / d)} ${Math.round(n / d)} ${Math.floor(n / d)} ${Math.trunc(n / d)}|`;
  }
  console.log(line);
  line = "";
}
// halves below and above 2^52
const big = [4503599627370495, 4503599627370496, 4503599627370497, 9007199254740989, 9007199254740990, 9007199254740991];
for (const n of big) {
  for (let d = 2; d < 40; d++) line += `${Math.round(n / d)} ${Math.round(-n / d)} `;
  console.log(line);
  line = "";
}
// a pseudo-random sweep over large numerators and small and large divisors
let s = 12345;
let agree = 0;
for (let i = 0; i < 20000; i++) {
  s = (Math.imul(s, 1103515245) + 12345) >>> 0;
  const hi = s % 2097152;
  s = (Math.imul(s, 1103515245) + 12345) >>> 0;
  const n = hi * 4294967296 + s;
  s = (Math.imul(s, 1103515245) + 12345) >>> 0;
  const d = i % 3 === 0 ? (s % 64) + 1 : i % 3 === 1 ? s + 1 : hi * 1000 + 1;
  agree = (agree * 31 + (Math.round(n / d) % 1000003) + (Math.round(-n / d) % 1000003) * 7 + (Math.ceil(n / d) % 1000003) * 3) % 1000000007;
}
console.log(agree);
for (const n of ns) console.log(Math.sign(n), Math.clz32(n), Math.abs(n), `${Math.sign(n - n)}`);
console.log(Math.clz32(0), Math.clz32(1), Math.clz32(-1), Math.clz32(4294967296), Math.clz32(65535));
console.log(Math.pow(3, 4), Math.pow(-2, 31), Math.pow(7, 0), Math.pow(2, 52), Math.pow(-1, 5));
const base = 10;
console.log(Math.pow(base, 15), Math.pow(base - 7, 33));
console.log(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + Number.MIN_SAFE_INTEGER);
console.log(Number.isInteger(5), Number.isInteger(-9007199254740991), Number.isSafeInteger(Number.MAX_SAFE_INTEGER), Number.isSafeInteger(0));
const limit = Number.MAX_SAFE_INTEGER;
console.log(limit === 9007199254740991 ? "max" : "other", -limit === Number.MIN_SAFE_INTEGER);
