// A generic function exported to C.
/** @export keel_identity */
export function identity<T>(x: T): T { // expect: KEEL9032 "export function identity"
  return x;
}
console.log(identity(1));
