// The kernel target has no garbage collector: strings stay literals there (checked with --target kernel).
export function route(path: string): string {
  const p = path.toUpperCase(); // expect: KEEL0705 "toUpperCase"
  if (p < "M") return "low"; // expect: KEEL0308 "<"
  return p.slice(1); // expect: KEEL0705 "slice"
}
