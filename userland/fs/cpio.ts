// The boot archive's format: cpio "newc" (docs/userland.md, "File system"), as
// scripts/make-rootfs.mjs writes it. Each entry is a 110-byte ASCII header ("070701" and thirteen
// 8-digit hexadecimal fields), the name with its NUL, padding to a multiple of 4, the data,
// padding to a multiple of 4; the entry named TRAILER!!! ends the archive. The reader checks every
// length against the end of the archive: a malformed entry ends the reading with one line naming
// it and what is wrong, and the entries before it are kept.

export const CPIO_HEADER = 110;
export const CPIO_TRAILER = "TRAILER!!!";
/** The type bits of an entry's mode, and the two types the file system takes. */
export const MODE_TYPE = 0o170000;
export const MODE_DIR = 0o040000;
export const MODE_FILE = 0o100000;

/** The fields of a header, in order (each 8 hex digits after the magic). */
const enum Field {
  Mode = 1,
  FileSize = 6,
  NameSize = 11,
}
const FIELD_NAMES = ["ino", "mode", "uid", "gid", "nlink", "mtime", "filesize", "devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check"];

export class CpioEntry {
  constructor(
    public name: string,
    public mode: number,
    /** Where the data starts in the archive, and its length. */
    public start: number,
    public size: number,
  ) {}
}

export class CpioResult {
  entries: CpioEntry[] = [];
  /** "" when the archive was read to its trailer; else one line saying what is wrong where. */
  error = "";
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** Field `f` of the header at `at`, or -1 when it is not 8 hex digits. */
function field(a: Uint8Array, at: number, f: number): number {
  let v = 0;
  for (let i = 0; i < 8; i++) {
    const d = hexDigit(a[at + 6 + f * 8 + i]!);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

function align4(n: number): number {
  return Math.ceil(n / 4) * 4;
}

/** Printable text of `n` bytes at `at` (others as '?'), for error lines. */
function shown(a: Uint8Array, at: number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) {
    const c = a[at + i]!;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : "?";
  }
  return s;
}

function fail(r: CpioResult, index: number, name: string, what: string): CpioResult {
  r.error = `entry ${index}${name === "" ? "" : ` (${name})`} at byte ${what}`;
  return r;
}

/** Reads the first `length` bytes of `a` as a newc archive. */
export function cpioRead(a: Uint8Array, length: number): CpioResult {
  const r = new CpioResult();
  const end = Math.min(length, a.length);
  let at = 0;
  for (let index = 0; ; index++) {
    if (at >= end) {
      r.error = `the archive ends after ${index} entries without its ${CPIO_TRAILER} entry`;
      return r;
    }
    if (end - at < CPIO_HEADER) return fail(r, index, "", `${at}: header truncated (${end - at} bytes left of ${CPIO_HEADER})`);
    const magic = shown(a, at, 6);
    if (magic !== "070701" && magic !== "070702") return fail(r, index, "", `${at}: bad magic "${magic}" (070701 expected)`);
    for (let f = 0; f < FIELD_NAMES.length; f++) {
      if (field(a, at, f) < 0) return fail(r, index, "", `${at}: header field ${FIELD_NAMES[f]!} is not 8 hexadecimal digits`);
    }
    const nameSize = field(a, at, Field.NameSize);
    const size = field(a, at, Field.FileSize);
    const mode = field(a, at, Field.Mode);
    const nameAt = at + CPIO_HEADER;
    if (nameSize < 2) return fail(r, index, "", `${at}: name size ${nameSize} (a name and its NUL expected)`);
    if (nameAt + nameSize > end) return fail(r, index, "", `${at}: name (${nameSize} bytes) runs past the end of the archive`);
    if (a[nameAt + nameSize - 1]! !== 0) return fail(r, index, shown(a, nameAt, nameSize - 1), `${at}: name not ended by NUL`);
    for (let i = 0; i < nameSize - 1; i++) {
      const c = a[nameAt + i]!;
      if (c < 0x20 || c >= 0x7f) return fail(r, index, shown(a, nameAt, nameSize - 1), `${at}: name has a byte that is not printable ASCII`);
    }
    const name = shown(a, nameAt, nameSize - 1);
    if (name === CPIO_TRAILER) return r;
    const dataAt = align4(nameAt + nameSize);
    if (dataAt + size > end) return fail(r, index, name, `${at}: data (${size} bytes) runs past the end of the archive`);
    r.entries.push(new CpioEntry(name, mode, dataAt, size));
    at = align4(dataAt + size);
  }
}
