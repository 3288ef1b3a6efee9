import { base } from "./base.ts";
import { leftValue } from "./left.ts";
console.log("right evaluated", leftValue());
export function rightValue(): number {
  return base() * 3;
}
