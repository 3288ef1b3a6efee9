// @checked
// `>>> 0` turns any number into its uint32 bit pattern.
console.log(-1 >>> 0);
console.log(-2147483648 >>> 0);
console.log(-5 >>> 0, 5 >>> 0);
console.log(4294967296 >>> 0, 4294967297 >>> 0, -4294967297 >>> 0);
console.log((0xdeadbeef | 0) >>> 0);
let x = -100;
x >>>= 0;
console.log(x);
let y = -100;
y >>>= 28;
console.log(y);
console.log((-1 >>> 0) + 1);

export {};
