// @expect: panic
// @compiled-only
// @panic-line: marked
// A string read outside its length is undefined in Node; the compiled program stops there, as
// for arrays (read with `?? d` to get a default instead).
const s = "kernel";
let total = 0;
for (let i = 0; i < s.length; i++) total += s[i]!.charCodeAt(0);
console.log(total);
console.log(s[s.length]!); // panic here
export {};
