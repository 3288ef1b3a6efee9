// The line the shell prints when a program it ran ends other than with status 0: how the wait
// system call reported its end (docs/syscalls.md: killed by a fault, the status is the exception
// vector), and whether the shell itself ended it (Ctrl-C, kill).
import { ExitHow } from "../../abi/process.ts";

/** The x86-64 exception names, by vector (docs/syscalls.md, "Faults"); "" for a reserved one. */
const VECTORS = [
  "divide error", "debug", "non-maskable interrupt", "breakpoint", "overflow", "bound range exceeded", "invalid opcode",
  "device not available", "double fault", "", "invalid TSS", "segment not present", "stack-segment fault",
  "general protection", "page fault", "", "x87 floating-point", "alignment check", "machine check", "SIMD floating-point",
  "virtualization", "control protection",
];

export function exceptionName(vector: number): string {
  return vector >= 0 && vector < VECTORS.length ? VECTORS[vector]! : "";
}

/**
 * `<name>: exit status 42`, `<name>: killed by exception 0 (divide error)`, `<name>: killed` (by
 * the shell: Ctrl-C or kill), or "" for a program that exited with status 0.
 */
export function endText(name: string, status: number, how: number, killedByShell: boolean): string {
  if (how === ExitHow.Exited) return status === 0 ? "" : `${name}: exit status ${status}`;
  if (killedByShell) return `${name}: killed`;
  const what = exceptionName(status);
  return what === "" ? `${name}: killed (status ${status})` : `${name}: killed by exception ${status} (${what})`;
}

/** What the prompt reports for a background program that ended: `[7] done, exit status 0`. */
export function doneText(pid: number, name: string, status: number, how: number, killedByShell: boolean): string {
  const end = endText(name, status, how, killedByShell);
  return `[${pid}] done, ${end === "" ? "exit status 0" : end}`;
}
