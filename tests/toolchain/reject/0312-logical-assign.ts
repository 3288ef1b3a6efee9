// Conditional assignment by truthiness.
export function merge(a: boolean, b: boolean): boolean {
  let r = a;
  r ||= b; // expect: KEEL0312 "||="
  return r;
}
