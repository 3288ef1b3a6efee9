// Only the project's own .ts modules are compiled.
import type { Program } from "typescript"; // expect: KEEL0808 '"typescript"'
import { HALF } from "./0201-float-literal.js"; // expect: KEEL0808 '"./0201'
export class Holder {
  half = HALF;
  program: Program | null = null; // expect: KEEL0703 "Program"
}
