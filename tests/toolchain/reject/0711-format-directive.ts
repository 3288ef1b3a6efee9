// console.log substitutes %s %d %i %f %c and %% as Node does; JSON, the object inspector, string
// parsing and floating point have no Keel counterpart.
const LAYOUT = "%s mapped at %j";
export function report(name: string, pages: number, base: bigint, id: string | null): void {
  console.log("%s: %o", name, pages); // expect: KEEL0711 '"%s: %o"'
  console.log(`${pages} pages, region %d`, name); // expect: KEEL0711 "name"
  console.log(LAYOUT, name, base); // expect: KEEL0711 "LAYOUT"
  console.log("base %f", base); // expect: KEEL0711 "base)"
  console.log("%s %i", name, id); // expect: KEEL0711 "id)"
  console.log("used %d of %i pages (%f%%)", pages, pages, 100);
  console.log("%s at %d, id %s", name, base, id);
  console.log("%O", pages, "%O", "%j"); // expect: KEEL0711 '"%O"'
  console.log("100%");
  console.log(`${pages}% used, %j`);
  console.log(`${name}: %j`, pages); // expect: KEEL0711 "`${name}"
}
