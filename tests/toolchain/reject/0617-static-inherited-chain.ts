// An inherited static assigned through any subclass, however deep, inside a static method too;
// reading through a subclass and writing through the declaring class are fine.
export class Counter {
  static hits = 0;
  static bump(): number {
    Counter.hits++;
    return Counter.hits;
  }
}
export class Mid extends Counter {}
export class Leaf extends Mid {
  static reset(): void {
    Leaf.hits = 0; // expect: KEEL0617 "Leaf.hits"
  }
  static own = Leaf.hits + Mid.hits;
}
export function touch(): number {
  Mid.hits *= 2; // expect: KEEL0617 "Mid.hits"
  ++Leaf.hits; // expect: KEEL0617 "Leaf.hits"
  Counter.hits += Leaf.hits;
  return Mid.hits + Leaf.bump();
}
