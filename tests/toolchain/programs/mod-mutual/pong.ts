import { relay } from "./relay.ts";
const helperValue = 2;
console.log("pong top", helperValue);
export function pong(n: number): number {
  return n === 0 ? 0 : 2 + relay(n - 1);
}
export function helper(): number {
  return helperValue;
}
