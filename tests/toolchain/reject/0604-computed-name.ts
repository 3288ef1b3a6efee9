// Field and method names are fixed at compile time.
export class Regs {
  ["rax"] = 0; // expect: KEEL0604 "["
}
