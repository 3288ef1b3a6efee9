// for...of only into a fresh variable.
export function letters(s: string): number {
  let n = 0;
  let c = "";
  for (c of s) n += c.length; // expect: KEEL0412 "c of"
  for (const d of s) n += d.length;
  return n;
}
