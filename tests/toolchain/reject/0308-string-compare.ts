// Strings are pointers in C: only === compares them.
export function before(a: string, b: string): boolean {
  return a < b; // expect: KEEL0308 "<"
}
