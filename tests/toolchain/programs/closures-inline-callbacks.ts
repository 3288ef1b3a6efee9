// Arrow functions passed to an array's forEach, map, filter, some, every and findIndex may use
// the enclosing function's locals, parameters and `this`, and assign them, as in Node: they run
// in place while the call runs.
class Inventory {
  items: string[] = [];
  prefix = "item";
  constructor(public limit: number) {}
  labelled(): string[] {
    return this.items.map((s, i) => `${this.prefix}${i}:${s}`);
  }
  overLimit(sizes: number[]): number {
    return sizes.findIndex((n) => n > this.limit);
  }
}

function scaled(xs: number[], k: number): number[] {
  const offset = k * 10;
  return xs.map((x) => x * k + offset);
}

function stats(xs: number[]): string {
  let sum = 0;
  let max = -1;
  let odd = 0;
  xs.forEach((x, i) => {
    sum += x;
    if (x > max) max = x;
    if (x % 2 === 1) odd++;
    if (i === xs.length - 1) sum *= 2;
  });
  return `${sum} ${max} ${odd}`;
}

function within(xs: number[], lo: number, hi: number): number[] {
  return xs.filter((x) => x >= lo && x <= hi);
}

function nested(rows: number[][], bias: number): number[] {
  let seen = 0;
  return rows.map((row) => {
    return row.filter((x) => x + bias > seen++).length;
  });
}

let moduleTotal = 0;
const words = ["alpha", "beta", "gamma", "delta"];
for (const min of [4, 5]) {
  // A variable of a module-level loop, captured by an arrow that runs in place.
  const long = words.filter((w) => w.length > min);
  long.forEach((w) => (moduleTotal += w.length * min));
  console.log(min, long.join(","), words.some((w) => w.length === min), words.every((w) => w.length >= min - 1));
}
const inv = new Inventory(3);
inv.items.push("bolt");
inv.items.push("nut");
inv.items.push("gear");
console.log(inv.labelled().join(" "), inv.overLimit([1, 2, 5, 9]), inv.overLimit([]));
console.log(scaled([1, 2, 3], 3).join(","), stats([3, 8, 5, 1]), within([9, 2, 5, 7, 4], 3, 7).join(","));
console.log(nested([[1, 2, 3], [4, 5], []], 1).join(","), moduleTotal);
let calls = 0;
const squares = [1, 2, 3].map((x) => {
  calls++;
  return x * x + calls;
});
console.log(squares.join(","), calls);
export {};
