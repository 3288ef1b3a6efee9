// The kernel's panic: keelc's runtime calls keel_panic_hook for every panic (`panic()` from
// lang/core.ts, failed bounds or null checks, `throw`), with C strings by address.
// Prints the message, its TypeScript location and a symbolised backtrace, then stops the CPU.
import { load8, store8 } from "../lang/mem.ts";
import { readBytes } from "../lang/host/memory.ts";
import { cli, haltForever, qemuExit, readRbp } from "./arch/x86_64/cpu.ts";
import { printBacktrace } from "./arch/x86_64/backtrace.ts";

/** Raw output of `len` bytes at `addr` (the console hook every keelc program provides). */
/** @extern keel_write */
export function writeRaw(addr: number, len: number): void {
  process.stdout.write(Buffer.from(readBytes(addr, len)));
}

const MAX_CSTRING = 512;

let lineBuf = 0;
let lineCap = 0;
let lineLen = 0;
let panicking = false;
let exitCode = 0;
/** Panics so far (more than one means a panic inside the panic path). */
export let panicCount = 0;

/** Whether a panic has begun (the framebuffer console then draws again, even after a hand-over). */
export function panicInProgress(): boolean {
  return panicCount > 0;
}

/**
 * Gives the panic path `size` bytes of addressable scratch memory for composing lines that mix
 * literals and C strings. Without it (before interruptsInit) the parts go out on separate lines.
 */
export function panicSetScratch(addr: number, size: number): void {
  lineBuf = addr;
  lineCap = size;
}

/** Makes a panic end QEMU through isa-debug-exit with `code` (test boots); 0 halts instead. */
export function panicSetExitCode(code: number): void {
  exitCode = code;
}

/** Length of the NUL-terminated string at `addr`, at most MAX_CSTRING. */
function cstrLength(addr: number): number {
  if (addr === 0) return 0;
  let n = 0;
  while (n < MAX_CSTRING && load8(addr + n) !== 0) n++;
  return n;
}

function lineByte(b: number): void {
  if (lineLen < lineCap - 1) {
    store8(lineBuf + lineLen, b);
    lineLen++;
  }
}

function lineLiteral(s: string): void {
  for (let i = 0; i < s.length; i++) lineByte(s.charCodeAt(i));
}

function lineCString(addr: number): void {
  const n = cstrLength(addr);
  for (let i = 0; i < n; i++) lineByte(load8(addr + i));
}

function lineNumber(v: number): void {
  if (v < 0) {
    lineByte(45);
    lineNumber(-v);
    return;
  }
  if (v >= 10) lineNumber(Math.floor(v / 10));
  lineByte(48 + (v % 10));
}

function lineFlush(): void {
  lineByte(10);
  writeRaw(lineBuf, lineLen);
  lineLen = 0;
}

/** Prints `<prefix><C string at addr><suffix>` as one line (or as best it can without scratch). */
function printCStringLine(prefix: string, addr: number, line: number): void {
  if (lineCap > 2) {
    lineLen = 0;
    lineLiteral(prefix);
    lineCString(addr);
    if (line > 0) {
      lineByte(58);
      lineNumber(line);
    }
    lineFlush();
  } else {
    console.log(prefix);
    writeRaw(addr, cstrLength(addr));
    if (line > 0) {
      console.log(`:${line}`);
    } else {
      console.log("");
    }
  }
}

/** @export keel_panic_hook */
export function panicHook(msg: number, file: number, line: number): void {
  cli();
  panicCount++;
  if (panicking) {
    // A fault while reporting: say so once and stop, rather than recurse.
    console.log("PANIC (again, while panicking)");
    printCStringLine("PANIC: ", msg, 0);
    haltForever();
  }
  panicking = true;
  printCStringLine("PANIC: ", msg, 0);
  printCStringLine("  at ", file, line);
  console.log("backtrace:");
  printBacktrace(readRbp(), 0);
  if (exitCode !== 0) qemuExit(exitCode);
  haltForever();
}
