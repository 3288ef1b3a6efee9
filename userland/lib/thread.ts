// Threads of the calling process (docs/syscalls.md, "Threads"): thread_create and thread_exit,
// and the Thread object's methods (join through a bound notification, info, priority). Results
// are numbers, negative values error codes, as everywhere in the user library.
//
// A new thread enters at a machine address with rsp = stack and rdi = arg, and must end with
// threadExit (returning from the entry has nowhere to go). The user runtime's heap and console
// are not shared safely between threads: a thread other than the first should touch only its
// own memory and make system calls (a program's own assembly entry calls into it).
import { Method, PriorityClass } from "../../abi/message.ts";
import { invokeAnswer, invokeWords, msgWord } from "./ipc.ts";
import { Sys, syscall } from "./sys.ts";

export { PriorityClass } from "../../abi/message.ts";

function call2(h: number, label: number, w0: number, w1: number): number {
  return invokeWords(h, label, w0, w1, 0);
}

/**
 * The address threads start at (userland/lib/thread.S): it calls the program's
 * `@export keel_thread_main` function with the thread's argument and exits with its result.
 * @extern keel_thread_entry_addr
 */
export function threadEntryAddress(): number {
  return 0x401000;
}

/** A new thread at `entry` with rsp = `stack` and rdi = `arg`: its Thread handle; its id at `tidOut` (0: not wanted). */
export function threadCreate(entry: number, stack: number, arg: number, tidOut: number): number {
  return syscall(Sys.ThreadCreate, entry, stack, arg, tidOut, 0, 0);
}
/** Ends the calling thread (and the process, when it is the last). */
export function threadExit(status: number): never {
  syscall(Sys.ThreadExit, status, 0, 0, 0, 0, 0);
  throw new Error("thread_exit returned");
}
/** Signals `bits` on notification `n` when the thread ends (at once if it has). */
export function threadBind(thread: number, n: number, bits: number): number {
  return call2(thread, Method.ThreadBind, n, bits);
}
/** Word `i` of ThreadInfo: 0 id, 1 ended (1) or not (0), 2 exit status, 3 priority class; or -error. */
export function threadInfo(thread: number, i: number): number {
  const r = call2(thread, Method.ThreadInfo, 0, 0);
  return r < 0 ? r : msgWord(invokeAnswer(), i);
}
export function threadSetPriority(thread: number, priority: PriorityClass): number {
  return call2(thread, Method.ThreadSetPriority, priority, 0);
}
