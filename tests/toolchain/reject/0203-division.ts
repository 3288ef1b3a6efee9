// Plain division could produce a fraction.
export function average(sum: number, count: number): number {
  return sum / count; // expect: KEEL0203 "/"
}
export function halve(x: number): number {
  x /= 2; // expect: KEEL0203 "/="
  return Math.floor(x / 2) + ((x / 4) | 0);
}
