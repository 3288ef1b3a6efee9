// The legacy 8259 PICs. Keel routes device interrupts through the I/O APIC, but the PICs still need
// remapping away from the exception vectors (their power-on base is vector 8, so a spurious IRQ 7
// would arrive as vector 15 and IRQ 0 as a fake #DF) and masking.
import { outb } from "./cpu.ts";
import { PIC_VECTOR_BASE } from "./vectors.ts";

const MASTER_CMD = 0x20;
const MASTER_DATA = 0x21;
const SLAVE_CMD = 0xa0;
const SLAVE_DATA = 0xa1;

function ioWait(): void {
  outb(0x80, 0); // POST port: a harmless write that takes about a microsecond on real hardware
}

/** Remaps IRQ 0-15 to PIC_VECTOR_BASE.. and masks every line. */
export function picRemapAndMask(): void {
  outb(MASTER_CMD, 0x11); // ICW1: init, ICW4 follows
  ioWait();
  outb(SLAVE_CMD, 0x11);
  ioWait();
  outb(MASTER_DATA, PIC_VECTOR_BASE); // ICW2: vector offsets
  ioWait();
  outb(SLAVE_DATA, PIC_VECTOR_BASE + 8);
  ioWait();
  outb(MASTER_DATA, 4); // ICW3: slave on IRQ 2
  ioWait();
  outb(SLAVE_DATA, 2);
  ioWait();
  outb(MASTER_DATA, 1); // ICW4: 8086 mode
  ioWait();
  outb(SLAVE_DATA, 1);
  ioWait();
  outb(MASTER_DATA, 0xff);
  outb(SLAVE_DATA, 0xff);
}

/** Whether `vector` is one the (masked) PICs can still raise, spuriously. */
export function isPicVector(vector: number): boolean {
  return vector >= PIC_VECTOR_BASE && vector < PIC_VECTOR_BASE + 16;
}
