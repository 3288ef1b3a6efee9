// Fields with initialisers, constructors, methods and `this`.
class Counter {
  count = 0;
  step: number;
  constructor(step: number) {
    this.step = step;
  }
  tick(): number {
    this.count += this.step;
    return this.count;
  }
  reset(): void {
    this.count = 0;
  }
}
const a = new Counter(3);
const b = new Counter(-2);
for (let i = 0; i < 4; i++) console.log(a.tick(), b.tick());
a.reset();
console.log(a.count, b.count, a.step);
b.step = 100;
console.log(b.tick());

export {};
