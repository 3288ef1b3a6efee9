// badop: executes ud2, an invalid opcode. The kernel must kill this process with a report and
// keep running.
import { getpid } from "../lib/sys.ts";
import { invalidOpcode } from "./ud2.ts";

console.log(`badop: pid ${getpid()} executing ud2`);
invalidOpcode();
console.log("badop: ud2 returned, which should not happen");
