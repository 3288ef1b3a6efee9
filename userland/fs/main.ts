// fs: the RAM file system server (docs/userland.md, "File system"). init starts it with the
// receive side of the file system endpoint and, when the image has a boot archive, a read-only
// window on it (GrantKind.Rootfs); init then sends the archive through the window a piece at a
// time (Load), and the server fills its tree from it. Clients (badges 1 and up) connect with a
// memory object of their own that the server maps and keeps, and call the operations of
// userland/lib/fs.ts with paths and data in it. The tree itself is tree.ts; this file is the loop.
import { FIRST_START_HANDLE } from "../../abi/process.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { load8, store8 } from "../../lang/mem.ts";
import {
  capDelete, capType, memoryMap, memoryUnmap, msgAlloc, msgBadge, msgCap, msgCapCount, msgClear, msgLabel, msgReplyHandle, msgSetLabel, msgSetWord,
  msgWord, ObjectType, receive, reply, Right,
} from "../lib/ipc.ts";
import { memoryPages } from "../lib/device.ts";
import { errorText, exit } from "../lib/sys.ts";
import { FS_BUFFER_PAGES_MAX, FS_CLIENTS_MAX, FS_DIRENT_HEADER, FsOp, FsOpenFlag, OPEN_MAX } from "../lib/fs.ts";
import { FsNode, FsTree, NodeType, entries, fileRead, fileTruncate, fileWrite, find, makeNode, openFile, remove, rename } from "./tree.ts";
import { rootfsLoad } from "./rootfs.ts";

const ENDPOINT = FIRST_START_HANDLE;
const ROOTFS = FIRST_START_HANDLE + 1;
const PAGE = 4096;
/** The rootfs window, and each client's buffer (slot i at CLIENTS_VA + i * CLIENT_SPAN). */
const ROOTFS_VA = 0x60000000;
const CLIENTS_VA = 0x61000000;
const CLIENT_SPAN = FS_BUFFER_PAGES_MAX * PAGE;
/** The largest boot archive taken (it is held whole while the tree is filled). */
const ARCHIVE_MAX = 32 * 1024 * 1024;

class Client {
  mem = 0;
  bytes = 0;
  files: (FsNode | null)[] = new Array<FsNode | null>(OPEN_MAX).fill(null);

  constructor(
    public badge: number,
    public va: number,
  ) {}
}

class Server {
  tree = new FsTree();
  clients: Client[] = [];
  window = 0;
  /** The archive being received (Load), until its last piece. */
  archive: Uint8Array = new Uint8Array(0);
  /** Scratch for moving bytes between a client's buffer and the tree. */
  scratch = new Uint8Array(CLIENT_SPAN);
  msg = msgAlloc();
}

const fs = new Server();

function clientOf(badge: number): Client | null {
  for (const c of fs.clients) if (c.badge === badge) return c;
  return null;
}

/** Maps the client's new buffer in place of its old one (its files are closed: a new start). */
function connect(badge: number, mem: number): number {
  if (mem <= 0 || capType(mem) !== ObjectType.MemoryObject) return ErrorCode.InvalidArgument;
  const pages = memoryPages(mem);
  if (pages <= 0 || pages > FS_BUFFER_PAGES_MAX) return ErrorCode.InvalidArgument;
  let c = clientOf(badge);
  if (c === null) {
    if (fs.clients.length >= FS_CLIENTS_MAX) {
      console.log(`fs: client ${badge} refused: FS_CLIENTS_MAX (${FS_CLIENTS_MAX}) clients connected already`);
      return ErrorCode.NoMemory;
    }
    c = new Client(badge, CLIENTS_VA + fs.clients.length * CLIENT_SPAN);
    fs.clients.push(c);
  } else if (c.mem !== 0) {
    memoryUnmap(c.va);
    capDelete(c.mem);
    c.mem = 0;
  }
  const r = memoryMap(mem, c.va, Right.Read | Right.Write);
  if (r < 0) return -r;
  c.mem = mem;
  c.bytes = pages * PAGE;
  for (let i = 0; i < OPEN_MAX; i++) c.files[i] = null;
  return 0;
}

/** The path of `len` bytes at `at` in the client's buffer, or "" when it is not printable ASCII. */
function textAt(c: Client, at: number, len: number): string {
  if (len <= 0 || at < 0 || at + len > c.bytes) return "";
  let s = "";
  for (let i = 0; i < len; i++) {
    const b = load8(c.va + at + i);
    if (b < 0x20 || b >= 0x7f) return "";
    s += String.fromCharCode(b);
  }
  return s;
}

function fileOf(c: Client, fd: number): FsNode | null {
  return fd >= 0 && fd < OPEN_MAX ? (c.files[fd] ?? null) : null;
}

function open(c: Client, path: string, flags: number): number {
  let fd = -1;
  for (let i = 0; i < OPEN_MAX && fd < 0; i++) if ((c.files[i] ?? null) === null) fd = i;
  if (fd < 0) {
    console.log(`fs: client ${c.badge}: OPEN_MAX (${OPEN_MAX}) files open already`);
    return ErrorCode.TooManyOpenFiles;
  }
  const l = openFile(fs.tree, path, (flags & FsOpenFlag.Create) !== 0, (flags & FsOpenFlag.Truncate) !== 0);
  if (l.error !== 0) return l.error;
  c.files[fd] = l.node;
  msgSetWord(fs.msg, 0, fd);
  return 0;
}

function read(c: Client, fd: number, offset: number, count: number): number {
  const f = fileOf(c, fd);
  if (f === null) return ErrorCode.InvalidHandle;
  if (offset < 0 || count < 0 || count > c.bytes) return ErrorCode.InvalidArgument;
  const n = fileRead(f, offset, fs.scratch, count);
  for (let i = 0; i < n; i++) store8(c.va + i, fs.scratch[i]!);
  msgSetWord(fs.msg, 0, n);
  return 0;
}

function write(c: Client, fd: number, offset: number, count: number): number {
  const f = fileOf(c, fd);
  if (f === null) return ErrorCode.InvalidHandle;
  if (offset < 0 || count < 0 || count > c.bytes) return ErrorCode.InvalidArgument;
  for (let i = 0; i < count; i++) fs.scratch[i] = load8(c.va + i);
  const r = fileWrite(fs.tree, f, offset, fs.scratch, 0, count);
  if (r === ErrorCode.NoMemory) console.log(`fs: the tree holds STORE_MAX bytes already: a write of ${count} bytes refused`);
  msgSetWord(fs.msg, 0, r === 0 ? count : 0);
  return r;
}

function storeWord64(at: number, v: number): void {
  let x = v;
  for (let i = 0; i < 8; i++) {
    store8(at + i, x % 256);
    x = Math.floor(x / 256);
  }
}

/** As many records of the directory's entries, from `first`, as the buffer takes. */
function readdir(c: Client, path: string, first: number): number {
  const l = find(fs.tree, path);
  if (l.error !== 0) return l.error;
  const dir = l.node!;
  if (dir.type !== NodeType.Dir) return ErrorCode.NotADirectory;
  const list = entries(dir);
  let at = 0;
  let count = 0;
  for (let i = Math.max(0, first); i < list.length; i++) {
    const e = list[i]!;
    if (at + FS_DIRENT_HEADER + e.name.length > c.bytes) break;
    storeWord64(c.va + at, e.type === NodeType.Dir ? e.children.size : e.size);
    store8(c.va + at + 8, e.type);
    store8(c.va + at + 9, e.name.length);
    for (let k = 0; k < e.name.length; k++) store8(c.va + at + FS_DIRENT_HEADER + k, e.name.charCodeAt(k));
    at += FS_DIRENT_HEADER + e.name.length;
    count++;
  }
  msgSetWord(fs.msg, 0, count);
  msgSetWord(fs.msg, 1, list.length);
  return 0;
}

function stat(path: string): number {
  const l = find(fs.tree, path);
  if (l.error !== 0) return l.error;
  const n = l.node!;
  msgSetWord(fs.msg, 0, n.type);
  msgSetWord(fs.msg, 1, n.type === NodeType.Dir ? n.children.size : n.size);
  return 0;
}

/** A piece of the boot archive from init: bytes [offset, offset + count) of `total`, in the window. */
function load(offset: number, count: number, total: number): number {
  if (fs.window <= 0 || count < 0 || count > fs.window || offset < 0 || total <= 0 || offset + count > total) return ErrorCode.InvalidArgument;
  if (total > ARCHIVE_MAX) {
    console.log(`fs: the boot archive (${total} bytes) is larger than ARCHIVE_MAX (${ARCHIVE_MAX}): not read`);
    return ErrorCode.NoMemory;
  }
  if (offset === 0) fs.archive = new Uint8Array(total);
  if (fs.archive.length !== total) return ErrorCode.InvalidArgument;
  for (let i = 0; i < count; i++) fs.archive[offset + i] = load8(ROOTFS_VA + i);
  if (offset + count < total) return 0;
  const rep = rootfsLoad(fs.tree, fs.archive, total);
  fs.archive = new Uint8Array(0);
  for (const p of rep.problems) console.log(`fs: boot archive: ${p}`);
  console.log(`fs: ${rep.files} files (${rep.bytes} bytes) and ${rep.dirs} directories from the boot archive`);
  return 0;
}

/** One call from client `c`: the status; the answer's words are set in fs.msg. */
function operate(c: Client, op: number, w0: number, w1: number, w2: number): number {
  switch (op) {
    case FsOp.Read:
      return read(c, w0, w1, w2);
    case FsOp.Write:
      return write(c, w0, w1, w2);
    case FsOp.Close: {
      if (fileOf(c, w0) === null) return ErrorCode.InvalidHandle;
      c.files[w0] = null;
      return 0;
    }
    case FsOp.Truncate: {
      const f = fileOf(c, w0);
      return f === null ? ErrorCode.InvalidHandle : fileTruncate(fs.tree, f, w1);
    }
    case FsOp.Rename: {
      const from = textAt(c, 0, w0);
      const to = textAt(c, w0, w1);
      return from === "" || to === "" ? ErrorCode.InvalidArgument : rename(fs.tree, from, to);
    }
    default:
      break;
  }
  const path = textAt(c, 0, w0);
  if (path === "") return ErrorCode.InvalidArgument;
  switch (op) {
    case FsOp.Stat:
      return stat(path);
    case FsOp.Create:
      return makeNode(fs.tree, path, NodeType.File).error;
    case FsOp.Open:
      return open(c, path, w1);
    case FsOp.Delete:
      return remove(fs.tree, path);
    case FsOp.Mkdir:
      return makeNode(fs.tree, path, NodeType.Dir).error;
    case FsOp.Readdir:
      return readdir(c, path, w1);
    default:
      return ErrorCode.InvalidArgument;
  }
}

function serve(m: number): void {
  const badge = msgBadge(m);
  const rh = msgReplyHandle(m);
  const op = msgLabel(m);
  const w0 = msgWord(m, 0);
  const w1 = msgWord(m, 1);
  const w2 = msgWord(m, 2);
  // Only Connect carries a capability; whatever else a sender put in goes at once.
  const mem = msgCapCount(m) > 0 ? msgCap(m, 0) : 0;
  for (let i = 1; i < msgCapCount(m); i++) capDelete(msgCap(m, i));
  msgClear(fs.msg);
  let status = 0;
  if (op === FsOp.Connect && badge !== 0) {
    status = connect(badge, mem);
    if (status !== 0 && mem > 0) capDelete(mem);
  } else {
    if (mem > 0) capDelete(mem);
    if (op === FsOp.Load) {
      status = badge === 0 ? load(w0, w1, w2) : ErrorCode.PermissionDenied;
    } else {
      const c = clientOf(badge);
      status = c === null || c.mem === 0 ? ErrorCode.NotConnected : operate(c, op, w0, w1, w2);
    }
  }
  if (rh <= 0) return;
  msgSetLabel(fs.msg, status);
  reply(rh, fs.msg);
  capDelete(rh);
}

if (capType(ROOTFS) === ObjectType.MemoryObject) {
  const pages = memoryPages(ROOTFS);
  const r = pages > 0 ? memoryMap(ROOTFS, ROOTFS_VA, Right.Read) : pages;
  if (r < 0) console.log(`fs: the boot archive's window: ${errorText(r)}`);
  else fs.window = pages * PAGE;
}
console.log(`fs: ready${fs.window > 0 ? "" : " (no boot archive: an empty tree)"}`);
const m = msgAlloc();
for (;;) {
  const r = receive(ENDPOINT, m, -1);
  if (r < 0) {
    console.log(`fs: receive: ${errorText(r)}`);
    exit(1);
  }
  serve(m);
}
