// BigUint64Array stores 64-bit patterns; values above 2^63 and wrapped arithmetic.
const t = new BigUint64Array(4);
t[0] = 0x8000000000000000n;
t[1] = BigInt.asUintN(64, BigInt.asUintN(64, t[0]! * 2n) + 1n);
t[2] = BigInt.asUintN(64, ~t[0]!);
t[3] = t[0]! | t[2]!;
for (const v of t) console.log(v, v.toString(16));
let acc = 0n;
for (let i = 0; i < t.length; i++) acc = BigInt.asUintN(64, acc + t[i]!);
console.log(acc);

export {};
