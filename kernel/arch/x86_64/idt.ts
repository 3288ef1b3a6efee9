// Interrupt descriptor table: 256 interrupt gates pointing at the assembly entry stubs.
import { store32 } from "../../../lang/mem.ts";
import { low32, high32 } from "./words.ts";
import { Selector, Ist } from "./gdt.ts";

export const IDT_ENTRIES = 256;
export const IDT_SIZE = IDT_ENTRIES * 16;

export const enum GateType {
  Interrupt = 0xe, // clears IF on entry: every Keel handler starts with interrupts off
  Trap = 0xf,
}

/** Writes gate `vector`: handler address, IST slot (0 for none), privilege needed to `int` it. */
export function setGate(idt: number, vector: number, handler: number, ist: number, dpl: number): void {
  const at = idt + vector * 16;
  const lo = low32(handler);
  store32(at, (Selector.KernelCode << 16) | (lo & 0xffff));
  store32(at + 4, (lo & 0xffff0000) | 0x8000 | ((dpl & 3) << 13) | (GateType.Interrupt << 8) | (ist & 7));
  store32(at + 8, high32(handler));
  store32(at + 12, 0);
}

/**
 * IST choice per vector: #DF and NMI (and #MC) get their own stacks so that a kernel stack overflow,
 * or an NMI arriving on a bad stack, is still reported.
 */
export function istFor(vector: number): number {
  if (vector === 8) return Ist.DoubleFault;
  if (vector === 2) return Ist.Nmi;
  if (vector === 18) return Ist.MachineCheck;
  return Ist.None;
}

/**
 * Every gate is DPL 0, so `int n` from ring 3 raises #GP. User mode will need DPL 3 on #BP (3) and
 * #OF (4) if it wants int3/into to reach their handlers; syscalls use the syscall instruction.
 */
export function buildIdt(idt: number, stubAddr: (vector: number) => number): void {
  for (let v = 0; v < IDT_ENTRIES; v++) setGate(idt, v, stubAddr(v), istFor(v), 0);
}
