// @checked
// ToInt32 on `| 0`: values outside int32 wrap modulo 2^32.
const two31 = 2147483648;
const two32 = 4294967296;
console.log(two31 | 0);
console.log((two32 + 5) | 0);
console.log(-1 | 0);
console.log((-two31 - 1) | 0);
console.log((two32 * 3 + 7) | 0);
console.log((-two32 - 7) | 0);
console.log(2147483647 | 0, (2147483647 + 1) | 0);
console.log((9007199254740991) | 0, (-9007199254740991) | 0);
let acc = 0;
for (let i = 0; i < 40; i++) {
  acc = (acc * 31 + i * 1000003) | 0;
}
console.log(acc);

export {};
