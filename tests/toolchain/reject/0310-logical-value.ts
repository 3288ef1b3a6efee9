// && and || return an operand in Node but 0 or 1 in C.
export function pick(a: number, b: number): number {
  return a || b; // expect: KEEL0310 "||"
}
export class Item {
  size = 1;
}
export function sizeOf(i: Item | null): number {
  if (i && i.size > 0) return i.size;
  const ok = i !== null && i.size > 2;
  return ok ? 1 : 0;
}
