// @checked-only
// @stderr: PANIC: integer overflow
// @panic-line: marked
// 94906266^2 is just above 2^53: one step past the largest exact square.
for (let n = 94906264; n < 94906270; n++) {
  const sq = n * n; // panic here
  console.log(n, sq);
}

export {};
