// @expect: panic
// @stderr: queue overflow at 3 of 3
// Output before the throw must be flushed and identical; the message goes to stderr.
class Queue {
  items = new Array<number>(3).fill(0);
  size = 0;
  put(v: number): void {
    if (this.size === this.items.length) throw new Error(`queue overflow at ${this.size} of ${this.items.length}`);
    this.items[this.size] = v;
    this.size++;
  }
}
const q = new Queue();
for (let i = 0; i < 5; i++) {
  console.log("put", i);
  q.put(i);
}
console.log("unreachable");

export {};
