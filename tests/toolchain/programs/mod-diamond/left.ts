import { base } from "./base.ts";
console.log("left evaluated", base());
export function leftValue(): number {
  return base() * 2;
}
