// Running programs from the file system (docs/userland.md, "The shell"): a command that is not
// built in is /bin/<name> (a name with a '/' is a path from the working directory). The shell reads
// the file into a memory object, starts it with spawn_image and deletes the object. The program
// gets the least it needs: a copy of the console endpoint the shell holds for its programs (4096,
// named by KEEL_CONSOLE, so console.log reaches the console) and of the file system endpoint
// (4097), its arguments, and PWD. In the foreground the shell waits for its end and polls the
// console meanwhile: Ctrl-C kills it. With `&` the shell goes back to the prompt, which reports the
// programs that ended. Each program's end is signalled on one notification, one bit per job.
import { ErrorCode } from "../../abi/errors.ts";
import { FIRST_START_HANDLE } from "../../abi/process.ts";
import { ConsoleClient, ConsoleMode, ConsoleStatus, CONSOLE_ENV, consoleReadNoWait, consoleSetMode } from "../lib/console.ts";
import { FsType, fsReadToMemory, fsStat } from "../lib/fs.ts";
import { malloc } from "../lib/heap.ts";
import {
  capDelete, capMint, capType, loadWord, notificationCreate, notificationWait, ObjectType, processKill, Right,
} from "../lib/ipc.ts";
import { pathBase, pathResolve } from "../lib/path.ts";
import { spawnImage } from "../lib/spawn.ts";
import { errorText, wait } from "../lib/sys.ts";
import { Files } from "./files.ts";
import { Output, sayLine } from "./output.ts";
import { doneText, endText } from "./status.ts";

/** Kernel memory each program gets from the shell's quota (its table, its objects). */
const PROGRAM_QUOTA = 64 * 1024;
/** Programs running at once (each has a bit of the end notification). */
export const JOBS_MAX = 16;
/** How often a foreground wait looks at the console for Ctrl-C. */
const POLL_NS = 10000000;
const CTRL_C = 3;

class Job {
  killed = false;
  constructor(
    public pid: number,
    public name: string,
    /** A Process capability naming it (kill). */
    public proc: number,
    public slot: number,
    public background: boolean,
  ) {}
}

export class Programs {
  jobs: Job[] = [];
  /** The lines the next prompt shows: background programs that ended. */
  done: string[] = [];
  /** Signalled with bit `slot` when a job ends. */
  notify = notificationCreate();
  /** Where spawn_image puts the Process capability's handle, and where wait puts status and how. */
  procOut = malloc(8);
  status = malloc(16);

  constructor(
    public files: Files,
    public con: ConsoleClient,
    public out: Output,
    /** The endpoints the shell holds only to hand them to its programs. */
    public consoleEp: number,
    public fsEp: number,
    public killStatus: number,
  ) {}
}

function say(p: Programs, s: string): void {
  sayLine(p.out, s);
}

function freeSlot(p: Programs): number {
  for (let s = 0; s < JOBS_MAX; s++) {
    let used = false;
    for (const j of p.jobs) if (j.slot === s) used = true;
    if (!used) return s;
  }
  return -1;
}

/** Collects every job whose bit is in `bits`: its status line, its capability, its slot. */
function reap(p: Programs, bits: number, foreground: Job | null): void {
  const left: Job[] = [];
  for (const j of p.jobs) {
    if ((bits & (1 << j.slot)) === 0) {
      left.push(j);
      continue;
    }
    const r = wait(j.pid, p.status);
    const status = r < 0 ? 0 : loadWord(p.status);
    const how = r < 0 ? 0 : loadWord(p.status + 8);
    capDelete(j.proc);
    if (r < 0) say(p, `${j.name}: wait: ${errorText(r)}`);
    else if (j === foreground) {
      const line = endText(j.name, status, how, j.killed);
      if (line !== "") say(p, line);
    } else p.done.push(doneText(j.pid, j.name, status, how, j.killed));
  }
  p.jobs = left;
}

/** Reaps the programs that ended without waiting; the prompt then shows p.done. */
export function programsPoll(p: Programs): void {
  if (p.jobs.length === 0) return;
  const bits = notificationWait(p.notify, 0);
  if (bits > 0) reap(p, bits, null);
}

/** Notes that the shell's kill ended `pid`, when it is one of its programs. */
export function programKilled(p: Programs, pid: number): void {
  for (const j of p.jobs) if (j.pid === pid) j.killed = true;
}

function running(p: Programs, job: Job): boolean {
  for (const j of p.jobs) if (j === job) return true;
  return false;
}

/** Waits for the foreground program, killing it on Ctrl-C. */
function foreground(p: Programs, job: Job): void {
  while (running(p, job)) {
    const bits = notificationWait(p.notify, POLL_NS);
    if (bits > 0) {
      reap(p, bits, job);
      continue;
    }
    if (bits !== -ErrorCode.TimedOut) {
      say(p, `keel: waiting for ${job.name}: ${errorText(bits)}`);
      return;
    }
    const got = consoleReadNoWait(p.con);
    if (got.status !== ConsoleStatus.Ok || job.killed) continue;
    // Other bytes typed meanwhile are dropped: the program reads the console itself.
    for (const b of got.bytes) {
      if (b !== CTRL_C || job.killed) continue;
      const r = processKill(job.proc, p.killStatus);
      if (r < 0 && r !== -ErrorCode.ProcessExited) say(p, `keel: kill ${job.pid}: ${errorText(r)}`);
      job.killed = true;
      sayLine(p.out, "^C");
    }
  }
  // A program may have put the console in line mode; the shell edits its own line.
  consoleSetMode(p.con, ConsoleMode.Raw);
}

/** Where the program `name` is: /bin/<name>, or the path it spells from the working directory. */
export function programPath(cwd: string, name: string): string {
  return name.indexOf("/") >= 0 ? pathResolve(cwd, name) : `/bin/${name}`;
}

/** Runs the program `args[0]` with arguments `args`, in the background with `background`. */
export function runProgram(p: Programs, args: string[], background: boolean): void {
  const name = args[0]!;
  const isPath = name.indexOf("/") >= 0;
  if (capType(p.files.fs.ep) !== ObjectType.Endpoint) {
    say(p, `keel: ${name}: command not found (help lists the commands; no file system for programs)`);
    return;
  }
  const path = programPath(p.files.cwd, name);
  const st = fsStat(p.files.fs, path);
  if (st.status === -ErrorCode.NotFound && !isPath) {
    say(p, `keel: ${name}: command not found (help lists the commands)`);
    return;
  }
  if (st.status < 0) {
    say(p, `keel: ${name}: ${errorText(st.status)}`);
    return;
  }
  if (st.type !== FsType.File) {
    say(p, `keel: ${name}: is a directory`);
    return;
  }
  const slot = freeSlot(p);
  if (slot < 0) {
    say(p, `keel: ${name}: JOBS_MAX (${JOBS_MAX}) programs running already`);
    return;
  }
  if (p.notify < 0 || p.procOut === 0 || p.status === 0) {
    say(p, `keel: ${name}: the shell could not make its notification: ${errorText(p.notify < 0 ? p.notify : -ErrorCode.NoMemory)}`);
    return;
  }
  const image = fsReadToMemory(p.files.fs, path);
  if (image.status < 0) {
    say(p, `${name}: reading ${path}: ${errorText(image.status)}`);
    return;
  }
  const handles: number[] = [];
  const env = [`PWD=${p.files.cwd}`];
  if (capType(p.consoleEp) === ObjectType.Endpoint) {
    env.push(`${CONSOLE_ENV}=${FIRST_START_HANDLE + handles.length}`);
    handles.push(p.consoleEp);
  }
  if (capType(p.fsEp) === ObjectType.Endpoint) handles.push(p.fsEp);
  const note = capMint(p.notify, Right.Signal | Right.Grant | Right.Duplicate, 1 << slot);
  const base = pathBase(path);
  const pid = note < 0 ? note : spawnImage(image.handle, image.length, base, args, env, handles, 0, PROGRAM_QUOTA, note, p.procOut);
  capDelete(image.handle);
  if (note >= 0) capDelete(note);
  if (pid === -ErrorCode.BadExecutable) {
    say(p, `${name}: not an executable (BadExecutable)`);
    return;
  }
  if (pid < 0) {
    say(p, `${name}: ${errorText(pid)}`);
    return;
  }
  const job = new Job(pid, base, loadWord(p.procOut), slot, background);
  p.jobs.push(job);
  if (background) say(p, `[${pid}]`);
  else foreground(p, job);
}
