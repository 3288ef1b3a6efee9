// `this` exists only in instance methods and constructors.
export class Pool {
  static count = 0;
  size = 4;
  static next(): number {
    return this.count; // expect: KEEL0506 "this"
  }
}
export function sizeOf(this: Pool): number {
  return this.size; // expect: KEEL0506 "this"
}
