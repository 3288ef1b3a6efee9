// CPU instructions TypeScript cannot express, implemented in assembly (cpu.S). Each function's body
// is its host implementation, used under Node against the fake CPU of ./host/machine.ts.
import { fakeCpu } from "./host/machine.ts";
import { store32 } from "../../../lang/mem.ts";

/** @extern keel_outb */
export function outb(port: number, value: number): void {
  fakeCpu.portLog.push([port, 1, value & 0xff]);
  fakeCpu.portWriters.get(port)?.(port, 1, value & 0xff);
}
/** @extern keel_outw */
export function outw(port: number, value: number): void {
  fakeCpu.portLog.push([port, 2, value & 0xffff]);
  fakeCpu.portWriters.get(port)?.(port, 2, value & 0xffff);
}
/** @extern keel_outl */
export function outl(port: number, value: number): void {
  fakeCpu.portLog.push([port, 4, value >>> 0]);
  fakeCpu.portWriters.get(port)?.(port, 4, value >>> 0);
}
/** @extern keel_inb */
export function inb(port: number): number {
  return (fakeCpu.portReaders.get(port)?.(port, 1) ?? 0xff) & 0xff;
}
/** @extern keel_inw */
export function inw(port: number): number {
  return (fakeCpu.portReaders.get(port)?.(port, 2) ?? 0xffff) & 0xffff;
}
/** @extern keel_inl */
export function inl(port: number): number {
  return (fakeCpu.portReaders.get(port)?.(port, 4) ?? 0xffffffff) >>> 0;
}

/** @extern keel_rdmsr */
export function rdmsr(msr: number): bigint {
  return fakeCpu.msrs.get(msr) ?? 0n;
}
/** @extern keel_wrmsr */
export function wrmsr(msr: number, value: bigint): void {
  fakeCpu.msrs.set(msr, value);
}

/** Control registers: n is 0, 2, 3 or 4. */
/** @extern keel_read_cr */
export function readCr(n: number): bigint {
  return fakeCpu.cr[n] ?? 0n;
}
/** CR3 alone, from a page-table root's physical address: the thread switch's write, without writeCr's dispatch. */
/** @extern keel_write_cr3 */
export function writeCr3(root: number): void {
  fakeCpu.cr[3] = BigInt(root);
}
/** @extern keel_write_cr */
export function writeCr(n: number, value: bigint): void {
  fakeCpu.cr[n] = value;
}
/** @extern keel_invlpg */
export function invlpg(virt: number): void {
  fakeCpu.invalidated.push(virt);
}

/** @extern keel_rdtsc */
export function rdtsc(): bigint {
  fakeCpu.tsc += 100n;
  return fakeCpu.tsc;
}

/** cpuid: returns register `reg` (0 eax, 1 ebx, 2 ecx, 3 edx) of leaf/subleaf, as a uint32. */
/** @extern keel_cpuid */
export function cpuid(leaf: number, subleaf: number, reg: number): number {
  const sub = fakeCpu.cpuidSub.get(`${leaf}:${subleaf}`);
  if (sub !== undefined) return sub[reg] ?? 0;
  return fakeCpu.cpuid.get(leaf)?.[reg] ?? 0;
}

/** @extern keel_cli */
export function cli(): void {
  fakeCpu.interruptsEnabled = false;
}
/** @extern keel_sti */
export function sti(): void {
  fakeCpu.interruptsEnabled = true;
}
/** Returns whether interrupts were enabled, then disables them (pair with restoreInterrupts). */
/** @extern keel_save_disable_interrupts */
export function saveDisableInterrupts(): boolean {
  const was = fakeCpu.interruptsEnabled;
  fakeCpu.interruptsEnabled = false;
  return was;
}
/** @extern keel_restore_interrupts */
export function restoreInterrupts(enabled: boolean): void {
  fakeCpu.interruptsEnabled = enabled;
}
/** Waits for the next interrupt (sti; hlt). */
/** @extern keel_wait_for_interrupt */
export function waitForInterrupt(): void {
  fakeCpu.interruptsEnabled = true;
}
/**
 * Body of every loop that polls memory another thread or an interrupt handler writes (pause). Being
 * a call into assembly, it also stops the C compiler from keeping that memory in a register across
 * iterations, which at -O2 would turn the loop into one that never ends (docs/language.md).
 */
/**
 * Stores `value` into `count` consecutive 32-bit words from `addr` (rep stosl): clearing a
 * framebuffer is one instruction rather than a loop of millions.
 * @extern keel_fill32
 */
export function fill32(addr: number, count: number, value: number): void {
  for (let i = 0; i < count; i++) store32(addr + i * 4, value);
}

/** @extern keel_cpu_relax */
export function cpuRelax(): void {}
/** Orders memory accesses in the generated C around it (no instruction of its own beyond the call). */
/** @extern keel_compiler_barrier */
export function compilerBarrier(): void {}
/** Stops this CPU for good (cli; hlt loop). */
/** @extern keel_halt_forever */
export function haltForever(): never {
  throw new Error("halted");
}

/** lgdt/lidt with a pseudo-descriptor (limit, base); ltr with a selector. */
/** @extern keel_lgdt */
export function lgdt(base: number, limit: number): void {
  void base;
  void limit;
}
/** @extern keel_lidt */
export function lidt(base: number, limit: number): void {
  void base;
  void limit;
}
/** @extern keel_ltr */
export function ltr(selector: number): void {
  void selector;
}
/** Reloads CS (far return) and the data segment registers after a new GDT is loaded. */
/** @extern keel_reload_segments */
export function reloadSegments(codeSelector: number, dataSelector: number): void {
  void codeSelector;
  void dataSelector;
}

/** Current frame pointer (rbp), for backtraces. */
/** @extern keel_read_rbp */
export function readRbp(): number {
  return 0;
}

/** Multiboot2 handoff, saved by the entry stub: the magic in eax and the info address in ebx. */
/** @extern keel_boot_magic */
export function bootMagic(): number {
  return fakeCpu.bootMagic;
}
/** @extern keel_boot_info */
export function bootInfoPhys(): number {
  return fakeCpu.bootInfo;
}

/**
 * Kernel image bounds from the linker script, as virtual addresses:
 * 0 image start, 1 end of text, 2 end of rodata, 3 end of data, 4 end of bss (image end),
 * 5 top of the boot stack.
 */
/** @extern keel_kernel_section */
export function kernelSection(which: number): number {
  return fakeCpu.sections[which] ?? 0;
}

/**
 * Saves callee-saved registers on the current stack, stores rsp at `saveSpAddr`, switches to the
 * stack pointer saved at `loadSpAddr` and returns into the thread that saved it (or into the
 * thread trampoline for a new one).
 */
/** @extern keel_context_switch */
export function contextSwitch(saveSpAddr: number, loadSpAddr: number): void {
  void saveSpAddr;
  void loadSpAddr;
  throw new Error("contextSwitch has no host implementation");
}

/**
 * The IPC fast path's exit from a system call that blocks (syscall.S): the running thread's stack
 * is cut back to its Frame at `ownFrame`, resumable by any later switch (keel_fast_resume finishes
 * its call), and saved at `saveSpAddr`; then out to user mode on `nextFrame`, or, when that is 0,
 * a switch to the stack saved at `loadSpAddr`. Never returns.
 */
/** @extern keel_fast_leave */
export function fastLeave(saveSpAddr: number, ownFrame: number, loadSpAddr: number, nextFrame: number): void {
  void saveSpAddr;
  void ownFrame;
  void loadSpAddr;
  void nextFrame;
  throw new Error("fastLeave has no host implementation");
}

/** Address of the assembly trampoline a new thread's first context switch returns into. */
/** @extern keel_thread_trampoline_addr */
export function threadTrampolineAddr(): number {
  return 0x1000;
}

/** Writes `code` to the isa-debug-exit port (QEMU exits with (code << 1) | 1). */
/** @extern keel_qemu_exit */
export function qemuExit(code: number): never {
  throw new Error(`qemu exit ${code}`);
}

/** Address of the interrupt entry stub for vector i (0..255), for the IDT gates. */
/** @extern keel_interrupt_stub_addr */
export function interruptStubAddr(i: number): number {
  return 0x100000 + i * 16;
}

/** TSC value read by the entry stub right after the CPU check: the origin of boot timings. */
/** @extern keel_entry_tsc */
export function entryTsc(): bigint {
  return 0n;
}
