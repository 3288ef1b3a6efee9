// Library globals Keel does not provide.
export class Boot {
  at = Date.now(); // expect: KEEL0703 "Date.now"
}
export function dump(b: Boot): void {
  console.log(JSON.stringify(b.at)); // expect: KEEL0703 "JSON.stringify"
  const keys = Object.keys(b).length; // expect: KEEL0703 "Object.keys"
  if (keys > 1) Reflect.deleteProperty(b, "at"); // expect: KEEL0703 "Reflect.deleteProperty"
  const seen = new Set<number>(); // expect: KEEL0703 "Set"
  console.log(seen.size, parseInt("12", 10)); // expect: KEEL0703 "parseInt"
}
