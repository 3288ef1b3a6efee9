import { pong } from "./pong.ts";
const helperValue = 1;
console.log("ping top", helperValue);
export function ping(n: number): number {
  return n === 0 ? 0 : 1 + pong(n - 1);
}
