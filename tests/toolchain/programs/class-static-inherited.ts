// Statics read through subclasses see the declaring class's field; a subclass that redeclares a
// static has its own; static methods are inherited and called through subclasses.
class Base {
  static count = 0;
  static limit = 5;
  static make(): number {
    Base.count++;
    return Base.count;
  }
}
class Child extends Base {
  static override limit = 50;
}
class Grandchild extends Child {
  static extra = Grandchild.limit + Grandchild.count;
}
console.log(Base.count, Child.count, Grandchild.count, Grandchild.extra);
Base.count = 7;
console.log(Child.count, Grandchild.count);
console.log(Child.make(), Grandchild.make(), Base.count, Grandchild.count);
Child.limit += 1;
console.log(Base.limit, Child.limit, Grandchild.limit);
Base.limit--;
console.log(Base.limit, Child.limit, Grandchild.limit);
export {};
