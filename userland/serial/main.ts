// serial: the input side of the 16550 UART on COM1 (ISA IRQ 4). init starts it with two
// capabilities, in this order: the IRQ line and the ports 0x3f8..0x3ff. The kernel keeps writing
// its log to the same UART (polled, no interrupts), so this driver only reads: it enables the
// receive interrupt, takes every byte waiting in the FIFO on each interrupt, and gathers them into
// lines. The bytes go to the console service as they come when init gave it the console endpoint
// as a third capability; without one, each line is reported on the log.
import { FIRST_START_HANDLE } from "../../abi/process.ts";
import { inb, ioPortEnable, irqAck, irqBind, outb } from "../lib/device.ts";
import { capType, msgAlloc, notificationCreate, notificationWait, ObjectType } from "../lib/ipc.ts";
import { consoleInput } from "../lib/console.ts";
import { Line, lineChar, lineEnd, lineStr } from "../lib/runtime.ts";
import { errorText, exit } from "../lib/sys.ts";

const IRQ = FIRST_START_HANDLE;
const PORTS = FIRST_START_HANDLE + 1;
const CONSOLE = FIRST_START_HANDLE + 2;
const COM1 = 0x3f8;
const DATA = COM1;
const INTERRUPT_ENABLE = COM1 + 1;
const FIFO_CONTROL = COM1 + 2;
const MODEM_CONTROL = COM1 + 4;
const LINE_STATUS = COM1 + 5;
const DATA_READY = 1;
/** Enable and clear the FIFOs, interrupt at every byte. */
const FIFO_TRIGGER_1 = 0x07;
/** DTR, RTS, and OUT2, which gates the UART's interrupt on PC hardware. */
const MODEM_OUT2 = 0x0b;
const RECEIVE_INTERRUPT = 1;
const LINE_MAX = 120;

function fail(what: string, r: number): never {
  console.log(`serial: ${what}: ${errorText(r)}`);
  return exit(1);
}

let r = ioPortEnable(PORTS);
if (r < 0) fail("ports", r);
const n = notificationCreate();
if (n < 0) fail("notification", n);
// No UART answers on a machine without a serial port: every register reads 0xff. Nothing to drive
// (status 0: init leaves it stopped), rather than reading "data ready" for ever.
if (inb(LINE_STATUS) === 0xff) {
  console.log("serial: no UART at COM1 (its registers read 0xff); nothing to drive");
  exit(0);
}
outb(FIFO_CONTROL, FIFO_TRIGGER_1);
outb(MODEM_CONTROL, MODEM_OUT2);
// A FIFO holds 16 bytes: more "data ready" than that is a broken UART, not input.
for (let i = 0; i < 64 && (inb(LINE_STATUS) & DATA_READY) !== 0; i++) inb(DATA);
r = irqBind(IRQ, n, 1);
if (r < 0) fail("irq bind", r);
outb(INTERRUPT_ENABLE, RECEIVE_INTERRUPT);
console.log("serial: ready");

const toConsole = capType(CONSOLE) === ObjectType.Endpoint;
const msg = msgAlloc();
let pending: number[] = [];
let dropped = 0;
const line = new Line(LINE_MAX + 32);
let length = 0;
lineStr(line, "serial: line '");
for (;;) {
  const bits = notificationWait(n, -1);
  if (bits < 0) fail("wait", bits);
  while ((inb(LINE_STATUS) & DATA_READY) !== 0) {
    const b = inb(DATA);
    if (toConsole) {
      pending.push(b);
      continue;
    }
    const end = b === 13 || b === 10;
    // A line ends at CR or LF (an empty one, as the LF of CR LF, is no line), or when full.
    if ((end || length >= LINE_MAX) && length > 0) {
      lineEnd(lineChar(line, 0x27));
      length = 0;
      lineStr(line, "serial: line '");
    }
    if (end) continue;
    lineChar(line, b >= 0x20 && b < 0x7f ? b : 0x3f);
    length++;
  }
  if (pending.length > 0) {
    if (consoleInput(CONSOLE, msg, pending, pending.length) < 0) {
      dropped += pending.length;
      console.log(`serial: the console's queue is full: ${dropped} bytes dropped so far`);
    }
    pending = [];
  }
  irqAck(IRQ);
}
