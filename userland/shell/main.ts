// shell: the command line (docs/userland.md, "The shell"). init starts it with a badged copy of
// the console endpoint and, when the manifest grants them, a Power capability, a process table
// capability (ps, kill), the file system endpoint (files.ts: ls, cd, cat, ...; `> file`) and a
// copy of the log service's endpoint (log), and the console and file system endpoints it hands to
// the programs it runs (programs.ts). The prompt shows the working directory. It puts the console
// in raw mode and edits the line itself (left, right, home, end, backspace, delete, history with
// up and down), drawing with nothing but printable bytes, spaces and backspaces so that every
// terminal shows the same line. A command that is not built in is a program in /bin.
import { FIRST_START_HANDLE, Startup } from "../../abi/process.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { ObjectType } from "../../abi/object-type.ts";
import { ConsoleClient, ConsoleMode, ConsoleStatus, consoleRead, consoleSetMode } from "../lib/console.ts";
import { capType, kernelHeapUsed, kernelObjects, quotaLimit, quotaUsed } from "../lib/ipc.ts";
import { nowNs } from "../lib/clock.ts";
import { powerOff, reboot } from "../lib/device.ts";
import { className, ProcessRecord, processKillPid, processRecords, stateName } from "../lib/processes.ts";
import { startupWord } from "../lib/runtime.ts";
import { errorText, exit, Sys, syscall } from "../lib/sys.ts";
import { LineEditor, editorFeed, EditResult } from "./editor.ts";
import { splitWords } from "./words.ts";
import { parseRedirect } from "./redirect.ts";
import { Output, outText } from "./output.ts";
import { Files, fileCommand, sinkClose, sinkOpen } from "./files.ts";
import { logCommand } from "./log-command.ts";
import { decimalArg } from "../lib/args.ts";
import { parseBackground } from "./background.ts";
import { Programs, programKilled, programsPoll, runProgram } from "./programs.ts";

const CONSOLE = FIRST_START_HANDLE;
const POWER = FIRST_START_HANDLE + 1;
const PROCESSES = FIRST_START_HANDLE + 2;
const FS = FIRST_START_HANDLE + 3;
const LOG = FIRST_START_HANDLE + 4;
/** Copies of the console and file system endpoints the shell passes on to its programs only. */
const PROGRAM_CONSOLE = FIRST_START_HANDLE + 5;
const PROGRAM_FS = FIRST_START_HANDLE + 6;
/** The status a process killed from the shell ends with (its parent's wait sees it). */
const KILL_STATUS = 9;

const con = new ConsoleClient(CONSOLE);
const output = new Output(con);
const files = new Files(FS, output);

const programs = new Programs(files, con, output, PROGRAM_CONSOLE, PROGRAM_FS, KILL_STATUS);

function out(s: string): void {
  outText(output, s);
}

function say(s: string): void {
  out(`${s}\n`);
}

class Command {
  constructor(
    public name: string,
    public usage: string,
    public help: string,
  ) {}
}

const COMMANDS: Command[] = [
  new Command("help", "help", "this list"),
  new Command("echo", "echo [word...]", "prints its arguments"),
  new Command("history", "history", "the lines typed so far"),
  new Command("uptime", "uptime", "time since boot"),
  new Command("mem", "mem", "kernel objects, kernel heap, this shell's quota"),
  new Command("ps", "ps", "the processes: pid, name, class, state, threads, capabilities, kernel memory"),
  new Command("kill", "kill <pid>", "ends a process (a service comes back: init restarts it)"),
  new Command("ls", "ls [-l] [path]", "lists a directory (-l: type and size)"),
  new Command("cd", "cd [path]", "changes the working directory (/ without a path)"),
  new Command("pwd", "pwd", "prints the working directory"),
  new Command("cat", "cat <file>...", "prints files"),
  new Command("mkdir", "mkdir <dir>...", "makes directories"),
  new Command("rm", "rm <path>...", "deletes files and empty directories"),
  new Command("mv", "mv <from> <to>", "moves or renames (into <to> when it is a directory)"),
  new Command("cp", "cp <from> <to>", "copies a file (into <to> when it is a directory)"),
  new Command("> file", "cmd > file", "writes a command's output to a file (>> appends)"),
  new Command("<program>", "<program> [arg...] [&]", "runs /bin/<program> (a path with a /); & in the background, Ctrl-C kills it"),
  new Command("log", "log [-n N] [-l L] [-f]", "the system log (last N records, level L or worse, follow)"),
  new Command("poweroff", "poweroff", "turns the machine off"),
  new Command("reboot", "reboot", "restarts the machine"),
];

function noArguments(args: string[]): boolean {
  if (args.length === 1) return true;
  say(`${args[0]!}: takes no arguments`);
  return false;
}

function pad(s: string, width: number): string {
  let r = s;
  while (r.length < width) r += " ";
  return r;
}

function decimal(n: number, digits: number): string {
  let s = `${n}`;
  while (s.length < digits) s = `0${s}`;
  return s;
}

function uptime(): void {
  const ms = Math.floor(nowNs() / 1000000);
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor(s / 60) % 60;
  say(`up ${h}:${decimal(m, 2)}:${decimal(s % 60, 2)}.${decimal(ms % 1000, 3)}`);
}

function mem(): void {
  const total = syscall(Sys.AccountInfo, 3, 0, 0, 0, 0, 0);
  say(`kernel objects   ${kernelObjects()}`);
  say(`kernel heap      ${kernelHeapUsed()} of ${total} bytes in use`);
  say(`shell quota      ${quotaUsed()} of ${quotaLimit()} bytes used`);
}

function power(off: boolean): void {
  if (capType(POWER) !== ObjectType.Power) {
    say(`${off ? "poweroff" : "reboot"}: this shell holds no power capability`);
    return;
  }
  say(off ? "powering off" : "rebooting");
  const r = off ? powerOff(POWER) : reboot(POWER);
  say(`${off ? "poweroff" : "reboot"}: ${errorText(r)}`);
}

function holdsProcessTable(command: string): boolean {
  if (capType(PROCESSES) === ObjectType.ProcessTable) return true;
  say(`${command}: this shell holds no process table capability`);
  return false;
}

/** The name a listing shows: the boot module's, without a directory. */
function shortName(name: string): string {
  const slash = name.lastIndexOf("/");
  return slash < 0 ? name : name.slice(slash + 1);
}

function ps(): void {
  if (!holdsProcessTable("ps")) return;
  const all = processRecords(PROCESSES);
  say(`${pad("PID", 6)}${pad("NAME", 12)}${pad("CLASS", 8)}${pad("STATE", 9)}${pad("THREADS", 9)}${pad("CAPS", 6)}KERNEL MEMORY`);
  for (const p of all) {
    say(`${pad(`${p.pid}`, 6)}${pad(shortName(p.name), 12)}${pad(className(p.cls), 8)}${pad(stateName(p.state), 9)}${pad(`${p.threads}`, 9)}${pad(`${p.caps}`, 6)}${p.memoryUsed} of ${p.memoryLimit}`);
  }
}

function findProcess(all: ProcessRecord[], pid: number): ProcessRecord | null {
  for (const p of all) if (p.pid === pid) return p;
  return null;
}

function kill(args: string[]): void {
  const pid = args.length === 2 ? decimalArg(args[1]!) : -1;
  if (pid < 0) {
    say("kill: usage: kill <pid>");
    return;
  }
  if (!holdsProcessTable("kill")) return;
  const target = findProcess(processRecords(PROCESSES), pid);
  if (target === null) {
    say(`kill: no process ${pid}`);
    return;
  }
  const name = shortName(target.name);
  if (pid === 1 || name === "init") {
    say(`kill: ${pid} is init: refusing to kill it`);
    return;
  }
  if (name === "console") {
    say(`kill: ${pid} is the console: refusing to kill it`);
    return;
  }
  if (pid === startupWord(Startup.Pid)) {
    say(`kill: ${pid} is this shell (exit ends it)`);
    return;
  }
  const r = processKillPid(PROCESSES, pid, KILL_STATUS);
  if (r === -ErrorCode.NotFound) {
    say(`kill: no process ${pid}`);
  } else if (r === -ErrorCode.ProcessExited) {
    say(`kill: process ${pid} has already ended`);
  } else if (r < 0) {
    say(`kill: ${pid}: ${errorText(r)}`);
  } else {
    programKilled(programs, pid);
    say(`killed ${pid} (${name})`);
  }
}

const history: string[] = [];

function builtIn(name: string): boolean {
  // The table's "> file" and "<program>" rows are not commands.
  if (name.charCodeAt(0) === 0x3c) return false;
  for (const c of COMMANDS) if (c.name === name) return true;
  return false;
}

/**
 * Runs a command line, its output going to a file when it ends with `> file` or `>> file`; a
 * program with `&` at the end runs in the background.
 */
function run(lineText: string): void {
  const parsed = splitWords(lineText);
  if (parsed.error !== "") {
    say(`keel: ${parsed.error}`);
    return;
  }
  const bg = parseBackground(parsed);
  if (bg.error !== "") {
    say(`keel: ${bg.error}`);
    return;
  }
  const redirect = parseRedirect(bg.words);
  if (redirect.error !== "") {
    say(`keel: ${redirect.error}`);
    return;
  }
  if (redirect.args.length === 0) {
    if (redirect.target !== "") say("keel: a redirection needs a command");
    return;
  }
  const name = redirect.args[0]!;
  if (!builtIn(name)) {
    // A program writes to the console itself: there is nothing of its output to capture.
    if (redirect.target !== "") say(`keel: ${name}: a program's output cannot be redirected`);
    else runProgram(programs, redirect.args, bg.background);
    return;
  }
  if (bg.background) {
    say(`keel: ${name}: a built-in command does not run in the background`);
    return;
  }
  if (redirect.target === "") {
    command(redirect.args);
    return;
  }
  const sink = sinkOpen(files, redirect.target, redirect.append);
  if (sink.fd < 0) return;
  output.capture = true;
  output.bytes = [];
  command(redirect.args);
  output.capture = false;
  sinkClose(files, sink, redirect.target, output.bytes);
  output.bytes = [];
}

function command(args: string[]): void {
  const name = args[0]!;
  if (name === "help") {
    if (noArguments(args)) for (const c of COMMANDS) say(`  ${pad(c.usage, 24)} ${c.help}`);
  } else if (name === "echo") {
    say(args.slice(1).join(" "));
  } else if (name === "history") {
    if (noArguments(args)) for (let i = 0; i < history.length; i++) say(`${pad(`${i + 1}`, 5)}${history[i]!}`);
  } else if (name === "uptime") {
    if (noArguments(args)) uptime();
  } else if (name === "mem") {
    if (noArguments(args)) mem();
  } else if (name === "ps") {
    if (noArguments(args)) ps();
  } else if (name === "kill") {
    kill(args);
  } else if (name === "log") {
    if (capType(LOG) === ObjectType.Endpoint) logCommand(args, output, LOG);
    else say("log: this shell holds no log service endpoint");
  } else if (name === "poweroff" || name === "reboot") {
    if (noArguments(args)) power(name === "poweroff");
  } else if (fileCommand(files, args)) {
    // ls, cd, pwd, cat, mkdir, rm, mv, cp: files.ts
  }
}

function prompt(): void {
  if (!con.atLineStart) out("\n");
  programsPoll(programs);
  if (programs.done.length > 0) {
    for (const line of programs.done) say(line);
    programs.done = [];
  }
  out(`keel:${files.cwd}$ `);
}

const r = consoleSetMode(con, ConsoleMode.Raw);
if (r !== 0) {
  console.log(`shell: the console refused raw mode: ${r}`);
  exit(1);
}
const ed = new LineEditor(history);
prompt();
for (;;) {
  const got = consoleRead(con);
  if (got.status < 0) {
    console.log(`shell: console read: ${errorText(got.status)}`);
    exit(1);
  }
  if (got.status !== ConsoleStatus.Ok) continue;
  for (const b of got.bytes) {
    const res = editorFeed(ed, b);
    if (ed.echo.length > 0) {
      out(ed.echo);
      ed.echo = "";
    }
    if (res === EditResult.Line) {
      const text = ed.done;
      if (text.trim() !== "" && (history.length === 0 || history[history.length - 1]! !== text)) history.push(text);
      ed.browse = history.length;
      run(text);
      prompt();
    } else if (res === EditResult.Cancel) {
      prompt();
    }
  }
}
