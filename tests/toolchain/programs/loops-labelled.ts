// Labelled break and continue across nested loops.
let found = -1;
outer: for (let i = 0; i < 10; i++) {
  for (let j = 0; j < 10; j++) {
    if (i * j === 42) {
      found = i * 100 + j;
      break outer;
    }
  }
}
console.log(found);
let count = 0;
rows: for (let i = 0; i < 6; i++) {
  for (let j = 0; j < 6; j++) {
    if (j > i) continue rows;
    if ((i + j) % 4 === 3) continue;
    count += i * j + 1;
  }
}
console.log(count);
let n = 0;
top: while (true) {
  n++;
  let k = 0;
  do {
    k++;
    if (k === 3) continue top;
    if (n === 4) break top;
  } while (k < 10);
}
console.log(n);

export {};
