// Array headers cached in locals must still see every change of the binding they came from:
// fields reassigned by methods, by callees and by another object's constructor; null fields
// that are never indexed; parameters, const locals and loops over `.length`.
class Grid {
  cells: Int32Array;
  other: Int32Array;
  spare: Uint8Array | null = null;
  constructor(n: number) {
    this.cells = new Int32Array(n);
    this.other = new Int32Array(n);
  }
  regrow(n: number): void {
    this.cells = new Int32Array(n);
  }
  /** Reads `cells` before and after a callee swaps it for a longer array. */
  sumAround(n: number): number {
    let s = this.cells.length;
    for (let i = 0; i < this.cells.length; i++) s += this.cells[i]!;
    this.regrow(n);
    for (let i = 0; i < this.cells.length; i++) this.cells[i] = i;
    for (let i = 0; i < this.cells.length; i++) s += this.cells[i]!;
    return s + this.cells.length;
  }
  /** `other` is only assigned in the constructor; `spare` stays null unless `use` is set. */
  fill(v: number, use: boolean): number {
    for (let i = 0; i < this.other.length; i++) this.other[i] = v + i;
    let t = 0;
    for (let i = 0; i < this.other.length; i++) t += this.other[i]!;
    if (use) t += this.spare![0]! + this.spare![1]! + this.spare!.length;
    return t;
  }
}

class Link {
  next: Link | null = null;
  data: Int32Array;
  constructor(prev: Link | null, n: number) {
    this.data = new Int32Array(n).fill(n);
    if (prev !== null) {
      prev.next = this;
      prev.data = this.data;
    }
  }
  /** A constructor running in a callee replaces this object's `data`. */
  grow(): number {
    let s = 0;
    for (let i = 0; i < this.data.length; i++) s += this.data[i]!;
    const l = new Link(this, this.data.length + 3);
    for (let i = 0; i < this.data.length; i++) s += this.data[i]!;
    return s + l.data.length + this.data.length;
  }
}

function dot(a: Int32Array, b: Int32Array): number {
  let s = 0;
  for (let i = 0; i < a.length && i < b.length; i++) s += a[i]! * b[i]!;
  return s;
}

function rotate(a: number[], k: number): number[] {
  // `a` is reassigned: every read must see the current array.
  for (let r = 0; r < k; r++) {
    const b = new Array<number>(a.length).fill(0);
    for (let i = 0; i < a.length; i++) b[(i + 1) % a.length] = a[i]!;
    a = b;
  }
  return a;
}

const g = new Grid(4);
console.log(g.sumAround(6), g.cells.length);
console.log(g.fill(3, false));
g.spare = new Uint8Array(2).fill(7);
console.log(g.fill(1, true));
const first = new Link(null, 2);
console.log(first.grow(), first.next!.data.length);
const xs = new Int32Array(5);
for (let i = 0; i < xs.length; i++) xs[i] = i + 1;
const ys = new Int32Array(3).fill(2);
console.log(dot(xs, ys), dot(ys, xs), dot(xs, xs));
const r = rotate([1, 2, 3, 4, 5], 2);
console.log(r[0]!, r[1]!, r[4]!, r.length);

export {};
