// What init gives the framebuffer console besides the framebuffer itself: one read-only memory
// object holding the framebuffer's description (the six words of the device control object's
// FramebufferInfo, abi/framebuffer.ts) and the console font's bytes, read from the `font` boot
// module. fbcon thus needs neither the device control capability nor the right to read boot
// modules. Words are 64-bit little-endian.

export const enum SetupWord {
  /** Words 0..5: FramebufferInfo's answer (FbWord). */
  Info = 0,
  /** Bytes of the font that follow at FONT_OFFSET. */
  FontBytes = 6,
}

/** Where the font's bytes start. */
export const FONT_OFFSET = 64;
/** The largest font init passes on (a PSF2 font with a unicode table of a few thousand glyphs). */
export const FONT_MAX_BYTES = 256 * 1024;

/** Pages a setup object needs for a font of `bytes`. */
export function setupPages(bytes: number): number {
  return Math.floor((FONT_OFFSET + bytes + 4095) / 4096);
}
