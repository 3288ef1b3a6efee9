// A missing argument would be undefined; defaults are fine.
export function line(n: number, sep?: number): number { // expect: KEEL0507 "sep"
  return n + (sep ?? 0);
}
export function line2(n: number, sep = 1): number {
  return n + sep;
}
export type Cb = (x?: number) => void; // expect: KEEL0507 "x?"
