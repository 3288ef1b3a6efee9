// @expect: panic
// @stderr: offset is out of bounds
// set() past the end is a RangeError in Node and a panic with the same message when compiled.
const dst = new Uint8Array(4);
dst.set([1, 2], 2);
console.log(dst[2]!, dst[3]!);
dst.set([1, 2], 3);
console.log("not reached");
export {};
