// Devices from user mode (docs/syscalls.md, "Devices"): claiming interrupt lines, I/O ports and
// device memory through the device control capability, using them, and timers. Each call is an
// invocation (the kernel API as messages) on a scratch message buffer; results are numbers,
// negative values error codes as everywhere in the user library.
import { CacheMode, IrqMode, Method } from "../../abi/message.ts";
import { invokeAnswer, invokeWords, msgWord } from "./ipc.ts";
import { Sys, syscall } from "./sys.ts";

export { CacheMode, IrqMode } from "../../abi/message.ts";

/** @extern keel_user_inb */
export function inb(port: number): number {
  void port;
  throw new Error("port I/O needs the machine");
}
/** @extern keel_user_inw */
export function inw(port: number): number {
  void port;
  throw new Error("port I/O needs the machine");
}
/** @extern keel_user_inl */
export function inl(port: number): number {
  void port;
  throw new Error("port I/O needs the machine");
}
/** @extern keel_user_outb */
export function outb(port: number, value: number): void {
  void port;
  void value;
  throw new Error("port I/O needs the machine");
}
/** @extern keel_user_outw */
export function outw(port: number, value: number): void {
  void port;
  void value;
  throw new Error("port I/O needs the machine");
}
/** @extern keel_user_outl */
export function outl(port: number, value: number): void {
  void port;
  void value;
  throw new Error("port I/O needs the machine");
}

/** Invokes method `label` of `h` with three words; the status (0 or -error). Answers: answerWord. */
function call3(h: number, label: number, w0: number, w1: number, w2: number): number {
  return invokeWords(h, label, w0, w1, w2);
}

/** Word `i` of the last answer. */
function answerWord(i: number): number {
  return msgWord(invokeAnswer(), i);
}

/** A method answering a new handle in words[0]: the handle or -error. */
function claim(h: number, label: number, w0: number, w1: number, w2: number): number {
  const r = call3(h, label, w0, w1, w2);
  return r < 0 ? r : answerWord(0);
}

/** An IrqLine handle for ISA IRQ `irq` (or a GSI, with mode), masked until bound. */
export function irqClaim(control: number, line: number, mode: IrqMode): number {
  return claim(control, Method.IrqClaim, line, mode, 0);
}
/** Interrupts on `irq` signal `bits` on notification `n`; unmasks the line. */
export function irqBind(irq: number, n: number, bits: number): number {
  return call3(irq, Method.IrqBind, n, bits, 0);
}
/** The interrupt was handled: unmask the line. */
export function irqAck(irq: number): number {
  return call3(irq, Method.IrqAck, 0, 0, 0);
}
export function ioPortClaim(control: number, base: number, count: number): number {
  return claim(control, Method.IoPortClaim, base, count, 0);
}
/** The first port of an I/O port range (its count: ioPortCount). */
export function ioPortBase(range: number): number {
  const r = call3(range, Method.IoPortInfo, 0, 0, 0);
  return r < 0 ? r : answerWord(0);
}
export function ioPortCount(range: number): number {
  const r = call3(range, Method.IoPortInfo, 0, 0, 0);
  return r < 0 ? r : answerWord(1);
}
/** Pages of a memory object. */
export function memoryPages(mem: number): number {
  const r = call3(mem, Method.MemorySize, 0, 0, 0);
  return r < 0 ? r : answerWord(0);
}
/** This process may use the range's ports from now on (in/out above). */
export function ioPortEnable(range: number): number {
  return call3(range, Method.IoPortEnable, 0, 0, 0);
}
/** A memory object over device memory [phys, phys + pages * 4096), for memory_map. */
export function deviceMemoryClaim(control: number, phys: number, pages: number, cache: CacheMode): number {
  return claim(control, Method.DeviceMemoryClaim, phys, pages, cache);
}
/**
 * The boot framebuffer (device control, Method.FramebufferInfo): 0 with the six words (FbWord,
 * abi/framebuffer.ts) in `out`, or -error (NotFound: the loader set none up).
 */
export function framebufferInfo(control: number, out: number[]): number {
  const r = call3(control, Method.FramebufferInfo, 0, 0, 0);
  if (r < 0) return r;
  for (let i = 0; i < 6; i++) out[i] = answerWord(i);
  return 0;
}
/** Physically contiguous memory for DMA; dmaPhys tells its address. */
export function dmaCreate(control: number, pages: number): number {
  return claim(control, Method.DmaCreate, pages, 0, 0);
}
export function dmaPhys(mem: number): number {
  const r = call3(mem, Method.MemoryPhys, 0, 0, 0);
  return r < 0 ? r : answerWord(0);
}
export function timerCreate(): number {
  return syscall(Sys.TimerCreate, 0, 0, 0, 0, 0, 0);
}
export function timerBind(timer: number, n: number, bits: number): number {
  return call3(timer, Method.TimerBind, n, bits, 0);
}
/** Fires at `deadlineNs` of the monotonic clock, then every `periodNs` (0: once). */
export function timerSet(timer: number, deadlineNs: number, periodNs: number): number {
  return call3(timer, Method.TimerSet, deadlineNs, periodNs, 0);
}
export function timerCancel(timer: number): number {
  return call3(timer, Method.TimerCancel, 0, 0, 0);
}
/** A Power capability, from the device control capability. */
export function powerCreate(control: number): number {
  return claim(control, Method.PowerCreate, 0, 0, 0);
}
/** Turns the machine off; returns only on failure (-Unsupported when the firmware offers no way). */
export function powerOff(power: number): number {
  return call3(power, Method.PowerOff, 0, 0, 0);
}
/** Restarts the machine; returns only with an error (a capability without Write, for instance). */
export function reboot(power: number): number {
  return call3(power, Method.Reboot, 0, 0, 0);
}
