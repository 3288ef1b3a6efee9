// Loose equality converts between types.
export function same(a: number, b: number): boolean {
  return a == b; // expect: KEEL0301 "=="
}
export function differs(a: number, b: number): boolean {
  return a != b; // expect: KEEL0301 "!="
}
