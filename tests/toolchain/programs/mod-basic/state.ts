// Module-level mutable state lives in the module; importers reach it through functions.
let count = 100;
export function bump(): number {
  count++;
  return count;
}
export function counter(): number {
  return count;
}
console.log("state loaded", count);
