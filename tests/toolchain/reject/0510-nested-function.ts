// C functions live at module level, even when they capture nothing.
export function outer(x: number): number {
  function double(y: number): number { // expect: KEEL0510 "function double"
    return y * 2;
  }
  const triple = (y: number): number => y * 3;
  return double(x) + triple(x);
}
