// Ring 3: the syscall/sysret machinery (MSRs), the first entry of a thread into user mode, and the
// way out for a user thread killed by a fault. The entry and exit paths are in syscall.S.
import { load64, store64 } from "../../../lang/mem.ts";
import { rdmsr, wrmsr } from "./cpu.ts";
import { Frame } from "./frame.ts";
import { Selector, STAR_SYSCALL_BASE, STAR_SYSRET_BASE, Tss } from "./gdt.ts";
import { addrToWord, wordToAddr } from "./words.ts";

export const MSR_EFER = 0xc0000080;
export const MSR_STAR = 0xc0000081;
export const MSR_LSTAR = 0xc0000082;
export const MSR_FMASK = 0xc0000084;
export const MSR_KERNEL_GS_BASE = 0xc0000102;
export const EFER_SCE = 0x1n;
/** rflags bits cleared on syscall: TF, IF, DF, NT, AC (no single-stepping or interrupts before the
 * stack switch, string operations forward, no alignment checks in the kernel). */
export const SYSCALL_FMASK = 0x47700n;

/** @extern keel_syscall_entry_addr */
export function syscallEntryAddr(): number {
  return 0x2000;
}

/** @extern keel_user_kill_trampoline_addr */
export function userKillTrampolineAddr(): number {
  return 0x3000;
}

/** Leaves for ring 3 at `rip` with `rsp` and rdi = `arg`, interrupts on. Does not return. */
/** @extern keel_enter_user */
export function enterUser(rip: number, rsp: number, arg: number): void {
  void rip;
  void rsp;
  void arg;
  throw new Error("enterUser has no host implementation");
}

/**
 * Turns on syscall/sysret: STAR with the GDT's kernel and user bases, LSTAR at the entry stub,
 * FMASK, the kernel GS base at the TSS's rsp0 (the entry stub's gs:0; see syscall.S) and EFER.SCE.
 */
export function syscallInit(tss: number): void {
  const star = BigInt.asUintN(64, BigInt(STAR_SYSRET_BASE) << 48n) | BigInt.asUintN(64, BigInt(STAR_SYSCALL_BASE) << 32n);
  wrmsr(MSR_STAR, star);
  wrmsr(MSR_LSTAR, addrToWord(syscallEntryAddr()));
  wrmsr(MSR_FMASK, SYSCALL_FMASK);
  wrmsr(MSR_KERNEL_GS_BASE, addrToWord(tss + Tss.Rsp0));
  wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

/** Whether the frame was saved on entry from ring 3 (interrupt, exception or system call). */
export function frameFromUser(frame: number): boolean {
  return (load64(frame + Frame.CS) & 3n) === 3n;
}

/** Saved register at `offset` (a Frame member) as a signed canonical address, 0 if not canonical. */
export function frameAddr(frame: number, offset: number): number {
  return wordToAddr(load64(frame + offset));
}

/**
 * A system call argument as a number: small values and negative ones (two's complement) exactly;
 * anything beyond the safe integer range becomes 2^53 - 1, which no range check accepts.
 */
export function frameArg(frame: number, offset: number): number {
  const w = load64(frame + offset);
  if (w < 0x20000000000000n) return Number(w);
  const neg = BigInt.asUintN(64, 0n - w);
  if (neg < 0x20000000000000n) return -Number(neg);
  return 0x1fffffffffffff;
}

/** Stores a result (a number, negative for errors) in the frame's rax. */
export function setFrameResult(frame: number, value: number): void {
  store64(frame + Frame.RAX, addrToWord(value));
}

/**
 * Rewrites a ring-3 exception frame so that iretq resumes in ring 0 at the kill trampoline, on the
 * same kernel stack below the frame, interrupts off. The interrupt path then unwinds normally and
 * the thread ends in keel_user_killed outside any interrupt handler.
 */
export function redirectToKill(frame: number): void {
  store64(frame + Frame.RIP, addrToWord(userKillTrampolineAddr()));
  store64(frame + Frame.CS, BigInt(Selector.KernelCode));
  store64(frame + Frame.RFLAGS, 0x2n);
  store64(frame + Frame.RSP, addrToWord(frame));
  store64(frame + Frame.SS, BigInt(Selector.KernelData));
}
