// The boot framebuffer as the device control object describes it (Method.FramebufferInfo,
// docs/syscalls.md "Devices and timers"): its kind, and the six answer words that tell a driver
// where it is, how big, and how a pixel's bits are laid out. The kernel packs them
// (kernel/object/device-control.ts) and the framebuffer console driver unpacks them
// (userland/fbcon), so both import this module, which imports nothing.

/** The framebuffer the loader set up (the Multiboot2 framebuffer tag's type, plus None). */
export const enum FramebufferType {
  None = 0,
  /** Palette-indexed pixels. */
  Indexed = 1,
  /** Direct RGB pixels with the field positions and sizes of FbWord.Fields. */
  Rgb = 2,
  /** EGA text cells (character and attribute bytes); width and height count cells. */
  EgaText = 3,
}

/** The answer words of FramebufferInfo. */
export const enum FbWord {
  /** Physical address of the first pixel (the device memory to claim; not always page-aligned). */
  Address = 0,
  /** Bytes from one line of pixels to the next. */
  Pitch = 1,
  /** Pixels per line (cells for EGA text). */
  Width = 2,
  /** Lines (cell rows for EGA text). */
  Height = 3,
  /** FramebufferType in bits 0..7, bits per pixel in bits 8..15. */
  Format = 4,
  /** Red position, red size, green position, green size, blue position, blue size: a byte each, from bit 0. */
  Fields = 5,
}

const BYTE = 256;

/** The Format word. */
export function fbFormatWord(type: number, bpp: number): number {
  return (type & 0xff) + (bpp & 0xff) * BYTE;
}

export function fbFormatType(format: number): number {
  return format % BYTE;
}

export function fbFormatBpp(format: number): number {
  return Math.floor(format / BYTE) % BYTE;
}

/** The Fields word: six bytes, red position first (exact up to 2^48). */
export function fbFieldsWord(redPos: number, redSize: number, greenPos: number, greenSize: number, bluePos: number, blueSize: number): number {
  let w = blueSize & 0xff;
  w = w * BYTE + (bluePos & 0xff);
  w = w * BYTE + (greenSize & 0xff);
  w = w * BYTE + (greenPos & 0xff);
  w = w * BYTE + (redSize & 0xff);
  return w * BYTE + (redPos & 0xff);
}

/** Byte `i` (0 red position .. 5 blue size) of a Fields word. */
export function fbField(fields: number, i: number): number {
  let w = fields;
  for (let k = 0; k < i; k++) w = Math.floor(w / BYTE);
  return w % BYTE;
}
