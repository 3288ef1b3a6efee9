import { describe, it, expect, beforeEach, vi } from "vitest";
import { attachMemory, detachAllMemory, writeBytes, type SimRegion } from "../../../lang/host/memory.ts";
import { resetFakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { psf2Open, PSF2_MAGIC, type Psf2Font } from "../../../kernel/console/psf2.ts";
import { framebufferInit, framebufferWriteByte, framebufferActive, framebufferDisable, framebufferConsole, framebufferHandOver, framebufferOverlaps, pixelValue, COLOUR_DEFAULT, COLOUR_ERROR, COLOUR_BACKGROUND, FramebufferInfo, FramebufferType } from "../../../kernel/console/framebuffer.ts";
import { kerror, setLogLevel } from "../../../kernel/console/log.ts";
import { LogLevel } from "../../../abi/log.ts";
import { serialSetEnabled } from "../../../kernel/console/serial.ts";
import { terminusFont, decodePsf2 } from "./font.ts";
import { panicHook, panicSetScratch } from "../../../kernel/panic.ts";

const FONT_AT = 0x400000;
const FB_AT = 0x1000000;
const W = 64;
const H = 40;
const PITCH = W * 4 + 32; // padded lines, as real framebuffers may have

/** 8x8 test font of 128 glyphs; row y of glyph g is a pattern that differs between glyphs. */
function glyphRow(g: number, y: number): number {
  return (g * 37 + y * 11 + (g >> 2)) & 0xff;
}
function testFont(): Psf2Font {
  const b = new Uint8Array(32 + 128 * 8);
  const dv = new DataView(b.buffer);
  [PSF2_MAGIC, 0, 32, 0, 128, 8, 8, 8].forEach((v, i) => dv.setUint32(i * 4, v, true));
  for (let g = 0; g < 128; g++) for (let y = 0; y < 8; y++) b[32 + g * 8 + y] = glyphRow(g, y);
  attachMemory(FONT_AT, b.length);
  writeBytes(FONT_AT, b);
  return psf2Open(FONT_AT, b.length);
}

function rgbInfo(red: number, green: number, blue: number): FramebufferInfo {
  const fb = new FramebufferInfo();
  fb.type = FramebufferType.Rgb;
  fb.address = 0xfd000000;
  fb.pitch = PITCH;
  fb.width = W;
  fb.height = H;
  fb.bpp = 32;
  [fb.redPosition, fb.greenPosition, fb.bluePosition] = [red, green, blue];
  [fb.redSize, fb.greenSize, fb.blueSize] = [8, 8, 8];
  return fb;
}

let mem: SimRegion;
const px = (x: number, y: number) => mem.view.getUint32(y * PITCH + x * 4, true);

beforeEach(() => {
  detachAllMemory();
  resetFakeCpu();
  framebufferDisable();
  mem = attachMemory(FB_AT, PITCH * H);
});

describe("framebuffer console", () => {
  it("does nothing without a framebuffer", () => {
    detachAllMemory(); // any access would now throw
    expect(framebufferInit(new FramebufferInfo(), FB_AT, null)).toBe(false);
    expect(framebufferActive()).toBe(false);
    framebufferWriteByte(65);
  });

  it("converts colours with the framebuffer's field positions", () => {
    framebufferInit(rgbInfo(0, 8, 16), FB_AT, testFont());
    expect(pixelValue(framebufferConsole(), 0x112233)).toBe(0x332211);
  });

  it("draws a glyph's pixels in the foreground colour and clears the rest", () => {
    mem.view.setUint32(5 * PITCH + 60 * 4, 0xdeadbeef, true);
    expect(framebufferInit(rgbInfo(16, 8, 0), FB_AT, testFont())).toBe(true);
    expect(px(60, 5)).toBe(0); // cleared
    const fg = COLOUR_DEFAULT;
    for (const ch of "AB") framebufferWriteByte(ch.charCodeAt(0));
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        const onA = (glyphRow(0x41, y) & (0x80 >> x)) !== 0;
        const onB = (glyphRow(0x42, y) & (0x80 >> x)) !== 0;
        expect(px(x, y)).toBe(onA ? fg : COLOUR_BACKGROUND);
        expect(px(8 + x, y)).toBe(onB ? fg : COLOUR_BACKGROUND);
      }
    }
    // Padding bytes past the visible width are never touched.
    expect(mem.view.getUint32(W * 4, true)).toBe(0);
  });

  it("wraps long lines and scrolls when the screen is full", () => {
    framebufferInit(rgbInfo(16, 8, 0), FB_AT, testFont());
    const c = framebufferConsole();
    expect([c.columns, c.rows]).toEqual([8, 5]);
    // Row r holds the letter 'a' + r; then one more line scrolls everything up by one row.
    for (let r = 0; r < 5; r++) {
      for (let i = 0; i < 8; i++) framebufferWriteByte(0x61 + r);
      if (r < 4) framebufferWriteByte(10);
    }
    framebufferWriteByte(0x7a); // wraps to a new line: scroll
    const cellOn = (col: number, row: number, g: number) => {
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) {
        const on = (glyphRow(g, y) & (0x80 >> x)) !== 0;
        if ((px(col * 8 + x, row * 8 + y) !== 0) !== on) return false;
      }
      return true;
    };
    for (let r = 0; r < 3; r++) expect(cellOn(3, r, 0x62 + r)).toBe(true);
    expect(cellOn(0, 4, 0x7a)).toBe(true);
    // The rest of the new bottom row is blank.
    for (let y = 32; y < 40; y++) for (let x = 8; x < W; x++) expect(px(x, y)).toBe(0);
  });

  it("colours error messages", () => {
    setLogLevel(LogLevel.Info);
    serialSetEnabled(false);
    framebufferInit(rgbInfo(16, 8, 0), FB_AT, testFont());
    kerror("x");
    const seen = new Set<number>();
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8 * 8; x++) seen.add(px(x, y));
    expect(seen).toContain(COLOUR_ERROR);
    expect(seen).not.toContain(COLOUR_DEFAULT);
    serialSetEnabled(true);
  });

  it("writes characters and attributes in EGA text mode", () => {
    const fb = new FramebufferInfo();
    fb.type = FramebufferType.EgaText;
    fb.width = 80;
    fb.height = 25;
    fb.pitch = 160;
    detachAllMemory();
    const ega = attachMemory(0xb8000, 80 * 25 * 2);
    expect(framebufferInit(fb, 0xb8000, null)).toBe(true);
    framebufferWriteByte(0x4b);
    framebufferWriteByte(10);
    framebufferWriteByte(0x4c);
    expect([ega.view.getUint8(0), ega.view.getUint8(1)]).toEqual([0x4b, 0x07]);
    expect(ega.view.getUint8(160)).toBe(0x4c);
    for (let i = 0; i < 24; i++) framebufferWriteByte(10);
    expect(ega.view.getUint8(0)).toBe(0x4c); // scrolled up by one row
  });
});

const terminus = terminusFont();
describe.skipIf(terminus.bytes === null)("framebuffer console with Terminus", () => {
  it("draws the font's own glyph for 'K'", () => {
    const bytes = terminus.bytes!;
    attachMemory(FONT_AT, bytes.length);
    writeBytes(FONT_AT, bytes);
    const font = psf2Open(FONT_AT, bytes.length);
    framebufferInit(rgbInfo(16, 8, 0), FB_AT, font);
    framebufferWriteByte(0x20);
    framebufferWriteByte(0x4b);
    const ref = decodePsf2(bytes);
    const g = ref.unicode.get(0x4b)!;
    let on = 0;
    for (let y = 0; y < ref.height; y++) for (let x = 0; x < ref.width; x++) {
      const want = ref.pixel(g, x, y) ? COLOUR_DEFAULT : 0;
      expect(px(ref.width + x, y)).toBe(want);
      if (want) on++;
    }
    expect(on).toBeGreaterThan(10);
  });
});

describe("framebuffer console in a 24-bit mode", () => {
  // Three bytes a pixel, as GRUB and VBE BIOSes may set; a pitch padded past width * 3.
  const PITCH24 = W * 3 + 16;
  const px24 = (x: number, y: number) => {
    const at = y * PITCH24 + x * 3;
    return mem.view.getUint8(at) | (mem.view.getUint8(at + 1) << 8) | (mem.view.getUint8(at + 2) << 16);
  };
  function info24(): FramebufferInfo {
    const fb = rgbInfo(16, 8, 0);
    fb.bpp = 24;
    fb.pitch = PITCH24;
    return fb;
  }

  it("draws glyphs three bytes a pixel, never touching the byte after a pixel or the padding", () => {
    mem.view.setUint8(W * 3, 0x5a); // first padding byte of line 0
    expect(framebufferInit(info24(), FB_AT, testFont())).toBe(true);
    framebufferWriteByte(0x41);
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        const on = (glyphRow(0x41, y) & (0x80 >> x)) !== 0;
        expect(px24(x, y)).toBe(on ? COLOUR_DEFAULT : COLOUR_BACKGROUND);
      }
    }
    expect(mem.view.getUint8(W * 3)).toBe(0x5a);
  });

  it("scrolls rows of 24-bit pixels", () => {
    framebufferInit(info24(), FB_AT, testFont());
    for (let r = 0; r < 6; r++) {
      framebufferWriteByte(0x61 + r);
      if (r < 5) framebufferWriteByte(10);
    }
    // Five rows fit: 'a' scrolled off, 'b' is now on the top row and 'f' on the last.
    const on = (g: number, col: number, row: number) => {
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) {
        if ((px24(col * 8 + x, row * 8 + y) !== 0) !== ((glyphRow(g, y) & (0x80 >> x)) !== 0)) return false;
      }
      return true;
    };
    expect(on(0x62, 0, 0)).toBe(true);
    expect(on(0x66, 0, 4)).toBe(true);
  });

  it("refuses depths it cannot draw", () => {
    const fb = rgbInfo(16, 8, 0);
    fb.bpp = 16;
    expect(framebufferInit(fb, FB_AT, testFont())).toBe(false);
  });
});

// Last in this file: a panic cannot be undone (the panic path stays in its panicking state).
describe("the hand-over to a user-mode driver", () => {
  it("stops drawing when the framebuffer is handed over, and draws again from a cleared screen once a panic begins", () => {
    expect(framebufferInit(rgbInfo(16, 8, 0), FB_AT, testFont())).toBe(true);
    expect(framebufferOverlaps(0xfd000000 - 4096, 4096)).toBe(false);
    expect(framebufferOverlaps(0xfd000000 + PITCH * H - 1, 4096)).toBe(true);
    framebufferWriteByte(0x41);
    framebufferHandOver();
    expect(framebufferActive()).toBe(false);
    expect(framebufferOverlaps(0xfd000000, 4096)).toBe(false);
    // What the driver draws stays: the kernel writes nothing.
    mem.view.setUint32(PITCH + 9 * 4, 0x123456, true);
    framebufferWriteByte(0x42);
    expect(px(9, 1)).toBe(0x123456);
    expect(framebufferConsole().column).toBe(1);
    const scratch = 0x3000000;
    attachMemory(scratch, 0x1000);
    writeBytes(scratch, new TextEncoder().encode("test panic\0"));
    panicSetScratch(scratch + 0x100, 0x800);
    const spy = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    expect(() => panicHook(scratch, scratch, 1)).toThrow("halted");
    spy.mockRestore();
    // The panic's report reaches the screen through keel_write: it clears the screen first.
    framebufferWriteByte(0x43);
    expect(framebufferActive()).toBe(true);
    expect(px(9, 1)).toBe(0);
    expect(framebufferConsole().column).toBe(1);
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) expect(px(x, y)).toBe((glyphRow(0x43, y) & (0x80 >> x)) !== 0 ? COLOUR_DEFAULT : COLOUR_BACKGROUND);
    }
  });
});
