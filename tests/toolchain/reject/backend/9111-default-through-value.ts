// A function with a default parameter called through a function value without that argument.
const scale = (x: number, by: number = 2): number => x * by;
console.log(scale(3)); // expect: KEEL9111 "scale(3)"
