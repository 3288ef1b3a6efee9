// @expect: panic
// @compiled-only
// @compiled-stderr: division by zero
// @panic-line: marked
// Math.floor(x / 0) is not an integer (Infinity in Node), so the compiled program panics.
let d = 3;
for (let i = 0; i < 5; i++) {
  console.log("divisor", d);
  console.log(Math.floor(100 / d)); // panic here
  d--;
}

export {};
