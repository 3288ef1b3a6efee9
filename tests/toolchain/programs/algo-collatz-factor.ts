// @checked
// Collatz stopping times and trial-division factorisation.
function steps(n0: number): number {
  let n = n0;
  let s = 0;
  while (n !== 1) {
    n = n % 2 === 0 ? Math.floor(n / 2) : 3 * n + 1;
    s++;
  }
  return s;
}
let best = 0;
let arg = 0;
for (let i = 1; i < 3000; i++) {
  const s = steps(i);
  if (s > best) {
    best = s;
    arg = i;
  }
}
console.log(arg, best, steps(27), steps(837799));
function factor(n0: number): void {
  let n = n0;
  console.log("factor", n0);
  for (let p = 2; p * p <= n; p++) {
    while (n % p === 0) {
      console.log("  ", p);
      n = Math.floor(n / p);
    }
  }
  if (n > 1) console.log("  ", n);
}
factor(360);
factor(9007199254740991);
factor(600851475143);
factor(97);

export {};
