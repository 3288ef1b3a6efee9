// switch compiles to a C switch over constants: numbers, enums, bigints, or strings matched first.
export function code(flag: boolean): number {
  switch (flag) { // expect: KEEL0409 "flag"
    case true: // expect: KEEL0409 "true"
      return 1;
    default:
      return 0;
  }
}
const GET = "GET";
export let other = "PUT";
export function method(name: string): number {
  switch (name) {
    case GET:
    case "HEAD":
      return 1;
    case other: // expect: KEEL0409 "other"
      return 2;
    case `POST`:
      return 3;
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
