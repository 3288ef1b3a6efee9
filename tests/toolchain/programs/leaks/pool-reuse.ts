// @live-at-exit: 0
// A generic object pool with a free list: objects are recycled, then the pool releases them all.
import { release } from "../../../../lang/core.ts";

class Msg {
  next: Msg | null = null;
  words = new BigUint64Array(4);
  constructor(public tag: number) {}
}
class Pool {
  free: Msg | null = null;
  created = 0;
  take(tag: number): Msg {
    const m = this.free;
    if (m === null) {
      this.created++;
      return new Msg(tag);
    }
    this.free = m.next;
    m.next = null;
    m.tag = tag;
    return m;
  }
  give(m: Msg): void {
    m.next = this.free;
    this.free = m;
  }
  destroy(): number {
    let n = 0;
    while (this.free !== null) {
      const m: Msg = this.free;
      this.free = m.next;
      release(m.words);
      release(m);
      n++;
    }
    return n;
  }
}
const pool = new Pool();
const inFlight = new Array<Msg | null>(8).fill(null);
let acc = 0n;
for (let i = 0; i < 1000; i++) {
  const slot = (i * 5) % 8;
  const old = inFlight[slot]!;
  if (old !== null) {
    acc = BigInt.asUintN(64, acc + old.words[0]!);
    pool.give(old);
  }
  const m = pool.take(i);
  m.words[0] = BigInt(i);
  inFlight[slot] = m;
}
for (let i = 0; i < inFlight.length; i++) {
  const m = inFlight[i]!;
  if (m !== null) pool.give(m);
  inFlight[i] = null;
}
console.log(acc, pool.created, pool.destroy());
release(inFlight);
release(pool);
