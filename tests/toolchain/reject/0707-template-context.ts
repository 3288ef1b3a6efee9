// Strings are built only while they are printed or thrown.
export function label(n: number): void {
  const msg = `page ${n}`; // expect: KEEL0707 "`page"
  const hex = n.toString(16); // expect: KEEL0707 "n.toString"
  console.log(msg, hex, `ok ${n.toString(16).padStart(4, "0")}`, n.toString(2));
  console.log(String.raw`x${n}`); // expect: KEEL0707 "String.raw" KEEL0703 "String.raw"
}
