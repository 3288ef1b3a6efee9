// @checked
// Math.min, Math.max with several arities, and Math.abs.
console.log(Math.min(3, 1, 2), Math.max(3, 1, 2));
console.log(Math.min(-5, 5), Math.max(-5, 5));
console.log(Math.min(7), Math.max(7));
console.log(Math.min(1, 2, 3, 4, 5, -6, 7), Math.max(1, 2, 3, 4, 5, -6, 7));
console.log(Math.abs(-9007199254740991), Math.abs(42), Math.abs(-2147483648));
let best = -9007199254740991;
let worst = 9007199254740991;
const data = [12, -40, 99, 3, -7, 0, 55];
for (const d of data) {
  best = Math.max(best, d);
  worst = Math.min(worst, d);
}
console.log(best, worst, Math.abs(worst - best));

export {};
