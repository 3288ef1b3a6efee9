// toString(radix) and padding edge cases: zero, negatives, every radix, widths shorter than the text.
const vals = [0, 1, -1, 35, 36, -36, 1295, 2147483647, -2147483648, 9007199254740991];
for (const v of vals) {
  console.log(`${v.toString(2)} ${v.toString(3)} ${v.toString(7)} ${v.toString(16)} ${v.toString(36)}`);
}
for (let r = 2; r <= 36; r += 5) console.log(r, `${(123456789).toString(r)}`);
console.log(`[${(12345).toString(10).padStart(3, "0")}] [${(5).toString(10).padStart(1, "0")}] [${(7).toString(10).padStart(6, "ab")}]`);
console.log(`[${(255).toString(16).padEnd(5, "_")}] [${(-9).toString(10).padStart(4, "0")}]`);
console.log(`${0n.toString(2)} ${0xffffn.toString(8)} ${0x8000000000000000n.toString(36)}`);

export {};
