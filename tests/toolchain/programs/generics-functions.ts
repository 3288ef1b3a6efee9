// Generic functions instantiated at number, bigint, boolean and class types.
class Box {
  constructor(public v: number) {}
}
function pick<T>(cond: boolean, a: T, b: T): T {
  return cond ? a : b;
}
function firstOr<T>(arr: T[], fallback: T): T {
  return arr.length > 0 ? arr[0]! : fallback;
}
function countIf<T>(arr: T[], pred: (x: T) => boolean): number {
  let n = 0;
  for (const x of arr) if (pred(x)) n++;
  return n;
}
function isOdd(x: number): boolean {
  return (x & 1) === 1;
}
function isBigEven(x: bigint): boolean {
  return (x & 1n) === 0n;
}
function boxBig(b: Box): boolean {
  return b.v > 5;
}
console.log(pick(true, 1, 2), pick(false, 1n, 2n), pick(false, true, false));
console.log(pick(true, new Box(7), new Box(8)).v);
console.log(firstOr([9, 8], -1), firstOr(new Array<number>(0).fill(0), -1), firstOr([5n], 0n));
console.log(countIf([1, 2, 3, 4, 5], isOdd), countIf([2n, 3n, 4n], isBigEven));
console.log(countIf([new Box(1), new Box(6), new Box(10)], boxBig));

export {};
