// Integers Node cannot hold exactly, and bigints wider than 64 bits.
export const TOO_BIG = 0xffffffffffffffff; // expect: KEEL0202 "0xff"
export const WIDE = 0x10000000000000000n; // expect: KEEL0202 "0x1"
export const FINE = 0xffffffffffffffffn;
