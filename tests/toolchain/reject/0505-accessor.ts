// A property read must be a field read.
export class Box {
  private v = 0;
  get value(): number { // expect: KEEL0505 "get"
    return this.v;
  }
  set value(x: number) { // expect: KEEL0505 "set"
    this.v = x;
  }
}
