// Labels belong on loops only.
export function first(xs: number[]): number {
  let r = -1;
  found: { // expect: KEEL0404 "found"
    for (const x of xs) {
      if (x > 0) {
        r = x;
        break found;
      }
    }
  }
  scan: for (const x of xs) if (x < 0) break scan;
  return r;
}
