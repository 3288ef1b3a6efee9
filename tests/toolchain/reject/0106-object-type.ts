// Interfaces and object type literals: data must live in classes.
export interface Point { // expect: KEEL0106 "export interface"
  x: number;
}
export function norm(p: { x: number; y: number }): number { // expect: KEEL0106 "{ x: number"
  return p.x + p.y;
}
export class Rect {
  w = 1;
}
export const Shape = Rect; // expect: KEEL0106 "Shape"
