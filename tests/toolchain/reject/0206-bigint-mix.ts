// bigint and number meet only through explicit conversions.
export function below(entry: bigint, limit: number): boolean {
  return entry < limit; // expect: KEEL0206 "<"
}
export const parsed = BigInt("12"); // expect: KEEL0206 "BigInt("
export const count = Number("12"); // expect: KEEL0206 "Number("
export const ok = BigInt(12) + 0n === 12n ? Number(12n) : 0; // expect: KEEL0207 "+"
