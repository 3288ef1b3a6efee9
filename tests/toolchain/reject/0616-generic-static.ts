// One C variable cannot serve every instantiation of a generic class.
export class Pool<T> {
  static created = 0; // expect: KEEL0616 "static"
  constructor(readonly item: T) {}
}
