// switch: grouped empty cases fall through, default in the middle, break and return.
function classify(n: number): number {
  switch (n) {
    case 0:
    case 1:
    case 2:
      return 10;
    case 3:
      return 30;
    default:
      return -1;
    case 4:
    case 5:
      return 45;
  }
}
for (let i = -1; i < 8; i++) console.log(i, classify(i));
function weekday(d: number): void {
  let kind = 0;
  switch (d % 7) {
    case 0:
    case 6:
      kind = 2;
      break;
    case 3:
      kind = 3;
      break;
    default:
      kind = 1;
  }
  console.log(d, kind);
}
for (let d = 0; d < 9; d++) weekday(d);
let hits = 0;
for (let i = 0; i < 20; i++) {
  switch (i & 3) {
    case 1:
      hits += 1;
      break;
    case 2:
      continue;
    case 3:
      hits += 100;
  }
  hits += 1000;
}
console.log(hits);
switch (7) {
}

export {};
