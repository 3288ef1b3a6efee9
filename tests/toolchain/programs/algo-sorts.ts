// @checked
// Insertion sort, quicksort, heapsort and merge sort agree on pseudo-random data.
function lcg(seed: number): number {
  return (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
}
function fillRandom(a: Int32Array, seed: number): void {
  let s = seed;
  for (let i = 0; i < a.length; i++) {
    s = lcg(s);
    a[i] = (s % 2001) - 1000;
  }
}
function insertion(a: Int32Array): void {
  for (let i = 1; i < a.length; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}
function quick(a: Int32Array, lo: number, hi: number): void {
  if (lo >= hi) return;
  const p = a[(lo + hi) >> 1]!;
  let i = lo;
  let j = hi;
  while (i <= j) {
    while (a[i]! < p) i++;
    while (a[j]! > p) j--;
    if (i <= j) {
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
      i++;
      j--;
    }
  }
  quick(a, lo, j);
  quick(a, i, hi);
}
function siftDown(a: Int32Array, start: number, end: number): void {
  let root = start;
  while (root * 2 + 1 <= end) {
    let child = root * 2 + 1;
    if (child + 1 <= end && a[child]! < a[child + 1]!) child++;
    if (a[root]! >= a[child]!) return;
    const t = a[root]!;
    a[root] = a[child]!;
    a[child] = t;
    root = child;
  }
}
function heapsort(a: Int32Array): void {
  for (let s = Math.floor((a.length - 2) / 2); s >= 0; s--) siftDown(a, s, a.length - 1);
  for (let end = a.length - 1; end > 0; end--) {
    const t = a[0]!;
    a[0] = a[end]!;
    a[end] = t;
    siftDown(a, 0, end - 1);
  }
}
function mergeSort(a: Int32Array, tmp: Int32Array, lo: number, hi: number): void {
  if (hi - lo < 2) return;
  const mid = Math.floor((lo + hi) / 2);
  mergeSort(a, tmp, lo, mid);
  mergeSort(a, tmp, mid, hi);
  let i = lo;
  let j = mid;
  let k = lo;
  while (i < mid && j < hi) tmp[k++] = a[i]! <= a[j]! ? a[i++]! : a[j++]!;
  while (i < mid) tmp[k++] = a[i++]!;
  while (j < hi) tmp[k++] = a[j++]!;
  for (let x = lo; x < hi; x++) a[x] = tmp[x]!;
}
function checksum(a: Int32Array): number {
  let h = 0;
  for (let i = 0; i < a.length; i++) h = (Math.imul(h, 31) + a[i]!) | 0;
  return h;
}
const N = 500;
const a = new Int32Array(N);
const b = new Int32Array(N);
const c = new Int32Array(N);
const d = new Int32Array(N);
fillRandom(a, 1); fillRandom(b, 1); fillRandom(c, 1); fillRandom(d, 1);
console.log(checksum(a));
insertion(a);
quick(b, 0, N - 1);
heapsort(c);
mergeSort(d, new Int32Array(N), 0, N);
console.log(checksum(a), checksum(b), checksum(c), checksum(d));
console.log(a[0]!, a[N - 1]!, a[N >> 1]!);
let sorted = true;
for (let i = 1; i < N; i++) if (a[i - 1]! > a[i]!) sorted = false;
console.log(sorted);

export {};
