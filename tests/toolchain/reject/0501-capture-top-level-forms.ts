// Module-level loops and blocks of every kind give their variables one binding per iteration or
// per block, which a function pointer cannot carry: each capture is reported where it is written.
export const table = new Array<(n: number) => number>(6).fill((n: number): number => n);
let slot = 0;
for (const ch of "ab") {
  table[slot++] = (n: number): number => n + ch.length; // expect: KEEL0501 "ch.length"
}
let k = 0;
while (k < 2) {
  const step = k * 3;
  table[slot++] = (n: number): number => n * step; // expect: KEEL0501 "step;"
  k++;
}
switch (slot) {
  case 4: {
    const bias = 7;
    table[slot] = (n: number): number => n - bias; // expect: KEEL0501 "bias;"
    break;
  }
  default:
}
if (slot > 0) {
  const shift = 2;
  table[5] = (n: number): number => n << shift; // expect: KEEL0501 "shift;"
}
outer: for (let i = 0; i < 2; i++) {
  for (let j = 0; j < 2; j++) {
    if (j > i) continue outer;
    table[i] = (n: number): number => n + i + j; // expect: KEEL0501 "i + j" KEEL0501 "j;"
  }
}
table[0] = (n: number): number => n + slot + k; // top-level variables are C globals: fine
