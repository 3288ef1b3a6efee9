// A generic function is one C function per instantiation: there is no single pointer.
export function first<T>(xs: T[]): T {
  return xs[0]!;
}
export function firstNumber(xs: number[]): number {
  return first<number>(xs);
}
export function apply(f: (xs: number[]) => number, xs: number[]): number {
  return f(xs);
}
export const a = apply(first, [1]); // expect: KEEL0511 "first"
export const b = apply(firstNumber, [2]);
export const id = <T,>(x: T): T => x; // expect: KEEL0511 "<T,>"
