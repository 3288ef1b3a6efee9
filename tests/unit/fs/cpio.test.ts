// The boot archive: scripts/make-rootfs.ts writes it, userland/fs/cpio.ts reads it and
// userland/fs/rootfs.ts fills the tree from it; good archives and every kind of damage.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CPIO_HEADER, cpioRead } from "../../../userland/fs/cpio.ts";
import { rootfsLoad } from "../../../userland/fs/rootfs.ts";
import { FsTree, NodeType, entries, fileRead, find } from "../../../userland/fs/tree.ts";
import { MODE_DIR, MODE_EXEC, MODE_FILE, type RootfsEntry, buildCpio, withDirectories } from "../../../scripts/make-rootfs.ts";

const ROOT = resolve(import.meta.dirname, "../../..");

function ascii(s: string): Uint8Array {
  return new Uint8Array([...s].map((c) => c.charCodeAt(0)));
}

function sample(): Uint8Array {
  const files: RootfsEntry[] = [
    { path: "/etc/motd", mode: MODE_FILE, data: ascii("welcome\n") },
    { path: "/bin/hello", mode: MODE_EXEC, data: new Uint8Array(5000).map((_, i) => i & 0xff) },
    { path: "/README", mode: MODE_FILE, data: ascii("odd") },
    { path: "/empty", mode: MODE_FILE, data: new Uint8Array(0) },
  ];
  return buildCpio(withDirectories(files));
}

function content(tree: FsTree, path: string): Uint8Array {
  const n = find(tree, path).node!;
  const out = new Uint8Array(n.size);
  fileRead(n, 0, out, n.size);
  return out;
}

describe("the cpio reader", () => {
  it("reads what make-rootfs writes: directories first, names, modes, data at 4-byte alignment", () => {
    const a = sample();
    const r = cpioRead(a, a.length);
    expect(r.error).toBe("");
    expect(r.entries.map((e) => e.name)).toEqual(["etc", "etc/motd", "bin", "bin/hello", "README", "empty"]);
    expect(r.entries.map((e) => e.mode)).toEqual([MODE_DIR, MODE_FILE, MODE_DIR, MODE_EXEC, MODE_FILE, MODE_FILE]);
    for (const e of r.entries) expect(e.start % 4).toBe(0);
    const motd = r.entries[1]!;
    expect(String.fromCharCode(...a.slice(motd.start, motd.start + motd.size))).toBe("welcome\n");
    expect(a.length % 4).toBe(0);
  });

  it("agrees with GNU cpio on the format when cpio is installed", () => {
    let listed = "";
    try {
      listed = execFileSync("cpio", ["-it", "--quiet"], { input: sample(), encoding: "utf8" });
    } catch {
      return; // no cpio binary: the round trip above is the check
    }
    expect(listed.trim().split("\n")).toEqual(["etc", "etc/motd", "bin", "bin/hello", "README", "empty"]);
  });

  it("fills the tree: files with their bytes, directories, nothing else", () => {
    const a = sample();
    const t = new FsTree();
    const rep = rootfsLoad(t, a, a.length);
    expect(rep.problems).toEqual([]);
    expect(rep.files).toBe(4);
    expect(rep.dirs).toBe(2);
    expect(String.fromCharCode(...content(t, "/etc/motd"))).toBe("welcome\n");
    expect([...content(t, "/bin/hello")]).toEqual([...new Uint8Array(5000).map((_, i) => i & 0xff)]);
    expect(find(t, "/empty").node!.size).toBe(0);
    expect(entries(t.root).map((n) => `${n.name}:${n.type}`)).toEqual(["README:1", "bin:2", "empty:1", "etc:2"].map((s) => s.replace(/:2$/, `:${NodeType.Dir}`)));
  });

  it("reports a bad magic by entry and keeps the entries before it", () => {
    const a = sample();
    const third = findHeader(a, 2);
    a[third] = 0x39;
    const r = cpioRead(a, a.length);
    expect(r.entries.map((e) => e.name)).toEqual(["etc", "etc/motd"]);
    expect(r.error).toBe(`entry 2 at byte ${third}: bad magic "970701" (070701 expected)`);
    const t = new FsTree();
    const rep = rootfsLoad(t, a, a.length);
    expect(rep.problems).toEqual([`malformed archive: entry 2 at byte ${third}: bad magic "970701" (070701 expected); the 2 entries before it are kept`]);
    expect(String.fromCharCode(...content(t, "/etc/motd"))).toBe("welcome\n");
    expect(find(t, "/bin").node).toBeNull();
  });

  it("reports a truncated header, a name past the end and data past the end", () => {
    const a = sample();
    const third = findHeader(a, 2);
    let r = cpioRead(a, third + 50);
    expect(r.error).toBe(`entry 2 at byte ${third}: header truncated (50 bytes left of ${CPIO_HEADER})`);
    expect(r.entries.length).toBe(2);
    r = cpioRead(a, third + CPIO_HEADER + 2);
    expect(r.error).toBe(`entry 2 at byte ${third}: name (4 bytes) runs past the end of the archive`);
    const hello = findHeader(a, 3);
    r = cpioRead(a, hello + CPIO_HEADER + 12 + 100);
    expect(r.error).toBe(`entry 3 (bin/hello) at byte ${hello}: data (5000 bytes) runs past the end of the archive`);
    expect(r.entries.map((e) => e.name)).toEqual(["etc", "etc/motd", "bin"]);
  });

  it("reports a field that is not hexadecimal, a name without NUL, a missing trailer", () => {
    let a = sample();
    const second = findHeader(a, 1);
    a[second + 6 + 6 * 8 + 3] = 0x7a; // filesize
    expect(cpioRead(a, a.length).error).toBe(`entry 1 at byte ${second}: header field filesize is not 8 hexadecimal digits`);
    a = sample();
    a[second + CPIO_HEADER + 8] = 0x41; // the NUL after etc/motd
    expect(cpioRead(a, a.length).error).toBe(`entry 1 (etc/motd) at byte ${second}: name not ended by NUL`);
    a = sample();
    const trailer = findHeader(a, 6);
    const r = cpioRead(a, trailer);
    expect(r.error).toBe("the archive ends after 6 entries without its TRAILER!!! entry");
    expect(r.entries.length).toBe(6);
  });

  it("never throws on random damage", () => {
    const good = sample();
    for (let seed = 1; seed < 300; seed++) {
      const a = good.slice();
      let x = seed;
      for (let k = 0; k < 4; k++) {
        x = (x * 1103515245 + 12345) % 2147483648;
        a[x % a.length] = x & 0xff;
      }
      const cut = (x >> 3) % (a.length + 1);
      const t = new FsTree();
      const rep = rootfsLoad(t, a, cut);
      expect(rep.files).toBeLessThanOrEqual(4);
    }
  });
});

/** Where header `index` starts in `a` (walking the well-formed entries before it). */
function findHeader(a: Uint8Array, index: number): number {
  let at = 0;
  for (let i = 0; i < index; i++) {
    const hex = (f: number): number => Number.parseInt(String.fromCharCode(...a.slice(at + 6 + f * 8, at + 14 + f * 8)), 16);
    const dataAt = Math.ceil((at + CPIO_HEADER + hex(11)) / 4) * 4;
    at = Math.ceil((dataAt + hex(6)) / 4) * 4;
  }
  return at;
}

describe("make-rootfs", () => {
  it("archives a directory tree and files at their paths, stripping ELF debug sections on request", () => {
    const work = mkdtempSync(join(tmpdir(), "keel-rootfs-test."));
    try {
      mkdirSync(join(work, "root/etc"), { recursive: true });
      writeFileSync(join(work, "root/etc/motd"), "hi\n");
      writeFileSync(join(work, "root/README"), "read me\n");
      const elf = join(work, "prog.elf");
      execFileSync("gcc", ["-g", "-c", "-x", "c", "-", "-o", elf], { input: "int answer(void) { return 42; }\n" });
      const out = join(work, "rootfs.cpio");
      execFileSync("node", ["--import", "tsx", join(ROOT, "scripts/make-rootfs.ts"), "--strip-debug", out, `${join(work, "root")}=/`, `${elf}=/bin/prog`], { cwd: ROOT });
      const a = new Uint8Array(readFileSync(out));
      const r = cpioRead(a, a.length);
      expect(r.error).toBe("");
      expect(r.entries.map((e) => e.name)).toEqual(["README", "etc", "etc/motd", "bin", "bin/prog"]);
      const prog = r.entries[4]!;
      expect(prog.mode).toBe(MODE_EXEC);
      expect(prog.size).toBeLessThan(readFileSync(elf).length);
      expect([...a.slice(prog.start, prog.start + 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
