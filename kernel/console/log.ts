// Kernel log: leveled messages (filtered by keel.log=) and the sink of console.log in compiled
// kernel code (keel_write). Output goes to serial and, once it is set up, the framebuffer console.
import { load8 } from "../../lang/mem.ts";
import { LogLevel } from "../../abi/log.ts";
import { logRingByte, logSourceKernel } from "./log-ring.ts";
import { debugconWriteByte, serialWriteByte } from "./serial.ts";
import {
  COLOUR_DEBUG, COLOUR_DEFAULT, COLOUR_ERROR, COLOUR_WARN, framebufferSetColour, framebufferWriteByte,
} from "./framebuffer.ts";


let level = LogLevel.Info;

export function setLogLevel(l: number): void {
  level = l;
}

export function logLevel(): number {
  return level;
}

/** One byte to every console (the framebuffer console ignores it until it is initialised). */
export function consoleWriteByte(b: number): void {
  serialWriteByte(b);
  debugconWriteByte(b);
  framebufferWriteByte(b);
  logRingByte(b);
}

/** A string's characters to every console; characters beyond Latin-1 are written as '?'. */
export function consoleWriteString(s: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    consoleWriteByte(c < 0x100 ? c : 0x3f);
  }
}

/**
 * The runtime's output hook: console.log in compiled kernel code ends here with the formatted bytes.
 * @export keel_write
 */
export function consoleWrite(addr: number, len: number): void {
  for (let i = 0; i < len; i++) consoleWriteByte(load8(addr + i));
}

function levelColour(l: number): number {
  if (l === LogLevel.Error) return COLOUR_ERROR;
  if (l === LogLevel.Warn) return COLOUR_WARN;
  if (l === LogLevel.Debug) return COLOUR_DEBUG;
  return COLOUR_DEFAULT;
}

function levelPrefix(l: number): string {
  if (l === LogLevel.Error) return "error: ";
  if (l === LogLevel.Warn) return "warning: ";
  if (l === LogLevel.Debug) return "debug: ";
  return "";
}

/** Writes `msg` and a newline when `l` passes the keel.log= filter, in the level's colour. */
export function klog(l: number, msg: string): void {
  if (l > level) return;
  logSourceKernel(l);
  framebufferSetColour(levelColour(l));
  consoleWriteString(levelPrefix(l));
  consoleWriteString(msg);
  consoleWriteByte(10);
  framebufferSetColour(COLOUR_DEFAULT);
  logSourceKernel(LogLevel.Info);
}

/** klog with bytes from memory in the middle: `<prefix><bytes at addr..addr+len><suffix>`. */
export function klogBytes(l: number, prefix: string, addr: number, len: number, suffix: string): void {
  if (l > level) return;
  logSourceKernel(l);
  framebufferSetColour(levelColour(l));
  consoleWriteString(levelPrefix(l));
  consoleWriteString(prefix);
  consoleWrite(addr, len);
  consoleWriteString(suffix);
  consoleWriteByte(10);
  framebufferSetColour(COLOUR_DEFAULT);
  logSourceKernel(LogLevel.Info);
}

export function kerror(msg: string): void {
  klog(LogLevel.Error, msg);
}
export function kwarn(msg: string): void {
  klog(LogLevel.Warn, msg);
}
export function kinfo(msg: string): void {
  klog(LogLevel.Info, msg);
}
export function kdebug(msg: string): void {
  klog(LogLevel.Debug, msg);
}
