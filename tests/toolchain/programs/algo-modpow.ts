// Modular exponentiation and Miller-Rabin on bigint (moduli below 2^32 keep products in 64 bits).
function mulmod(a: bigint, b: bigint, m: bigint): bigint {
  return BigInt.asUintN(64, a * b) % m;
}
function powmod(base: bigint, exp: bigint, m: bigint): bigint {
  let r = 1n;
  let b = base % m;
  let e = exp;
  while (e > 0n) {
    if ((e & 1n) === 1n) r = mulmod(r, b, m);
    b = mulmod(b, b, m);
    e = e >> 1n;
  }
  return r;
}
function isPrime(n: bigint): boolean {
  if (n < 2n) return false;
  const small = [2n, 3n, 5n, 7n];
  for (const p of small) if (n % p === 0n) return n === p;
  let d = BigInt.asUintN(64, n - 1n);
  let s = 0;
  while ((d & 1n) === 0n) {
    d = d >> 1n;
    s++;
  }
  for (const a of small) {
    let x = powmod(a, d, n);
    if (x === 1n || x === BigInt.asUintN(64, n - 1n)) continue;
    let composite = true;
    for (let i = 1; i < s; i++) {
      x = mulmod(x, x, n);
      if (x === BigInt.asUintN(64, n - 1n)) {
        composite = false;
        break;
      }
    }
    if (composite) return false;
  }
  return true;
}
console.log(powmod(2n, 10n, 1000n), powmod(3n, 200n, 1000000007n), powmod(7n, 0n, 13n));
const cands = [1n, 2n, 97n, 561n, 7919n, 65537n, 4294967291n, 4294967295n, 2147483647n];
for (const c of cands) console.log(c, isPrime(c));

export {};
