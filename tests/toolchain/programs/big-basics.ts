// bigint as a 64-bit bit pattern: masks, shifts, wrap through BigInt.asUintN.
const all = BigInt.asUintN(64, 0n - 1n);
console.log(all, all.toString(16));
const x = 0x0123456789abcdefn;
console.log(BigInt.asUintN(64, ~x), BigInt.asUintN(64, ~x).toString(16));
console.log(x & 0xffffn, x | 0xf0n, x ^ all, x >> 4n, x >> 60n, x >> 63n);
console.log(BigInt.asUintN(64, x << 8n).toString(16), BigInt.asUintN(64, x << 63n).toString(16));
console.log(BigInt.asUintN(64, 0xffffffffffffffffn * 0xffffffffffffffffn));
console.log(BigInt.asUintN(64, 0x100000000n * 0x100000000n));
console.log(BigInt.asUintN(64, 0xdeadbeefn * 0xcafebaben).toString(16));
console.log(x / 1000n, x % 1000n, all / 3n, all % 7n);
console.log(BigInt.asUintN(64, -x).toString(16));
console.log(all & 0xffffffffn, (x & 0xfffn).toString(16), x & 1n);
console.log(x > 0n, x < all, x === 0x0123456789abcdefn, x !== all, x >= x, x <= 0n);

export {};
