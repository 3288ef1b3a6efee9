// A throw is a panic: nothing unwinds.
export function safe(f: () => number): number {
  try { // expect: KEEL0401 "try"
    return f();
  } finally {
    console.log("done");
  }
}
