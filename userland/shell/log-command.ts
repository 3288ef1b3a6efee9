// The shell's `log` command: the system's log as the log service keeps it (userland/lib/log.ts),
// one line per record with its time since boot, its source and, unless it is Info, its level.
//   log [-n count] [-l error|warn|info|debug] [-f]
// -n shows only the last count records, -l only those at that level or more serious, -f goes on
// showing new records as they come until a key is pressed.
import { LogLevel, LogFlag } from "../../abi/log.ts";
import { ConsoleStatus, consoleReadNoWait } from "../lib/console.ts";
import { Output, sayLine } from "./output.ts";
import { notificationCreate, notificationWait } from "../lib/ipc.ts";
import { LogClient, LogEntry, LogStatus, levelName, logEntry, logRead } from "../lib/log.ts";
import { errorText } from "../lib/sys.ts";
import { decimalArg } from "../lib/args.ts";

/** Pages of the shell's buffer for records (32 records a page), and where it is mapped. */
const LOG_PAGES = 4;
const LOG_VIEW = 0x62000000;
/** How often `log -f` asks for new records. */
const FOLLOW_NS = 200000000;

class LogState {
  client: LogClient | null = null;
  /** The first parts of a line longer than a record, until its last part (LogFlag.Continued). */
  held: LogEntry | null = null;
  sleeper = 0;
}

const state = new LogState();

function digits(n: number, width: number, fill: string): string {
  let s = `${n}`;
  while (s.length < width) s = `${fill}${s}`;
  return s;
}

/** `[    12.345678] name(pid): text`, the level before the text unless it is Info. */
export function logLine(e: LogEntry): string {
  const us = Math.floor(e.timeNs / 1000);
  const when = `[${digits(Math.floor(us / 1000000), 5, " ")}.${digits(us % 1000000, 6, "0")}]`;
  // A module's name is its path on the boot medium: the last part says enough.
  const name = e.name.slice(e.name.lastIndexOf("/") + 1);
  const source = e.pid === 0 ? name : `${name}(${e.pid})`;
  // Programs start their lines with their own name; once is enough.
  const text = e.text.startsWith(`${name}: `) ? e.text.slice(name.length + 2) : e.text;
  const level = e.level === LogLevel.Info || text.startsWith(levelName(e.level)) ? "" : `<${levelName(e.level)}> `;
  const cut = (e.flags & LogFlag.Unfinished) !== 0 ? " [unfinished]" : "";
  return `${when} ${source}: ${level}${text}${cut}`;
}

function levelNamed(s: string): number {
  if (s === "error") return LogLevel.Error;
  if (s === "warn" || s === "warning") return LogLevel.Warn;
  if (s === "info") return LogLevel.Info;
  if (s === "debug") return LogLevel.Debug;
  return -1;
}

class LogOptions {
  last = -1;
  level: number = LogLevel.Debug;
  follow = false;
  error = "";
}

function parse(args: string[]): LogOptions {
  const o = new LogOptions();
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-f") {
      o.follow = true;
    } else if ((a === "-n" || a === "-l") && i + 1 < args.length) {
      const v = args[++i]!;
      if (a === "-n") o.last = decimalArg(v);
      else o.level = levelNamed(v);
      if (o.last < -1 || (a === "-n" && o.last < 0) || o.level < 0) o.error = `bad value '${v}' for ${a}`;
    } else {
      o.error = `unknown argument '${a}'`;
    }
    if (o.error !== "") return o;
  }
  return o;
}

/** One batch from `seq`: prints the records that pass; the next sequence number, or -1 after an error. */
function show(out: Output, c: LogClient, seq: number, o: LogOptions, from: number): number {
  const b = logRead(c, seq);
  if (b.status < 0) {
    sayLine(out, `log: the log service did not answer: ${errorText(b.status)}`);
    return -1;
  }
  if (b.status !== LogStatus.Ok) {
    sayLine(out, "log: the log service refused the request");
    return -1;
  }
  if (b.first > seq && seq > 0) sayLine(out, `log: ${b.first - seq} records were dropped before they could be shown`);
  for (let i = 0; i < b.count; i++) {
    if (b.first + i < from) continue;
    let e = logEntry(c, i);
    const held = state.held;
    if (held !== null) {
      held.text += e.text;
      held.flags = e.flags;
      e = held;
      state.held = null;
    }
    if ((e.flags & LogFlag.Continued) !== 0) {
      state.held = e;
      continue;
    }
    if (e.level <= o.level) sayLine(out, logLine(e));
  }
  return b.next;
}

/** Waits `ns`, or until a key is pressed: true for a key. */
function keyWithin(out: Output, ns: number): boolean {
  if (state.sleeper === 0) state.sleeper = notificationCreate();
  if (state.sleeper > 0) notificationWait(state.sleeper, ns);
  const got = consoleReadNoWait(out.con);
  return got.status === ConsoleStatus.Ok || got.status === ConsoleStatus.Interrupted;
}

/** `log`, with the shell's console and its copy of the log endpoint `ep`. */
export function logCommand(args: string[], out: Output, ep: number): void {
  const o = parse(args);
  if (o.error !== "") {
    sayLine(out, `log: ${o.error}; usage: log [-n count] [-l error|warn|info|debug] [-f]`);
    return;
  }
  if (state.client === null) state.client = new LogClient(ep, LOG_PAGES, LOG_VIEW);
  const c = state.client;
  state.held = null;
  if (c.mem < 0) {
    sayLine(out, `log: no buffer for the records: ${errorText(c.mem)}`);
    return;
  }
  // The first answer says where the log starts; -n needs the end, which a read from far ahead gives.
  let from = 0;
  if (o.last >= 0) {
    const probe = logRead(c, Number.MAX_SAFE_INTEGER);
    if (probe.status !== LogStatus.Ok) {
      sayLine(out, probe.status < 0 ? `log: the log service did not answer: ${errorText(probe.status)}` : "log: the log service refused the request");
      return;
    }
    from = Math.max(0, probe.next - o.last);
  }
  let seq = from;
  for (;;) {
    const next = show(out, c, seq, o, from);
    if (next < 0) return;
    if (next === seq) break;
    seq = next;
  }
  if (!o.follow) return;
  sayLine(out, "log: following; press a key to stop");
  while (!keyWithin(out, FOLLOW_NS)) {
    const next = show(out, c, seq, o, from);
    if (next < 0) return;
    seq = next;
  }
}
