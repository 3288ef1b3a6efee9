import { ping } from "./ping.ts";
const helperValue = 3;
console.log("relay top", helperValue);
export function relay(n: number): number {
  return n === 0 ? 0 : 4 + ping(n - 1);
}
