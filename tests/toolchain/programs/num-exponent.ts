// `**` with non-negative integer exponents.
console.log(2 ** 0, 2 ** 1, 2 ** 10, 2 ** 52, 2 ** 53 - 1);
console.log((-3) ** 3, (-3) ** 4, 10 ** 15);
let p = 3;
p **= 4;
console.log(p);

export {};
