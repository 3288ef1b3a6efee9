// Stores into typed arrays truncate exactly like JavaScript's typed arrays.
const u8 = new Uint8Array(4);
u8[0] = 300; u8[1] = -1; u8[2] = 256; u8[3] = -255;
console.log(u8[0]!, u8[1]!, u8[2]!, u8[3]!);
const i8 = new Int8Array(4);
i8[0] = 200; i8[1] = 128; i8[2] = -129; i8[3] = 127;
console.log(i8[0]!, i8[1]!, i8[2]!, i8[3]!);
const u16 = new Uint16Array(3);
u16[0] = 70000; u16[1] = -1; u16[2] = 65536;
console.log(u16[0]!, u16[1]!, u16[2]!);
const i16 = new Int16Array(3);
i16[0] = 40000; i16[1] = 32768; i16[2] = -32769;
console.log(i16[0]!, i16[1]!, i16[2]!);
const u32 = new Uint32Array(3);
u32[0] = -1; u32[1] = 4294967296 + 17; u32[2] = -2147483648;
console.log(u32[0]!, u32[1]!, u32[2]!);
const i32 = new Int32Array(3);
i32[0] = 2147483648; i32[1] = 4294967295; i32[2] = 9007199254740991;
console.log(i32[0]!, i32[1]!, i32[2]!);
const big = new BigUint64Array(3);
big[0] = BigInt.asUintN(64, 0xffffffffffffffffn + 2n);
big[1] = BigInt.asUintN(64, 1n << 64n);
big[2] = BigInt.asUintN(64, 0n - 5n);
console.log(big[0]!, big[1]!, big[2]!);

export {};
