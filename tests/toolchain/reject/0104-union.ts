// Unions other than `T | null`, and the bare `null` type.
export class Port {
  id = 0;
}
export function describe(p: Port | number): number { // expect: KEEL0104 "Port | number"
  return 0;
}
export let nothing: null = null; // expect: KEEL0104 "null ="
export const mixed = [1, "one"]; // expect: KEEL0104 "mixed"
export function maybe(a: boolean) { // expect: KEEL0104 "maybe"
  return a ? 1 : null;
}
