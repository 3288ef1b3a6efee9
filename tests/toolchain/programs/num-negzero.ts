// Results that are -0 in JavaScript (0 * -5, Math.trunc(-1/2), -0 % 5) print as 0 in templates;
// console.log(-0) would print "-0" in Node, so the program prints through templates only.
const z1 = 0 * -5;
const z2 = Math.trunc(-1 / 2);
const z3 = -4 % 2;
const zero = 0;
const z4 = -zero;
console.log(`${z1} ${z2} ${z3} ${z4}`);
console.log(z1 === 0, z2 === 0, z3 === 0, z4 === 0);
console.log(z1 + 1, z2 - 1, z3 | 0, z4 >>> 0);
console.log(z1 < 0, z2 > -1);

export {};
