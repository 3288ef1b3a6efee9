// Every field is initialised where it is declared or in the constructor.
export class Device {
  base!: number; // expect: KEEL0602 "base"
  declare irq: number; // expect: KEEL0602 "declare"
  size: number;
  constructor(size: number) {
    this.size = size;
  }
}
