// The RAM file system's tree (docs/userland.md, "File system"): directories, files and their
// bytes, and the walk from an absolute path to a node. No system calls: the server (main.ts) moves
// bytes between its clients' buffers and these functions, and the host tests call them directly.
// Results are ErrorCode values (0: done), as the server answers them.
import { ErrorCode } from "../../abi/errors.ts";
import { pathIsAbsolute, pathParts } from "../lib/path.ts";

export const enum NodeType {
  File = 1,
  Dir = 2,
}

/** Longest name of one path component, in bytes. */
export const NAME_MAX = 255;
/** File contents are held in blocks of this many bytes. */
export const BLOCK = 4096;
/** Bytes of file blocks the whole tree may hold (the server's memory is bounded: 64 MiB of map). */
export const STORE_MAX = 16 * 1024 * 1024;

export class FsNode {
  type: NodeType;
  name: string;
  parent: FsNode | null;
  /** A directory's entries by name. */
  children = new Map<string, FsNode>();
  /** A file's bytes: size of them, in whole blocks (a block past the size is zeros). */
  blocks: Uint8Array[] = [];
  size = 0;

  constructor(type: NodeType, name: string, parent: FsNode | null) {
    this.type = type;
    this.name = name;
    this.parent = parent;
  }
}

export class FsTree {
  root = new FsNode(NodeType.Dir, "", null);
  /** Bytes of file blocks held, at most STORE_MAX. */
  stored = 0;
}

/** What a walk found: the node (null when the last name is missing), its directory and name. */
export class Lookup {
  error = 0;
  node: FsNode | null = null;
  parent: FsNode | null = null;
  name = "";
}

function lookupError(e: number): Lookup {
  const l = new Lookup();
  l.error = e;
  return l;
}

/**
 * Walks `path`. Every directory on the way must exist (NotFound, NotADirectory); the last name
 * may be missing, in which case node is null and parent and name say where it would be. The root
 * has no parent and the name "".
 */
export function walk(tree: FsTree, path: string): Lookup {
  if (!pathIsAbsolute(path)) return lookupError(ErrorCode.InvalidArgument);
  const parts = pathParts(path);
  let dir = tree.root;
  for (let i = 0; i < parts.length; i++) {
    const name = parts[i]!;
    if (name.length > NAME_MAX) return lookupError(ErrorCode.NameTooLong);
    const next = dir.children.get(name) ?? null;
    if (i === parts.length - 1) {
      const l = new Lookup();
      l.node = next;
      l.parent = dir;
      l.name = name;
      return l;
    }
    if (next === null) return lookupError(ErrorCode.NotFound);
    if (next.type !== NodeType.Dir) return lookupError(ErrorCode.NotADirectory);
    dir = next;
  }
  const l = new Lookup();
  l.node = tree.root;
  return l;
}

/** The node at `path`, or the error (NotFound when it is missing). */
export function find(tree: FsTree, path: string): Lookup {
  const l = walk(tree, path);
  if (l.error === 0 && l.node === null) l.error = ErrorCode.NotFound;
  return l;
}

/** Makes a file or directory at `path`: AlreadyExists when something is there. */
export function makeNode(tree: FsTree, path: string, type: NodeType): Lookup {
  const l = walk(tree, path);
  if (l.error !== 0) return l;
  if (l.node !== null) return lookupError(ErrorCode.AlreadyExists);
  const node = new FsNode(type, l.name, l.parent);
  l.parent!.children.set(l.name, node);
  l.node = node;
  return l;
}

/** Makes every missing directory on `path` (the archive's entries need not list their parents). */
export function makeDirs(tree: FsTree, path: string): number {
  const parts = pathParts(path);
  let at = "";
  for (const p of parts) {
    at = `${at}/${p}`;
    const l = walk(tree, at);
    if (l.error !== 0) return l.error;
    if (l.node === null) {
      const made = makeNode(tree, at, NodeType.Dir);
      if (made.error !== 0) return made.error;
    } else if (l.node.type !== NodeType.Dir) {
      return ErrorCode.NotADirectory;
    }
  }
  return 0;
}

/** A file to read or write: made when missing and `create`, emptied when `truncate`. */
export function openFile(tree: FsTree, path: string, create: boolean, truncate: boolean): Lookup {
  let l = walk(tree, path);
  if (l.error !== 0) return l;
  if (l.node === null) {
    if (!create) return lookupError(ErrorCode.NotFound);
    l = makeNode(tree, path, NodeType.File);
    if (l.error !== 0) return l;
  }
  if (l.node!.type !== NodeType.File) return lookupError(ErrorCode.IsADirectory);
  if (truncate) fileTruncate(tree, l.node!, 0);
  return l;
}

/** Copies up to `n` bytes from `offset` into `out` (from 0); how many there were. */
export function fileRead(node: FsNode, offset: number, out: Uint8Array, n: number): number {
  if (offset >= node.size || n <= 0) return 0;
  const count = Math.min(n, node.size - offset, out.length);
  for (let done = 0; done < count; ) {
    const at = offset + done;
    const block = node.blocks[Math.floor(at / BLOCK)]!;
    const from = at % BLOCK;
    const take = Math.min(BLOCK - from, count - done);
    for (let i = 0; i < take; i++) out[done + i] = block[from + i]!;
    done += take;
  }
  return count;
}

/** Gives the file whole blocks for `size` bytes; NoMemory past STORE_MAX. */
function reserve(tree: FsTree, node: FsNode, size: number): number {
  const want = Math.ceil(size / BLOCK);
  if (want <= node.blocks.length) return 0;
  if (tree.stored + (want - node.blocks.length) * BLOCK > STORE_MAX) return ErrorCode.NoMemory;
  while (node.blocks.length < want) {
    node.blocks.push(new Uint8Array(BLOCK));
    tree.stored += BLOCK;
  }
  return 0;
}

/** Writes `n` bytes of `src` (from `srcAt`) at `offset`, growing the file (a gap reads as zeros). */
export function fileWrite(tree: FsTree, node: FsNode, offset: number, src: Uint8Array, srcAt: number, n: number): number {
  if (offset < 0 || n < 0 || srcAt < 0 || srcAt + n > src.length) return ErrorCode.InvalidArgument;
  const e = reserve(tree, node, offset + n);
  if (e !== 0) return e;
  for (let done = 0; done < n; ) {
    const at = offset + done;
    const block = node.blocks[Math.floor(at / BLOCK)]!;
    const from = at % BLOCK;
    const take = Math.min(BLOCK - from, n - done);
    for (let i = 0; i < take; i++) block[from + i] = src[srcAt + done + i]!;
    done += take;
  }
  if (offset + n > node.size) node.size = offset + n;
  return 0;
}

/** Sets the file's size: longer reads as zeros, shorter drops the bytes past it. */
export function fileTruncate(tree: FsTree, node: FsNode, size: number): number {
  if (size < 0) return ErrorCode.InvalidArgument;
  if (size > node.size) {
    const e = reserve(tree, node, size);
    if (e !== 0) return e;
  } else {
    const keep = Math.ceil(size / BLOCK);
    while (node.blocks.length > keep) {
      node.blocks.pop();
      tree.stored -= BLOCK;
    }
    // The tail of the last block is zeroed, so growing the file again shows zeros there.
    if (size % BLOCK !== 0) {
      const last = node.blocks[keep - 1]!;
      for (let i = size % BLOCK; i < BLOCK; i++) last[i] = 0;
    }
  }
  node.size = size;
  return 0;
}

/** Gives back every block under `node`. */
function dropBlocks(tree: FsTree, node: FsNode): void {
  tree.stored -= node.blocks.length * BLOCK;
  node.blocks = [];
  for (const child of node.children.values()) dropBlocks(tree, child);
}

/** Deletes the file or empty directory at `path` (NotEmpty; the root cannot go). */
export function remove(tree: FsTree, path: string): number {
  const l = find(tree, path);
  if (l.error !== 0) return l.error;
  const node = l.node!;
  if (node.parent === null) return ErrorCode.InvalidArgument;
  if (node.type === NodeType.Dir && node.children.size > 0) return ErrorCode.NotEmpty;
  l.parent!.children.delete(l.name);
  node.parent = null;
  dropBlocks(tree, node);
  return 0;
}

/** Whether `node` is `ancestor` or inside it. */
function within(node: FsNode, ancestor: FsNode): boolean {
  for (let n: FsNode | null = node; n !== null; n = n.parent) if (n === ancestor) return true;
  return false;
}

/**
 * Moves `from` to `to`. A file replaces a file at `to`; a directory replaces an empty directory;
 * otherwise something at `to` is AlreadyExists (a directory) or IsADirectory / NotADirectory when
 * the kinds differ. A directory cannot move into itself (InvalidArgument), nor the root.
 */
export function rename(tree: FsTree, from: string, to: string): number {
  const src = find(tree, from);
  if (src.error !== 0) return src.error;
  const node = src.node!;
  if (node.parent === null) return ErrorCode.InvalidArgument;
  const dst = walk(tree, to);
  if (dst.error !== 0) return dst.error;
  if (dst.node === node) return 0;
  if (dst.parent === null) return ErrorCode.InvalidArgument;
  if (node.type === NodeType.Dir && within(dst.parent!, node)) return ErrorCode.InvalidArgument;
  const old = dst.node;
  if (old !== null) {
    if (old.type === NodeType.Dir && node.type !== NodeType.Dir) return ErrorCode.IsADirectory;
    if (old.type !== NodeType.Dir && node.type === NodeType.Dir) return ErrorCode.NotADirectory;
    if (old.type === NodeType.Dir && old.children.size > 0) return ErrorCode.NotEmpty;
    dst.parent!.children.delete(dst.name);
    old.parent = null;
    dropBlocks(tree, old);
  }
  src.parent!.children.delete(src.name);
  node.name = dst.name;
  node.parent = dst.parent;
  dst.parent!.children.set(dst.name, node);
  return 0;
}

function byName(a: FsNode, b: FsNode): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** A directory's entries, sorted by name. */
export function entries(dir: FsNode): FsNode[] {
  const list: FsNode[] = [];
  for (const child of dir.children.values()) list.push(child);
  list.sort(byName);
  return list;
}
