// Builds the boot archive the file system server fills its tree from (docs/userland.md, "File
// system"): a cpio "newc" archive, written here without a cpio binary.
//
// Usage: node --import tsx scripts/make-rootfs.ts [--strip-debug] <out.cpio> <source>=<path>...
// A source file lands at <path>; a source directory's files land under <path>, keeping their
// relative names. Every directory on the way gets its own entry. --strip-debug drops the DWARF
// sections of ELF files (objcopy; the .keel.lines table the kernel's fault reports read stays),
// which makes a program a third of its built size.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const MODE_DIR = 0o040755;
export const MODE_FILE = 0o100644;
export const MODE_EXEC = 0o100755;

export interface RootfsEntry {
  /** Absolute, '/'-separated. */
  path: string;
  mode: number;
  data: Uint8Array;
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, "0");
}

function header(ino: number, mode: number, nlink: number, size: number, nameSize: number): string {
  const fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, nameSize, 0];
  return `070701${fields.map(hex8).join("")}`;
}

/** The archive of `entries` (in this order), names without their leading '/', then the trailer. */
export function buildCpio(entries: RootfsEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let length = 0;
  const put = (b: Uint8Array): void => {
    parts.push(b);
    length += b.length;
  };
  const pad = (): void => {
    if (length % 4 !== 0) put(new Uint8Array(4 - (length % 4)));
  };
  const one = (ino: number, name: string, mode: number, data: Uint8Array): void => {
    const nameBytes = Buffer.from(`${name}\0`, "ascii");
    put(Buffer.from(header(ino, mode, (mode & 0o170000) === 0o040000 ? 2 : 1, data.length, nameBytes.length), "ascii"));
    put(nameBytes);
    pad();
    put(data);
    pad();
  };
  entries.forEach((e, i) => one(i + 1, e.path.replace(/^\/+/, ""), e.mode, e.data));
  one(0, "TRAILER!!!", 0, new Uint8Array(0));
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Adds the directories on the way to each entry, each once, before the first entry inside it. */
export function withDirectories(entries: RootfsEntry[]): RootfsEntry[] {
  const seen = new Set<string>();
  const out: RootfsEntry[] = [];
  for (const e of entries) {
    const parts = e.path.split("/").filter((p) => p !== "");
    for (let i = 1; i < parts.length; i++) {
      const dir = `/${parts.slice(0, i).join("/")}`;
      if (!seen.has(dir)) {
        seen.add(dir);
        out.push({ path: dir, mode: MODE_DIR, data: new Uint8Array(0) });
      }
    }
    if (e.mode === MODE_DIR) seen.add(e.path);
    out.push(e);
  }
  return out;
}

function isElf(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;
}

function fileEntry(src: string, path: string, strip: boolean, work: string): RootfsEntry {
  let data: Uint8Array = readFileSync(src);
  if (isElf(data) && strip) {
    const tmp = join(work, `stripped-${path.replace(/\//g, "_")}`);
    execFileSync("objcopy", ["--strip-debug", src, tmp]);
    data = readFileSync(tmp);
  }
  return { path, mode: isElf(data) ? MODE_EXEC : MODE_FILE, data };
}

/** The entries for `src` at `path`: a file, or a directory's files (sorted) under it. */
function collect(src: string, path: string, strip: boolean, work: string, out: RootfsEntry[]): void {
  if (statSync(src).isDirectory()) {
    for (const name of readdirSync(src).sort()) collect(join(src, name), `${path.replace(/\/+$/, "")}/${name}`, strip, work, out);
  } else {
    out.push(fileEntry(src, path, strip, work));
  }
}

function main(argv: string[]): void {
  const strip = argv[0] === "--strip-debug";
  const args = strip ? argv.slice(1) : argv;
  if (args.length < 1) {
    console.error("usage: make-rootfs.ts [--strip-debug] <out.cpio> <source>=<path>...");
    process.exit(2);
  }
  const work = mkdtempSync(join(tmpdir(), "keel-rootfs."));
  try {
    const entries: RootfsEntry[] = [];
    for (const spec of args.slice(1)) {
      const eq = spec.lastIndexOf("=");
      if (eq <= 0 || !spec.slice(eq + 1).startsWith("/")) {
        console.error(`make-rootfs: ${spec}: expected <source>=</absolute/path>`);
        process.exit(2);
      }
      collect(spec.slice(0, eq), spec.slice(eq + 1), strip, work, entries);
    }
    const out = args[0]!;
    const archive = buildCpio(withDirectories(entries));
    // An unchanged archive keeps its time stamp: the images that carry it are not rebuilt.
    if (existsSync(out) && Buffer.compare(readFileSync(out), archive) === 0) return;
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(`${out}.tmp.${process.pid}`, archive);
    renameSync(`${out}.tmp.${process.pid}`, out);
    console.log(`ROOTFS ${out} (${entries.length} files, ${archive.length} bytes)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));
