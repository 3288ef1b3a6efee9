// Three-level inheritance with super method calls.
class Base {
  value = 1;
  bump(): number {
    this.value += 1;
    return this.value;
  }
  label(): number {
    return 100;
  }
}
class Mid extends Base {
  extra = 10;
  override bump(): number {
    const v = super.bump();
    this.extra += v;
    return v * 10;
  }
}
class Leaf extends Mid {
  override label(): number {
    return super.label() + 5;
  }
  override bump(): number {
    return super.bump() + 1;
  }
}
const objs: Base[] = [new Base(), new Mid(), new Leaf()];
for (let round = 0; round < 2; round++) {
  for (const o of objs) console.log(o.bump(), o.label(), o.value);
}
const leaf = new Leaf();
leaf.bump();
console.log(leaf.extra, leaf.value);

export {};
