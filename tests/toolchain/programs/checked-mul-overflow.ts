// @checked-only
// @stderr: PANIC: integer overflow
// @panic-line: marked
// With --checked, a product leaving ±(2^53-1) traps at the TypeScript line.
let x = 1;
for (let i = 0; i < 60; i++) {
  console.log(i, x);
  x = x * 2 * 1; // panic here
}

export {};
