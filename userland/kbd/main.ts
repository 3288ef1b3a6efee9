// kbd: the PS/2 keyboard driver (i8042, ISA IRQ 1). init starts it with three capabilities, in
// this order: the IRQ line, the data port 0x60 and the status/command port 0x64. It enables the
// ports, turns the controller's keyboard interrupt on, and then, for every interrupt, reads the
// bytes waiting in the controller, turns them into key events (keymap.ts) and acknowledges the
// line. Until a console service consumes them, each key press is reported on the log.
import { FIRST_START_HANDLE } from "../../abi/process.ts";
import { inb, ioPortEnable, irqAck, irqBind, outb } from "../lib/device.ts";
import { notificationCreate, notificationWait } from "../lib/ipc.ts";
import { Line, lineChar, lineEnd, lineNum, lineStr } from "../lib/runtime.ts";
import { errorText, exit } from "../lib/sys.ts";
import { Keyboard, keyboardFeed, Mod } from "./keymap.ts";

const IRQ = FIRST_START_HANDLE;
const DATA_RANGE = FIRST_START_HANDLE + 1;
const STATUS_RANGE = FIRST_START_HANDLE + 2;
const DATA = 0x60;
const STATUS = 0x64;
const OUTPUT_FULL = 1;
const INPUT_FULL = 2;
/** Controller configuration byte: bit 0 enables the keyboard's interrupt. */
const CONFIG_KEYBOARD_IRQ = 1;
const SPIN_LIMIT = 100000;

function fail(what: string, r: number): never {
  console.log(`kbd: ${what}: ${errorText(r)}`);
  return exit(1);
}

function waitInputEmpty(): void {
  for (let i = 0; i < SPIN_LIMIT && (inb(STATUS) & INPUT_FULL) !== 0; i++) {}
}

function waitOutputFull(): boolean {
  for (let i = 0; i < SPIN_LIMIT; i++) if ((inb(STATUS) & OUTPUT_FULL) !== 0) return true;
  return false;
}

let r = ioPortEnable(DATA_RANGE);
if (r < 0) fail("data port", r);
r = ioPortEnable(STATUS_RANGE);
if (r < 0) fail("status port", r);
const n = notificationCreate();
if (n < 0) fail("notification", n);

// Drop whatever waited in the controller, then make sure the keyboard interrupt is on.
while ((inb(STATUS) & OUTPUT_FULL) !== 0) inb(DATA);
waitInputEmpty();
outb(STATUS, 0x20);
if (waitOutputFull()) {
  const config = inb(DATA);
  waitInputEmpty();
  outb(STATUS, 0x60);
  waitInputEmpty();
  outb(DATA, config | CONFIG_KEYBOARD_IRQ);
}
r = irqBind(IRQ, n, 1);
if (r < 0) fail("irq bind", r);
console.log("kbd: ready");

const kb = new Keyboard();
const line = new Line(80);
for (;;) {
  const bits = notificationWait(n, -1);
  if (bits < 0) fail("wait", bits);
  while ((inb(STATUS) & OUTPUT_FULL) !== 0) {
    if (!keyboardFeed(kb, inb(DATA))) continue;
    const e = kb.event;
    if (!e.pressed) continue;
    lineStr(line, "kbd: key ");
    if (e.char >= 0x21 && e.char < 0x7f) lineChar(lineChar(lineChar(line, 0x27), e.char), 0x27);
    else lineNum(lineStr(line, "code "), e.char !== 0 ? e.char : e.key);
    if ((e.mods & Mod.Ctrl) !== 0) lineStr(line, " ctrl");
    if ((e.mods & Mod.Shift) !== 0) lineStr(line, " shift");
    lineEnd(line);
  }
  irqAck(IRQ);
}
