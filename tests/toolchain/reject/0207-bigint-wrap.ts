// bigint arithmetic must wrap explicitly.
export function next(a: bigint, b: bigint): bigint {
  let c = a * b; // expect: KEEL0207 "*"
  c += 1n; // expect: KEEL0207 "+="
  c++; // expect: KEEL0207 "c++"
  const d = BigInt.asUintN(64, -c); // fine: wrapped
  return ~d; // expect: KEEL0207 "~d"
}
export const TOP = BigInt.asUintN(64, (1n << 63n) - 1n); // expect: KEEL0207 "<<"
