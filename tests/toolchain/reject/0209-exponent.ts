// Exponentiation: only a number raised to a literal power.
export function power(b: number, e: number): number {
  return b ** e; // expect: KEEL0209 "**"
}
export const K = 2 ** 10;
export const HUGE = BigInt.asUintN(64, 2n ** 70n); // expect: KEEL0209 "**"
export function grow(b: number, e: number): number {
  return Math.pow(b, e) + Math.pow(b, -1) + Math.pow(b, 3); // expect: KEEL0209 "Math.pow(b, e)" KEEL0209 "Math.pow(b, -1)"
}
