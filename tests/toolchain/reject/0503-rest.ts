// Rest parameters need variable-length argument lists.
export function sum(...xs: number[]): number { // expect: KEEL0503 "...xs"
  let t = 0;
  for (const x of xs) t += x;
  return t;
}
