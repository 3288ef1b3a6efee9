// The shell's commands on files (docs/userland.md, "The shell"), through the file system service
// (userland/lib/fs.ts): ls, cd, pwd, cat, mkdir, rm, mv, cp, and the file end of a redirection.
// Relative paths are taken from the working directory; every error is one line naming the command
// and the path (`cat: /nope: not found`).
import { ErrorCode } from "../../abi/errors.ts";
import { ObjectType } from "../../abi/object-type.ts";
import { capType } from "../lib/ipc.ts";
import { errorText } from "../lib/sys.ts";
import {
  FsClient, FsOpenFlag, FsType, fsClose, fsDelete, fsMkdir, fsOpen, fsRead, fsReaddir, fsRename, fsStat, fsWrite,
} from "../lib/fs.ts";
import { pathBase, pathResolve } from "../lib/path.ts";
import { Output, outBytes, sayLine } from "./output.ts";

/** Bytes asked for per read (the client's buffer holds more; this keeps console writes short). */
const READ_CHUNK = 4096;

export class Files {
  fs: FsClient;
  cwd = "/";
  out: Output;
  /** Whether the last copy failed on its destination. */
  failedTo = false;

  constructor(fsEndpoint: number, out: Output) {
    this.fs = new FsClient(fsEndpoint);
    this.out = out;
  }
}

/** Whether the shell holds the file system endpoint; says so for `command` when not. */
export function holdsFs(f: Files, command: string): boolean {
  if (capType(f.fs.ep) === ObjectType.Endpoint) return true;
  sayLine(f.out, `${command}: this shell holds no file system endpoint`);
  return false;
}

function fail(f: Files, command: string, path: string, r: number): void {
  sayLine(f.out, `${command}: ${path}: ${errorText(r)}`);
}

function pad(s: string, width: number): string {
  let r = s;
  while (r.length < width) r = ` ${r}`;
  return r;
}

function ls(f: Files, args: string[]): void {
  let long = false;
  const paths: string[] = [];
  for (const a of args.slice(1)) {
    if (a === "-l") long = true;
    else if (a.length > 1 && a.charCodeAt(0) === 0x2d) return sayLine(f.out, `ls: unknown option ${a} (usage: ls [-l] [path])`);
    else paths.push(a);
  }
  if (paths.length > 1) return sayLine(f.out, "ls: usage: ls [-l] [path]");
  const shown = paths.length === 0 ? "." : paths[0]!;
  const path = pathResolve(f.cwd, shown);
  const st = fsStat(f.fs, path);
  if (st.status < 0) return fail(f, "ls", shown, st.status);
  if (st.type !== FsType.Dir) {
    sayLine(f.out, long ? `- ${pad(`${st.size}`, 10)} ${shown}` : shown);
    return;
  }
  const dir = fsReaddir(f.fs, path);
  if (dir.status < 0) return fail(f, "ls", shown, dir.status);
  for (const e of dir.entries) {
    const isDir = e.type === FsType.Dir;
    if (long) sayLine(f.out, `${isDir ? "d" : "-"} ${pad(`${e.size}`, 10)} ${e.name}${isDir ? "/" : ""}`);
    else sayLine(f.out, `${e.name}${isDir ? "/" : ""}`);
  }
}

function cd(f: Files, args: string[]): void {
  if (args.length > 2) return sayLine(f.out, "cd: usage: cd [path]");
  const shown = args.length === 2 ? args[1]! : "/";
  const path = pathResolve(f.cwd, shown);
  const st = fsStat(f.fs, path);
  if (st.status < 0) return fail(f, "cd", shown, st.status);
  if (st.type !== FsType.Dir) return fail(f, "cd", shown, -ErrorCode.NotADirectory);
  f.cwd = path;
}

/** Copies the file at `path` to the output; 0 or -error. */
function catOne(f: Files, path: string): number {
  const fd = fsOpen(f.fs, path, 0);
  if (fd < 0) return fd;
  let r = 0;
  for (let at = 0; ; ) {
    const got = fsRead(f.fs, fd, at, READ_CHUNK);
    if (got.status < 0) {
      r = got.status;
      break;
    }
    if (got.bytes.length === 0) break;
    outBytes(f.out, got.bytes);
    at += got.bytes.length;
  }
  fsClose(f.fs, fd);
  return r;
}

function cat(f: Files, args: string[]): void {
  if (args.length < 2) return sayLine(f.out, "cat: usage: cat <file>...");
  for (const a of args.slice(1)) {
    const r = catOne(f, pathResolve(f.cwd, a));
    if (r < 0) fail(f, "cat", a, r);
  }
}

function mkdir(f: Files, args: string[]): void {
  if (args.length < 2) return sayLine(f.out, "mkdir: usage: mkdir <directory>...");
  for (const a of args.slice(1)) {
    const r = fsMkdir(f.fs, pathResolve(f.cwd, a));
    if (r < 0) fail(f, "mkdir", a, r);
  }
}

function rm(f: Files, args: string[]): void {
  if (args.length < 2) return sayLine(f.out, "rm: usage: rm <path>...");
  for (const a of args.slice(1)) {
    const r = fsDelete(f.fs, pathResolve(f.cwd, a));
    if (r < 0) fail(f, "rm", a, r);
  }
}

/** Where `from` goes for mv and cp: into `to` when that is a directory, else `to` itself. */
function destination(f: Files, from: string, to: string): string {
  const st = fsStat(f.fs, to);
  return st.status === 0 && st.type === FsType.Dir ? pathResolve(to, pathBase(from)) : to;
}

function mv(f: Files, args: string[]): void {
  if (args.length !== 3) return sayLine(f.out, "mv: usage: mv <from> <to>");
  const from = pathResolve(f.cwd, args[1]!);
  const to = destination(f, from, pathResolve(f.cwd, args[2]!));
  const r = fsRename(f.fs, from, to);
  // The source is checked first: an error with it there is the destination's.
  if (r < 0) fail(f, "mv", fsStat(f.fs, from).status < 0 ? args[1]! : args[2]!, r);
}

/** Copies file `from` to `to` a chunk at a time; 0 or -error (f.failedTo: the destination was at fault). */
function copyFile(f: Files, from: string, to: string): number {
  f.failedTo = false;
  const st = fsStat(f.fs, from);
  if (st.status < 0) return st.status;
  if (st.type === FsType.Dir) return -ErrorCode.IsADirectory;
  const src = fsOpen(f.fs, from, 0);
  if (src < 0) return src;
  const dst = fsOpen(f.fs, to, FsOpenFlag.Create | FsOpenFlag.Truncate);
  if (dst < 0) {
    fsClose(f.fs, src);
    f.failedTo = true;
    return dst;
  }
  let r = 0;
  for (let at = 0; ; ) {
    const got = fsRead(f.fs, src, at, f.fs.bytes);
    if (got.status < 0 || got.bytes.length === 0) {
      r = got.status;
      break;
    }
    r = fsWrite(f.fs, dst, at, got.bytes);
    if (r < 0) {
      f.failedTo = true;
      break;
    }
    at += got.bytes.length;
  }
  fsClose(f.fs, src);
  fsClose(f.fs, dst);
  return r;
}

function cp(f: Files, args: string[]): void {
  if (args.length !== 3) return sayLine(f.out, "cp: usage: cp <from> <to>");
  const from = pathResolve(f.cwd, args[1]!);
  const to = destination(f, from, pathResolve(f.cwd, args[2]!));
  if (to === from) return sayLine(f.out, `cp: ${args[1]!} and ${args[2]!} are the same file`);
  const r = copyFile(f, from, to);
  if (r < 0) fail(f, "cp", f.failedTo ? args[2]! : args[1]!, r);
}

/** Runs a file command; false when `args[0]` is not one. */
export function fileCommand(f: Files, args: string[]): boolean {
  const name = args[0]!;
  if (name === "pwd") {
    if (args.length > 1) sayLine(f.out, "pwd: takes no arguments");
    else sayLine(f.out, f.cwd);
    return true;
  }
  const known = name === "ls" || name === "cd" || name === "cat" || name === "mkdir" || name === "rm" || name === "mv" || name === "cp";
  if (!known) return false;
  if (!holdsFs(f, name)) return true;
  if (name === "ls") ls(f, args);
  else if (name === "cd") cd(f, args);
  else if (name === "cat") cat(f, args);
  else if (name === "mkdir") mkdir(f, args);
  else if (name === "rm") rm(f, args);
  else if (name === "mv") mv(f, args);
  else cp(f, args);
  return true;
}

/** Opens the file a redirection writes to (made or emptied, or appended to); the handle and where to write. */
export class Sink {
  fd = -1;
  at = 0;
}

export function sinkOpen(f: Files, target: string, append: boolean): Sink {
  const s = new Sink();
  if (!holdsFs(f, "keel")) return s;
  const path = pathResolve(f.cwd, target);
  s.fd = fsOpen(f.fs, path, FsOpenFlag.Create | (append ? 0 : FsOpenFlag.Truncate));
  if (s.fd < 0) {
    fail(f, "keel", target, s.fd);
    return s;
  }
  if (append) {
    const st = fsStat(f.fs, path);
    s.at = st.status === 0 ? st.size : 0;
  }
  return s;
}

/** Writes what the redirected command printed, and closes the file. */
export function sinkClose(f: Files, s: Sink, target: string, bytes: number[]): void {
  const r = fsWrite(f.fs, s.fd, s.at, bytes);
  fsClose(f.fs, s.fd);
  if (r < 0) fail(f, "keel", target, r);
}
