// @checked-only
// @stderr: PANIC: integer overflow
// @panic-line: marked
const MAX = 9007199254740991;
let v = MAX - 3;
for (let i = 0; i < 10; i++) {
  console.log(v);
  v = v + 1; // panic here
}

export {};
