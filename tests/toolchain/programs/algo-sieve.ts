// @checked
// Sieve of Eratosthenes over a Uint8Array; counts and the last primes below limits.
function sieve(limit: number): Uint8Array {
  const composite = new Uint8Array(limit + 1);
  composite[0] = 1;
  composite[1] = 1;
  for (let i = 2; i * i <= limit; i++) {
    if (composite[i]! !== 0) continue;
    for (let j = i * i; j <= limit; j += i) composite[j] = 1;
  }
  return composite;
}
const limits = [10, 100, 1000, 10000, 65536];
for (const lim of limits) {
  const c = sieve(lim);
  let count = 0;
  let last = 0;
  for (let i = 0; i <= lim; i++) {
    if (c[i]! === 0) {
      count++;
      last = i;
    }
  }
  console.log(lim, count, last);
}

export {};
