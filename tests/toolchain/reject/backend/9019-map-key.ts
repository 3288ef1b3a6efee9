// @target: user
// A Map keyed by functions.
const handlers = new Map<(x: number) => number, number>(); // expect: KEEL9019 "handlers"
console.log(1);
