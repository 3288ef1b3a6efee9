// @checked
// A default parameter value may use the parameters before it (and `this`): it is evaluated when
// the call starts, after the arguments, only for the arguments left out.
let evaluations = 0;

function pageCount(bytes: number, pageSize: number = 4096): number {
  return Math.floor((bytes + pageSize - 1) / pageSize);
}

/** Bytes in [start, end); by default a 16-byte window starting at `start`. */
function span(start: number, end: number = start + 16): number {
  return end - start;
}

/** Clamps to [lo, hi]; `hi` defaults to one byte's range above `lo`. */
function clamp(v: number, lo: number = 0, hi: number = lo + 255): number {
  return Math.min(Math.max(v, lo), hi);
}

function traced(tag: number): number {
  evaluations++;
  console.log(`default for ${tag}`);
  return tag;
}

/** The default of `pages` calls a function on `bytes`; `align` logs when it is computed. */
function reserve(bytes: number, pages: number = pageCount(bytes), align: number = traced(pages)): number {
  return pages * 4096 + align;
}

class Region {
  readonly end: number;
  constructor(
    readonly base: number,
    readonly size: number = 0x1000,
    readonly flags: number = size > 0x1000 ? 3 : 1,
  ) {
    this.end = base + size;
  }
  /** A sub-range: `len` defaults to what is left after `offset`. */
  slice(offset: number, len: number = this.size - offset): Region {
    return new Region(this.base + offset, len);
  }
  static around(center: number, radius: number = center >> 4, step: number = radius * 2): Region {
    return new Region(center - radius, step);
  }
}

class Stack extends Region {
  constructor(top: number, size: number = 0x4000) {
    super(top - size, size);
  }
}

function first<T>(xs: T[], fallback: T = xs[0]!): T {
  return xs.length > 1 ? xs[1]! : fallback;
}

function show(r: Region): void {
  console.log(`region ${r.base.toString(16)}..${r.end.toString(16)} size=${r.size} flags=${r.flags}`);
}

console.log(span(100), span(100, 104), span(span(1), span(2, 3)));
console.log(clamp(300), clamp(300, 100), clamp(50, 100), clamp(-5, -10, 0), clamp(600, 400));
console.log(reserve(10000), reserve(10000, 1), reserve(1, 2, 3), evaluations);
show(new Region(0x8000));
show(new Region(0x8000, 0x3000));
show(new Region(0x8000, 0x800, 7));
show(new Region(0x10000, 0x2000).slice(0x400));
show(new Region(0x10000).slice(0x100, 0x10));
show(Region.around(0x900));
show(Region.around(0x900, 0x10));
show(new Stack(0x20000));
show(new Stack(0x20000, 0x2000));
console.log(first([7, 8]), first([9]), first([true]));

// A function with defaults used as a value is called with every argument.
const measure: (a: number, b: number) => number = span;
console.log(measure(5, 50));

export {};
