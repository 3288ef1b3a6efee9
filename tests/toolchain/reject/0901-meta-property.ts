// No loader or constructor metadata in C.
export const here = import.meta; // expect: KEEL0901 "import.meta"
export class Made {
  direct: boolean;
  constructor() {
    this.direct = new.target === Made; // expect: KEEL0901 "new.target"
  }
}
