// A static method of a generic class: calling it compiles the class without a type argument.
class Box<T> {
  v: T; // expect: KEEL9010 "v: T"
  constructor(v: T) {
    this.v = v;
  }
  static make(): number {
    return 1;
  }
}
console.log(Box.make());
