// Drawing the terminal (terminal.ts) on a linear framebuffer: the pixel format from the boot
// framebuffer's description (abi/framebuffer.ts), glyphs from a PSF2 font (psf2.ts), and the
// cells that changed since the last flush. Memory goes through lang/mem.ts, so on the host the
// tests draw into simulated memory and compare pixels.
//
// Only what the framebuffer is written: the screen never reads it back (reading write-combining
// memory is uncached and slow), so it keeps what each cell shows (`shownCp`, `shownAttr`).
import { store8, store16, store32 } from "../../lang/mem.ts";
import { FbWord, fbField, fbFormatBpp, fbFormatType, FramebufferType } from "../../abi/framebuffer.ts";
import { Psf2, psf2Glyph, psf2Pixel } from "./psf2.ts";
import { Terminal } from "./terminal.ts";

/** The 16 colours (0xRRGGBB): the VGA palette, 0-7 normal and 8-15 bright. */
export const PALETTE = [
  0x000000, 0xaa0000, 0x00aa00, 0xaa5500, 0x0000aa, 0xaa00aa, 0x00aaaa, 0xaaaaaa,
  0x555555, 0xff5555, 0x55ff55, 0xffff55, 0x5555ff, 0xff55ff, 0x55ffff, 0xffffff,
];

/** A linear RGB framebuffer mapped at `base`. */
export class Surface {
  base = 0;
  pitch = 0;
  width = 0;
  height = 0;
  /** 4 or 3. */
  bytesPerPixel = 4;
  redPos = 16;
  redSize = 8;
  greenPos = 8;
  greenSize = 8;
  bluePos = 0;
  blueSize = 8;
}

function typeName(type: number): string {
  switch (type) {
    case FramebufferType.None: return "no";
    case FramebufferType.Indexed: return "palette-indexed";
    case FramebufferType.Rgb: return "RGB";
    case FramebufferType.EgaText: return "EGA text";
    default: return `type ${type}`;
  }
}

/** The framebuffer's format by name: "RGB 32 bpp 1024x768", "EGA text 80x25". */
export function formatName(words: number[]): string {
  const type = fbFormatType(words[FbWord.Format]!);
  const size = `${words[FbWord.Width]!}x${words[FbWord.Height]!}`;
  if (type === FramebufferType.EgaText) return `EGA text ${size}`;
  return `${typeName(type)} ${fbFormatBpp(words[FbWord.Format]!)} bpp ${size}`;
}

/**
 * Why this console cannot draw on the framebuffer the six FramebufferInfo words describe ("" when
 * it can): it draws 32- and 24-bit RGB with channels of at most 8 bits inside the pixel.
 */
export function unsupportedReason(words: number[]): string {
  const type = fbFormatType(words[FbWord.Format]!);
  const bpp = fbFormatBpp(words[FbWord.Format]!);
  const width = words[FbWord.Width]!;
  const height = words[FbWord.Height]!;
  if (type !== FramebufferType.Rgb || (bpp !== 32 && bpp !== 24)) return `a ${formatName(words)} framebuffer`;
  if (width <= 0 || height <= 0 || words[FbWord.Pitch]! < width * (bpp >> 3)) return `a framebuffer of pitch ${words[FbWord.Pitch]!} for ${formatName(words)}`;
  for (let c = 0; c < 3; c++) {
    const pos = fbField(words[FbWord.Fields]!, c * 2);
    const size = fbField(words[FbWord.Fields]!, c * 2 + 1);
    if (size === 0 || size > 8 || pos + size > bpp) return `colour fields ${pos}:${size} outside a ${bpp}-bit pixel`;
  }
  return "";
}

/** The surface the words describe, its first pixel at virtual address `base` (check unsupportedReason first). */
export function surfaceFromInfo(words: number[], base: number): Surface {
  const s = new Surface();
  s.base = base;
  s.pitch = words[FbWord.Pitch]!;
  s.width = words[FbWord.Width]!;
  s.height = words[FbWord.Height]!;
  s.bytesPerPixel = fbFormatBpp(words[FbWord.Format]!) >> 3;
  const f = words[FbWord.Fields]!;
  s.redPos = fbField(f, 0);
  s.redSize = fbField(f, 1);
  s.greenPos = fbField(f, 2);
  s.greenSize = fbField(f, 3);
  s.bluePos = fbField(f, 4);
  s.blueSize = fbField(f, 5);
  return s;
}

/** An 8-bit channel scaled to `size` bits at bit `pos` (an exact number below 2^32). */
function channel(v: number, pos: number, size: number): number {
  let x = v >> (8 - size);
  for (let i = 0; i < pos; i++) x *= 2;
  return x;
}

/** The line fbcon draws first on a screen it has just cleared. */
export function bannerText(words: number[], font: Psf2, columns: number, rows: number): string {
  return `Keel framebuffer console: ${formatName(words)}, ${font.width}x${font.height} font, ${columns}x${rows}\n`;
}

/** The pixel value of colour 0xRRGGBB. */
export function pixelValue(s: Surface, rgb: number): number {
  return channel((rgb >> 16) & 0xff, s.redPos, s.redSize) + channel((rgb >> 8) & 0xff, s.greenPos, s.greenSize) +
    channel(rgb & 0xff, s.bluePos, s.blueSize);
}

function putPixel(s: Surface, addr: number, px: number): void {
  if (s.bytesPerPixel === 4) {
    store32(addr, px);
  } else {
    store16(addr, px % 0x10000);
    store8(addr + 2, Math.floor(px / 0x10000) % 256);
  }
}

/** Fills the rectangle (x, y, w, h), clipped to the surface, with pixel value `px`. */
export function fillRect(s: Surface, x: number, y: number, w: number, h: number, px: number): void {
  const x1 = Math.min(x + w, s.width);
  const y1 = Math.min(y + h, s.height);
  for (let yy = Math.max(y, 0); yy < y1; yy++) {
    const line = s.base + yy * s.pitch;
    for (let xx = Math.max(x, 0); xx < x1; xx++) putPixel(s, line + xx * s.bytesPerPixel, px);
  }
}

/** Draws glyph `g` with its top-left pixel at (x, y), set pixels `fg` and the rest `bg`. */
export function drawGlyph(s: Surface, font: Psf2, g: number, x: number, y: number, fg: number, bg: number): void {
  for (let gy = 0; gy < font.height; gy++) {
    const line = s.base + (y + gy) * s.pitch + x * s.bytesPerPixel;
    for (let gx = 0; gx < font.width; gx++) putPixel(s, line + gx * s.bytesPerPixel, psf2Pixel(font, g, gx, gy) ? fg : bg);
  }
}

/** The terminal on a surface, and what each cell shows now. */
export class Screen {
  surface: Surface;
  font: Psf2;
  term: Terminal;
  /** Pixel values of the 16 colours. */
  colours: number[];
  shownCp: Uint32Array;
  /** What a cell shows: its attribute, plus CURSOR when the cursor is drawn on it; UNKNOWN at first. */
  shownAttr: Uint16Array;
  /** Cells drawn by the flushes so far. */
  cellsDrawn = 0;

  constructor(surface: Surface, font: Psf2) {
    this.surface = surface;
    this.font = font;
    this.term = new Terminal(Math.floor(surface.width / font.width), Math.floor(surface.height / font.height));
    this.colours = [];
    for (const rgb of PALETTE) this.colours.push(pixelValue(surface, rgb));
    this.shownCp = new Uint32Array(this.term.columns * this.term.rows);
    this.shownAttr = new Uint16Array(this.term.columns * this.term.rows);
    forget(this);
  }
}

const CURSOR = 0x100;
const UNKNOWN = 0xffff;

/** Cells a framebuffer of this size holds with this font (0 when not one fits). */
export function cellCount(width: number, height: number, font: Psf2): number {
  return Math.floor(width / font.width) * Math.floor(height / font.height);
}

function forget(scr: Screen): void {
  for (let i = 0; i < scr.shownAttr.length; i++) scr.shownAttr[i] = UNKNOWN;
}

/** Paints the whole framebuffer in the background colour and forgets what the cells showed. */
export function screenClear(scr: Screen): void {
  const s = scr.surface;
  fillRect(s, 0, 0, s.width, s.height, scr.colours[0]!);
  forget(scr);
}

/** Draws every cell whose character, colours or cursor changed since the last flush. */
export function screenFlush(scr: Screen): void {
  const t = scr.term;
  const cursor = t.cursorVisible ? t.row * t.columns + Math.min(t.col, t.columns - 1) : -1;
  const f = scr.font;
  for (let i = 0; i < t.columns * t.rows; i++) {
    const cp = t.cp[i]!;
    let attr = t.attr[i]!;
    if (i === cursor) attr |= CURSOR;
    if (scr.shownCp[i]! === cp && scr.shownAttr[i]! === attr) continue;
    scr.shownCp[i] = cp;
    scr.shownAttr[i] = attr;
    let fg = attr & 15;
    let bg = (attr >> 4) & 15;
    if ((attr & CURSOR) !== 0) {
      const x = fg;
      fg = bg;
      bg = x;
    }
    const col = i % t.columns;
    const row = Math.floor(i / t.columns);
    drawGlyph(scr.surface, f, psf2Glyph(f, cp), col * f.width, row * f.height, scr.colours[fg]!, scr.colours[bg]!);
    scr.cellsDrawn++;
  }
}
