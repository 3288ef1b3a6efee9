// Only the 64-bit wrap exists.
export function low(x: bigint, bits: number): bigint {
  return BigInt.asUintN(bits, x) | BigInt.asUintN(65, x) | BigInt.asUintN(32, x); // expect: KEEL0208 "BigInt.asUintN" KEEL0208 "BigInt.asUintN(65"
}
export function signed(x: bigint): bigint {
  return BigInt.asIntN(64, x); // expect: KEEL0208 "BigInt.asIntN"
}
