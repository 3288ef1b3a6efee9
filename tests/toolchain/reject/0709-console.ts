// One output hook: console.log, called directly.
export function warn(n: number): void {
  const out = console; // expect: KEEL0709 "console"
  out.log(n);
}
