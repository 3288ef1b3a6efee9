// The console service's protocol (docs/services.md, "Console") and its client side. One endpoint,
// served by userland/console; init hands out badged copies: the keyboard and serial drivers send
// Input, programs call Write, Read and SetMode. Text travels in the message itself: word 0 is the
// byte count, the bytes follow from word 1 on (CONSOLE_CHUNK of them at most per message). Every
// call is answered with a ConsoleStatus in the label.
import { load8, store8 } from "../../lang/mem.ts";
import { callRegs, msgAlloc, msgClear, msgLabel, msgSetLabel, msgSetWord, msgWord, send } from "./ipc.ts";
import { CONSOLE_BYTES_OFFSET, CONSOLE_CHUNK, ConsoleOp } from "./console-protocol.ts";

export { CONSOLE_CHUNK, CONSOLE_ENV, ConsoleOp } from "./console-protocol.ts";

export const enum ConsoleReadFlag {
  /** Answer at once: Empty when no input is ready (or another read waits already). */
  NoWait = 1,
}

export const enum ConsoleMode {
  /** Line discipline: echo, backspace, Ctrl-U, a Read gets a whole line; Ctrl-C interrupts, Ctrl-D ends input. */
  Line = 0,
  /** Bytes as they come, no echo (for programs that edit their own line, like the shell). */
  Raw = 1,
}

export const enum ConsoleStatus {
  Ok = 0,
  /** The read was interrupted by Ctrl-C (line mode). */
  Interrupted = 1,
  /** A malformed message: unknown label, bad count. */
  BadRequest = 2,
  /** Input from a sender that is not a driver. */
  NotPermitted = 3,
  /** Too many reads wait already. */
  Busy = 4,
  /** A read that may not wait found no input. */
  Empty = 5,
}

/** Badges init gives the input drivers' copies of the endpoint; clients get CONSOLE_BADGE_CLIENT and up. */
export const CONSOLE_BADGE_KEYBOARD = 1;
export const CONSOLE_BADGE_SERIAL = 2;
export const CONSOLE_BADGE_CLIENT = 16;


/** Puts `n` bytes from `bytes` (starting at `from`) into message `m` as its payload. */
export function consolePack(m: number, bytes: number[], from: number, n: number): void {
  msgSetWord(m, 0, n);
  for (let i = 0; i < n; i++) store8(m + CONSOLE_BYTES_OFFSET + i, bytes[from + i]!);
}

/** The payload of `m`: its bytes, at most CONSOLE_CHUNK. */
export function consoleUnpack(m: number): number[] {
  const n = Math.max(0, Math.min(CONSOLE_CHUNK, msgWord(m, 0)));
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(load8(m + CONSOLE_BYTES_OFFSET + i));
  return out;
}

/** A client of the console at endpoint `ep`. */
export class ConsoleClient {
  ep: number;
  msg = msgAlloc();
  /** Whether the last byte written was a newline (a prompt starts on a new line). */
  atLineStart = true;

  constructor(ep: number) {
    this.ep = ep;
  }
}

function callOp(c: ConsoleClient, op: ConsoleOp): number {
  msgSetLabel(c.msg, op);
  const r = callRegs(c.ep, c.msg, -1);
  return r < 0 ? r : msgLabel(c.msg);
}

/** Writes `bytes`; 0, a ConsoleStatus, or -error. */
export function consoleWriteBytes(c: ConsoleClient, bytes: number[]): number {
  for (let at = 0; at < bytes.length; at += CONSOLE_CHUNK) {
    const n = Math.min(CONSOLE_CHUNK, bytes.length - at);
    msgClear(c.msg);
    consolePack(c.msg, bytes, at, n);
    const r = callOp(c, ConsoleOp.Write);
    if (r !== 0) return r;
  }
  if (bytes.length > 0) c.atLineStart = bytes[bytes.length - 1]! === 10;
  return 0;
}

/** Writes `s` (its UTF-16 code units below 256, others as '?'). */
export function consoleWrite(c: ConsoleClient, s: string): number {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    bytes.push(u < 256 ? u : 0x3f);
  }
  return consoleWriteBytes(c, bytes);
}

/** Sets the console's mode for every client (the foreground program's choice); 0 or an error. */
export function consoleSetMode(c: ConsoleClient, mode: ConsoleMode): number {
  msgClear(c.msg);
  msgSetWord(c.msg, 0, mode);
  return callOp(c, ConsoleOp.SetMode);
}

/** Result of consoleRead: the bytes, or the status that ended the read. */
export class ConsoleInput {
  status = 0;
  bytes: number[] = [];
}

/** Waits for input: up to CONSOLE_CHUNK bytes; none with status Ok means end of input. */
export function consoleRead(c: ConsoleClient): ConsoleInput {
  return readWith(c, 0);
}

/** The input ready now, without waiting: status Empty when there is none. */
export function consoleReadNoWait(c: ConsoleClient): ConsoleInput {
  return readWith(c, ConsoleReadFlag.NoWait);
}

function readWith(c: ConsoleClient, flags: number): ConsoleInput {
  const got = new ConsoleInput();
  msgClear(c.msg);
  msgSetWord(c.msg, 0, CONSOLE_CHUNK);
  msgSetWord(c.msg, 1, flags);
  const r = callOp(c, ConsoleOp.Read);
  got.status = r;
  if (r === 0) got.bytes = consoleUnpack(c.msg);
  return got;
}

/** A driver's input: `n` bytes of `bytes`, sent without waiting for the console. */
export function consoleInput(ep: number, m: number, bytes: number[], n: number): number {
  for (let at = 0; at < n; at += CONSOLE_CHUNK) {
    msgClear(m);
    msgSetLabel(m, ConsoleOp.Input);
    consolePack(m, bytes, at, Math.min(CONSOLE_CHUNK, n - at));
    const r = send(ep, m, 0);
    if (r < 0) return r;
  }
  return 0;
}
