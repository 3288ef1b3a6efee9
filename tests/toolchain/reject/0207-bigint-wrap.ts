// bigint arithmetic must wrap explicitly.
export function next(a: bigint, b: bigint): bigint {
  let c = a * b; // expect: KEEL0207 "*"
  c += 1n; // expect: KEEL0207 "+="
  c++; // expect: KEEL0207 "c++"
  const d = BigInt.asUintN(64, -c); // fine: wrapped
  return ~d; // expect: KEEL0207 "~d"
}
export const TOP = BigInt.asUintN(64, (1n << 64n) - 1n); // expect: KEEL0207 "<<"
// Constants fold exactly, and only a value in [0, 2^64) is accepted without asUintN.
export const BELOW_ZERO = 1n - 2n; // expect: KEEL0207 "-"
export const TOO_BIG = 0xffffffffffffffffn * 2n; // expect: KEEL0207 "*"
export const FITS = (1n << 63n) + 5n; // fine: a constant in range
