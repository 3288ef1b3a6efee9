// for...of only over arrays and typed arrays.
export function letters(s: string): number {
  let n = 0;
  for (const c of s) n += c.length; // expect: KEEL0412 "s)"
  return n;
}
