// fpu-mf: an unmasked x87 exception (divide by zero with the control word's ZM clear). The kernel
// must kill this process with a #MF report and keep running.
import { getpid } from "../lib/sys.ts";
import { x87DivideByZero } from "./mf.ts";

console.log(`fpu-mf: pid ${getpid()} dividing by zero with the x87 exception unmasked`);
x87DivideByZero();
console.log("fpu-mf: the division returned, which should not happen");
