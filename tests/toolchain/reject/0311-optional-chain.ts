// `?.` yields undefined.
export class Link {
  next: Link | null = null;
  value = 0;
}
export function second(l: Link): number {
  return l.next?.value ?? -1; // expect: KEEL0311 "l.next"
}
