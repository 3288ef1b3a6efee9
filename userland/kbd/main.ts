// kbd: the PS/2 keyboard driver (i8042, ISA IRQ 1). init starts it with three capabilities, in
// this order: the IRQ line, the data port 0x60 and the status/command port 0x64. It enables the
// ports, turns the controller's keyboard interrupt on, and then, for every interrupt, reads the
// bytes waiting in the controller, turns them into key events (keymap.ts) and acknowledges the
// line. Key presses go to the console service as the bytes a terminal sends (characters, Ctrl
// combinations as control codes, ESC sequences for the arrows, Home, End and Delete) when init
// gave it the console endpoint as a fourth capability; without one, each is reported on the log.
import { FIRST_START_HANDLE } from "../../abi/process.ts";
import { inb, ioPortEnable, irqAck, irqBind, outb } from "../lib/device.ts";
import { capType, msgAlloc, notificationCreate, notificationWait, ObjectType } from "../lib/ipc.ts";
import { consoleInput } from "../lib/console.ts";
import { Key } from "./keymap.ts";
import { Line, lineChar, lineEnd, lineNum, lineStr } from "../lib/runtime.ts";
import { errorText, exit } from "../lib/sys.ts";
import { Keyboard, keyboardFeed, Mod } from "./keymap.ts";

const IRQ = FIRST_START_HANDLE;
const DATA_RANGE = FIRST_START_HANDLE + 1;
const STATUS_RANGE = FIRST_START_HANDLE + 2;
const CONSOLE = FIRST_START_HANDLE + 3;
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

// No controller answers on a machine without one: its status reads 0xff. Nothing to drive
// (status 0: init leaves it stopped), rather than reading "output full" for ever.
if (inb(STATUS) === 0xff) {
  console.log("kbd: no i8042 controller (its status reads 0xff); nothing to drive");
  exit(0);
}
// Drop whatever waited in the controller (a few bytes at most), then make sure the keyboard
// interrupt is on.
for (let i = 0; i < 64 && (inb(STATUS) & OUTPUT_FULL) !== 0; i++) inb(DATA);
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

/** The bytes a terminal sends for a key without a character (none for keys it has no sequence for). */
function keySequence(key: number): string {
  switch (key) {
    case Key.Up: return "\x1b[A";
    case Key.Down: return "\x1b[B";
    case Key.Right: return "\x1b[C";
    case Key.Left: return "\x1b[D";
    case Key.Home: return "\x1b[H";
    case Key.End: return "\x1b[F";
    case Key.Delete: return "\x1b[3~";
    case Key.PageUp: return "\x1b[5~";
    case Key.PageDown: return "\x1b[6~";
    default: return "";
  }
}

const toConsole = capType(CONSOLE) === ObjectType.Endpoint;
const msg = msgAlloc();
let dropped = 0;

function toConsoleKey(char: number, key: number): void {
  const bytes: number[] = [];
  if (char !== 0) {
    // Enter is CR, as a terminal's; Backspace DEL.
    bytes.push(char === 10 ? 13 : char === 8 ? 0x7f : char);
  } else {
    const seq = keySequence(key);
    for (let i = 0; i < seq.length; i++) bytes.push(seq.charCodeAt(i));
  }
  if (bytes.length === 0) return;
  if (consoleInput(CONSOLE, msg, bytes, bytes.length) < 0) {
    dropped++;
    console.log(`kbd: the console's queue is full: ${dropped} keys dropped so far`);
  }
}

const kb = new Keyboard();
const line = new Line(80);
for (;;) {
  const bits = notificationWait(n, -1);
  if (bits < 0) fail("wait", bits);
  while ((inb(STATUS) & OUTPUT_FULL) !== 0) {
    if (!keyboardFeed(kb, inb(DATA))) continue;
    const e = kb.event;
    if (!e.pressed) continue;
    if (toConsole) {
      toConsoleKey(e.char, e.key);
      continue;
    }
    lineStr(line, "kbd: key ");
    if (e.char >= 0x21 && e.char < 0x7f) lineChar(lineChar(lineChar(line, 0x27), e.char), 0x27);
    else lineNum(lineStr(line, "code "), e.char !== 0 ? e.char : e.key);
    if ((e.mods & Mod.Ctrl) !== 0) lineStr(line, " ctrl");
    if ((e.mods & Mod.Shift) !== 0) lineStr(line, " shift");
    lineEnd(line);
  }
  irqAck(IRQ);
}
