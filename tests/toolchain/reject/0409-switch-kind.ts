// switch compiles to a C switch over integers.
export function code(name: string): number {
  switch (name) { // expect: KEEL0409 "name"
    case "a": // expect: KEEL0409 '"a"'
      return 1;
    default:
      return 0;
  }
}
export const enum Op {
  Read = 1,
  Write = 2,
}
const BOTH = Op.Read | Op.Write;
export function cost(op: number, limit: number): number {
  switch (op) {
    case Op.Read:
    case BOTH + 1:
    case -1:
      return 1;
    case limit: // expect: KEEL0409 "limit"
      return 2;
    default:
      return 0;
  }
}
