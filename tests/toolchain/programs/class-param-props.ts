// Parameter properties (readonly and public) and default parameters.
class Point {
  constructor(readonly x: number, readonly y: number) {}
  add(o: Point): Point {
    return new Point(this.x + o.x, this.y + o.y);
  }
  scaled(k: number = 2): Point {
    return new Point(this.x * k, this.y * k);
  }
  manhattan(): number {
    return Math.abs(this.x) + Math.abs(this.y);
  }
}
class Rect {
  constructor(public origin: Point, public width: number = 10, public height: number = 5) {}
  area(): number {
    return this.width * this.height;
  }
}
const p = new Point(3, -4);
const q = p.add(new Point(10, 10));
console.log(p.x, p.y, q.x, q.y, p.manhattan(), q.manhattan());
const s = p.scaled();
const t = p.scaled(-3);
console.log(s.x, s.y, t.x, t.y);
const r1 = new Rect(p);
const r2 = new Rect(q, 7);
const r3 = new Rect(q, 7, 9);
console.log(r1.area(), r2.area(), r3.area(), r3.origin.x);
r1.width = 100;
console.log(r1.area());

export {};
