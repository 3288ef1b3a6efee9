// @checked
// Unary minus, increments, compound assignment operators.
let x = 10;
console.log(x++, x, ++x, x, x--, x, --x, x);
x += 5; console.log(x);
x -= 20; console.log(x);
x *= -3; console.log(x);
x <<= 3; console.log(x);
x >>= 2; console.log(x);
x &= 0xff; console.log(x);
x |= 0x100; console.log(x);
x ^= 0x5a5; console.log(x);
const y = -x;
console.log(y, -y, - -y);
let i = 0;
const arr = [10, 20, 30];
arr[i++] = 11;
arr[i++]! += 5;
console.log(arr[0]!, arr[1]!, arr[2]!, i);
console.log(7 - -3, 7 + -3, -7 * -3);

export {};
