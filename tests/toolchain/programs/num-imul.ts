// @checked
// Math.imul multiplies as int32 with wraparound, unlike `*`.
console.log(Math.imul(0x7fffffff, 2));
console.log(Math.imul(0xffffffff, 5));
console.log(Math.imul(-5, 12));
console.log(Math.imul(65536, 65536));
console.log(Math.imul(0x12345678, 0x9abcdef0));
console.log(Math.imul(4294967296 + 3, 7));
console.log(Math.imul(-2147483648, -1));
let h = 0x811c9dc5;
for (let i = 0; i < 16; i++) {
  h = Math.imul(h ^ i, 16777619);
}
console.log(h, h >>> 0);

export {};
