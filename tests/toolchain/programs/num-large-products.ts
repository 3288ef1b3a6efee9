// @checked
// Products and sums that stay just inside the safe range (±(2^53-1)) are exact on both sides.
const a = 94906265;
console.log(a * a);
console.log(9007199254740991 - 1, -9007199254740991 + 1);
console.log(4503599627370495 * 2 + 1);
let f = 1;
for (let i = 1; i <= 18; i++) {
  f = f * i;
  console.log(i, f);
}
console.log(Math.floor(9007199254740991 / 3), 9007199254740991 % 1000);

export {};
