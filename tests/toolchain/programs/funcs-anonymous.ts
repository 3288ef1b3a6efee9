// Non-capturing function expressions and arrow functions used as function values.
type UnOp = (x: number) => number;
const inc = function (x: number): number {
  return x + 1;
};
const dbl = (x: number): number => x * 2;
function apply(f: UnOp, times: number, x: number): number {
  let v = x;
  for (let i = 0; i < times; i++) v = f(v);
  return v;
}
console.log(inc(41), dbl(21));
console.log(apply(inc, 5, 0), apply(dbl, 10, 1));
console.log(apply((x: number): number => x * x, 3, 2));
const table: UnOp[] = [inc, dbl, (x: number): number => -x];
for (const f of table) console.log(f(10));

export {};
