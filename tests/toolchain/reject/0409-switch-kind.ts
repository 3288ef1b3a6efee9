// switch compiles to a C switch over integers.
export function code(name: string): number {
  switch (name) { // expect: KEEL0409 "name"
    case "a": // expect: KEEL0409 '"a"'
      return 1;
    default:
      return 0;
  }
}
