// Computed types have no C counterpart.
export class Vec {
  x = 0;
  y = 0;
}
export type Axis = keyof Vec; // expect: KEEL0105 "keyof Vec"
export type Coord = Vec["x"]; // expect: KEEL0105 "Vec["
export type Kind = "page" | "huge"; // expect: KEEL0104 '"page"'
export function same(v: typeof origin): number { // expect: KEEL0105 "typeof origin"
  return v.x;
}
export const origin = new Vec();
