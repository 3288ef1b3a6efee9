// Top-level functions as values: passed, stored in arrays and fields, returned.
type BinOp = (a: number, b: number) => number;
function add(a: number, b: number): number {
  return a + b;
}
function sub(a: number, b: number): number {
  return a - b;
}
function mul(a: number, b: number): number {
  return a * b;
}
function fold(xs: number[], init: number, op: BinOp): number {
  let acc = init;
  for (const x of xs) acc = op(acc, x);
  return acc;
}
function choose(code: number): BinOp {
  if (code === 0) return add;
  if (code === 1) return sub;
  return mul;
}
class Calculator {
  constructor(public op: BinOp, public calls: number = 0) {}
  run(a: number, b: number): number {
    this.calls++;
    return this.op(a, b);
  }
}
const ops: BinOp[] = [add, sub, mul];
const xs = [1, 2, 3, 4, 5];
for (const op of ops) console.log(fold(xs, 1, op));
for (let i = 0; i < 3; i++) console.log(choose(i)(7, 3));
const c = new Calculator(add);
console.log(c.run(2, 3));
c.op = choose(2);
console.log(c.run(2, 3), c.calls);
console.log(ops[1] === sub, c.op === mul);

export {};
