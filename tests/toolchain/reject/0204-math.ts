// Floating-point Math functions and constants.
export function hypot(a: number, b: number): number {
  return Math.sqrt(a * a + b * b); // expect: KEEL0204 "Math.sqrt"
}
export const PI = Math.PI; // expect: KEEL0204 "Math.PI"
export function roll(): number {
  return Math.floor(Math.random() * 6); // expect: KEEL0210 "Math.floor" KEEL0204 "Math.random"
}
export function root(n: number): number {
  return Math.floor(Math.cbrt(n) / 1); // expect: KEEL0204 "Math.cbrt"
}
