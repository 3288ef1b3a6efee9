export const ORIGIN_X = 17;
export enum Axis {
  X,
  Y,
}
export class Vec {
  constructor(readonly x: number, readonly y: number) {}
  plus(o: Vec): Vec {
    return new Vec(this.x + o.x, this.y + o.y);
  }
}
export function dot(a: Vec, b: Vec): number {
  return a.x * b.x + a.y * b.y;
}
console.log("geometry loaded");
