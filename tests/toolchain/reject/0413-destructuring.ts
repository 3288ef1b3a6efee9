// Destructuring needs object literals or tuples.
export class Pair {
  a = 1;
  b = 2;
}
export function total(p: Pair, xs: number[]): number {
  const { a, b } = p; // expect: KEEL0413 "{ a, b }"
  const [x] = xs; // expect: KEEL0413 "[x]"
  return a + b + (x ?? 0);
}
