// @target: user
// Built-in methods called with argument forms the runtime does not implement.
const xs = [3, 1, 2];
xs.sort(); // expect: KEEL9120 "xs.sort"
xs.push(4, 5); // expect: KEEL9120 "xs.push"
console.log("a,b,c".split(",", 2).length); // expect: KEEL9120 '"a,b,c".split'
