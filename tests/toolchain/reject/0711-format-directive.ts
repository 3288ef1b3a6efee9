// Node substitutes % directives; the Keel runtime prints text as written.
export function report(n: number): void {
  console.log("used %d pages", n); // expect: KEEL0711 '"used'
  console.log("100%");
  console.log(`used %d`, n); // expect: KEEL0711 "`used"
  console.log(`${n}% used`, n);
}
