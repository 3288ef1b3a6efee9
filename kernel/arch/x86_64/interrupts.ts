// Interrupt dispatch: every vector's entry stub calls keel_interrupt(frame) with interrupts off.
// Exceptions go to the exception reporter, device and timer vectors to registered handlers followed
// by end-of-interrupt, spurious vectors are counted and dropped. After EOI the return hook runs
// (the scheduler's preemption point), so a thread switch there never holds up other interrupts.
import { load64 } from "../../../lang/mem.ts";
import { interruptStubAddr, lgdt, lidt, ltr, reloadSegments, kernelSection } from "./cpu.ts";
import { Frame } from "./frame.ts";
import { buildGdt, buildTss, GDT_SIZE, Selector, tssSetRsp0Word } from "./gdt.ts";
import { buildIdt, IDT_SIZE } from "./idt.ts";
import { EXCEPTION_VECTORS, handleException } from "./exceptions.ts";
import { apicEoi, apicErrorStatus, apicInit, apicPhysBase } from "./apic.ts";
import { ioapicInit, IOAPIC_DEFAULT_PHYS, ioapicSetPhysBase } from "./ioapic.ts";
import { isPicVector, picRemapAndMask } from "./pic.ts";
import { mmioAddress } from "./mmio.ts";
import { IO_BITMAP_BYTES, ioBitmapInit } from "./io-bitmap.ts";
import { APIC_ERROR_VECTOR, SPURIOUS_VECTOR } from "./vectors.ts";

export const VECTORS = 256;

/** A device or timer interrupt handler; runs with interrupts off, before EOI. */
export type IrqHandler = (vector: number, frame: number) => void;
/** Runs after EOI on the way out of every hardware interrupt. */
export type ReturnHook = () => void;

function unexpectedIrq(vector: number, frame: number): void {
  void frame;
  if (unexpectedCount < 8) console.log(`interrupts: unexpected vector ${vector}`);
  unexpectedCount++;
}

function noReturnHook(): void {}

const irqHandlers = new Array<IrqHandler>(VECTORS).fill(unexpectedIrq);
const counts = new Array<number>(VECTORS).fill(0);
let returnHook: ReturnHook = noReturnHook;
let unexpectedCount = 0;
let spuriousCount = 0;
let depth = 0;

// Where the descriptor tables live once interruptsInit has run.
let gdtAddr = 0;
let tssAddr = 0;
let idtAddr = 0;

/** Routes `vector` (32..255) to `fn`. */
export function registerIrqHandler(vector: number, fn: IrqHandler): void {
  if (vector < EXCEPTION_VECTORS || vector >= VECTORS) return;
  irqHandlers[vector] = fn;
}

export function unregisterIrqHandler(vector: number): void {
  if (vector < EXCEPTION_VECTORS || vector >= VECTORS) return;
  irqHandlers[vector] = unexpectedIrq;
}

export function setInterruptReturnHook(fn: ReturnHook): void {
  returnHook = fn;
}

/** Interrupts taken on `vector` since boot. */
export function interruptCount(vector: number): number {
  return counts[vector]!;
}

export function spuriousInterrupts(): number {
  return spuriousCount;
}

/** Whether the CPU is inside an interrupt handler (the scheduler must not block there). */
export function inInterrupt(): boolean {
  return depth > 0;
}

/** @export keel_interrupt */
export function onInterrupt(frame: number): void {
  const vector = Number(load64(frame + Frame.VECTOR) & 0xffn);
  counts[vector] = counts[vector]! + 1;
  depth++;
  if (vector < EXCEPTION_VECTORS) {
    handleException(frame, vector);
    depth--;
    return;
  }
  if (vector === SPURIOUS_VECTOR || isPicVector(vector)) {
    // Neither the APIC's spurious vector nor a masked PIC's IRQ 7/15 takes an EOI.
    spuriousCount++;
    depth--;
    return;
  }
  if (vector === APIC_ERROR_VECTOR) {
    console.log(`interrupts: local APIC error, status 0x${apicErrorStatus().toString(16)}`);
  } else {
    irqHandlers[vector]!(vector, frame);
  }
  apicEoi();
  depth--;
  returnHook();
}

/** Pages of each IST stack (#DF, NMI, #MC). */
export const IST_PAGES = 4;
const PAGE = 4096;
/** Offset and size of the panic path's scratch memory in the descriptor-table page. */
export const SCRATCH_OFFSET = 2048;
export const SCRATCH_BYTES = 2048;

/** Pages of the descriptor-table area: GDT, TSS and scratch, then the I/O permission bitmap. */
export const TABLE_PAGES = 4;
/** Offset of the TSS in the table area. */
const TSS_OFFSET = 128;

/**
 * Builds the GDT and TSS in `tables` (TABLE_PAGES pages: GDT at 0, TSS at 128, from SCRATCH_OFFSET
 * scratch for the panic path; from the second page the TSS's I/O permission bitmap and its
 * closing byte), the IDT in `idt` (one page), with IST stacks whose tops are given, and loads
 * all of them.
 */
function interruptsInitAt(tables: number, idt: number, dfStackTop: number, nmiStackTop: number, mcStackTop: number): void {
  gdtAddr = tables;
  tssAddr = tables + TSS_OFFSET;
  idtAddr = idt;
  const ioMapBase = PAGE - TSS_OFFSET;
  // rsp0 matters only for ring 3; the scheduler points it at each thread's stack.
  buildTss(tssAddr, kernelSection(5), dfStackTop, nmiStackTop, mcStackTop, ioMapBase);
  ioBitmapInit(tssAddr + ioMapBase);
  // The limit covers the bitmap and the all-ones byte after it (the CPU may read two bytes).
  buildGdt(gdtAddr, tssAddr, ioMapBase + IO_BITMAP_BYTES + 1);
  buildIdt(idtAddr, interruptStubAddr);
  lgdt(gdtAddr, GDT_SIZE - 1);
  reloadSegments(Selector.KernelCode, Selector.KernelData);
  ltr(Selector.Tss);
  lidt(idtAddr, IDT_SIZE - 1);
}

/**
 * Builds and loads the descriptor tables in the pages given (`tables`: TABLE_PAGES, `idt`: one; the
 * IST stacks: IST_PAGES pages each, by their lowest address), masks the legacy PIC and enables
 * the local APIC and the I/O APIC at physical `ioapicPhys` (the MADT's; 0 or one that does not
 * answer: the PC default), every input masked. Interrupts stay off.
 */
export function interruptsInit(tables: number, idt: number, df: number, nmi: number, mc: number, ioapicPhys: number): void {
  interruptsInitAt(tables, idt, df + IST_PAGES * PAGE, nmi + IST_PAGES * PAGE, mc + IST_PAGES * PAGE);
  picRemapAndMask();
  apicInit(mmioAddress(apicPhysBase(), 4096));
  let phys = ioapicPhys;
  let inputs = phys !== 0 ? ioapicInit(mmioAddress(phys, 4096)) : 0;
  if (inputs === 0) {
    if (phys !== 0) console.log(`interrupts: no I/O APIC answers at 0x${phys.toString(16)} (MADT); trying the PC default`);
    else console.log("interrupts: the MADT names no I/O APIC; using the PC default address");
    phys = IOAPIC_DEFAULT_PHYS;
    inputs = ioapicInit(mmioAddress(phys, 4096));
  }
  ioapicSetPhysBase(phys);
  console.log(`interrupts: GDT, TSS (IST for #DF, NMI, #MC), IDT loaded; PIC masked; local APIC on; I/O APIC at 0x${phys.toString(16)} with ${inputs} inputs`);
}

/**
 * Sets the ring-3 entry stack (the running thread's kernel stack top).
 * @inline
 */
export function setKernelEntryStack(top: bigint): void {
  if (tssAddr !== 0) tssSetRsp0Word(tssAddr, top);
}

/** Address of the TSS, or 0 before interruptsInit. */
export function currentTss(): number {
  return tssAddr;
}
