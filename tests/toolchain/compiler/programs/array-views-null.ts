// @expect: panic
// @compiled-only
// @panic-line: marked
// A null array field whose header a method caches: reads in untaken branches do nothing, the
// first real access panics as a null dereference.
class Holder {
  items: Int32Array | null = null;
  count = 0;
  sum(deep: boolean): number {
    let s = 0;
    if (deep) {
      for (let i = 0; i < 3; i++) s += this.items![i]!; // panic here
    }
    return s + this.count;
  }
}
const h = new Holder();
console.log(h.sum(false));
h.count = 2;
console.log(h.sum(false));
console.log(h.sum(true));

export {};
