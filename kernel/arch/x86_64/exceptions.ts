// CPU exceptions (vectors 0-31): a full report of the faulting state, then a panic. A handler may
// claim a vector first (setExceptionHandler: breakpoints, tests, later lazy FPU or paging tricks);
// a fault in ring 3 goes to the user-fault hook, which will kill the process instead of the kernel.
import { load64 } from "../../../lang/mem.ts";
import { panic } from "../../../lang/core.ts";
import { readCr } from "./cpu.ts";
import { Frame } from "./frame.ts";
import { wordToAddr } from "./words.ts";
import { printBacktrace } from "./backtrace.ts";

export const EXCEPTION_VECTORS = 32;

export const enum Vector {
  DivideError = 0,
  Debug = 1,
  Nmi = 2,
  Breakpoint = 3,
  DoubleFault = 8,
  GeneralProtection = 13,
  PageFault = 14,
}

// Page-fault error code bits (Intel SDM vol. 3, 4.7).
export const enum PageFaultBits {
  Present = 1,
  Write = 2,
  User = 4,
  ReservedBit = 8,
  InstructionFetch = 16,
  ProtectionKey = 32,
  ShadowStack = 64,
}

/** Mnemonic and name of every exception vector. */
export function exceptionName(vector: number): string {
  switch (vector) {
    case 0: return "#DE Divide Error";
    case 1: return "#DB Debug";
    case 2: return "NMI Non-maskable Interrupt";
    case 3: return "#BP Breakpoint";
    case 4: return "#OF Overflow";
    case 5: return "#BR BOUND Range Exceeded";
    case 6: return "#UD Invalid Opcode";
    case 7: return "#NM Device Not Available";
    case 8: return "#DF Double Fault";
    case 9: return "Coprocessor Segment Overrun";
    case 10: return "#TS Invalid TSS";
    case 11: return "#NP Segment Not Present";
    case 12: return "#SS Stack-Segment Fault";
    case 13: return "#GP General Protection";
    case 14: return "#PF Page Fault";
    case 15: return "Reserved (15)";
    case 16: return "#MF x87 Floating-Point Error";
    case 17: return "#AC Alignment Check";
    case 18: return "#MC Machine Check";
    case 19: return "#XM SIMD Floating-Point Exception";
    case 20: return "#VE Virtualization Exception";
    case 21: return "#CP Control Protection Exception";
    case 28: return "#HV Hypervisor Injection Exception";
    case 29: return "#VC VMM Communication Exception";
    case 30: return "#SX Security Exception";
    default: return vector < 32 ? "Reserved" : "Not an exception";
  }
}

/** Whether the CPU pushes an error code for `vector` (the stub pushes 0 for the others). */
export function hasErrorCode(vector: number): boolean {
  return vector === 8 || (vector >= 10 && vector <= 14) || vector === 17 || vector === 21 || vector === 29 || vector === 30;
}

/** Prints the decoded page-fault cause, e.g. `not-present page, write, supervisor mode`. */
export function printPageFaultCause(error: number): void {
  const present = (error & PageFaultBits.Present) !== 0;
  const fetch = (error & PageFaultBits.InstructionFetch) !== 0;
  const write = (error & PageFaultBits.Write) !== 0;
  const user = (error & PageFaultBits.User) !== 0;
  const rsvd = (error & PageFaultBits.ReservedBit) !== 0;
  const pk = (error & PageFaultBits.ProtectionKey) !== 0;
  const ss = (error & PageFaultBits.ShadowStack) !== 0;
  console.log(
    `  cause: ${present ? "protection violation" : "not-present page"}, ${fetch ? "instruction fetch" : write ? "write" : "read"}, ${user ? "user mode" : "supervisor mode"}${rsvd ? ", reserved bit set in a paging entry" : ""}${pk ? ", protection key" : ""}${ss ? ", shadow stack" : ""}`,
  );
}

/** A vector's handler: returns true when it dealt with the exception and execution may resume. */
export type ExceptionHandler = (frame: number, vector: number) => boolean;
/** Called for exceptions raised in ring 3 (after the vector's handler declined). */
export type UserFaultHook = (frame: number, vector: number) => void;

function declineException(frame: number, vector: number): boolean {
  void frame;
  void vector;
  return false;
}

function userFaultIsKernelPanic(frame: number, vector: number): void {
  reportException(frame, vector);
  panic(exceptionName(vector));
}

const handlers = new Array<ExceptionHandler>(EXCEPTION_VECTORS).fill(declineException);
let userFaultHook: UserFaultHook = userFaultIsKernelPanic;
/** Exceptions seen per vector, handled or not. */
export const exceptionCounts = new Array<number>(EXCEPTION_VECTORS).fill(0);

export function setExceptionHandler(vector: number, fn: ExceptionHandler): void {
  handlers[vector] = fn;
}

export function clearExceptionHandler(vector: number): void {
  handlers[vector] = declineException;
}

export function setUserFaultHook(fn: UserFaultHook): void {
  userFaultHook = fn;
}

function reg(frame: number, offset: number): bigint {
  return load64(frame + offset);
}

/** Prints everything known about the exception in `frame`. */
export function reportException(frame: number, vector: number): void {
  const error = reg(frame, Frame.ERROR);
  const rip = reg(frame, Frame.RIP);
  console.log(`EXCEPTION ${exceptionName(vector)} (vector ${vector}, error 0x${error.toString(16).padStart(16, "0")})`);
  if (vector === Vector.PageFault) {
    console.log(`  page fault address cr2=0x${readCr(2).toString(16).padStart(16, "0")}`);
    printPageFaultCause(Number(error & 0xffffn));
  } else if (vector === Vector.GeneralProtection || (vector >= 10 && vector <= 12)) {
    if (error !== 0n) console.log(`  selector error code: index ${Number((error >> 3n) & 0x1fffn)}, table ${Number((error >> 1n) & 3n)}, external ${Number(error & 1n)}`);
  }
  console.log(`  rip=0x${rip.toString(16).padStart(16, "0")} rsp=0x${reg(frame, Frame.RSP).toString(16).padStart(16, "0")} rflags=0x${reg(frame, Frame.RFLAGS).toString(16).padStart(16, "0")}`);
  console.log(`  cs=0x${reg(frame, Frame.CS).toString(16).padStart(16, "0")} ss=0x${reg(frame, Frame.SS).toString(16).padStart(16, "0")} cr3=0x${readCr(3).toString(16).padStart(16, "0")}`);
  console.log(`  rax=0x${reg(frame, Frame.RAX).toString(16).padStart(16, "0")} rbx=0x${reg(frame, Frame.RBX).toString(16).padStart(16, "0")} rcx=0x${reg(frame, Frame.RCX).toString(16).padStart(16, "0")}`);
  console.log(`  rdx=0x${reg(frame, Frame.RDX).toString(16).padStart(16, "0")} rsi=0x${reg(frame, Frame.RSI).toString(16).padStart(16, "0")} rdi=0x${reg(frame, Frame.RDI).toString(16).padStart(16, "0")}`);
  console.log(`  rbp=0x${reg(frame, Frame.RBP).toString(16).padStart(16, "0")} r8 =0x${reg(frame, Frame.R8).toString(16).padStart(16, "0")} r9 =0x${reg(frame, Frame.R9).toString(16).padStart(16, "0")}`);
  console.log(`  r10=0x${reg(frame, Frame.R10).toString(16).padStart(16, "0")} r11=0x${reg(frame, Frame.R11).toString(16).padStart(16, "0")} r12=0x${reg(frame, Frame.R12).toString(16).padStart(16, "0")}`);
  console.log(`  r13=0x${reg(frame, Frame.R13).toString(16).padStart(16, "0")} r14=0x${reg(frame, Frame.R14).toString(16).padStart(16, "0")} r15=0x${reg(frame, Frame.R15).toString(16).padStart(16, "0")}`);
  if (vector === Vector.DoubleFault) {
    console.log("  a kernel #DF usually means a stack overflow into a guard page (see rsp)");
  }
  if ((Number(reg(frame, Frame.CS) & 3n)) === 0) {
    console.log("backtrace of the interrupted code:");
    printBacktrace(wordToAddr(reg(frame, Frame.RBP)), wordToAddr(rip));
  }
}

let reporting = false;

/** Entry from the interrupt dispatcher for vectors 0-31. Returns only if execution may resume. */
export function handleException(frame: number, vector: number): void {
  exceptionCounts[vector] = exceptionCounts[vector]! + 1;
  if (reporting) {
    // A fault while printing a report (a backtrace through a bad frame pointer, say): the second
    // report could fault the same way, so give the essentials and stop.
    console.log(`EXCEPTION ${exceptionName(vector)} while reporting an exception, rip=0x${reg(frame, Frame.RIP).toString(16)}`);
    panic(exceptionName(vector));
  }
  if (handlers[vector]!(frame, vector)) return;
  if ((Number(reg(frame, Frame.CS) & 3n)) === 3) {
    userFaultHook(frame, vector);
    return;
  }
  reporting = true;
  reportException(frame, vector);
  panic(exceptionName(vector));
}

/** Forgets an unfinished report (host tests, where a panic returns control to the caller). */
export function resetExceptionReporting(): void {
  reporting = false;
}

/**
 * The port an I/O instruction uses, from its opcode byte (prefixes skipped), the byte after it
 * and rdx: `in`/`out` with an 8-bit immediate, with DX, and `ins`/`outs`; -1 for any other opcode.
 * A #GP in ring 3 at such an instruction is a port the process was not granted.
 */
export function ioInstructionPort(opcode: number, next: number, rdx: number): number {
  if (opcode >= 0xe4 && opcode <= 0xe7) return next;
  if ((opcode >= 0xec && opcode <= 0xef) || (opcode >= 0x6c && opcode <= 0x6f)) return rdx & 0xffff;
  return -1;
}

/** Whether `b` is a prefix an I/O instruction may carry (operand or address size, rep). */
export function isIoPrefix(b: number): boolean {
  return b === 0x66 || b === 0x67 || b === 0xf2 || b === 0xf3;
}
