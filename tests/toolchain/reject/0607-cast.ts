// A cast could lie about a value's layout.
export class Page {
  frame = 0;
}
export function frameOf(p: Page | null): number {
  return (p as Page).frame; // expect: KEEL0607 "p as Page"
}
export function widen(n: number): number {
  const k = <number>n;
  const modes = [1, 2, 3] as const; // expect: KEEL0107 "modes"
  const one = 1 as const;
  return k + (n as number) + modes[0] + one;
}
