// nullptr: reads address 0. The null page is never mapped: the kernel must kill this process
// with a page-fault report and keep running.
import { load8 } from "../../lang/mem.ts";
import { getpid } from "../lib/sys.ts";

console.log(`nullptr: pid ${getpid()} reading address 0`);
const v = load8(0);
console.log(`nullptr: read ${v}, which should not happen`);
