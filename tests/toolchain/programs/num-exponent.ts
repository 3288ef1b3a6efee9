// `**` with non-negative integer exponents.
console.log(2 ** 0, 2 ** 1, 2 ** 10, 2 ** 52, 2 ** 53 - 1);
console.log((-3) ** 3, (-3) ** 4, 10 ** 15);
const p = 3;
console.log(p ** 4, (p + 1) ** 2);

export {};
