// Unary plus converts values to numbers.
export function id(x: number): number {
  return +x; // expect: KEEL0211 "+x"
}
