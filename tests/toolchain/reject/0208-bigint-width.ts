// Only the 64-bit wrap exists.
export function low(x: bigint): bigint {
  return BigInt.asUintN(32, x); // expect: KEEL0208 "BigInt.asUintN"
}
export function signed(x: bigint): bigint {
  return BigInt.asIntN(64, x); // expect: KEEL0208 "BigInt.asIntN"
}
