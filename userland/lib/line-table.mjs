// Build step of mk/userland.mk: adds a `.keel.lines` section to a linked user program, mapping
// code addresses to the TypeScript file and line they came from, so that the kernel can say where
// a killed process faulted. The rows come from the DWARF line table (keelc's #line directives make
// it name .ts files); rows of keel.h (inlined runtime helpers) are dropped so an address inside an
// inlined load or store is charged to the TypeScript statement that used it; rows of other C files
// (the runtime) become "unknown" markers.
//
// Section layout, little-endian: u32 count, u32 files; files x u32 string offset (from the string
// area); padding to 8; count x { u64 address, u32 line, i32 file (-1 unknown) }; strings (NUL-ended).
// Usage: node line-table.mjs <program.elf>
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";

const elf = process.argv[2];
if (!elf) {
  console.error("usage: line-table.mjs <program.elf>");
  process.exit(2);
}
const dump = execFileSync("readelf", ["-wL", "-W", elf], { encoding: "utf8", maxBuffer: 64 << 20 });
const files = [];
const fileIndex = new Map();
const rows = new Map(); // address -> [line, file]
let path = "";
for (const text of dump.split("\n")) {
  const header = /^(?:CU: )?(\S+):$/.exec(text);
  if (header) {
    path = header[1];
    continue;
  }
  const m = /^(\S+)\s+(\d+|-)\s+(0x[0-9a-f]+)/.exec(text);
  if (!m) continue;
  const addr = Number(m[3]);
  if (m[1].endsWith(".h")) continue;
  if (!m[1].endsWith(".ts") || m[2] === "-") {
    if (!rows.has(addr)) rows.set(addr, [0, -1]);
    continue;
  }
  const file = path.endsWith(m[1]) ? path : m[1];
  if (!fileIndex.has(file)) {
    fileIndex.set(file, files.length);
    files.push(file);
  }
  rows.set(addr, [Number(m[2]), fileIndex.get(file)]);
}
const sorted = [...rows.entries()].sort((a, b) => a[0] - b[0]);
const strings = [];
const offsets = [];
let size = 0;
for (const f of files) {
  offsets.push(size);
  const bytes = Buffer.from(f + "\0", "utf8");
  strings.push(bytes);
  size += bytes.length;
}
const head = 8 + 4 * files.length;
const entries = Math.ceil(head / 8) * 8;
const out = Buffer.alloc(entries + 16 * sorted.length + size);
out.writeUInt32LE(sorted.length, 0);
out.writeUInt32LE(files.length, 4);
offsets.forEach((o, i) => out.writeUInt32LE(o, 8 + 4 * i));
sorted.forEach(([addr, [line, file]], i) => {
  out.writeBigUInt64LE(BigInt(addr), entries + 16 * i);
  out.writeUInt32LE(line, entries + 16 * i + 8);
  out.writeInt32LE(file, entries + 16 * i + 12);
});
Buffer.concat(strings).copy(out, entries + 16 * sorted.length);
const tmp = `${elf}.lines`;
writeFileSync(tmp, out);
execFileSync("objcopy", ["--add-section", `.keel.lines=${tmp}`, "--set-section-flags", ".keel.lines=readonly", elf]);
rmSync(tmp);
