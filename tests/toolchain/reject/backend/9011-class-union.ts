// A conditional between two classes, used where no declaration names their common base.
class A {
  v = 1;
}
class B extends A {
  override v = 2;
}
class C extends A {
  override v = 3;
}
const flag = Number(true) === 1;
console.log((flag ? new C() : new B()).v); // expect: KEEL9011 "(flag ? new C()"
