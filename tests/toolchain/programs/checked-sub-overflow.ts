// @checked-only
// @stderr: PANIC: integer overflow
// @panic-line: marked
function below(v: number, d: number): number {
  return v - d; // panic here
}
let v = -9007199254740991 + 100;
for (let i = 0; i < 10; i++) {
  console.log(v);
  v = below(v, 30);
}

export {};
