// Arrays grow in user and hosted programs, but members that need undefined or a general
// reducer stay rejected there.
export function pick(xs: number[]): number {
  xs.push(1); // accepted: arrays grow
  const f = xs.find((x: number): boolean => x > 2); // expect: KEEL0706 "find"
  const s = xs.reduce((a: number, b: number): number => a + b, 0); // expect: KEEL0706 "reduce"
  return (f ?? 0) + s;
}

export function tally(words: string[]): number {
  const m = new Map<string, number>([["a", 1]]); // expect: KEEL0703 'new Map<string, number>([["a", 1]])'
  return m.size + words.length;
}
