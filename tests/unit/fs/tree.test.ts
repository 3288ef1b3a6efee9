// The RAM file system's tree (userland/fs/tree.ts) and the path functions it shares with the
// shell (userland/lib/path.ts), on the host.
import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../../abi/errors.ts";
import { pathParts, pathResolve } from "../../../userland/lib/path.ts";
import {
  BLOCK, FsTree, NAME_MAX, NodeType, STORE_MAX, entries, fileRead, fileTruncate, fileWrite, find, makeDirs, makeNode, openFile, remove, rename,
} from "../../../userland/fs/tree.ts";

function bytes(s: string): Uint8Array {
  return new Uint8Array([...s].map((c) => c.charCodeAt(0)));
}

function text(tree: FsTree, path: string): string {
  const l = find(tree, path);
  expect(l.error).toBe(0);
  const out = new Uint8Array(l.node!.size);
  expect(fileRead(l.node!, 0, out, out.length)).toBe(out.length);
  return String.fromCharCode(...out);
}

function put(tree: FsTree, path: string, s: string): void {
  const l = openFile(tree, path, true, true);
  expect(l.error).toBe(0);
  expect(fileWrite(tree, l.node!, 0, bytes(s), 0, s.length)).toBe(0);
}

function names(tree: FsTree, path: string): string[] {
  return entries(find(tree, path).node!).map((n) => n.name);
}

describe("paths", () => {
  it("resolves . and .. and empty components; the root's parent is the root", () => {
    expect(pathParts("/a//b/./c/../d/")).toEqual(["a", "b", "d"]);
    expect(pathParts("/../..")).toEqual([]);
    expect(pathResolve("/home/x", "../y/./z")).toBe("/home/y/z");
    expect(pathResolve("/home", "/etc/../bin")).toBe("/bin");
    expect(pathResolve("/", "..")).toBe("/");
    expect(pathResolve("/a", "")).toBe("/a");
  });
});

describe("the tree", () => {
  it("makes files and directories and walks to them, . and .. included", () => {
    const t = new FsTree();
    expect(makeNode(t, "/etc", NodeType.Dir).error).toBe(0);
    put(t, "/etc/motd", "hello");
    expect(text(t, "/etc/./../etc/motd")).toBe("hello");
    expect(find(t, "/etc").node!.type).toBe(NodeType.Dir);
    expect(find(t, "/").node).toBe(t.root);
  });

  it("reports each wrong path with its own error", () => {
    const t = new FsTree();
    put(t, "/f", "x");
    expect(find(t, "/missing").error).toBe(ErrorCode.NotFound);
    expect(find(t, "/missing/x").error).toBe(ErrorCode.NotFound);
    expect(find(t, "/f/x").error).toBe(ErrorCode.NotADirectory);
    expect(find(t, "relative").error).toBe(ErrorCode.InvalidArgument);
    expect(makeNode(t, "/f", NodeType.File).error).toBe(ErrorCode.AlreadyExists);
    expect(makeNode(t, `/${"n".repeat(NAME_MAX + 1)}`, NodeType.File).error).toBe(ErrorCode.NameTooLong);
    expect(makeNode(t, `/${"n".repeat(NAME_MAX)}`, NodeType.File).error).toBe(0);
    expect(openFile(t, "/", false, false).error).toBe(ErrorCode.IsADirectory);
    expect(openFile(t, "/nope", false, false).error).toBe(ErrorCode.NotFound);
  });

  it("writes at any offset across blocks, growing the file; a gap reads as zeros", () => {
    const t = new FsTree();
    const f = openFile(t, "/big", true, false).node!;
    const chunk = new Uint8Array(3 * BLOCK + 17).map((_, i) => (i * 7 + 3) & 0xff);
    expect(fileWrite(t, f, 100, chunk, 0, chunk.length)).toBe(0);
    expect(f.size).toBe(100 + chunk.length);
    const out = new Uint8Array(f.size);
    expect(fileRead(f, 0, out, out.length)).toBe(f.size);
    expect([...out.slice(0, 100)].every((b) => b === 0)).toBe(true);
    expect([...out.slice(100)]).toEqual([...chunk]);
    // Reads past the end give what there is, then nothing.
    expect(fileRead(f, f.size - 5, out, 100)).toBe(5);
    expect(fileRead(f, f.size, out, 100)).toBe(0);
    expect(t.stored).toBe(f.blocks.length * BLOCK);
  });

  it("truncates shorter and longer; the bytes cut off do not come back", () => {
    const t = new FsTree();
    put(t, "/f", "abcdefgh");
    const f = find(t, "/f").node!;
    expect(fileTruncate(t, f, 3)).toBe(0);
    expect(text(t, "/f")).toBe("abc");
    expect(fileTruncate(t, f, 6)).toBe(0);
    expect(text(t, "/f")).toBe("abc\0\0\0");
    expect(fileTruncate(t, f, 0)).toBe(0);
    expect(f.blocks.length).toBe(0);
    expect(t.stored).toBe(0);
    expect(fileTruncate(t, f, -1)).toBe(ErrorCode.InvalidArgument);
  });

  it("refuses to grow past STORE_MAX with NoMemory and keeps the file as it was", () => {
    const t = new FsTree();
    const f = openFile(t, "/f", true, false).node!;
    expect(fileTruncate(t, f, STORE_MAX)).toBe(0);
    expect(fileWrite(t, f, STORE_MAX, bytes("x"), 0, 1)).toBe(ErrorCode.NoMemory);
    expect(f.size).toBe(STORE_MAX);
    expect(remove(t, "/f")).toBe(0);
    expect(t.stored).toBe(0);
  });

  it("deletes files and empty directories only", () => {
    const t = new FsTree();
    expect(makeDirs(t, "/a/b")).toBe(0);
    put(t, "/a/b/f", "x");
    expect(remove(t, "/a")).toBe(ErrorCode.NotEmpty);
    expect(remove(t, "/a/b/f")).toBe(0);
    expect(remove(t, "/a/b/f")).toBe(ErrorCode.NotFound);
    expect(remove(t, "/a/b")).toBe(0);
    expect(remove(t, "/")).toBe(ErrorCode.InvalidArgument);
    expect(names(t, "/")).toEqual(["a"]);
  });

  it("renames files and directories, replacing a file, never a directory into itself", () => {
    const t = new FsTree();
    expect(makeDirs(t, "/d/sub")).toBe(0);
    put(t, "/one", "1");
    put(t, "/two", "2");
    expect(rename(t, "/one", "/d/uno")).toBe(0);
    expect(text(t, "/d/uno")).toBe("1");
    expect(find(t, "/one").error).toBe(ErrorCode.NotFound);
    expect(rename(t, "/two", "/d/uno")).toBe(0);
    expect(text(t, "/d/uno")).toBe("2");
    expect(rename(t, "/d", "/d/sub/x")).toBe(ErrorCode.InvalidArgument);
    expect(rename(t, "/d/uno", "/d/sub")).toBe(ErrorCode.IsADirectory);
    expect(rename(t, "/d", "/e")).toBe(0);
    expect(names(t, "/e")).toEqual(["sub", "uno"]);
    expect(rename(t, "/nope", "/x")).toBe(ErrorCode.NotFound);
    expect(rename(t, "/e", "/")).toBe(ErrorCode.InvalidArgument);
  });

  it("lists a directory sorted by name", () => {
    const t = new FsTree();
    for (const n of ["zeta", "alpha", "mid"]) put(t, `/${n}`, n);
    expect(makeDirs(t, "/bin")).toBe(0);
    expect(names(t, "/")).toEqual(["alpha", "bin", "mid", "zeta"]);
  });
});
