// @checked
// Open addressing with linear probing over typed arrays, with tombstones and rehash-free deletes.
const EMPTY = 0;
const FULL = 1;
const DELETED = 2;
class Table {
  keys: Int32Array;
  vals: Int32Array;
  state: Uint8Array;
  count = 0;
  probes = 0;
  constructor(public cap: number) {
    this.keys = new Int32Array(cap);
    this.vals = new Int32Array(cap);
    this.state = new Uint8Array(cap);
  }
  slot(key: number): number {
    return (Math.imul(key, 0x9e3779b1) >>> 0) % this.cap;
  }
  put(key: number, val: number): boolean {
    let i = this.slot(key);
    let firstFree = -1;
    for (let n = 0; n < this.cap; n++) {
      this.probes++;
      const s = this.state[i]!;
      if (s === FULL && this.keys[i]! === key) {
        this.vals[i] = val;
        return true;
      }
      if (s !== FULL && firstFree < 0) firstFree = i;
      if (s === EMPTY) break;
      i = (i + 1) % this.cap;
    }
    if (firstFree < 0) return false;
    this.keys[firstFree] = key;
    this.vals[firstFree] = val;
    this.state[firstFree] = FULL;
    this.count++;
    return true;
  }
  find(key: number): number {
    let i = this.slot(key);
    for (let n = 0; n < this.cap; n++) {
      const s = this.state[i]!;
      if (s === EMPTY) return -1;
      if (s === FULL && this.keys[i]! === key) return i;
      i = (i + 1) % this.cap;
    }
    return -1;
  }
  get(key: number, fallback: number): number {
    const i = this.find(key);
    return i < 0 ? fallback : this.vals[i]!;
  }
  remove(key: number): boolean {
    const i = this.find(key);
    if (i < 0) return false;
    this.state[i] = DELETED;
    this.count--;
    return true;
  }
}
const t = new Table(64);
for (let k = 0; k < 40; k++) t.put(k * 7 - 50, k * k);
console.log(t.count, t.get(-50, -1), t.get(223, -1), t.get(5, -1));
for (let k = 0; k < 40; k += 3) t.remove(k * 7 - 50);
console.log(t.count, t.get(-50, -1), t.get(-43, -1));
for (let k = 100; k < 120; k++) t.put(k, -k);
console.log(t.count, t.get(110, 0), t.get(-36, 0));
let total = 0;
for (let i = 0; i < t.cap; i++) if (t.state[i]! === FULL) total += t.vals[i]!;
console.log(total, t.probes);
console.log(t.put(1000, 1), t.put(1001, 1), t.count);

export {};
