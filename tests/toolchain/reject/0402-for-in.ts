// Objects have no enumerable keys in C.
export function count(xs: number[]): number {
  let n = 0;
  for (const k in xs) n++; // expect: KEEL0402 "for"
  return n;
}
