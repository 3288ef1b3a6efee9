// `any` as a parameter type.
export function width(x: any): number { // expect: KEEL0101 "any"
  return 1;
}
