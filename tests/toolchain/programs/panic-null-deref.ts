// @expect: panic
// @compiled-stderr: null
// Dereferencing null through `!`: Node throws a TypeError, the compiled program panics.
class Node {
  next: Node | null = null;
  constructor(public v: number) {}
}
const a = new Node(1);
a.next = new Node(2);
let cur: Node | null = a;
for (let i = 0; i < 4; i++) {
  console.log(cur!.v);
  cur = cur!.next;
}

export {};
