// @live-at-exit: 0
// A linked list grown and emptied many times; every node is released when it is removed.
import { release } from "../../../../lang/core.ts";

class Node {
  next: Node | null = null;
  constructor(public value: number) {}
}
class Stack {
  head: Node | null = null;
  size = 0;
  push(v: number): void {
    const n = new Node(v);
    n.next = this.head;
    this.head = n;
    this.size++;
  }
  pop(): number {
    const n = this.head!;
    this.head = n.next;
    this.size--;
    const v = n.value;
    release(n);
    return v;
  }
}
const s = new Stack();
let total = 0;
for (let round = 0; round < 50; round++) {
  for (let i = 0; i < 200; i++) s.push(i * round);
  while (s.size > 0) total += s.pop();
}
console.log(total, s.size, s.head === null);
release(s);
