// System call bindings (docs/syscalls.md). Results are numbers; negative values are error codes
// (-ErrorCode), which errorText() names. Also the two hooks keelc's C runtime needs from
// every program, here so that any program using system calls links: console.log output goes to
// the kernel console through write; a panic (failed check, throw) prints its message and
// TypeScript location and exits with status 134, as the hosted target does.
import { load8 } from "../../lang/mem.ts";
import { hostKernel } from "./host/kernel.ts";
import { Sys } from "../../abi/numbers.ts";
import { errorMessage } from "../../abi/errors.ts";

/** @extern keel_syscall6 */
export function syscall(n: number, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number): number {
  return hostKernel.syscall(n, a0, a1, a2, a3, a4, a5);
}

/** Address of the startup block the kernel passed in rdi. */
/** @extern keel_startup_info */
export function startupInfo(): number {
  return hostKernel.startupInfo;
}

// The ABI is declared once, by the kernel, in modules that import nothing but each other;
// programs get the names from here.
export { Sys } from "../../abi/numbers.ts";
export { ErrorCode } from "../../abi/errors.ts";
export { ExitHow, MapFlag, Startup } from "../../abi/process.ts";
import { WriteFlag } from "../../abi/process.ts";

export function sysNull(): number {
  return syscall(Sys.Null, 0, 0, 0, 0, 0, 0);
}
export function exit(status: number): never {
  syscall(Sys.Exit, status, 0, 0, 0, 0, 0);
  throw new Error("exit returned");
}
export function write(buf: number, len: number): number {
  return syscall(Sys.Write, buf, len, 0, 0, 0, 0);
}
/** Writes terminal output: shown on the kernel console, but not a line of the log. */
export function writeTerminal(buf: number, len: number): number {
  return syscall(Sys.Write, buf, len, WriteFlag.Terminal, 0, 0, 0);
}
export function getpid(): number {
  return syscall(Sys.GetPid, 0, 0, 0, 0, 0, 0);
}
export function yieldCpu(): number {
  return syscall(Sys.Yield, 0, 0, 0, 0, 0, 0);
}
export function mapMemory(addr: number, len: number, flags: number): number {
  return syscall(Sys.Map, addr, len, flags, 0, 0, 0);
}
export function unmapMemory(addr: number, len: number): number {
  return syscall(Sys.Unmap, addr, len, 0, 0, 0, 0);
}
export function moduleCount(): number {
  return syscall(Sys.ModuleCount, 0, 0, 0, 0, 0, 0);
}
export function moduleName(index: number, buf: number, cap: number): number {
  return syscall(Sys.ModuleName, index, buf, cap, 0, 0, 0);
}
/**
 * Copies up to `len` bytes of boot module `index`, from byte `offset`, to `buf`; returns the
 * module's size. Needs the right to start modules (init).
 */
export function moduleRead(index: number, offset: number, buf: number, len: number): number {
  return syscall(Sys.ModuleRead, index, offset, buf, len, 0, 0);
}
export function spawn(index: number): number {
  return syscall(Sys.Spawn, index, 0, 0, 0, 0, 0);
}
/** Waits for child `pid` (-1: any); status and how go to the two words at `statusAddr`. */
export function wait(pid: number, statusAddr: number): number {
  return syscall(Sys.Wait, pid, statusAddr, 0, 0, 0, 0);
}

/** Text of a system call result: "success" for 0 and above, else the error's name. */
export function errorText(code: number): string {
  return code >= 0 ? "success" : errorMessage(-code);
}

/** @export keel_write */
export function runtimeWrite(addr: number, len: number): void {
  write(addr, len);
}

function cLength(addr: number): number {
  let n = 0;
  while (n < 4096 && load8(addr + n) !== 0) n++;
  return n;
}

/** @export keel_panic_hook */
export function runtimePanic(msg: number, file: number, line: number): void {
  console.log("panic:");
  write(msg, cLength(msg));
  console.log("");
  write(file, cLength(file));
  console.log(`:${line}`);
  exit(134);
}
