// bigint printing: console.log adds the n suffix, templates do not; radix conversions.
const vals = [0n, 5n, 255n, 0x8000000000000000n, 0xffffffffffffffffn, 1234567890123456789n];
for (const v of vals) {
  console.log(v);
  console.log(`${v} ${v.toString(16)} ${v.toString(2)} ${v.toString(36)} ${v.toString(8).padStart(24, "0")}`);
}
console.log(1n, 2n, "mixed", 3, true);

export {};
