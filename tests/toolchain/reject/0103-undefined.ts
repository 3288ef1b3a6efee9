// `undefined` in a type and as a value; `void` as a value type.
export let limit: number | undefined = 4; // expect: KEEL0103 "undefined"
export function reset(): void {
  limit = undefined; // expect: KEEL0103 "undefined"
}
export class Waiter {
  done: void = reset(); // expect: KEEL0103 "void"
}
