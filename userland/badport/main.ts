// badport: reads the keyboard controller's data port without an I/O port capability. The kernel
// must end it with a report naming the port, and nothing else may notice.
import { inb } from "../lib/device.ts";
import { exit } from "../lib/sys.ts";

console.log("badport: reading port 0x60 without a capability");
const v = inb(0x60);
console.log(`badport: read ${v}: the port was not protected`);
exit(1);
