// @expect: panic
// @compiled-stderr: null
// @panic-line: marked
// A store through a null reference fails only after the value is computed: Node evaluates the
// right-hand side (and prints its trace) before the TypeError, so the compiled program panics at
// the same point, after the same output.
class Page {
  owner = 0;
  refs = 0;
  constructor(readonly frame: number) {}
}
class Table {
  pages = new Array<Page | null>(4).fill(null);
  allocated = 0;
  map(i: number, frame: number): Page {
    const p = new Page(frame);
    this.pages[i] = p;
    return p;
  }
  lookup(i: number): Page | null {
    console.log(`lookup ${i}`);
    return this.pages[i]!;
  }
  /** Takes a fresh owner id, logging it so the order of effects is visible. */
  nextOwner(): number {
    this.allocated++;
    console.log(`owner ${this.allocated}`);
    return 100 + this.allocated;
  }
}

const t = new Table();
t.map(0, 0x1000);
t.map(2, 0x3000);
for (let i = 0; i < 2; i++) {
  t.lookup(i * 2)!.refs += 1;
  console.log(`refs of page ${i * 2}: ${t.pages[i * 2]!.refs}`);
}
for (let i = 0; i < 4; i++) {
  t.lookup(i)!.owner = t.nextOwner(); // panic here
  console.log(`page ${i} owned by ${t.pages[i]!.owner}`);
}

export {};
