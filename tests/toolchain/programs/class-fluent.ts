// Methods returning `this` for chaining, objects passed and returned, and aliasing.
class Builder {
  flags = 0;
  size = 0;
  name = "none";
  with(flag: number): Builder {
    this.flags |= flag;
    return this;
  }
  sized(n: number): Builder {
    this.size = n;
    return this;
  }
  named(n: string): Builder {
    this.name = n;
    return this;
  }
}
function clone(b: Builder): Builder {
  return new Builder().with(b.flags).sized(b.size).named(b.name);
}
const b = new Builder().with(1).with(4).sized(4096).named("stack");
const c = clone(b);
const alias = b;
alias.sized(8192);
console.log(b.flags, b.size, b.name, c.flags, c.size, c.name, alias === b, c === b);

export {};
