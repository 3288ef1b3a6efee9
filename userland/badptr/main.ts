// badptr: hands the kernel pointers it must refuse (a kernel address, the null page, a range
// running off the end of the user half, an unmapped page) and checks each call returns
// -BadAddress instead of faulting. Exits 0 when all were refused, 1 otherwise.
import { ErrorCode, errorText, wait, write } from "../lib/sys.ts";

let refused = 0;
function expectBad(what: string, r: number): void {
  console.log(`badptr: ${what}: ${r} (${errorText(r)})`);
  if (r === -ErrorCode.BadAddress) refused++;
}

expectBad("write(kernel address)", write(-0x80000000, 16));
expectBad("write(null page)", write(0, 8));
expectBad("write(end of user half)", write(0x7ffffffffff0, 64));
expectBad("write(unmapped page)", write(0x20000000, 8));
expectBad("wait(status at kernel address)", wait(-1, -0x80000000));
console.log(`badptr: ${refused} of 5 refused with bad address`);
// A status of 0 tells the parent every bad pointer was refused.
if (refused !== 5) throw new Error("a bad pointer was accepted");
