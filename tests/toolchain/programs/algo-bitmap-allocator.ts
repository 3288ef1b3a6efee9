// A bitmap frame allocator over a Uint32Array: first-fit runs, frees and fragmentation.
class Bitmap {
  words: Uint32Array;
  constructor(public frames: number) {
    this.words = new Uint32Array(Math.floor((frames + 31) / 32));
  }
  isUsed(i: number): boolean {
    return ((this.words[i >>> 5]! >>> (i & 31)) & 1) === 1;
  }
  set(i: number, used: boolean): void {
    const w = i >>> 5;
    const bit = 1 << (i & 31);
    if (used) this.words[w] = this.words[w]! | bit;
    else this.words[w] = this.words[w]! & ~bit;
  }
  alloc(count: number): number {
    let run = 0;
    for (let i = 0; i < this.frames; i++) {
      if (this.isUsed(i)) run = 0;
      else {
        run++;
        if (run === count) {
          const start = i - count + 1;
          for (let j = start; j <= i; j++) this.set(j, true);
          return start;
        }
      }
    }
    return -1;
  }
  free(start: number, count: number): void {
    for (let j = start; j < start + count; j++) this.set(j, false);
  }
  used(): number {
    let n = 0;
    for (const w of this.words) {
      let v = w;
      while (v !== 0) {
        v = (v & (v - 1)) >>> 0;
        n++;
      }
    }
    return n;
  }
}
const bm = new Bitmap(100);
const a = bm.alloc(10);
const b = bm.alloc(33);
const c = bm.alloc(5);
console.log(a, b, c, bm.used());
bm.free(b, 33);
console.log(bm.used(), bm.alloc(40), bm.alloc(20), bm.alloc(30), bm.alloc(12));
console.log(bm.used());
for (const w of bm.words) console.log(w.toString(16).padStart(8, "0"));

export {};
