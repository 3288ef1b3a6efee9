// Spread builds arrays and argument lists of run-time length.
export function largest(xs: number[]): number {
  const copy = [...xs]; // expect: KEEL0504 "...xs"
  return Math.max(...copy); // expect: KEEL0504 "...copy"
}
