// Programs whose C could draw gcc warnings (all errors under -Werror): values that are never
// read, `??` on values that cannot be null, comparisons of literals and of narrow elements, empty
// statements and switches, unused locals, labels and functions, dead branches.
class Cell {
  v: Cell | null = null;
  n = 2;
  s: string | null = null;
}
function unusedHelper(): number {
  return 1;
}
const lit = "abc";
const five: number = 5;
const num = five ?? 6;
const str = lit ?? "never";
const nothing: string | null = null;
const picked = nothing ?? "fallback";
const cell = new Cell();
void (cell.s ?? "x");
void unusedHelper;
const unusedLocal = 3;
let count = 0;
for (const x of [1, 2, 3]) {
  const ignored = x * 2;
  count++;
}
for (const ch of "xyz") count++;
switch (count) {
}
switch (lit) {
}
switch (lit) {
  default:
}
;;
if (count) {
} else {
}
const bytes = new Uint8Array(2);
const inRange = bytes[0]! >= 0 && bytes[1]! <= 255;
const sameLiteral = "a" === "a";
const sameString = lit === "abc";
const notEqual = lit !== lit;
const neverNull = (cell.v ?? cell).n + (cell.n ?? 4);
unused: for (let i = 0; i < 1; i++) {}
let self = 1;
self = self;
const word = "hi"[0] ?? "?";
const deadBranch = true ? 1 : unusedHelper();
console.log(num, str, picked, count, inRange, sameLiteral, sameString, notEqual, neverNull, self, word, deadBranch);
export {};
