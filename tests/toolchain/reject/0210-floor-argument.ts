// Math.floor/Math.trunc only around a division.
export function f(x: number): number {
  return Math.floor(x) + Math.trunc(x - 1); // expect: KEEL0210 "Math.floor" KEEL0210 "Math.trunc"
}
export function g(x: number): number {
  return Math.ceil(x) + Math.round(x * 2) + Math.round(x / 2); // expect: KEEL0210 "Math.ceil" KEEL0210 "Math.round"
}
