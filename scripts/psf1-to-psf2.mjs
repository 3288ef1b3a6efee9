// Converts a PSF1 console font (Debian's 8x16 Terminus) to PSF2, the one font format the kernel
// console reads. Glyph bitmaps are identical in both formats (one byte per row for width 8);
// the Unicode table changes from UCS-2 words to UTF-8 strings.
// Usage: node scripts/psf1-to-psf2.mjs <in.psf> <out.psf>
import { readFileSync, writeFileSync } from "node:fs";

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error("usage: psf1-to-psf2.mjs <in.psf> <out.psf>");
  process.exit(2);
}
const src = readFileSync(input);
if (src[0] === 0x72 && src[1] === 0xb5 && src[2] === 0x4a && src[3] === 0x86) {
  writeFileSync(output, src); // already PSF2
  process.exit(0);
}
if (src[0] !== 0x36 || src[1] !== 0x04) {
  console.error(`${input}: not a PSF1 or PSF2 font`);
  process.exit(1);
}
const mode = src[2];
const height = src[3];
const glyphs = mode & 1 ? 512 : 256;
const hasTable = (mode & 6) !== 0;
const bitmaps = src.subarray(4, 4 + glyphs * height);

const table = [];
if (hasTable) {
  let pos = 4 + glyphs * height;
  for (let g = 0; g < glyphs; g++) {
    for (;;) {
      const u = src.readUInt16LE(pos);
      pos += 2;
      if (u === 0xffff) {
        table.push(0xff);
        break;
      }
      if (u === 0xfffe) table.push(0xfe);
      else table.push(...Buffer.from(String.fromCharCode(u), "utf8"));
    }
  }
}

const header = Buffer.alloc(32);
header.writeUInt32LE(0x864ab572, 0); // magic
header.writeUInt32LE(0, 4); // version
header.writeUInt32LE(32, 8); // header size
header.writeUInt32LE(hasTable ? 1 : 0, 12); // flags: Unicode table present
header.writeUInt32LE(glyphs, 16);
header.writeUInt32LE(height, 20); // bytes per glyph (width 8: one byte per row)
header.writeUInt32LE(height, 24);
header.writeUInt32LE(8, 28);
writeFileSync(output, Buffer.concat([header, bitmaps, Buffer.from(table)]));
