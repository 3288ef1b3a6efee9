// C functions have fixed parameter lists.
export function count(a: number, b: number): number {
  return arguments.length + a + b; // expect: KEEL0502 "arguments"
}
