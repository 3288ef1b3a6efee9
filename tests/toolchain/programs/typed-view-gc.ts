// @heap-max: 16M
// A subarray keeps the elements it views alive after the array it was taken from is dropped,
// through collections caused by megabytes of garbage.
function window(n: number, from: number, to: number): Uint8Array {
  const whole = new Uint8Array(n);
  for (let i = 0; i < n; i++) whole[i] = i & 0xff;
  return whole.subarray(from, to);
}

const views: Uint8Array[] = [];
for (let k = 0; k < 8; k++) views.push(window(4096 + k, k, k + 16));
let junk = 0;
for (let round = 0; round < 400; round++) {
  const garbage = new Uint8Array(65536);
  garbage[round] = 1;
  junk += garbage.length + `${round}`.length;
}
let sum = 0;
for (const v of views) for (const b of v) sum += b;
console.log(views.length, views[3]!.length, views[3]![0]!, views[7]![15]!, sum, junk);
export {};
