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
/**
 * How long a byte waits for the transmitter: long enough for a slow reader at the other end (a
 * busy host draining QEMU's pipe) and bounded, so that a wedged UART cannot hang the kernel.
 */
const SPIN_LIMIT = 20_000_000;

let serialEnabled = true;
/**
 * A wait timed out: the transmitter is taken as wedged, and each later byte only checks it once,
 * counting the bytes it has to drop until the transmitter takes one again.
 */
let wedged = false;
/** Bytes dropped since boot, and since the transmitter last took one. */
let dropped = 0;
let droppedNow = 0;

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

function transmitterReady(spins: number): boolean {
  for (let i = 0; i < spins; i++) {
    if ((inb(COM1 + Reg.LineStatus) & LSR_THR_EMPTY) !== 0) return true;
  }
  return false;
}

function put(b: number): void {
  outb(COM1 + Reg.Data, b & 0xff);
}

/**
 * Writes one byte, waiting (bounded) for the transmitter to take it. Nothing is lost silently:
 * bytes a wedged transmitter could not take are counted, and once it takes bytes again the line
 * says how many went missing.
 */
export function serialWriteByte(b: number): void {
  if (!serialEnabled) return;
  if (!transmitterReady(wedged ? 1 : SPIN_LIMIT)) {
    wedged = true;
    dropped++;
    droppedNow++;
    return;
  }
  if (wedged) {
    wedged = false;
    putText("\n[serial: ");
    putNumber(droppedNow);
    droppedNow = 0;
    putText(" bytes dropped]\n");
  }
  put(b);
}

/** Writes text while the transmitter keeps up (a note of the driver's own; never recursive). */
function putText(text: string): void {
  for (let i = 0; i < text.length; i++) {
    if (!transmitterReady(SPIN_LIMIT)) return;
    put(text.charCodeAt(i));
  }
}

function putNumber(n: number): void {
  let div = 1;
  while (div * 10 <= n) div *= 10;
  for (; div >= 1; div = Math.floor(div / 10)) {
    if (!transmitterReady(SPIN_LIMIT)) return;
    put(48 + (Math.floor(n / div) % 10));
  }
}

/** Bytes dropped while the transmitter was wedged, since boot. */
export function serialDroppedBytes(): number {
  return dropped;
}

/** Port of the debug console QEMU and Bochs offer (`-debugcon`); only used when keel.debugcon=1. */
export const DEBUGCON_PORT = 0xe9;
let debugcon = false;

/** On real hardware port 0xe9 may belong to something else: nothing is written there unless asked. */
export function debugconSetEnabled(on: boolean): void {
  debugcon = on;
}

export function debugconWriteByte(b: number): void {
  if (debugcon) outb(DEBUGCON_PORT, b);
}
