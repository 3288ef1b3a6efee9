// @expect: panic
// @compiled-only
// @compiled-stderr: division by zero
// @panic-line: marked
// x % 0 is NaN in Node; the compiled program panics.
const ds = [5, 2, 0, 1];
for (const d of ds) {
  console.log(17 % d); // panic here
}

export {};
