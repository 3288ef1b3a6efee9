// Defaults that refer to earlier parameters, in functions, constructors and arrow functions,
// evaluated left to right only for the arguments left out.
let order = "";
function note(tag: string, v: number): number {
  order += tag;
  return v;
}
function span(start: number, end = start + 10, step = Math.max(1, Math.floor((end - start) / 4))): string {
  return `${start}..${end} by ${step}`;
}
function label(name: string, upper = name.length > 3, tag = upper ? `[${name}]` : name): string {
  return tag;
}
function traced(a = note("a", 1), b = note("b", a + 1), c = note("c", a + b)): number {
  return a * 100 + b * 10 + c;
}
class Range {
  readonly size: number;
  constructor(public lo: number, public hi = lo * 2, size = hi - lo) {
    this.size = size;
  }
}
function clampTo(x: number, lo = 0, hi = lo + 9): number {
  return Math.min(Math.max(x, lo), hi);
}

console.log(span(3), span(3, 23), span(0, 2), span(5, 25, 1));
console.log(label("ab"), label("abcd"), label("abcd", false), label("x", true, "given"));
console.log(traced(), order);
order = "";
console.log(traced(5), order);
order = "";
console.log(traced(2, 3), traced(1, 1, 1), order);
const r = new Range(4);
const q = new Range(4, 5);
console.log(r.lo, r.hi, r.size, q.hi, q.size, new Range(1, 9, 0).size);
console.log(clampTo(50), clampTo(-5), clampTo(50, 20), clampTo(50, 20, 30));
export {};
