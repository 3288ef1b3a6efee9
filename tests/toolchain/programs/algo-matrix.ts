// @checked
// Integer matrix multiplication and powers (Fibonacci by 2x2 matrix power, int32 wrap with imul).
function matmul(a: Int32Array, b: Int32Array, n: number): Int32Array {
  const c = new Int32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s = (s + Math.imul(a[i * n + k]!, b[k * n + j]!)) | 0;
      c[i * n + j] = s;
    }
  return c;
}
function identity(n: number): Int32Array {
  const m = new Int32Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}
function power(m: Int32Array, n: number, e: number): Int32Array {
  let result = identity(n);
  let base = m;
  let k = e;
  while (k > 0) {
    if ((k & 1) === 1) result = matmul(result, base, n);
    base = matmul(base, base, n);
    k = k >> 1;
  }
  return result;
}
const fibm = new Int32Array(4);
fibm[0] = 1; fibm[1] = 1; fibm[2] = 1;
for (const e of [1, 2, 10, 30, 46, 47, 100]) console.log(e, power(fibm, 2, e)[1]!);
const m = new Int32Array(9);
for (let i = 0; i < 9; i++) m[i] = i - 4;
const m3 = matmul(matmul(m, m, 3), m, 3);
for (const v of m3) console.log(v);

export {};
