// Hoisted, function-scoped variables.
export function sum(xs: number[]): number {
  var total = 0; // expect: KEEL0407 "var"
  for (const x of xs) total += x;
  return total;
}
