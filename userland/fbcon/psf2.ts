// PSF2 console fonts (the format of Linux console fonts, e.g. Debian's Terminus), read from a copy
// of the font's bytes: the header, the glyph bitmaps, and the optional unicode table that says
// which code points each glyph draws. Pure: the host tests run it on the real font file.

export const PSF2_MAGIC = 0x864ab572;
const HEADER_SIZE = 32;
const HAS_UNICODE_TABLE = 1;
/** Widest glyph drawn (rows of at most 4 bytes). */
export const PSF2_MAX_WIDTH = 32;
const MAX_HEIGHT = 128;

export class Psf2 {
  data: Uint8Array;
  /** "" when the font is usable, else what is wrong with it. */
  error = "";
  headerSize = 0;
  glyphCount = 0;
  bytesPerGlyph = 0;
  width = 0;
  height = 0;
  bytesPerRow = 0;
  /** Glyph of each code point the unicode table lists (code point i is glyph i without a table). */
  glyphs = new Map<number, number>();
  /** Glyph drawn for what the font lacks: '?' when present, else glyph 0. */
  replacement = 0;

  constructor(data: Uint8Array) {
    this.data = data;
  }
}

function u32(d: Uint8Array, at: number): number {
  return d[at]! + d[at + 1]! * 0x100 + d[at + 2]! * 0x10000 + d[at + 3]! * 0x1000000;
}

/** Reads a font; check `error` before drawing with it. */
export function psf2Parse(data: Uint8Array): Psf2 {
  const f = new Psf2(data);
  if (data.length < HEADER_SIZE) {
    f.error = `${data.length} bytes, shorter than a PSF2 header`;
    return f;
  }
  if (u32(data, 0) !== PSF2_MAGIC) {
    f.error = "not a PSF2 font (bad magic)";
    return f;
  }
  f.headerSize = u32(data, 8);
  const flags = u32(data, 12);
  f.glyphCount = u32(data, 16);
  f.bytesPerGlyph = u32(data, 20);
  f.height = u32(data, 24);
  f.width = u32(data, 28);
  f.bytesPerRow = Math.floor((f.width + 7) / 8);
  if (f.headerSize < HEADER_SIZE || f.width === 0 || f.height === 0 || f.glyphCount === 0 ||
    f.bytesPerGlyph !== f.bytesPerRow * f.height) {
    f.error = "bad PSF2 header";
    return f;
  }
  if (f.width > PSF2_MAX_WIDTH || f.height > MAX_HEIGHT) {
    f.error = `glyphs of ${f.width}x${f.height} pixels (at most ${PSF2_MAX_WIDTH}x${MAX_HEIGHT})`;
    return f;
  }
  const end = f.headerSize + f.glyphCount * f.bytesPerGlyph;
  if (end > data.length) {
    f.error = `${f.glyphCount} glyphs do not fit in ${data.length} bytes`;
    return f;
  }
  if ((flags & HAS_UNICODE_TABLE) !== 0) {
    readUnicodeTable(f, end);
  } else {
    for (let i = 0; i < f.glyphCount; i++) f.glyphs.set(i, i);
  }
  f.replacement = f.glyphs.has(0x3f) ? f.glyphs.get(0x3f)! : 0;
  return f;
}

/**
 * The table lists, glyph by glyph, the UTF-8 code points it draws, then sequences each introduced
 * by 0xFE (combining forms, skipped), and ends each glyph's entry with 0xFF.
 */
function readUnicodeTable(f: Psf2, start: number): void {
  const d = f.data;
  let p = start;
  let glyph = 0;
  let inSequence = false;
  while (p < d.length && glyph < f.glyphCount) {
    const b = d[p]!;
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
    let cp = b;
    let n = 1;
    if (b >= 0xf0) {
      cp = b & 0x07;
      n = 4;
    } else if (b >= 0xe0) {
      cp = b & 0x0f;
      n = 3;
    } else if (b >= 0xc0) {
      cp = b & 0x1f;
      n = 2;
    }
    if (p + n > d.length) return;
    for (let i = 1; i < n; i++) cp = cp * 64 + (d[p + i]! & 0x3f);
    p += n;
    if (!inSequence && !f.glyphs.has(cp)) f.glyphs.set(cp, glyph);
  }
}

/** The glyph that draws code point `cp` (the replacement glyph when the font has none). */
export function psf2Glyph(f: Psf2, cp: number): number {
  return f.glyphs.has(cp) ? f.glyphs.get(cp)! : f.replacement;
}

/** Whether pixel (x, y) of glyph `g` is set; bit 7 of a row's first byte is its leftmost pixel. */
export function psf2Pixel(f: Psf2, g: number, x: number, y: number): boolean {
  const at = f.headerSize + g * f.bytesPerGlyph + y * f.bytesPerRow + (x >> 3);
  return (f.data[at]! & (0x80 >> (x & 7))) !== 0;
}
