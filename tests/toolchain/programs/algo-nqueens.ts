// N-queens by backtracking with bitmasks.
function solve(n: number, row: number, cols: number, d1: number, d2: number): number {
  if (row === n) return 1;
  let count = 0;
  let avail = ~(cols | d1 | d2) & ((1 << n) - 1);
  while (avail !== 0) {
    const bit = avail & -avail;
    avail ^= bit;
    count += solve(n, row + 1, cols | bit, (d1 | bit) << 1, (d2 | bit) >> 1);
  }
  return count;
}
for (let n = 1; n <= 9; n++) console.log(n, solve(n, 0, 0, 0, 0));

export {};
