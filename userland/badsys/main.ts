// badsys: calls system call numbers the kernel does not know; each must return -UnknownSyscall.
import { SysError, errorText, exit, syscall } from "../lib/sys.ts";

const a = syscall(999, 0, 0, 0, 0, 0, 0);
const b = syscall(-1, 0, 0, 0, 0, 0, 0);
console.log(`badsys: syscall 999 = ${a} (${errorText(a)}), syscall -1 = ${b} (${errorText(b)})`);
exit(a === -SysError.UnknownSyscall && b === -SysError.UnknownSyscall ? 7 : 1);
