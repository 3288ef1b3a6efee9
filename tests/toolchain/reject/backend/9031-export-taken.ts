// Two functions exported under one C symbol.
/** @export keel_entry_hook */
export function first(): number {
  return 1;
}
/** @export keel_entry_hook */
export function second(): number { // expect: KEEL9031 "export function second"
  return 2;
}
console.log(first() + second());
