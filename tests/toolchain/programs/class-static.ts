// Static fields and methods.
class Ids {
  static next = 1;
  static readonly LIMIT = 5;
  static take(): number {
    const id = Ids.next;
    Ids.next++;
    return id;
  }
  static remaining(): number {
    return Ids.LIMIT - Ids.next + 1;
  }
}
class Item {
  readonly id: number;
  constructor() {
    this.id = Ids.take();
  }
}
console.log(Ids.remaining());
const a = new Item();
const b = new Item();
const c = new Item();
console.log(a.id, b.id, c.id, Ids.next, Ids.remaining());
Ids.next = 100;
console.log(new Item().id, Ids.next);

export {};
