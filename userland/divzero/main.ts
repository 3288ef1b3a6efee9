// divzero: divides by zero with the div instruction (keelc's own division checks its divisor and
// panics instead, so the hardware fault needs assembly). The kernel must kill this process with a
// divide-error report and keep running.
import { getpid } from "../lib/sys.ts";
import { divide } from "./div.ts";

console.log(`divzero: pid ${getpid()} dividing 7 by 0`);
const q = divide(7, 0);
console.log(`divzero: quotient ${q}, which should not happen`);
