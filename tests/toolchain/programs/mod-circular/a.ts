import { fromB } from "./b.ts";
import { leafTag } from "./leaf.ts";

console.log("a top", leafTag());
export function aValue(): number {
  return 1;
}
export function fromA(n: number): number {
  // Calls into b, which calls back into a: mutual recursion across modules.
  return n <= 0 ? 0 : 10 + fromB(n - 1);
}
