// An LRU cache: a doubly linked list of entries plus an open-addressing index.
class Entry {
  prev: Entry | null = null;
  next: Entry | null = null;
  constructor(public key: number, public value: number) {}
}
class Lru {
  head: Entry | null = null;
  tail: Entry | null = null;
  index: Array<Entry | null>;
  size = 0;
  hits = 0;
  misses = 0;
  constructor(public capacity: number) {
    this.index = new Array<Entry | null>(capacity * 4).fill(null);
  }
  slotOf(key: number): number {
    let i = (Math.imul(key, 0x9e3779b1) >>> 0) % this.index.length;
    for (;;) {
      const e = this.index[i]!;
      if (e === null || e.key === key) return i;
      i = (i + 1) % this.index.length;
    }
  }
  unlink(e: Entry): void {
    if (e.prev !== null) e.prev.next = e.next;
    else this.head = e.next;
    if (e.next !== null) e.next.prev = e.prev;
    else this.tail = e.prev;
    e.prev = null;
    e.next = null;
  }
  pushFront(e: Entry): void {
    e.next = this.head;
    if (this.head !== null) this.head.prev = e;
    this.head = e;
    if (this.tail === null) this.tail = e;
  }
  removeKey(key: number): void {
    // Backward-shift deletion keeps probe chains intact.
    const i = this.slotOf(key);
    this.index[i] = null;
    let j = (i + 1) % this.index.length;
    while (this.index[j]! !== null) {
      const e = this.index[j]!;
      this.index[j] = null;
      this.index[this.slotOf(e!.key)] = e;
      j = (j + 1) % this.index.length;
    }
  }
  get(key: number): number {
    const e = this.index[this.slotOf(key)]!;
    if (e === null) {
      this.misses++;
      return -1;
    }
    this.hits++;
    this.unlink(e);
    this.pushFront(e);
    return e.value;
  }
  put(key: number, value: number): void {
    const s = this.slotOf(key);
    const found = this.index[s]!;
    if (found !== null) {
      found.value = value;
      this.unlink(found);
      this.pushFront(found);
      return;
    }
    if (this.size === this.capacity) {
      const victim = this.tail!;
      this.unlink(victim);
      this.removeKey(victim.key);
      this.size--;
    }
    const e = new Entry(key, value);
    this.index[this.slotOf(key)] = e;
    this.pushFront(e);
    this.size++;
  }
}
const c = new Lru(8);
let x = 7;
let sum = 0;
for (let i = 0; i < 2000; i++) {
  x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
  const key = x % 20;
  const v = c.get(key);
  if (v < 0) c.put(key, key * 100 + i % 7);
  else sum += v;
}
console.log(c.hits, c.misses, c.size, sum);
let e = c.head;
while (e !== null) {
  console.log(e.key, e.value);
  e = e.next;
}

export {};
