// The comma operator, outside a for header.
export function bump(a: number): number {
  for (let i = 0, j = 10; i < j; i++, j--) a++;
  return (a++, a); // expect: KEEL0307 ","
}
