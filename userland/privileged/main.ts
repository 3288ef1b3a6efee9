// privileged: executes hlt, a privileged instruction. Ring 3 gets #GP: the kernel must kill this
// process with a report and keep running.
import { getpid } from "../lib/sys.ts";
import { halt } from "./halt.ts";

console.log(`privileged: pid ${getpid()} executing hlt in ring 3`);
halt();
console.log("privileged: hlt returned, which should not happen");
