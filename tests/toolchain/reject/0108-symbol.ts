// `symbol` values have no representation.
export function tag(s: symbol): number { // expect: KEEL0108 "symbol"
  return 0;
}
