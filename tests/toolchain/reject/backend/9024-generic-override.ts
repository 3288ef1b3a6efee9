// A generic method overridden in a subclass.
class Codec {
  size<T>(x: T): number { // expect: KEEL9024 "size<T>"
    return x === null ? 0 : 1;
  }
}
class Wide extends Codec {
  override size<T>(x: T): number { // expect: KEEL9024 "override size"
    return x === null ? 0 : 8;
  }
}
const c: Codec = new Wide();
console.log(c.size(1));
