// @checked
// `~` is ToInt32 then bitwise complement.
const vals = [0, 1, -1, 2147483647, -2147483648, 2147483648, 4294967295, 4294967296, 123456789012, -98765];
for (const v of vals) {
  console.log(v, ~v, ~~v, ~v >>> 0);
}
console.log(~0 & 0xff, (~0x0f) & 0xff);

export {};
