import { fromA, aValue } from "./a.ts";

console.log("b top");
export function fromB(n: number): number {
  return n <= 0 ? aValue() : 100 + fromA(n - 1);
}
