// Benchmark: a priority-queue scheduler simulation. A binary min-heap of runnable threads keyed
// by (virtual deadline, id); each step runs the earliest thread for a quantum that depends on its
// weight and puts it back. Prints a checksum so every implementation can be compared.
const THREADS = 1024;
const STEPS = 6000000;

class RunQueue {
  key: Int32Array;
  id: Int32Array;
  size = 0;
  constructor(capacity: number) {
    this.key = new Int32Array(capacity);
    this.id = new Int32Array(capacity);
  }
  less(a: number, b: number): boolean {
    const ka = this.key[a]!;
    const kb = this.key[b]!;
    return ka < kb || (ka === kb && this.id[a]! < this.id[b]!);
  }
  swap(a: number, b: number): void {
    const k = this.key[a]!;
    this.key[a] = this.key[b]!;
    this.key[b] = k;
    const i = this.id[a]!;
    this.id[a] = this.id[b]!;
    this.id[b] = i;
  }
  push(key: number, id: number): void {
    let i = this.size++;
    this.key[i] = key;
    this.id[i] = id;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }
  /** Removes the minimum; its key and id are left in slot `size` (just past the heap). */
  pop(): void {
    this.size--;
    this.swap(0, this.size);
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.size && this.less(l, m)) m = l;
      if (r < this.size && this.less(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }
}

const weight = new Int32Array(THREADS);
for (let i = 0; i < THREADS; i++) weight[i] = 1 + ((Math.imul(i, 2654435761) >>> 0) % 16);
const rq = new RunQueue(THREADS);
for (let i = 0; i < THREADS; i++) rq.push(0, i);
let sum = 0;
for (let s = 0; s < STEPS; s++) {
  rq.pop();
  const key = rq.key[rq.size]!;
  const id = rq.id[rq.size]!;
  sum = (Math.imul(sum, 31) + id) | 0;
  // Deadlines grow by a quantum inversely proportional to the weight; wrap keeps them int32.
  rq.push((key + Math.floor(1600 / weight[id]!)) | 0, id);
}
console.log(sum, rq.key[0]!, rq.id[0]!);

export {};
