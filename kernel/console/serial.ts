// COM1 serial console: 115200 baud, 8 data bits, no parity, 1 stop bit (8N1), FIFOs on.
// It is the first output the kernel has and the one the system tests read.
import { inb, outb } from "../arch/x86_64/cpu.ts";

export const COM1 = 0x3f8;

const enum Reg {
  Data = 0, // divisor low byte while DLAB is set
  InterruptEnable = 1, // divisor high byte while DLAB is set
  FifoControl = 2,
  LineControl = 3,
  ModemControl = 4,
  LineStatus = 5,
  Scratch = 7,
}

/** Line status: transmitter holding register empty. */
const LSR_THR_EMPTY = 0x20;
/** Bounded wait so that a missing or wedged UART slows output down instead of hanging the kernel. */
const SPIN_LIMIT = 100000;

let serialEnabled = true;

/** Programs COM1; returns false when no UART answers (the scratch register does not hold a value). */
export function serialInit(): boolean {
  outb(COM1 + Reg.Scratch, 0x5a);
  if (inb(COM1 + Reg.Scratch) !== 0x5a) {
    serialEnabled = false;
    return false;
  }
  outb(COM1 + Reg.InterruptEnable, 0x00); // polled output: no UART interrupts
  outb(COM1 + Reg.LineControl, 0x80); // DLAB on to reach the divisor
  outb(COM1 + Reg.Data, 0x01); // divisor 1 = 115200 baud (115200 / 1)
  outb(COM1 + Reg.InterruptEnable, 0x00);
  outb(COM1 + Reg.LineControl, 0x03); // DLAB off, 8N1
  outb(COM1 + Reg.FifoControl, 0xc7); // enable and clear FIFOs, 14-byte threshold
  outb(COM1 + Reg.ModemControl, 0x03); // DTR, RTS
  serialEnabled = true;
  return true;
}

/** Turns serial output on or off (keel.serial=0|1). */
export function serialSetEnabled(on: boolean): void {
  serialEnabled = on;
}

/** Writes one byte, waiting (bounded) for the transmitter to take it. */
export function serialWriteByte(b: number): void {
  if (!serialEnabled) return;
  for (let i = 0; i < SPIN_LIMIT; i++) {
    if ((inb(COM1 + Reg.LineStatus) & LSR_THR_EMPTY) !== 0) break;
  }
  outb(COM1 + Reg.Data, b & 0xff);
}
