// The framebuffer console's pure parts (userland/fbcon): the escape-sequence and UTF-8 parser, the
// terminal model (controls, SGR colours, erasing, cursor moves, wrapping, scrolling), the PSF2
// reader on the real font, the format check, and drawing into simulated memory in 32- and 24-bit
// layouts; the client's byte packing.
import { beforeEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { attachMemory, detachAllMemory, readBytes, type SimRegion } from "../../../lang/host/memory.ts";
import { fbFieldsWord, fbFormatWord, FramebufferType } from "../../../abi/framebuffer.ts";
import { AnsiAction, AnsiParser, ansiFeed, ANSI_MAX_PARAMS, ANSI_PARAM_MAX, REPLACEMENT_CHAR } from "../../../userland/fbcon/ansi.ts";
import { DEFAULT_BG, DEFAULT_FG, Terminal, termWrite, termWriteByte } from "../../../userland/fbcon/terminal.ts";
import { PSF2_MAGIC, psf2Glyph, psf2Parse, psf2Pixel } from "../../../userland/fbcon/psf2.ts";
import {
  drawGlyph, formatName, PALETTE, pixelValue, Screen, screenClear, screenFlush, surfaceFromInfo, unsupportedReason,
} from "../../../userland/fbcon/screen.ts";
import { decodePsf2, terminusFont } from "../console/font.ts";

const ESC = "\x1b";

/** Every action the bytes of `s` complete, as [action, detail]. */
function actions(s: string): [number, number | string][] {
  const p = new AnsiParser();
  const out: [number, number | string][] = [];
  const bytes = typeof s === "string" ? Array.from(s, (c) => c.charCodeAt(0)) : s;
  for (const b of bytes) {
    let again = true;
    while (again) {
      const a = ansiFeed(p, b);
      again = p.again;
      if (a === AnsiAction.Print || a === AnsiAction.Control) out.push([a, p.codepoint]);
      else if (a === AnsiAction.Csi) {
        out.push([a, `${p.privateMarker ? String.fromCharCode(p.privateMarker) : ""}${p.params.slice(0, p.paramCount).join(";")}${String.fromCharCode(p.final)}`]);
      } else if (a === AnsiAction.Esc) out.push([a, String.fromCharCode(p.final)]);
    }
  }
  return out;
}

/** A string of raw bytes (each char code one byte). */
const bytes = (...b: number[]): string => String.fromCharCode(...b);

describe("the escape-sequence parser", () => {
  it("prints text and runs controls", () => {
    expect(actions("a\n\tb")).toEqual([[1, 0x61], [2, 10], [2, 9], [1, 0x62]]);
  });

  it("reads control sequences with their parameters, defaults and private markers", () => {
    expect(actions(`${ESC}[2J${ESC}[H${ESC}[1;33m${ESC}[;5H${ESC}[?25l${ESC}[5;m`)).toEqual([
      [3, "2J"], [3, "H"], [3, "1;33m"], [3, "0;5H"], [3, "?25l"], [3, "5;0m"],
    ]);
    expect(actions(`${ESC}c`)).toEqual([[4, "c"]]);
  });

  it("clamps long numbers and too many parameters", () => {
    const p = new AnsiParser();
    for (const c of `${ESC}[99999999999999999999999;${"1;".repeat(40)}7m`) ansiFeed(p, c.charCodeAt(0));
    expect(p.params[0]).toBe(ANSI_PARAM_MAX);
    expect(p.paramCount).toBe(ANSI_MAX_PARAMS);
  });

  it("lets CAN and SUB cancel a sequence, ESC restart one, and controls run inside one", () => {
    expect(actions(`${ESC}[12\x18m`)).toEqual([[1, 0x6d]]);
    expect(actions(`${ESC}[12${ESC}[3m`)).toEqual([[3, "3m"]]);
    expect(actions(`${ESC}[1\n2m`)).toEqual([[2, 10], [3, "12m"]]);
    // Sequences with intermediates or sub-parameters are skipped whole.
    expect(actions(`${ESC}[1 qA${ESC}[38:5:1mB`)).toEqual([[1, 0x41], [1, 0x42]]);
    // A private marker after parameters makes the sequence malformed: skipped.
    expect(actions(`${ESC}[1?hC`)).toEqual([[1, 0x43]]);
  });

  it("decodes UTF-8 and replaces what is malformed, losing no following byte", () => {
    expect(actions(bytes(0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80))).toEqual([[1, 0xe9], [1, 0x20ac], [1, 0x1f600]]);
    // A lone continuation byte, an invalid lead, an overlong form, a surrogate, a character cut short by ASCII or a control.
    expect(actions(bytes(0x80, 0xff, 0xc0, 0xe0, 0x80, 0x80, 0xed, 0xa0, 0x80, 0xc3, 0x41, 0xc3, 0x0a))).toEqual([
      [1, REPLACEMENT_CHAR], [1, REPLACEMENT_CHAR], [1, REPLACEMENT_CHAR], [1, REPLACEMENT_CHAR], [1, REPLACEMENT_CHAR],
      [1, REPLACEMENT_CHAR], [1, 0x41], [1, REPLACEMENT_CHAR], [2, 10],
    ]);
  });

  it("never fails and always returns to text after any bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (input) => {
      const p = new AnsiParser();
      for (const b of input) {
        let again = true;
        let rounds = 0;
        while (again) {
          const a = ansiFeed(p, b);
          again = p.again;
          expect(++rounds).toBeLessThanOrEqual(2);
          if (a === AnsiAction.Print) expect(p.codepoint).toBeLessThanOrEqual(0x10ffff);
          expect(p.paramCount).toBeLessThanOrEqual(ANSI_MAX_PARAMS);
        }
      }
      // CAN ends whatever was going on; the next byte is text.
      ansiFeed(p, 0x18);
      expect(ansiFeed(p, 0x41)).toBe(AnsiAction.Print);
    }));
  });
});

/** The text of row `r`, trailing blanks removed. */
function rowText(t: Terminal, r: number): string {
  let s = "";
  for (let c = 0; c < t.columns; c++) s += String.fromCodePoint(t.cp[r * t.columns + c]!);
  return s.trimEnd();
}
const fgOf = (t: Terminal, r: number, c: number): number => t.attr[r * t.columns + c]! & 15;
const bgOf = (t: Terminal, r: number, c: number): number => t.attr[r * t.columns + c]! >> 4;

describe("the terminal", () => {
  it("handles \\n, \\r, \\b and \\t", () => {
    const t = new Terminal(20, 4);
    termWrite(t, "abc\tX\nhello\rJ\n12345\b\bZ");
    expect(rowText(t, 0)).toBe("abc     X");
    expect(rowText(t, 1)).toBe("Jello");
    expect(rowText(t, 2)).toBe("123Z5");
    expect([t.row, t.col]).toEqual([2, 4]);
    termWrite(t, "\b\b\b\b\b\b");
    expect(t.col).toBe(0);
    termWrite(t, "\t\t\t\t");
    expect(t.col).toBe(19);
  });

  it("wraps at the right edge and scrolls at the bottom", () => {
    const t = new Terminal(4, 3);
    termWrite(t, "abcdefgh");
    expect([rowText(t, 0), rowText(t, 1)]).toEqual(["abcd", "efgh"]);
    // The cursor waits past the edge until the next character.
    expect([t.row, t.col]).toEqual([1, 4]);
    termWrite(t, "ij\nk\nl");
    expect([rowText(t, 0), rowText(t, 1), rowText(t, 2)]).toEqual(["ij", "k", "l"]);
    expect(t.scrolled).toBe(2);
    expect([t.row, t.col]).toEqual([2, 1]);
  });

  it("scrolls the colours with the text and blanks the new row in the current background", () => {
    const t = new Terminal(3, 2);
    termWrite(t, `${ESC}[31mr\n${ESC}[42mg\n`);
    expect(rowText(t, 0)).toBe("g");
    expect([fgOf(t, 0, 0), bgOf(t, 0, 0)]).toEqual([1, 2]);
    expect(rowText(t, 1)).toBe("");
    expect(bgOf(t, 1, 2)).toBe(2);
  });

  it("sets colours with SGR: 8 and 16 colours, bold as bright, inverse, reset", () => {
    const t = new Terminal(16, 1);
    termWrite(t, `a${ESC}[1;33mb${ESC}[22mc${ESC}[31;44md${ESC}[39me${ESC}[49mf${ESC}[95;102mg${ESC}[0mh${ESC}[7mi${ESC}[27mj${ESC}[1;34mk${ESC}[mL${ESC}[38;5;12mm${ESC}[38;2;1;2;3;41mn`);
    const cell = (i: number): [number, number] => [fgOf(t, 0, i), bgOf(t, 0, i)];
    expect(cell(0)).toEqual([DEFAULT_FG, DEFAULT_BG]);
    expect(cell(1)).toEqual([11, 0]); // bold yellow is bright yellow
    expect(cell(2)).toEqual([3, 0]);
    expect(cell(3)).toEqual([1, 4]);
    expect(cell(4)).toEqual([DEFAULT_FG, 4]);
    expect(cell(5)).toEqual([DEFAULT_FG, DEFAULT_BG]);
    expect(cell(6)).toEqual([13, 10]);
    expect(cell(7)).toEqual([DEFAULT_FG, DEFAULT_BG]);
    expect(cell(8)).toEqual([DEFAULT_BG, DEFAULT_FG]);
    expect(cell(9)).toEqual([DEFAULT_FG, DEFAULT_BG]);
    expect(cell(10)).toEqual([12, 0]);
    expect(cell(11)).toEqual([DEFAULT_FG, DEFAULT_BG]);
    expect(cell(12)).toEqual([12, 0]);
    // 38;2;r;g;b is skipped, and the 41 after it still applies.
    expect(cell(13)).toEqual([12, 1]);
  });

  it("clears the screen and homes the cursor with ESC[2J ESC[H, and erases parts of lines and the screen", () => {
    const t = new Terminal(6, 3);
    termWrite(t, "aaaaaa\nbbbbbb\ncccccc");
    termWrite(t, `${ESC}[2;3H`);
    expect([t.row, t.col]).toEqual([1, 2]);
    termWrite(t, `${ESC}[K`);
    expect(rowText(t, 1)).toBe("bb");
    termWrite(t, `${ESC}[1K`);
    expect(rowText(t, 1)).toBe("");
    termWrite(t, `${ESC}[J`);
    expect([rowText(t, 0), rowText(t, 2)]).toEqual(["aaaaaa", ""]);
    termWrite(t, `${ESC}[1J`);
    expect(rowText(t, 0)).toBe("");
    termWrite(t, `x${ESC}[2J${ESC}[H`);
    expect([rowText(t, 0), rowText(t, 1), rowText(t, 2)]).toEqual(["", "", ""]);
    expect([t.row, t.col]).toEqual([0, 0]);
  });

  it("moves the cursor and keeps it on the screen", () => {
    const t = new Terminal(10, 5);
    termWrite(t, `${ESC}[3;4H${ESC}[2A${ESC}[3C`);
    expect([t.row, t.col]).toEqual([0, 6]);
    termWrite(t, `${ESC}[99B${ESC}[99D`);
    expect([t.row, t.col]).toEqual([4, 0]);
    termWrite(t, `${ESC}[0;0H`);
    expect([t.row, t.col]).toEqual([0, 0]);
    termWrite(t, `${ESC}[999;999H`);
    expect([t.row, t.col]).toEqual([4, 9]);
    termWrite(t, `${ESC}[?25l`);
    expect(t.cursorVisible).toBe(false);
    termWrite(t, `${ESC}[?25h`);
    expect(t.cursorVisible).toBe(true);
  });

  it("stays consistent whatever it is fed", () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(27, 91, 59, 10, 8, 9, 13, 0x6d, 0x48, 0x4a)), { maxLength: 400 }), (input) => {
      const t = new Terminal(7, 4);
      for (const b of input) termWriteByte(t, b);
      expect(t.row).toBeGreaterThanOrEqual(0);
      expect(t.row).toBeLessThan(4);
      expect(t.col).toBeGreaterThanOrEqual(0);
      expect(t.col).toBeLessThanOrEqual(7);
      for (let i = 0; i < 28; i++) expect(t.attr[i]!).toBeLessThan(256);
    }));
  });
});

/** A PSF2 font of 128 8x8 glyphs, glyph g row y = a pattern that differs between glyphs; no unicode table. */
function testFontBytes(): Uint8Array {
  const b = new Uint8Array(32 + 128 * 8);
  const dv = new DataView(b.buffer);
  [PSF2_MAGIC, 0, 32, 0, 128, 8, 8, 8].forEach((v, i) => dv.setUint32(i * 4, v, true));
  for (let g = 0; g < 128; g++) for (let y = 0; y < 8; y++) b[32 + g * 8 + y] = glyphRow(g, y);
  return b;
}
function glyphRow(g: number, y: number): number {
  return (g * 37 + y * 11 + (g >> 2)) & 0xff;
}

describe("PSF2 fonts", () => {
  it("reads the console font like the reference decoder", () => {
    const real = terminusFont();
    if (real.bytes === null) throw new Error(real.reason);
    const f = psf2Parse(real.bytes);
    expect(f.error).toBe("");
    const ref = decodePsf2(real.bytes);
    expect([f.width, f.height, f.glyphCount]).toEqual([ref.width, ref.height, ref.count]);
    for (const cp of [0x41, 0x7a, 0xe9, 0x20ac, 0x2500]) {
      const g = psf2Glyph(f, cp);
      expect(g).toBe(ref.unicode.get(cp) ?? f.replacement);
      for (let y = 0; y < f.height; y++) for (let x = 0; x < f.width; x++) expect(psf2Pixel(f, g, x, y)).toBe(ref.pixel(g, x, y));
    }
    expect(psf2Glyph(f, 0x10fff0)).toBe(f.replacement);
  });

  it("names what is wrong with a bad font", () => {
    expect(psf2Parse(new Uint8Array(10)).error).toMatch(/shorter than a PSF2 header/);
    expect(psf2Parse(new Uint8Array(64)).error).toMatch(/bad magic/);
    const b = testFontBytes();
    expect(psf2Parse(b.subarray(0, 500)).error).toMatch(/do not fit/);
    const wide = testFontBytes();
    new DataView(wide.buffer).setUint32(28, 40, true);
    new DataView(wide.buffer).setUint32(20, 5 * 8, true);
    expect(psf2Parse(wide).error).toMatch(/40x8 pixels/);
  });
});

const info = (bpp: number, pitch: number, w: number, h: number, type = FramebufferType.Rgb, fields = fbFieldsWord(16, 8, 8, 8, 0, 8)): number[] =>
  [0xfd000000, pitch, w, h, fbFormatWord(type, bpp), fields];

describe("framebuffer formats", () => {
  it("accepts 32- and 24-bit RGB and names the others", () => {
    expect(unsupportedReason(info(32, 4096, 1024, 768))).toBe("");
    expect(unsupportedReason(info(24, 3072, 1024, 768))).toBe("");
    expect(unsupportedReason(info(16, 2048, 1024, 768))).toBe("a RGB 16 bpp 1024x768 framebuffer");
    expect(unsupportedReason(info(16, 160, 80, 25, FramebufferType.EgaText))).toBe("a EGA text 80x25 framebuffer");
    expect(unsupportedReason(info(8, 1024, 1024, 768, FramebufferType.Indexed))).toBe("a palette-indexed 8 bpp 1024x768 framebuffer");
    expect(unsupportedReason(info(32, 100, 1024, 768))).toMatch(/pitch 100/);
    expect(unsupportedReason(info(32, 4096, 1024, 768, FramebufferType.Rgb, fbFieldsWord(30, 8, 8, 8, 0, 8)))).toMatch(/colour fields 30:8/);
    expect(formatName(info(32, 4096, 800, 600))).toBe("RGB 32 bpp 800x600");
  });

  it("converts colours with the field positions and sizes", () => {
    const s = surfaceFromInfo(info(32, 4096, 1024, 768, FramebufferType.Rgb, fbFieldsWord(0, 8, 8, 8, 16, 8)), 0);
    expect(pixelValue(s, 0x112233)).toBe(0x332211);
    const bgr565 = surfaceFromInfo(info(24, 3072, 1024, 768, FramebufferType.Rgb, fbFieldsWord(11, 5, 5, 6, 0, 5)), 0);
    expect(pixelValue(bgr565, 0xffffff)).toBe(0xffff);
    expect(pixelValue(surfaceFromInfo(info(32, 4096, 8, 8), 0), 0xff000000 + 0x80)).toBe(0x80);
  });
});

const FB = 0x2000000;

describe("drawing", () => {
  let mem: SimRegion;
  beforeEach(() => detachAllMemory());

  for (const bpp of [32, 24]) {
    it(`draws glyphs cell by cell in ${bpp}-bit pixels, leaving the padding alone`, () => {
      const bytesPP = bpp / 8;
      const W = 44;
      const H = 26;
      const pitch = W * bytesPP + 16;
      mem = attachMemory(FB, pitch * H);
      for (let i = 0; i < pitch * H; i++) mem.view.setUint8(i, 0xee);
      const font = psf2Parse(testFontBytes());
      const scr = new Screen(surfaceFromInfo(info(bpp, pitch, W, H), FB), font);
      expect([scr.term.columns, scr.term.rows]).toEqual([5, 3]);
      screenClear(scr);
      termWrite(scr.term, `A${ESC}[31;47mB`);
      screenFlush(scr);
      const px = (x: number, y: number): number => {
        const o = y * pitch + x * bytesPP;
        return bytesPP === 4 ? mem.view.getUint32(o, true) : mem.view.getUint16(o, true) + mem.view.getUint8(o + 2) * 65536;
      };
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) {
          const a = (glyphRow(0x41, y) & (0x80 >> x)) !== 0;
          const b = (glyphRow(0x42, y) & (0x80 >> x)) !== 0;
          expect(px(x, y)).toBe(a ? PALETTE[7] : PALETTE[0]);
          expect(px(8 + x, y)).toBe(b ? PALETTE[1] : PALETTE[7]);
          // The cursor: the blank cell after B (this font's space has pixels), in inverse video.
          const sp = (glyphRow(0x20, y) & (0x80 >> x)) !== 0;
          expect(px(16 + x, y)).toBe(sp ? PALETTE[0] : PALETTE[7]);
        }
      }
      // The margin below the last row of cells is cleared; the pitch padding is never touched.
      expect(px(43, 25)).toBe(0);
      expect(px(41, 3)).toBe(0);
      expect(mem.view.getUint8(W * bytesPP)).toBe(0xee);
      expect(mem.view.getUint8(25 * pitch + W * bytesPP + 15)).toBe(0xee);
    });
  }

  it("draws only the cells that changed, and after a scroll the screen matches the text", () => {
    const W = 32;
    const H = 24;
    mem = attachMemory(FB, W * 4 * H);
    const font = psf2Parse(testFontBytes());
    const scr = new Screen(surfaceFromInfo(info(32, W * 4, W, H), FB), font);
    screenClear(scr);
    screenFlush(scr);
    const all = scr.term.columns * scr.term.rows;
    expect(scr.cellsDrawn).toBe(all);
    termWrite(scr.term, "x");
    screenFlush(scr);
    expect(scr.cellsDrawn).toBe(all + 2); // the x, and the cursor moving on
    termWrite(scr.term, "\nab\ncd\nef");
    screenFlush(scr);
    expect(scr.term.scrolled).toBe(1);
    // What is on the screen equals a fresh drawing of the same cells.
    const after = readBytes(FB, W * 4 * H);
    detachAllMemory();
    attachMemory(FB, W * 4 * H);
    const fresh = new Screen(surfaceFromInfo(info(32, W * 4, W, H), FB), font);
    screenClear(fresh);
    termWrite(fresh.term, "ab\ncd\nef");
    screenFlush(fresh);
    expect(Buffer.from(readBytes(FB, W * 4 * H)).equals(Buffer.from(after))).toBe(true);
  });

  it("drawGlyph writes exactly the glyph's box", () => {
    mem = attachMemory(FB, 16 * 4 * 16);
    const font = psf2Parse(testFontBytes());
    const s = surfaceFromInfo(info(32, 64, 16, 16), FB);
    drawGlyph(s, font, 5, 4, 4, 1, 2);
    let drawn = 0;
    for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) if (mem.view.getUint32(y * 64 + x * 4, true) !== 0) drawn++;
    expect(drawn).toBe(64);
  });
});
