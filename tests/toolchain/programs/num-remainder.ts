// @checked
// `%` takes the sign of the dividend.
const as = [7, -7, 13, -13, 2147483647, -2147483648, 9007199254740991, -9007199254740991, 5];
const bs = [1, -1, 2, -2, 3, -3, 5, -5, 1000000007];
for (const a of as) {
  for (const b of bs) {
    // A zero remainder of a negative dividend is -0 in JavaScript; the template prints "0".
    console.log(`${a} % ${b} = ${a % b}`);
  }
}
let m = 100;
m %= 7;
console.log(m);
let n = -100;
n %= 7;
console.log(n);

export {};
