// BigInt(n) from non-negative numbers and Number(b) back, within the safe range.
const ns = [0, 1, 255, 4096, 2147483648, 4294967295, 9007199254740991];
for (const n of ns) {
  const b = BigInt(n);
  console.log(n, b, Number(b), Number(b >> 1n), BigInt(n >>> 0));
}
const pa = 0x1234567000n;
console.log(Number(pa >> 12n), Number(pa & 0xfffn));
let total = 0n;
for (let i = 0; i < 100; i++) total = BigInt.asUintN(64, total + BigInt(i * i));
console.log(total, Number(total) + 1);

export {};
