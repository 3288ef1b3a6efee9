// The empty string is false in Node, a non-null pointer in C.
export function show(name: string): void {
  if (name) console.log(name); // expect: KEEL0309 "name)"
  const shown = !name ? 0 : 1; // expect: KEEL0309 "name ?"
  console.log(shown);
}
