// console: the console service (docs/services.md, "Console"). init starts it with the receive side
// of the console endpoint; the keyboard and serial drivers send it the bytes typed on either, and
// programs (the shell first) write to it and read from it through badged copies. Input from both
// devices is one stream; output goes to the serial port (through the kernel's console, whose log
// shares it) and to the screen through the framebuffer console (fbcon), whose endpoint is the
// second capability; the kernel stops drawing on the screen once fbcon runs.
// In line mode it runs the line discipline: echo, backspace, Ctrl-U, Ctrl-C (the waiting read is
// interrupted), Ctrl-D (end of input), CR or LF ends a line; in raw mode bytes pass unechoed.
import { FIRST_START_HANDLE } from "../../abi/process.ts";
import { callRegs, capType, ObjectType, capDelete, msgCap, msgCapCount, msgBadge, msgClear, msgLabel, msgReplyHandle, msgSetLabel, msgWord, receive, reply, msgAlloc } from "../lib/ipc.ts";
import {
  CONSOLE_BADGE_CLIENT, CONSOLE_BADGE_KEYBOARD, CONSOLE_BADGE_SERIAL, CONSOLE_CHUNK, ConsoleMode, ConsoleOp, ConsoleReadFlag, ConsoleStatus, consolePack,
  consoleUnpack,
} from "../lib/console.ts";
import { malloc } from "../lib/heap.ts";
import { FbconOp, FbconStatus } from "../lib/fbcon.ts";
import { nowNs } from "../lib/clock.ts";
import { store8 } from "../../lang/mem.ts";
import { errorText, exit, writeTerminal } from "../lib/sys.ts";

const ENDPOINT = FIRST_START_HANDLE;
const FBCON = FIRST_START_HANDLE + 1;
/**
 * How long a write waits for fbcon; after a failure the screen is left alone for a while, twice
 * as long after each failure in a row (fbcon restarting, or gone for good after finding a
 * framebuffer it cannot draw), so a missing screen costs the console little.
 */
const FBCON_TIMEOUT_NS = 200000000;
const FBCON_RETRY_FIRST_NS = 1000000000;
const FBCON_RETRY_MAX_NS = 64000000000;
/** Reads that may wait at once (one per client is the normal case). */
const MAX_READERS = 8;
/** Bytes of input kept for readers; more is dropped with a report. */
const INPUT_MAX = 4096;
/** Longest line in line mode. */
const LINE_MAX = 1024;

class Reader {
  constructor(
    public replyHandle: number,
    public max: number,
  ) {}
}

class Console {
  mode = ConsoleMode.Line;
  /** Input ready for readers (whole lines in line mode). */
  ready: number[] = [];
  /** The line being typed (line mode). */
  line: number[] = [];
  /** End of input (Ctrl-D on an empty line) waits for the next read. */
  endOfInput = false;
  interrupted = false;
  readers: Reader[] = [];
  /** Escape sequences in line mode are dropped whole: 0 none, 1 after ESC, 2 in its parameters. */
  escape = 0;
  dropped = 0;
  out = malloc(LINE_MAX + 16);
  msg = msgAlloc();
  /** fbcon's message buffer, and until when it is not tried again after a failure. */
  screen = msgAlloc();
  screenAfter = 0;
  screenFailures = 0;
  screenBackoff = FBCON_RETRY_FIRST_NS;
}

const con = new Console();

function fail(what: string, r: number): never {
  console.log(`console: ${what}: ${errorText(r)}`);
  return exit(1);
}

/** Draws `bytes` through fbcon; a missing or dead fbcon is skipped for a while, with a report. */
function draw(bytes: number[]): void {
  if (!hasScreen || nowNs() < con.screenAfter) return;
  for (let at = 0; at < bytes.length; at += CONSOLE_CHUNK) {
    const n = Math.min(CONSOLE_CHUNK, bytes.length - at);
    msgClear(con.screen);
    msgSetLabel(con.screen, FbconOp.Write);
    consolePack(con.screen, bytes, at, n);
    const r = callRegs(FBCON, con.screen, FBCON_TIMEOUT_NS);
    if (r < 0 || msgLabel(con.screen) !== FbconStatus.Ok) {
      con.screenFailures++;
      con.screenAfter = nowNs() + con.screenBackoff;
      console.log(
        `console: the framebuffer console did not take the text (${r < 0 ? errorText(r) : "refused"}); ` +
          `failures: ${con.screenFailures}, next try in ${Math.floor(con.screenBackoff / 1000000000)} s`,
      );
      con.screenBackoff = Math.min(con.screenBackoff * 2, FBCON_RETRY_MAX_NS);
      return;
    }
  }
  con.screenBackoff = FBCON_RETRY_FIRST_NS;
}

function output(bytes: number[]): void {
  for (let i = 0; i < bytes.length; i++) store8(con.out + i, bytes[i]!);
  if (bytes.length > 0) writeTerminal(con.out, bytes.length);
  draw(bytes);
}

function echo(s: string): void {
  const b: number[] = [];
  for (let i = 0; i < s.length; i++) b.push(s.charCodeAt(i));
  output(b);
}

function answer(replyHandle: number, status: number): void {
  msgClear(con.msg);
  msgSetLabel(con.msg, status);
  reply(replyHandle, con.msg);
  capDelete(replyHandle);
}

/** Answers waiting reads while there is something to give them. */
function serveReaders(): void {
  while (con.readers.length > 0) {
    const r = con.readers[0]!;
    if (con.interrupted) {
      con.interrupted = false;
      con.readers.shift();
      answer(r.replyHandle, ConsoleStatus.Interrupted);
      continue;
    }
    if (con.ready.length > 0) {
      // In line mode a read ends at the end of a line.
      let n = Math.min(r.max, con.ready.length);
      if (con.mode === ConsoleMode.Line) {
        const nl = con.ready.indexOf(10);
        if (nl >= 0 && nl + 1 < n) n = nl + 1;
      }
      const bytes = con.ready.slice(0, n);
      con.ready = con.ready.slice(n);
      con.readers.shift();
      msgClear(con.msg);
      consolePack(con.msg, bytes, 0, bytes.length);
      msgSetLabel(con.msg, ConsoleStatus.Ok);
      reply(r.replyHandle, con.msg);
      capDelete(r.replyHandle);
      continue;
    }
    if (con.endOfInput) {
      con.endOfInput = false;
      con.readers.shift();
      msgClear(con.msg);
      msgSetLabel(con.msg, ConsoleStatus.Ok);
      reply(r.replyHandle, con.msg);
      capDelete(r.replyHandle);
      continue;
    }
    return;
  }
}

function makeReady(bytes: number[]): void {
  if (con.ready.length + bytes.length > INPUT_MAX) {
    con.dropped += bytes.length;
    console.log(`console: input buffer full (INPUT_MAX ${INPUT_MAX} bytes): ${con.dropped} bytes dropped so far`);
    return;
  }
  for (const b of bytes) con.ready.push(b);
}

/** One byte typed, in line mode. */
function lineByte(b: number): void {
  if (con.escape === 1) {
    con.escape = b === 0x5b || b === 0x4f ? 2 : 0;
    return;
  }
  if (con.escape === 2) {
    // Parameters are digits and ';'; any other byte ends the sequence.
    if (!((b >= 0x30 && b <= 0x39) || b === 0x3b)) con.escape = 0;
    return;
  }
  switch (b) {
    case 0x1b:
      con.escape = 1;
      return;
    case 13:
    case 10:
      con.line.push(10);
      echo("\n");
      makeReady(con.line);
      con.line = [];
      return;
    case 8:
    case 0x7f:
      if (con.line.length > 0) {
        con.line.pop();
        echo("\b \b");
      }
      return;
    case 0x15: // Ctrl-U: the line goes
      while (con.line.length > 0) {
        con.line.pop();
        echo("\b \b");
      }
      return;
    case 3: // Ctrl-C
      con.line = [];
      echo("^C\n");
      con.interrupted = con.readers.length > 0;
      return;
    case 4: // Ctrl-D: the line as it is, or the end of input on an empty one
      if (con.line.length === 0) {
        con.endOfInput = true;
      } else {
        makeReady(con.line);
        con.line = [];
      }
      return;
    default:
      if (b < 0x20 && b !== 9) return;
      if (con.line.length >= LINE_MAX) return;
      con.line.push(b);
      output([b]);
  }
}

function input(bytes: number[]): void {
  if (con.mode === ConsoleMode.Raw) {
    makeReady(bytes);
  } else {
    for (const b of bytes) lineByte(b);
  }
  serveReaders();
}

function serve(m: number): void {
  // Capabilities are not part of the protocol: whatever a sender put in goes at once.
  for (let i = 0; i < msgCapCount(m); i++) capDelete(msgCap(m, i));
  const badge = msgBadge(m);
  const rh = msgReplyHandle(m);
  const op = msgLabel(m);
  const count = msgWord(m, 0);
  if (op === ConsoleOp.Input) {
    if (badge !== CONSOLE_BADGE_KEYBOARD && badge !== CONSOLE_BADGE_SERIAL) {
      if (rh > 0) answer(rh, ConsoleStatus.NotPermitted);
      return;
    }
    if (count >= 0 && count <= CONSOLE_CHUNK) input(consoleUnpack(m));
    if (rh > 0) answer(rh, ConsoleStatus.Ok);
    return;
  }
  // Every other operation is a call from a client.
  if (rh <= 0) return;
  if (badge < CONSOLE_BADGE_CLIENT) {
    answer(rh, ConsoleStatus.NotPermitted);
    return;
  }
  switch (op) {
    case ConsoleOp.Write: {
      if (count < 0 || count > CONSOLE_CHUNK) {
        answer(rh, ConsoleStatus.BadRequest);
        return;
      }
      output(consoleUnpack(m));
      answer(rh, ConsoleStatus.Ok);
      return;
    }
    case ConsoleOp.Read: {
      if (count <= 0) {
        answer(rh, ConsoleStatus.BadRequest);
        return;
      }
      // A read that may not wait gets Empty unless it would be answered at once.
      const nothing = con.ready.length === 0 && !con.endOfInput && !con.interrupted;
      if ((msgWord(m, 1) & ConsoleReadFlag.NoWait) !== 0 && (con.readers.length > 0 || nothing)) {
        answer(rh, ConsoleStatus.Empty);
        return;
      }
      if (con.readers.length >= MAX_READERS) {
        answer(rh, ConsoleStatus.Busy);
        return;
      }
      con.readers.push(new Reader(rh, Math.min(count, CONSOLE_CHUNK)));
      serveReaders();
      return;
    }
    case ConsoleOp.SetMode: {
      if (count !== ConsoleMode.Line && count !== ConsoleMode.Raw) {
        answer(rh, ConsoleStatus.BadRequest);
        return;
      }
      // A line half typed goes to the readers as it is when a program takes the raw bytes.
      if (count === ConsoleMode.Raw && con.line.length > 0) {
        makeReady(con.line);
        con.line = [];
      }
      con.mode = count === ConsoleMode.Raw ? ConsoleMode.Raw : ConsoleMode.Line;
      answer(rh, ConsoleStatus.Ok);
      return;
    }
    default:
      answer(rh, ConsoleStatus.BadRequest);
  }
}

const hasScreen = capType(FBCON) === ObjectType.Endpoint;
const m = msgAlloc();
console.log(`console: ready${hasScreen ? "" : " (no framebuffer console: serial only)"}`);
for (;;) {
  const r = receive(ENDPOINT, m, -1);
  if (r < 0) fail("receive", r);
  serve(m);
}
