// Unary plus converts strings and other values to numbers; on a number it is harmless.
export function parse(s: string): number {
  return +s; // expect: KEEL0211 "+s"
}
export function same(n: number): number {
  return +n;
}
