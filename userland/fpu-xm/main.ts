// fpu-xm: an unmasked SSE exception (divide by zero with MXCSR.ZM clear). The kernel must kill
// this process with a #XM report and keep running. QEMU's TCG does not raise #XM,
// so there the division returns (status 3).
import { exit, getpid } from "../lib/sys.ts";
import { simdDivideByZero } from "./xm.ts";

console.log(`fpu-xm: pid ${getpid()} dividing by zero with the SIMD exception unmasked`);
simdDivideByZero();
// QEMU's TCG emulation never raises #XM (it only sets MXCSR's flags): then say so and exit 3.
console.log("fpu-xm: the division returned: no #XM from this CPU (QEMU's TCG raises none)");
exit(3);
