// badsys: calls system call numbers the kernel does not know; each must return -UnknownSyscall.
import { ErrorCode, errorText, exit, syscall } from "../lib/sys.ts";

const a = syscall(999, 0, 0, 0, 0, 0, 0);
const b = syscall(-1, 0, 0, 0, 0, 0, 0);
console.log(`badsys: syscall 999 = ${a} (${errorText(a)}), syscall -1 = ${b} (${errorText(b)})`);
exit(a === -ErrorCode.UnknownSyscall && b === -ErrorCode.UnknownSyscall ? 7 : 1);
