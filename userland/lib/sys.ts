// System call bindings (docs/syscalls.md). Results are numbers; negative values are error codes
// (-ErrorCode), which errorText() names. Also the two hooks keelc's C runtime needs from
// every program, here so that any program using system calls links: console.log output goes to
// the kernel console through write, or to the console service when the environment names a
// console endpoint the program holds (KEEL_CONSOLE, docs/userland.md, "Writing a program"); a panic (failed check, throw) prints its message and
// TypeScript location and exits with status 134, as the hosted target does.
import { load32, load8, store64, store8 } from "../../lang/mem.ts";
import { hostKernel } from "./host/kernel.ts";
import { Sys } from "../../abi/numbers.ts";
import { errorMessage } from "../../abi/errors.ts";
import { UMsg } from "../../abi/message.ts";
import { CONSOLE_BYTES_OFFSET, CONSOLE_CHUNK, CONSOLE_ENV, ConsoleOp } from "./console-protocol.ts";

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
import { MapFlag, Startup, WriteFlag } from "../../abi/process.ts";

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

/** A register-message system call (userland/lib/ipc-regs.S), for the console output below. */
/** @extern keel_syscall_msg */
function outCallRegs(n: number, h: number, m: number, timeoutNs: number): number {
  return hostKernel.syscall(n, h, m, timeoutNs, 0, 0, 0);
}

/** The console endpoint console.log writes to: -1 before the environment was looked at, 0 none. */
let outConsole = -1;
/** The page holding the console output's message, mapped when KEEL_CONSOLE is first seen. */
const OUT_MSG_VA = 0x57ff0000;
/** A console that does not take the output within a second: the kernel's console gets it. */
const OUT_TIMEOUT_NS = 1000000000;

/** The handle KEEL_CONSOLE names in the startup block's environment (decimal), or 0. */
function consoleFromEnvironment(): number {
  const info = startupInfo();
  if (info === 0) return 0;
  const base = info + Startup.Strings;
  const end = base + load32(info + Startup.StringsLength);
  const skip = load32(info + Startup.ArgCount);
  const entries = skip + load32(info + Startup.EnvCount);
  let at = base;
  for (let i = 0; i < entries && at < end; i++) {
    let len = 0;
    while (at + len < end && load8(at + len) !== 0) len++;
    if (i >= skip && len > CONSOLE_ENV.length + 1 && load8(at + CONSOLE_ENV.length) === 0x3d) {
      let same = true;
      for (let k = 0; k < CONSOLE_ENV.length; k++) if (load8(at + k) !== CONSOLE_ENV.charCodeAt(k)) same = false;
      let n = 0;
      for (let k = CONSOLE_ENV.length + 1; k < len && same; k++) {
        const c = load8(at + k);
        if (c < 48 || c > 57 || n > 100000000) same = false;
        n = n * 10 + (c - 48);
      }
      if (same) return n;
    }
    at += len + 1;
  }
  return 0;
}

function outputConsole(): number {
  if (outConsole >= 0) return outConsole;
  outConsole = 0;
  const h = consoleFromEnvironment();
  if (h > 0 && mapMemory(OUT_MSG_VA, 4096, MapFlag.Writable) === 0) outConsole = h;
  return outConsole;
}

/** Writes the bytes as console Write calls; the bytes not taken (console gone) go to the kernel. */
function consoleOut(ep: number, addr: number, len: number): void {
  for (let at = 0; at < len; at += CONSOLE_CHUNK) {
    const n = Math.min(CONSOLE_CHUNK, len - at);
    for (let w = 0; w < UMsg.Words + 6; w++) store64(OUT_MSG_VA + w * 8, 0n);
    store64(OUT_MSG_VA + UMsg.Label * 8, BigInt(ConsoleOp.Write));
    store64(OUT_MSG_VA + UMsg.Words * 8, BigInt(n));
    for (let i = 0; i < n; i++) store8(OUT_MSG_VA + CONSOLE_BYTES_OFFSET + i, load8(addr + at + i));
    const r = outCallRegs(Sys.CallRegs, ep, OUT_MSG_VA, OUT_TIMEOUT_NS);
    if (r < 0 || load32(OUT_MSG_VA + UMsg.Label * 8) !== 0) {
      write(addr + at, len - at);
      return;
    }
  }
}

/** @export keel_write */
export function runtimeWrite(addr: number, len: number): void {
  const ep = outputConsole();
  if (ep > 0) consoleOut(ep, addr, len);
  else write(addr, len);
}

function cLength(addr: number): number {
  let n = 0;
  while (n < 4096 && load8(addr + n) !== 0) n++;
  return n;
}

/** @export keel_panic_hook */
export function runtimePanic(msg: number, file: number, line: number): void {
  console.log("panic:");
  runtimeWrite(msg, cLength(msg));
  console.log("");
  runtimeWrite(file, cLength(file));
  console.log(`:${line}`);
  exit(134);
}
