// @expect: panic
// @compiled-only
// @panic-line: marked
// Negative index into a typed array.
const bytes = new Uint8Array(8).fill(1);
for (let k = 2; k > -3; k--) {
  bytes[k] = 9; // panic here
  console.log("stored", k);
}

export {};
