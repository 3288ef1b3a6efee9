// Types are static; there are no run-time tags.
export function isNumber(x: number | null): boolean {
  return typeof x === "number"; // expect: KEEL0305 "typeof"
}
