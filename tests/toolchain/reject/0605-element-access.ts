// Only arrays, typed arrays and strings are indexable, by a number.
export class Regs {
  rax = 0;
}
export function read(r: Regs, s: string, xs: number[]): number {
  const a = r["rax"]; // expect: KEEL0605 "r["
  const c = s[0]; // a string's element is a one-character string
  return a + (c === "x" ? 1 : 0) + xs[0]! + s.charCodeAt(0);
}
export function element(xs: number[], i: number): number {
  const x = xs[i]; // an element read is bounds-checked: its type is number
  console.log(x, xs[i]);
  return x!;
}
