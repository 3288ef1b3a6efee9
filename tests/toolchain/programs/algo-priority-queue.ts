// A binary min-heap of tasks keyed by (priority, sequence), driving a scheduler simulation.
class Task {
  constructor(public id: number, public priority: number, public seq: number, public remaining: number) {}
}
class Heap {
  items: Array<Task | null>;
  size = 0;
  constructor(capacity: number) {
    this.items = new Array<Task | null>(capacity).fill(null);
  }
  less(a: Task, b: Task): boolean {
    return a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq);
  }
  push(t: Task): void {
    let i = this.size++;
    this.items[i] = t;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pi = this.items[p]!;
      if (!this.less(t, pi)) break;
      this.items[i] = pi;
      this.items[p] = t;
      i = p;
    }
  }
  pop(): Task | null {
    if (this.size === 0) return null;
    const top = this.items[0]!;
    this.size--;
    const last = this.items[this.size]!;
    this.items[this.size] = null;
    if (this.size > 0) {
      this.items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.size && this.less(this.items[l]!, this.items[m]!)) m = l;
        if (r < this.size && this.less(this.items[r]!, this.items[m]!)) m = r;
        if (m === i) break;
        const t = this.items[i]!;
        this.items[i] = this.items[m]!;
        this.items[m] = t;
        i = m;
      }
    }
    return top;
  }
}
const heap = new Heap(64);
let seq = 0;
for (let i = 0; i < 12; i++) heap.push(new Task(i, (i * 7) % 4, seq++, 1 + (i % 3)));
let tick = 0;
let t = heap.pop();
while (t !== null) {
  console.log(`t=${tick} run ${t.id} prio ${t.priority} left ${t.remaining}`);
  t.remaining--;
  tick++;
  if (t.remaining > 0) {
    t.seq = seq++;
    heap.push(t);
  }
  t = heap.pop();
}
console.log("done", tick, heap.size);

export {};
