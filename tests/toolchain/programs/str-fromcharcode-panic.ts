// @expect: panic
// @compiled-only
// @compiled-stderr: only ASCII characters
// String.fromCharCode outside ASCII: Node makes the character, the compiled program panics
// (its strings are ASCII bytes, so lengths and codes could not match).
let s = "";
for (let c = 120; c < 131; c++) {
  s += String.fromCharCode(c);
  console.log(s.length);
}
