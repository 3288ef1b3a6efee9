// A generic bounded ring buffer used at two element types.
class Ring<T> {
  buf: T[];
  head = 0;
  tail = 0;
  count = 0;
  constructor(capacity: number, filler: T) {
    this.buf = new Array<T>(capacity).fill(filler);
  }
  put(v: T): boolean {
    if (this.count === this.buf.length) return false;
    this.buf[this.tail] = v;
    this.tail = (this.tail + 1) % this.buf.length;
    this.count++;
    return true;
  }
  take(fallback: T): T {
    if (this.count === 0) return fallback;
    const v = this.buf[this.head]!;
    this.head = (this.head + 1) % this.buf.length;
    this.count--;
    return v;
  }
}
class Msg {
  constructor(public tag: number, public word: bigint) {}
}
const r = new Ring<number>(4, 0);
for (let i = 1; i <= 6; i++) console.log("put", i, r.put(i * 11));
for (let i = 0; i < 3; i++) console.log("take", r.take(-1));
for (let i = 7; i <= 9; i++) console.log("put", i, r.put(i * 11));
while (r.count > 0) console.log("drain", r.take(-1));
const none = new Msg(0, 0n);
const q = new Ring<Msg>(3, none);
for (let i = 1; i <= 4; i++) q.put(new Msg(i, BigInt.asUintN(64, BigInt(i) << 60n)));
let m = q.take(none);
while (m !== none) {
  console.log(m.tag, m.word);
  m = q.take(none);
}

export {};
