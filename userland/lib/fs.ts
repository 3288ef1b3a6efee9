// The file system service's protocol (docs/userland.md, "File system") and its client side: one
// function per operation. One endpoint, served by userland/fs; init hands out badged copies, and
// the badge says which client calls. Paths and data travel through a memory object each client
// creates and sends once (Connect): the server maps it and keeps it, so a call carries only a label
// and up to three words, and the answer's label is 0 or an ErrorCode. The client library connects
// on first use and again when the server answers NotConnected (it restarted), then retries.
import { load8, store8 } from "../../lang/mem.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { MsgFlag } from "../../abi/message.ts";
import { Right } from "../../abi/rights.ts";
import {
  call, callRegs, capDelete, memoryCreate, memoryMap, memoryUnmap, msgAlloc, msgClear, msgLabel, msgSetCap, msgSetFlags, msgSetLabel, msgSetWord, msgWord,
} from "./ipc.ts";

export const enum FsOp {
  /** Capability 0: the client's buffer, a memory object of 1..FS_BUFFER_PAGES_MAX pages (Read, Write, Map). */
  Connect = 1,
  /** w0 = path length (the path at buffer 0) → w0 = FsType, w1 = size (a directory: its entry count). */
  Stat = 2,
  /** w0 = path length: an empty file; AlreadyExists when something is there. */
  Create = 3,
  /** w0 = path length, w1 = FsOpenFlag bits → w0 = file handle (0..OPEN_MAX-1). */
  Open = 4,
  /** w0 = handle, w1 = offset, w2 = count (≤ the buffer) → w0 = bytes read, at buffer 0. */
  Read = 5,
  /** w0 = handle, w1 = offset, w2 = count: the bytes at buffer 0 go to the file at offset. */
  Write = 6,
  /** w0 = handle. */
  Close = 7,
  /** w0 = handle, w1 = the new size. */
  Truncate = 8,
  /** w0, w1 = the two paths' lengths, one after the other at buffer 0: moves the first to the second. */
  Rename = 9,
  /** w0 = path length: a file or an empty directory. */
  Delete = 10,
  /** w0 = path length. */
  Mkdir = 11,
  /** w0 = path length, w1 = first entry wanted → w0 = records at buffer 0, w1 = entries in all. */
  Readdir = 12,
  /** init only (badge 0): w0 = offset, w1 = count, w2 = the archive's size; the bytes are in the rootfs window. */
  Load = 13,
}

export const enum FsType {
  File = 1,
  Dir = 2,
}

export const enum FsOpenFlag {
  /** Make the file when it is missing. */
  Create = 1,
  /** Empty it. */
  Truncate = 2,
}

/** Largest client buffer, in pages (the server keeps a window of this size per client). */
export const FS_BUFFER_PAGES_MAX = 16;
/** The buffer this library makes: 16 KiB, so paths and transfers of up to 16 KiB. */
export const FS_BUFFER_PAGES = 4;
/** Files one client may have open at once. */
export const OPEN_MAX = 16;
/** Clients the server keeps a buffer for (by badge). */
export const FS_CLIENTS_MAX = 16;
/** A readdir record: 8-byte size, type byte, name-length byte, then the name. */
export const FS_DIRENT_HEADER = 10;
/** How long a call waits for the server (a server that is gone for good must not hang its clients). */
const FS_TIMEOUT_NS = 5000000000;
/** Where the client maps its buffer, and an object fsReadToMemory fills. */
const FS_CLIENT_VA = 0x58000000;
const FS_LOAD_VA = 0x58100000;
const PAGE = 4096;
/** The largest memory object (memory_create). */
const MEMORY_PAGES_MAX = 256;

export class FsClient {
  ep: number;
  mem = 0;
  bytes = FS_BUFFER_PAGES * PAGE;
  va = FS_CLIENT_VA;
  connected = false;
  msg = msgAlloc();

  constructor(ep: number) {
    this.ep = ep;
  }
}

/** Makes and maps the buffer once (paths and data are put in it before a call); 0 or -error. */
function fsBuffer(c: FsClient): number {
  if (c.mem !== 0) return 0;
  const mem = memoryCreate(FS_BUFFER_PAGES);
  if (mem < 0) return mem;
  const r = memoryMap(mem, c.va, Right.Read | Right.Write);
  if (r < 0) {
    capDelete(mem);
    return r;
  }
  c.mem = mem;
  return 0;
}

/** Sends the buffer to the server (made first if need be); 0 or -error. */
export function fsConnect(c: FsClient): number {
  const b = fsBuffer(c);
  if (b < 0) return b;
  msgClear(c.msg);
  msgSetLabel(c.msg, FsOp.Connect);
  msgSetCap(c.msg, 0, c.mem);
  msgSetFlags(c.msg, MsgFlag.CopyCaps);
  const r = call(c.ep, c.msg, FS_TIMEOUT_NS);
  const status = r < 0 ? r : -msgLabel(c.msg);
  c.connected = status === 0;
  return status;
}

/** One call: 0 or -error; the answer's words stay in c.msg (fsWord). */
function fsCall(c: FsClient, op: FsOp, w0: number, w1: number, w2: number): number {
  for (let attempt = 0; attempt < 2; attempt++) {
    if (!c.connected) {
      const r = fsConnect(c);
      if (r < 0) return r;
    }
    msgClear(c.msg);
    msgSetLabel(c.msg, op);
    msgSetWord(c.msg, 0, w0);
    msgSetWord(c.msg, 1, w1);
    msgSetWord(c.msg, 2, w2);
    const r = callRegs(c.ep, c.msg, FS_TIMEOUT_NS);
    if (r < 0) {
      // The server may have died in the call: the next one connects again.
      c.connected = false;
      return r;
    }
    const status = msgLabel(c.msg);
    if (status !== ErrorCode.NotConnected) return -status;
    c.connected = false;
  }
  return -ErrorCode.NotConnected;
}

/** Word i of the last answer. */
export function fsWord(c: FsClient, i: number): number {
  return msgWord(c.msg, i);
}

/** Puts `s` into the buffer at `at`; its length, or -NameTooLong when it does not fit. */
function putText(c: FsClient, at: number, s: string): number {
  const b = fsBuffer(c);
  if (b < 0) return b;
  if (at + s.length > c.bytes) return -ErrorCode.NameTooLong;
  for (let i = 0; i < s.length; i++) store8(c.va + at + i, s.charCodeAt(i));
  return s.length;
}

function pathCall(c: FsClient, op: FsOp, path: string, w1: number): number {
  const n = putText(c, 0, path);
  return n < 0 ? n : fsCall(c, op, n, w1, 0);
}

export class FsStat {
  status = 0;
  type = 0;
  size = 0;
}

export function fsStat(c: FsClient, path: string): FsStat {
  const s = new FsStat();
  s.status = pathCall(c, FsOp.Stat, path, 0);
  if (s.status === 0) {
    s.type = fsWord(c, 0);
    s.size = fsWord(c, 1);
  }
  return s;
}

export function fsCreate(c: FsClient, path: string): number {
  return pathCall(c, FsOp.Create, path, 0);
}

/** A file handle, or -error. */
export function fsOpen(c: FsClient, path: string, flags: number): number {
  const r = pathCall(c, FsOp.Open, path, flags);
  return r < 0 ? r : fsWord(c, 0);
}

export function fsClose(c: FsClient, fd: number): number {
  return fsCall(c, FsOp.Close, fd, 0, 0);
}

/** The bytes read from `offset` (at most `max` and one buffer); none at the end of the file. */
export class FsBytes {
  status = 0;
  bytes: number[] = [];
}

export function fsRead(c: FsClient, fd: number, offset: number, max: number): FsBytes {
  const got = new FsBytes();
  const r = fsCall(c, FsOp.Read, fd, offset, Math.min(max, c.bytes));
  if (r < 0) {
    got.status = r;
    return got;
  }
  const n = Math.min(fsWord(c, 0), c.bytes);
  for (let i = 0; i < n; i++) got.bytes.push(load8(c.va + i));
  return got;
}

/** Writes all of `bytes` at `offset`, a buffer at a time; 0 or -error. */
export function fsWrite(c: FsClient, fd: number, offset: number, bytes: number[]): number {
  const b = fsBuffer(c);
  if (b < 0) return b;
  for (let done = 0; done < bytes.length; ) {
    const n = Math.min(c.bytes, bytes.length - done);
    for (let i = 0; i < n; i++) store8(c.va + i, bytes[done + i]!);
    const r = fsCall(c, FsOp.Write, fd, offset + done, n);
    if (r < 0) return r;
    done += n;
  }
  return 0;
}

export function fsTruncate(c: FsClient, fd: number, size: number): number {
  return fsCall(c, FsOp.Truncate, fd, size, 0);
}

export function fsRename(c: FsClient, from: string, to: string): number {
  const a = putText(c, 0, from);
  if (a < 0) return a;
  const b = putText(c, a, to);
  return b < 0 ? b : fsCall(c, FsOp.Rename, a, b, 0);
}

export function fsDelete(c: FsClient, path: string): number {
  return pathCall(c, FsOp.Delete, path, 0);
}

export function fsMkdir(c: FsClient, path: string): number {
  return pathCall(c, FsOp.Mkdir, path, 0);
}

export class FsDirEntry {
  constructor(
    public name: string,
    public type: number,
    public size: number,
  ) {}
}

export class FsDir {
  status = 0;
  entries: FsDirEntry[] = [];
}

function loadWord64(at: number): number {
  let v = 0;
  for (let i = 7; i >= 0; i--) v = v * 256 + load8(at + i);
  return v;
}

/** A directory's entries, sorted by name. */
export function fsReaddir(c: FsClient, path: string): FsDir {
  const d = new FsDir();
  for (;;) {
    const r = pathCall(c, FsOp.Readdir, path, d.entries.length);
    if (r < 0) {
      d.status = r;
      return d;
    }
    const count = fsWord(c, 0);
    const total = fsWord(c, 1);
    let at = c.va;
    for (let i = 0; i < count; i++) {
      const len = load8(at + 9);
      let name = "";
      for (let k = 0; k < len; k++) name += String.fromCharCode(load8(at + FS_DIRENT_HEADER + k));
      d.entries.push(new FsDirEntry(name, load8(at + 8), loadWord64(at)));
      at += FS_DIRENT_HEADER + len;
    }
    if (count === 0 || d.entries.length >= total) return d;
  }
}

/** A file's bytes in a memory object this client holds (handle), and how many there are. */
export class FsMemory {
  status = 0;
  handle = 0;
  length = 0;
}

/**
 * Reads the whole file at `path` into a new memory object (of at most 256 pages, memory_create's
 * limit: a larger file is NoMemory); for handing a program's ELF image to the kernel.
 */
export function fsReadToMemory(c: FsClient, path: string): FsMemory {
  const m = new FsMemory();
  const st = fsStat(c, path);
  if (st.status < 0 || st.type !== FsType.File) {
    m.status = st.status < 0 ? st.status : -ErrorCode.IsADirectory;
    return m;
  }
  const pages = Math.max(1, Math.ceil(st.size / PAGE));
  if (pages > MEMORY_PAGES_MAX) {
    m.status = -ErrorCode.NoMemory;
    return m;
  }
  const fd = fsOpen(c, path, 0);
  if (fd < 0) {
    m.status = fd;
    return m;
  }
  const mem = memoryCreate(pages);
  let r = mem < 0 ? mem : memoryMap(mem, FS_LOAD_VA, Right.Read | Right.Write);
  let done = 0;
  if (r >= 0) {
    while (done < st.size) {
      r = fsCall(c, FsOp.Read, fd, done, Math.min(c.bytes, st.size - done));
      if (r < 0) break;
      const n = fsWord(c, 0);
      if (n <= 0) break;
      for (let i = 0; i < n; i++) store8(FS_LOAD_VA + done + i, load8(c.va + i));
      done += n;
    }
    memoryUnmap(FS_LOAD_VA);
  }
  fsClose(c, fd);
  if (r < 0) {
    if (mem >= 0) capDelete(mem);
    m.status = r;
    return m;
  }
  m.handle = mem;
  m.length = done;
  return m;
}
