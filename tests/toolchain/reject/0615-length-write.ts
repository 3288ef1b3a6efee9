// Arrays have a fixed length.
export function clear(xs: number[]): void {
  xs.length = 0; // expect: KEEL0615 "xs.length"
}
