// @checked
// The target of an assignment is evaluated before the value, as in JavaScript: in `a[i] = f()`,
// `a[i] += f()` and `o.f = g()` the array, index and object are fixed before the call, even when
// the call moves the cursor, swaps the buffer or replaces the object.
class Cursor {
  pos = 0;
  trace = 0;
  out = new Array<number>(12).fill(0);
  bytes = new Uint8Array(12);
  /** Emits the next value and advances the cursor, as a code generator would. */
  advance(v: number): number {
    console.log(`advance pos=${this.pos} v=${v}`);
    this.pos++;
    this.trace = this.trace * 31 + v;
    return v;
  }
  fill(): void {
    this.out[this.pos] = this.advance(10);
    this.out[this.pos] = this.advance(20) + this.advance(30);
    this.bytes[this.pos] = this.advance(300); // truncated to 44
    this.bytes[this.pos]! += this.advance(7);
    this.out[this.pos]! |= this.advance(5);
    this.out[this.pos - 1]! <<= this.advance(2);
  }
  /** Replaces the buffer while a store into it is pending: the store goes to the old one. */
  regrow(): number {
    const old = this.out;
    this.out = new Array<number>(12).fill(-1);
    return old[0]! + 1;
  }
}

let cursor = 3;
const table = [0, 0, 0, 0, 0, 0, 0, 0];
const counts = new Int16Array(8);
function next(v: number): number {
  console.log(`next cursor=${cursor} v=${v}`);
  cursor = (cursor + 1) & 7;
  return v;
}
function slot(): number {
  console.log(`slot cursor=${cursor}`);
  return cursor;
}

class Account {
  balance = 0;
  constructor(readonly id: number) {}
}
const accounts = [new Account(1), new Account(2)];
let current = accounts[0]!;
/** Charges a fee and switches to the other account. */
function charge(fee: number): number {
  console.log(`charge ${fee} from ${current.id}`);
  current = current === accounts[0] ? accounts[1]! : accounts[0]!;
  return fee;
}

class Stats {
  static total = 100;
  static hist = new Int16Array(4);
  static at = 0;
  static record(n: number): number {
    Stats.total += 1000;
    Stats.at = (Stats.at + 1) & 3;
    return n;
  }
}

function dump(label: string, xs: number[]): void {
  for (let i = 0; i < xs.length; i++) if (xs[i] !== 0) console.log(`${label}[${i}] = ${xs[i]!}`);
}
function dumpTyped(label: string, xs: Int16Array): void {
  for (let i = 0; i < xs.length; i++) if (xs[i] !== 0) console.log(`${label}[${i}] = ${xs[i]!}`);
}

function main(): void {
  const c = new Cursor();
  c.fill();
  dump("out", c.out);
  console.log(c.bytes[3]!, c.bytes[4]!, c.pos, c.trace);
  const before = c.out;
  c.out[0] = c.regrow();
  console.log(before[0]!, c.out[0]!);

  table[cursor] = next(1);
  table[cursor]! += next(2);
  table[slot()] = next(3);
  table[slot()]! -= next(4);
  dump("table", table);
  console.log(cursor);
  counts[slot()]!++;
  counts[cursor]! ^= next(9);
  dumpTyped("counts", counts);

  current.balance = charge(5);
  current.balance += charge(7);
  current.balance -= charge(11);
  console.log(accounts[0]!.balance, accounts[1]!.balance, current.id);

  Stats.total += Stats.record(1);
  Stats.total = Stats.total + Stats.record(2);
  Stats.hist[Stats.at] = Stats.record(3);
  Stats.hist[Stats.at]! += Stats.record(40);
  console.log(Stats.total, Stats.at);
  dumpTyped("hist", Stats.hist);
}
main();

export {};
