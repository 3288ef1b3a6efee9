// PSF2 console font reader (the format of Linux console fonts, e.g. Debian's Terminus). Reads a font
// image in memory (the `font` boot module, through the direct map) without copying the glyphs.
import { load8, load32 } from "../../lang/mem.ts";

export const PSF2_MAGIC = 0x864ab572;
const PSF2_HAS_UNICODE_TABLE = 1;
const HEADER_SIZE = 32;
/** Code points below this get a direct lookup table; others fall back to the replacement glyph. */
export const PSF2_MAP_SIZE = 512;
const NO_GLYPH = 0xffff;

export const enum Psf2Error {
  None = 0,
  TooSmall = 1,
  BadMagic = 2,
  BadHeader = 3,
  GlyphsPastEnd = 4,
}

export class Psf2Font {
  error = Psf2Error.None;
  /** Address of the font image (virtual) and its size in bytes. */
  addr = 0;
  size = 0;
  version = 0;
  headerSize = 0;
  flags = 0;
  glyphCount = 0;
  bytesPerGlyph = 0;
  height = 0;
  width = 0;
  bytesPerRow = 0;
  hasUnicodeTable = false;
  /** Glyph index of each code point below PSF2_MAP_SIZE, NO_GLYPH when the font has none. */
  map = new Uint16Array(PSF2_MAP_SIZE);
  /** Glyph drawn for characters the font lacks ('?' when present, else glyph 0). */
  replacement = 0;
}

/** Reads the font at `addr` (`size` bytes); check `font.error` before use. */
export function psf2Open(addr: number, size: number): Psf2Font {
  const font = new Psf2Font();
  font.addr = addr;
  font.size = size;
  if (size < HEADER_SIZE) {
    font.error = Psf2Error.TooSmall;
    return font;
  }
  if (load32(addr) !== PSF2_MAGIC) {
    font.error = Psf2Error.BadMagic;
    return font;
  }
  font.version = load32(addr + 4);
  font.headerSize = load32(addr + 8);
  font.flags = load32(addr + 12);
  font.glyphCount = load32(addr + 16);
  font.bytesPerGlyph = load32(addr + 20);
  font.height = load32(addr + 24);
  font.width = load32(addr + 28);
  font.bytesPerRow = Math.floor((font.width + 7) / 8);
  if (font.headerSize < HEADER_SIZE || font.width === 0 || font.height === 0 || font.width > 64 ||
    font.height > 128 || font.glyphCount === 0 || font.bytesPerGlyph !== font.bytesPerRow * font.height) {
    font.error = Psf2Error.BadHeader;
    return font;
  }
  const glyphsEnd = font.headerSize + font.glyphCount * font.bytesPerGlyph;
  if (glyphsEnd > size) {
    font.error = Psf2Error.GlyphsPastEnd;
    return font;
  }
  font.hasUnicodeTable = (font.flags & PSF2_HAS_UNICODE_TABLE) !== 0;
  for (let i = 0; i < PSF2_MAP_SIZE; i++) font.map[i] = NO_GLYPH;
  if (font.hasUnicodeTable) {
    readUnicodeTable(font, addr + glyphsEnd, addr + size);
  } else {
    // Without a table, glyph i stands for code point i.
    const n = Math.min(font.glyphCount, PSF2_MAP_SIZE);
    for (let i = 0; i < n; i++) font.map[i] = i;
  }
  const q = font.map[0x3f]!;
  font.replacement = q === NO_GLYPH ? 0 : q;
  return font;
}

/**
 * The unicode table lists, for each glyph in order, the UTF-8 code points it draws, then optional
 * sequences each introduced by 0xFE, and ends with 0xFF. Sequences (combining forms) are skipped.
 */
function readUnicodeTable(font: Psf2Font, start: number, end: number): void {
  let p = start;
  let glyph = 0;
  let inSequence = false;
  while (p < end && glyph < font.glyphCount) {
    const b = load8(p);
    if (b === 0xff) {
      glyph++;
      inSequence = false;
      p++;
      continue;
    }
    if (b === 0xfe) {
      inSequence = true;
      p++;
      continue;
    }
    let cp = 0;
    let n = 1;
    if (b < 0x80) {
      cp = b;
    } else if ((b & 0xe0) === 0xc0) {
      cp = b & 0x1f;
      n = 2;
    } else if ((b & 0xf0) === 0xe0) {
      cp = b & 0x0f;
      n = 3;
    } else {
      cp = b & 0x07;
      n = 4;
    }
    if (p + n > end) break;
    for (let i = 1; i < n; i++) cp = cp * 64 + (load8(p + i) & 0x3f);
    p += n;
    if (!inSequence && cp < PSF2_MAP_SIZE && font.map[cp] === NO_GLYPH) font.map[cp] = glyph;
  }
}

/** Glyph index for a code point (the replacement glyph when the font has none). */
export function psf2GlyphIndex(font: Psf2Font, codepoint: number): number {
  if (codepoint >= 0 && codepoint < PSF2_MAP_SIZE) {
    const g = font.map[codepoint]!;
    if (g !== NO_GLYPH) return g;
  }
  return font.replacement;
}

/** Whether pixel (x, y) of glyph `index` is set; bit 7 of a row's first byte is the leftmost pixel. */
export function psf2Pixel(font: Psf2Font, index: number, x: number, y: number): boolean {
  const row = font.addr + font.headerSize + index * font.bytesPerGlyph + y * font.bytesPerRow;
  const byte = load8(row + (x >> 3));
  return (byte & (0x80 >> (x & 7))) !== 0;
}
