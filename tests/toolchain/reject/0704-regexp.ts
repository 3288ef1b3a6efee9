// No regular expression engine.
export function digits(s: string): number {
  return s.search(/[0-9]/); // expect: KEEL0705 "search" KEEL0704 "/[0-9]/"
}
