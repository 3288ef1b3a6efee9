// An arrow passed directly to forEach, map, filter, some, every or findIndex runs in place and may
// capture; other functions that capture are rejected: stored arrows, comparators (sort keeps the
// function), function expressions, and bodies other than an expression, one return, or a
// forEach block without return.
export function rank(xs: number[], pivot: number): number[] {
  const ok = xs.map((x) => x + pivot); // runs in place: fine
  xs.forEach((x) => {
    if (x > pivot) ok.push(x); // a forEach block: fine
  });
  const f = (x: number): number => x * pivot; // expect: KEEL0501 "pivot;"
  const sorted = xs.sort((a, b) => Math.abs(a - pivot) - Math.abs(b - pivot)); // expect: KEEL0501 "pivot) - Math"
  const g = xs.map(function (x: number): number {
    return x - pivot; // expect: KEEL0501 "pivot;"
  });
  const h = xs.map((x) => {
    const y = x + 1;
    return y * pivot; // expect: KEEL0501 "pivot;"
  });
  xs.forEach((x) => {
    if (x === pivot) return; // expect: KEEL0501 "pivot) return"
  });
  return [ok.length, sorted.length, g.length, h.length].map(f);
}
