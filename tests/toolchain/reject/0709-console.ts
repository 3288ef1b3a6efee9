// One output hook: console.log.
export function warn(n: number): void {
  console.warn(n); // expect: KEEL0709 "console.warn"
  const out = console; // expect: KEEL0709 "console"
  out.log(n);
}
