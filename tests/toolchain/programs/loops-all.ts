// for, while, do/while (body runs once even when the condition starts false), for...of.
let s = 0;
for (let i = 0; i < 10; i++) s += i;
console.log(s);
let w = 1;
while (w < 1000) w *= 3;
console.log(w);
let d = 100;
do {
  d++;
} while (d < 50);
console.log(d);
let iters = 0;
for (;;) {
  iters++;
  if (iters >= 7) break;
}
console.log(iters);
const arr = [5, -3, 8, 13];
for (const v of arr) console.log(v * 2);
const ta = new Int16Array(3);
ta[0] = -1; ta[1] = 2; ta[2] = 40000;
for (const v of ta) console.log(v);
let j = 10;
for (let i = 0, k = 10; i < k; i += 3, k--) j += i * k;
console.log(j);
for (let i = 0; i < 3; i++) {
  const i2 = i * 2;
  for (let i = 0; i < 2; i++) console.log(i2, i);
}

export {};
