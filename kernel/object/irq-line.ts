// Interrupt lines as capabilities. A driver claims a line through the device control object
// (device-control.ts) and gets an IrqLine capability; it binds the line to a notification and
// acknowledges each interrupt when it has handled it. A level-triggered line is masked from the
// moment the interrupt arrives until the acknowledgement, so a device that keeps its line
// asserted cannot storm the CPU while its driver runs. An edge-triggered line stays unmasked: an
// edge that came while it was masked would be lost for good (the device keeps its line high and
// never makes another), and each edge is one interrupt, so it cannot storm; its interrupts only
// accumulate in the notification's bits. Every line is masked when the last capability goes (the
// driver died or gave it up) and is then free to be claimed again, by a restarted driver for
// instance. One claim per line: a second is Busy.
//
// Lines are I/O APIC inputs (global system interrupts); ISA IRQs are translated by the caller.
import { release } from "../../lang/core.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { BITS_LIMIT, Method } from "../../abi/message.ts";
import { ObjectType } from "../../abi/object-type.ts";
import { Right, RIGHTS_ALL } from "../../abi/rights.ts";
import { registerIrqHandler, unregisterIrqHandler } from "../arch/x86_64/interrupts.ts";
import { ioapicRouteHere, ioapicSetMasked } from "../arch/x86_64/ioapic.ts";
import { gsiVector, IRQ_VECTOR_BASE } from "../arch/x86_64/vectors.ts";
import { CapTable, lookupCap, lookupError } from "../cap/cap-table.ts";
import { capInstallRoot } from "../cap/cdt.ts";
import type { Message } from "../cap/message.ts";
import { KernelObject, objectCreate } from "../cap/object.ts";
import { Cost } from "../cap/quota.ts";
import { notifySignal, sourceBind, unbindSource } from "./notification.ts";

/** Global system interrupts the vector map has room for (vectors.ts: 0x30..0x47). */
export const MAX_GSI = 24;

export class IrqLine {
  gsi: number;
  level: boolean;
  activeLow: boolean;
  /** Masked at the I/O APIC: until bound, and (level-triggered) from each interrupt to its acknowledgement. */
  masked = true;
  /** Interrupts delivered to the notification. */
  delivered = 0;

  constructor(gsi: number, level: boolean, activeLow: boolean) {
    this.gsi = gsi;
    this.level = level;
    this.activeLow = activeLow;
  }
}

class IrqLines {
  /** Inputs the interrupt controller has (0 until irqLinesInit). */
  inputs = 0;
  /** The object holding each line's claim, or null. */
  owner: Array<KernelObject | null> = new Array<KernelObject | null>(MAX_GSI).fill(null);
  line: Array<IrqLine | null> = new Array<IrqLine | null>(MAX_GSI).fill(null);
  /** Interrupts on lines nobody claimed (masked again at once). */
  unclaimed = 0;
}

const lines = new IrqLines();

/** Lines 0..inputs-1 become claimable (the I/O APIC's input count, at most MAX_GSI). */
export function irqLinesInit(inputs: number): void {
  lines.inputs = Math.min(inputs, MAX_GSI);
}

export function irqLineOf(obj: KernelObject): IrqLine {
  return lines.line[obj.index]!;
}

/** Interrupts that arrived on a line nobody holds. */
export function unclaimedInterrupts(): number {
  return lines.unclaimed;
}

/**
 * Claims line `gsi` into `t`: a new IrqLine capability (every right) or -error. The line stays
 * masked until bound. Busy when someone holds it; InvalidArgument past the controller's inputs.
 */
export function irqClaim(t: CapTable, gsi: number, level: boolean, activeLow: boolean): number {
  if (gsi < 0 || gsi >= lines.inputs) return -ErrorCode.InvalidArgument;
  if (lines.owner[gsi]! !== null) return -ErrorCode.Busy;
  const obj = objectCreate(ObjectType.IrqLine, t.account, Cost.IrqLine);
  if (obj === null) return -ErrorCode.QuotaExceeded;
  obj.index = gsi;
  lines.owner[gsi] = obj;
  lines.line[gsi] = new IrqLine(gsi, level, activeLow);
  ioapicRouteHere(gsi, level, activeLow);
  ioapicSetMasked(gsi, true);
  registerIrqHandler(gsiVector(gsi), onLineInterrupt);
  return capInstallRoot(t, obj, RIGHTS_ALL);
}

function setMasked(l: IrqLine, masked: boolean): void {
  l.masked = masked;
  ioapicSetMasked(l.gsi, masked);
}

/** The interrupt handler of every claimed line (interrupt context, before EOI). */
function onLineInterrupt(vector: number, frame: number): void {
  void frame;
  irqLineFire(vector - IRQ_VECTOR_BASE);
}

/**
 * Line `gsi` raised an interrupt: mask it when level-triggered (the device is served before it
 * may interrupt again), then signal the bound notification. Exported for the host tests, which
 * have no I/O APIC.
 */
export function irqLineFire(gsi: number): void {
  const obj = gsi >= 0 && gsi < MAX_GSI ? lines.owner[gsi]! : null;
  if (obj === null) {
    lines.unclaimed++;
    ioapicSetMasked(gsi, true);
    return;
  }
  const l = lines.line[gsi]!;
  if (l.level) setMasked(l, true);
  const n = obj.boundTo;
  if (n === null) {
    setMasked(l, true);
    return;
  }
  l.delivered++;
  notifySignal(n.notification!, obj.boundBits);
}

/** The last capability went: mask the line and free its claim. */
export function destroyIrqLine(obj: KernelObject): void {
  const gsi = obj.index;
  obj.index = -1;
  if (gsi < 0 || lines.owner[gsi]! !== obj) return;
  unbindSource(obj);
  const l = lines.line[gsi]!;
  setMasked(l, true);
  unregisterIrqHandler(gsiVector(gsi));
  lines.owner[gsi] = null;
  lines.line[gsi] = null;
  release(l);
}

/**
 * IrqBind (Manage; the notification needs Signal): interrupts signal `bits` from now on, and the
 * line is unmasked. A line has one binding; binding again replaces it. IrqAck (Write): unmasks.
 */
export function irqLineInvoke(t: CapTable, h: number, m: Message, a0: number, a1: number): ErrorCode {
  const obj = lookupCap(t, h).object;
  const l = lines.line[obj.index]!;
  switch (m.label) {
    case Method.IrqBind: {
      const e = sourceBind(t, h, ObjectType.IrqLine, a0, a1);
      if (e !== ErrorCode.Ok) return e;
      setMasked(l, false);
      return ErrorCode.Ok;
    }
    case Method.IrqAck: {
      const e = lookupError(t, h, ObjectType.IrqLine, Right.Write);
      if (e !== ErrorCode.Ok) return e;
      setMasked(l, false);
      return ErrorCode.Ok;
    }
    default:
      return ErrorCode.InvalidArgument;
  }
}
