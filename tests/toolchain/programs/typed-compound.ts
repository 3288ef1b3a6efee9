// Compound assignment and increments on typed-array elements wrap on store.
const u8 = new Uint8Array(2);
u8[0] = 250;
for (let i = 0; i < 10; i++) u8[0]++;
console.log(u8[0]!);
u8[1] = 3;
u8[1]! -= 5;
console.log(u8[1]!);
const i16 = new Int16Array(1);
i16[0] = 32760;
i16[0] += 100;
console.log(i16[0]!);
const u32 = new Uint32Array(1);
u32[0] = 1;
u32[0] <<= 31;
console.log(u32[0]!);
u32[0] *= 4;
console.log(u32[0]!);
const i8 = new Int8Array(1);
i8[0] = -128;
i8[0]--;
console.log(i8[0]!);

export {};
