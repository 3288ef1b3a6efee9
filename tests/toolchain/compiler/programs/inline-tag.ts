// `@inline` functions: gcc must inline them at every call, and they must still mean what they
// mean in Node (a loop, an early return, a method, a call from another function marked too).

/** @inline */
function sumTo(n: number): number {
  let s = 0;
  for (let i = 1; i <= n; i++) s += i;
  return s;
}

class Counter {
  n = 0;
  /** @inline */
  bump(by: number): number {
    if (by < 0) return this.n;
    this.n += by;
    return this.n;
  }
}

/** @inline */
function twice(n: number): number {
  return sumTo(n) * 2;
}

const c = new Counter();
for (let i = 0; i < 5; i++) c.bump(i);
c.bump(-1);
console.log(sumTo(10), twice(4), c.n);
