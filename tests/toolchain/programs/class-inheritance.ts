// Single inheritance: super constructor calls, inherited fields and methods, overriding.
class Shape {
  constructor(public name: string, public sides: number) {}
  area(): number {
    return 0;
  }
  describe(): void {
    console.log(this.name, this.sides, this.area());
  }
}
class Square extends Shape {
  constructor(public side: number) {
    super("square", 4);
  }
  override area(): number {
    return this.side * this.side;
  }
}
class Tri extends Shape {
  constructor(public base: number, public height: number) {
    super("triangle", 3);
  }
  override area(): number {
    return Math.floor((this.base * this.height) / 2);
  }
}
const shapes = [new Square(5), new Tri(7, 3), new Shape("blob", 0)];
let total = 0;
for (const s of shapes) {
  s.describe();
  total += s.area();
}
console.log(total);
const sq = new Square(9);
const asShape: Shape = sq;
console.log(asShape.area(), sq.sides);

export {};
