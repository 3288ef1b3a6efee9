// Types are static; there are no run-time tags.
export function isString(x: string | null): boolean {
  return typeof x === "string"; // expect: KEEL0305 "typeof"
}
