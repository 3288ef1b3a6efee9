import { describe, it, expect, beforeEach } from "vitest";
import { attachMemory, detachAllMemory, writeBytes } from "../../../lang/host/memory.ts";
import { psf2Open, psf2GlyphIndex, psf2Pixel, Psf2Error, PSF2_MAGIC } from "../../../kernel/console/psf2.ts";
import { terminusFont, decodePsf2 } from "./font.ts";

const AT = 0x400000;
const font = terminusFont();
if (font.bytes === null) console.warn(`psf2 tests on the Terminus font skipped: ${font.reason}`);

beforeEach(() => {
  detachAllMemory();
  attachMemory(AT, 0x10000);
});

describe.skipIf(font.bytes === null)("PSF2 reader on Debian's Terminus 10x18", () => {
  const bytes = font.bytes!;
  const ref = decodePsf2(bytes);

  it("reads the header", () => {
    writeBytes(AT, bytes);
    const f = psf2Open(AT, bytes.length);
    expect(f.error).toBe(Psf2Error.None);
    expect([f.width, f.height, f.glyphCount, f.bytesPerGlyph, f.headerSize])
      .toEqual([ref.width, ref.height, ref.count, ref.charSize, ref.headerSize]);
    expect([f.width, f.height]).toEqual([10, 18]);
    expect(f.hasUnicodeTable).toBe(true);
  });

  it("maps code points through the unicode table like a reference decoder", () => {
    writeBytes(AT, bytes);
    const f = psf2Open(AT, bytes.length);
    for (let cp = 0x20; cp < 0x1ff; cp++) {
      const g = ref.unicode.get(cp);
      expect(psf2GlyphIndex(f, cp)).toBe(g ?? ref.unicode.get(0x3f));
    }
    // A code point beyond the lookup table falls back to '?'.
    expect(psf2GlyphIndex(f, 0x2603)).toBe(ref.unicode.get(0x3f));
  });

  it("gives the glyph pixels", () => {
    writeBytes(AT, bytes);
    const f = psf2Open(AT, bytes.length);
    let setInA = 0;
    for (const ch of "A@g ") {
      const g = psf2GlyphIndex(f, ch.charCodeAt(0));
      for (let y = 0; y < f.height; y++) {
        for (let x = 0; x < f.width; x++) {
          expect(psf2Pixel(f, g, x, y)).toBe(ref.pixel(g, x, y));
          if (ch === "A" && psf2Pixel(f, g, x, y)) setInA++;
        }
      }
    }
    expect(setInA).toBeGreaterThan(10);
    const space = psf2GlyphIndex(f, 32);
    for (let y = 0; y < f.height; y++) for (let x = 0; x < f.width; x++) expect(psf2Pixel(f, space, x, y)).toBe(false);
  });

  it("rejects damaged fonts", () => {
    writeBytes(AT, bytes);
    expect(psf2Open(AT, 16).error).toBe(Psf2Error.TooSmall);
    expect(psf2Open(AT, ref.headerSize + 100).error).toBe(Psf2Error.GlyphsPastEnd);
    const bad = bytes.slice();
    bad[0] = 0;
    writeBytes(AT, bad);
    expect(psf2Open(AT, bad.length).error).toBe(Psf2Error.BadMagic);
    const badSize = bytes.slice();
    new DataView(badSize.buffer).setUint32(20, 7, true);
    writeBytes(AT, badSize);
    expect(psf2Open(AT, badSize.length).error).toBe(Psf2Error.BadHeader);
  });
});

describe("PSF2 reader without a unicode table", () => {
  it("maps code point i to glyph i", () => {
    // A synthetic 8x2 font of 128 glyphs whose glyph i has row 0 = i.
    const b = new Uint8Array(32 + 128 * 2);
    const dv = new DataView(b.buffer);
    [PSF2_MAGIC, 0, 32, 0, 128, 2, 2, 8].forEach((v, i) => dv.setUint32(i * 4, v, true));
    for (let i = 0; i < 128; i++) b[32 + i * 2] = i;
    writeBytes(AT, b);
    const f = psf2Open(AT, b.length);
    expect(f.error).toBe(Psf2Error.None);
    expect(psf2GlyphIndex(f, 0x41)).toBe(0x41);
    expect(psf2GlyphIndex(f, 0x1ff)).toBe(0x3f);
    // 0x41 = 0b01000001: pixels 1 and 7 of row 0.
    expect([0, 1, 2, 7].map((x) => psf2Pixel(f, 0x41, x, 0))).toEqual([false, true, false, true]);
  });
});
