// Text console on the boot framebuffer: 32- or 24-bpp linear RGB (glyphs from a PSF2 font) or EGA
// text mode. Without a usable framebuffer every call is a no-op, so callers never need to check.
//
// The kernel draws only until user space takes the framebuffer over: the first writable mapping
// of device memory overlapping it (the framebuffer console driver, userland/fbcon) hands it over
// (framebufferHandOver), and from then on the kernel's log goes to serial alone. A panic draws
// again: the screen is cleared and the panic report drawn from the top.
import { release } from "../../lang/core.ts";
import { load8, load16, load32, load64, store8, store16, store32, store64 } from "../../lang/mem.ts";
import { FramebufferType } from "../../abi/framebuffer.ts";
import { fill32 } from "../arch/x86_64/cpu.ts";
import { panicInProgress } from "../panic.ts";
import { Psf2Font, psf2GlyphIndex, psf2Pixel } from "./psf2.ts";

/** The screen the loader set up, as the boot information describes it (kernel/boot/). */
export { FramebufferType } from "../../abi/framebuffer.ts";

export class FramebufferInfo {
  type = FramebufferType.None;
  address = 0;
  pitch = 0;
  width = 0;
  height = 0;
  bpp = 0;
  redPosition = 0;
  redSize = 0;
  greenPosition = 0;
  greenSize = 0;
  bluePosition = 0;
  blueSize = 0;
}

export const enum FbMode {
  Off = 0,
  /** RGB pixels of `bytesPerPixel` bytes (4, or 3: VBE BIOSes and GRUB offer 24-bit modes too). */
  Rgb = 1,
  EgaText = 2,
}

/** Colours as 0xRRGGBB. */
export const COLOUR_DEFAULT = 0xc0c0c0;
export const COLOUR_ERROR = 0xff5050;
export const COLOUR_WARN = 0xffd040;
export const COLOUR_DEBUG = 0x808080;
export const COLOUR_BACKGROUND = 0x000000;

export class FbConsole {
  mode = FbMode.Off;
  /** Virtual address of the first pixel (or character cell). */
  base = 0;
  pitch = 0;
  width = 0;
  height = 0;
  bytesPerPixel = 4;
  redPosition = 16;
  redSize = 8;
  greenPosition = 8;
  greenSize = 8;
  bluePosition = 0;
  blueSize = 8;
  font: Psf2Font | null = null;
  cellWidth = 1;
  cellHeight = 1;
  columns = 0;
  rows = 0;
  column = 0;
  row = 0;
  foreground = COLOUR_DEFAULT;
  background = COLOUR_BACKGROUND;
  /** Physical range of the framebuffer (what a device memory mapping is compared with). */
  phys = 0;
  bytes = 0;
  /** User space drew on it since: the kernel stays off the screen until a panic. */
  handedOver = false;
}

let fb = new FbConsole();

export function framebufferConsole(): FbConsole {
  return fb;
}

/**
 * Starts the console on the framebuffer described by `info`, mapped at virtual address `virt`.
 * An RGB framebuffer needs `font`; returns whether the console is active.
 */
export function framebufferInit(info: FramebufferInfo, virt: number, font: Psf2Font | null): boolean {
  const c = new FbConsole();
  c.base = virt;
  c.phys = info.address;
  c.bytes = info.pitch * info.height;
  if (info.type === FramebufferType.EgaText) c.bytes = info.width * info.height * 2;
  c.pitch = info.pitch;
  c.width = info.width;
  c.height = info.height;
  const bytes = info.bpp === 32 ? 4 : info.bpp === 24 ? 3 : 0;
  if (info.type === FramebufferType.Rgb && bytes > 0 && font !== null && font.error === 0 &&
    info.pitch >= info.width * bytes) {
    c.mode = FbMode.Rgb;
    c.bytesPerPixel = bytes;
    c.redPosition = info.redPosition;
    c.redSize = info.redSize;
    c.greenPosition = info.greenPosition;
    c.greenSize = info.greenSize;
    c.bluePosition = info.bluePosition;
    c.blueSize = info.blueSize;
    c.font = font;
    c.cellWidth = font.width;
    c.cellHeight = font.height;
    c.columns = Math.floor(info.width / font.width);
    c.rows = Math.floor(info.height / font.height);
  } else if (info.type === FramebufferType.EgaText && info.width > 0 && info.height > 0) {
    c.mode = FbMode.EgaText;
    c.columns = info.width;
    c.rows = info.height;
  }
  if (c.columns === 0 || c.rows === 0) c.mode = FbMode.Off;
  release(fb);
  fb = c;
  if (c.mode !== FbMode.Off) framebufferClear();
  return c.mode !== FbMode.Off;
}

/** Stops drawing (keel.fb=0). */
export function framebufferDisable(): void {
  release(fb);
  fb = new FbConsole();
}

export function framebufferActive(): boolean {
  return fb.mode !== FbMode.Off && !fb.handedOver;
}

/** Whether the physical range [phys, phys + len) overlaps the framebuffer the kernel draws on. */
export function framebufferOverlaps(phys: number, len: number): boolean {
  const c = fb;
  return c.mode !== FbMode.Off && !c.handedOver && phys < c.phys + c.bytes && c.phys < phys + len;
}

/** User space draws on the framebuffer from now on: the kernel stops drawing (until a panic). */
export function framebufferHandOver(): void {
  fb.handedOver = true;
}

/** The kernel draws again (a panic): the screen is cleared and the text starts at the top. */
export function framebufferReclaim(): void {
  if (!fb.handedOver) return;
  fb.handedOver = false;
  fb.foreground = COLOUR_DEFAULT;
  framebufferClear();
}

export function framebufferSetColour(rgb: number): void {
  fb.foreground = rgb;
}

/** Pixel value of 0xRRGGBB for the framebuffer's field positions and sizes. */
export function pixelValue(c: FbConsole, rgb: number): number {
  const r = Math.floor(rgb / 0x10000) % 256;
  const g = Math.floor(rgb / 0x100) % 256;
  const b = rgb % 256;
  return field(r, c.redPosition, c.redSize) + field(g, c.greenPosition, c.greenSize) +
    field(b, c.bluePosition, c.blueSize);
}

/** An 8-bit channel scaled to `size` bits and moved to bit `position` (as an exact number). */
function field(v: number, position: number, size: number): number {
  const scaled = size >= 8 ? v : v >> (8 - size);
  let m = 1;
  for (let i = 0; i < position; i++) m *= 2;
  return scaled * m;
}

/** VGA attribute nearest to a colour: bright white, red, yellow or grey on black. */
function egaAttribute(rgb: number): number {
  if (rgb === COLOUR_ERROR) return 0x0c;
  if (rgb === COLOUR_WARN) return 0x0e;
  if (rgb === COLOUR_DEBUG) return 0x08;
  return 0x07;
}

/** Stores one pixel at `addr`: 4 bytes, or the low 3 of `px` in a 24-bit mode. */
function putPixel(c: FbConsole, addr: number, px: number): void {
  if (c.bytesPerPixel === 4) {
    store32(addr, px);
  } else {
    store16(addr, px % 0x10000);
    store8(addr + 2, Math.floor(px / 0x10000) % 256);
  }
}

/** Fills one row of pixels at `line` with `px`: rep stosl in 32-bit modes. */
function fillRow(c: FbConsole, line: number, px: number): void {
  if (c.bytesPerPixel === 4) {
    fill32(line, c.width, px);
    return;
  }
  for (let x = 0; x < c.width; x++) putPixel(c, line + x * 3, px);
}

function framebufferClear(): void {
  const c = fb;
  if (c.mode === FbMode.Rgb) {
    const px = pixelValue(c, c.background);
    if (c.bytesPerPixel === 4 && c.pitch === c.width * 4) {
      fill32(c.base, c.width * c.height, px);
    } else {
      for (let y = 0; y < c.height; y++) fillRow(c, c.base + y * c.pitch, px);
    }
  } else if (c.mode === FbMode.EgaText) {
    for (let i = 0; i < c.columns * c.rows; i++) store16(c.base + i * 2, 0x0720);
  }
  c.column = 0;
  c.row = 0;
}

function drawGlyph(c: FbConsole, ch: number, col: number, row: number): void {
  const font = c.font!;
  const glyph = psf2GlyphIndex(font, ch);
  const fg = pixelValue(c, c.foreground);
  const bg = pixelValue(c, c.background);
  const x0 = col * c.cellWidth;
  const y0 = row * c.cellHeight;
  const rowBytes = font.bytesPerRow;
  for (let y = 0; y < c.cellHeight; y++) {
    const line = c.base + (y0 + y) * c.pitch + x0 * c.bytesPerPixel;
    if (rowBytes > 3 || c.bytesPerPixel !== 4) {
      for (let x = 0; x < c.cellWidth; x++) putPixel(c, line + x * c.bytesPerPixel, psf2Pixel(font, glyph, x, y) ? fg : bg);
      continue;
    }
    // The row's bits at once (at most 24), leftmost pixel in the highest bit: one load per byte
    // instead of a call per pixel.
    const row = font.addr + font.headerSize + glyph * font.bytesPerGlyph + y * rowBytes;
    let bits = 0;
    for (let i = 0; i < rowBytes; i++) bits = (bits << 8) | load8(row + i);
    const top = rowBytes * 8 - 1;
    for (let x = 0; x < c.cellWidth; x++) store32(line + x * 4, ((bits >> (top - x)) & 1) !== 0 ? fg : bg);
  }
}

/** Moves every text row up by one and blanks the last one. */
function scroll(c: FbConsole): void {
  if (c.mode === FbMode.Rgb) {
    const rowBytes = c.cellHeight * c.pitch;
    const used = c.rows * rowBytes;
    // Whole rows of pixels are moved, 8 bytes at a time (pitch is a multiple of 4, also in 24-bit
    // modes; copy the tail by 4).
    const words = Math.floor((used - rowBytes) / 8);
    for (let i = 0; i < words; i++) store64(c.base + i * 8, load64(c.base + rowBytes + i * 8));
    for (let off = words * 8; off < used - rowBytes; off += 4) {
      store32(c.base + off, load32(c.base + rowBytes + off));
    }
    const bg = pixelValue(c, c.background);
    for (let y = (c.rows - 1) * c.cellHeight; y < c.rows * c.cellHeight; y++) fillRow(c, c.base + y * c.pitch, bg);
  } else if (c.mode === FbMode.EgaText) {
    const rowBytes = c.columns * 2;
    for (let i = 0; i < (c.rows - 1) * rowBytes; i += 2) {
      store16(c.base + i, load16(c.base + rowBytes + i));
    }
    for (let i = 0; i < c.columns; i++) store16(c.base + (c.rows - 1) * rowBytes + i * 2, 0x0720);
  }
}

function newline(c: FbConsole): void {
  c.column = 0;
  if (c.row + 1 < c.rows) {
    c.row++;
  } else {
    scroll(c);
  }
}

/** Writes one byte (ASCII; other bytes draw the replacement glyph); handles \n, \r, \t, backspace. */
export function framebufferWriteByte(b: number): void {
  const c = fb;
  if (c.mode === FbMode.Off) return;
  if (c.handedOver) {
    if (!panicInProgress()) return;
    framebufferReclaim();
  }
  if (b === 10) {
    newline(c);
    return;
  }
  if (b === 13) {
    c.column = 0;
    return;
  }
  if (b === 8) {
    if (c.column > 0) c.column--;
    return;
  }
  if (b === 9) {
    const next = (Math.floor(c.column / 8) + 1) * 8;
    while (c.column < next && c.column < c.columns) framebufferWriteByte(32);
    return;
  }
  if (c.column >= c.columns) newline(c);
  if (c.mode === FbMode.Rgb) {
    drawGlyph(c, b < 0x80 ? b : 0x3f, c.column, c.row);
  } else {
    const cell = c.base + (c.row * c.columns + c.column) * 2;
    store8(cell, b < 0x80 ? b : 0x3f);
    store8(cell + 1, egaAttribute(c.foreground));
  }
  c.column++;
}
