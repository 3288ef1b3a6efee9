// Tuples mix element types in one array.
export function split(v: number): [number, boolean] { // expect: KEEL0107 "[number, boolean]"
  return [v, v > 0];
}
