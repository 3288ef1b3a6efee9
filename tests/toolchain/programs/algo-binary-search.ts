// Lower-bound binary search over a sorted Int32Array, including absent keys and the ends.
function lowerBound(a: Int32Array, key: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
const a = new Int32Array(50);
for (let i = 0; i < a.length; i++) a[i] = i * i - 300;
const keys = [-1000, -300, -299, 0, 1, 100, 1924, 2101, 5000];
for (const k of keys) {
  const i = lowerBound(a, k);
  console.log(k, i, i < a.length && a[i]! === k);
}

export {};
