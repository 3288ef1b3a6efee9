// Structs carry no run-time class information.
export class Base {
  kind = 0;
}
export class Derived extends Base {
  extra = 1;
}
export function isDerived(b: Base): boolean {
  return b instanceof Derived; // expect: KEEL0303 "instanceof"
}
