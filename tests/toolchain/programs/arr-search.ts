// indexOf, lastIndexOf and includes on arrays, with and without a start index (negative counts
// from the end, out-of-range starts clamp as JavaScript clamps them).
export {};

const xs = [5, 3, 5, 7, 3, 5];
const starts = [-100, -7, -6, -3, -1, 0, 1, 2, 5, 6, 7, 100];
for (const s of starts) {
  console.log(s, xs.indexOf(5, s), xs.indexOf(3, s), xs.lastIndexOf(5, s), xs.lastIndexOf(3, s), xs.includes(7, s), xs.includes(5, s));
}
console.log(xs.indexOf(9), xs.lastIndexOf(5), xs.lastIndexOf(9), xs.includes(3), xs.lastIndexOf(3));
const empty: number[] = [];
console.log(empty.indexOf(1), empty.lastIndexOf(1), empty.lastIndexOf(1, -1), empty.includes(1, 0));
const words = ["a", "b", "a", "c"];
console.log(words.lastIndexOf("a"), words.indexOf("a", 1), words.lastIndexOf("c", 2), words.includes("b", -2));
class Node2 {
  id = 0;
}
const n1 = new Node2();
const n2 = new Node2();
const nodes = [n1, n2, n1];
console.log(nodes.lastIndexOf(n1), nodes.indexOf(n2, 2), nodes.lastIndexOf(n2, -3));
let calls = 0;
function at(k: number): number {
  calls++;
  return k;
}
console.log(xs.lastIndexOf(at(5), at(-2)), calls);
