// Reading text back from a screen dump (QEMU's screendump, a PPM) with an independent decoding of
// the console font, for the system tests of the framebuffer console and the shell.
import { type Screen } from "./qemu.ts";
import { PALETTE } from "../../userland/fbcon/screen.ts";
import { decodePsf2 } from "../unit/console/font.ts";

/**
 * Reads text row `row` back from the screen with the reference decoding of the font: a cell's
 * pixels that are not the background colour must be exactly some glyph's set pixels.
 */
export function screenRow(s: Screen, fontBytes: Uint8Array, row: number): string {
  const f = decodePsf2(fontBytes);
  const byBitmap = new Map<string, number>();
  const glyphBits = (g: number): string => {
    let bits = "";
    for (let y = 0; y < f.height; y++) for (let x = 0; x < f.width; x++) bits += f.pixel(g, x, y) ? "1" : "0";
    return bits;
  };
  // ASCII only, the first code point of a bitmap winning (a space and a no-break space look alike).
  for (const [cp, g] of [...f.unicode.entries()].reverse()) {
    if (cp >= 0x20 && cp < 0x7f) byBitmap.set(glyphBits(g), cp);
  }
  let text = "";
  for (let col = 0; col < Math.floor(s.width / f.width); col++) {
    const cell: number[] = [];
    for (let y = 0; y < f.height; y++) {
      for (let x = 0; x < f.width; x++) {
        const i = ((row * f.height + y) * s.width + col * f.width + x) * 3;
        cell.push((s.pixels[i]! << 16) | (s.pixels[i + 1]! << 8) | s.pixels[i + 2]!);
      }
    }
    // A cell shows two colours at most; either may be the background (inverse video, the cursor).
    const colours = [...new Set(cell)];
    let cp: number | undefined;
    if (colours.length <= 2) {
      for (const bg of [PALETTE[0]!, ...colours]) {
        cp = byBitmap.get(cell.map((c) => (c !== bg ? "1" : "0")).join(""));
        if (cp !== undefined) break;
      }
    }
    text += cp === undefined ? "?" : String.fromCharCode(cp);
  }
  return text.trimEnd();
}

/** Every text row of the screen. */
export function screenText(s: Screen, fontBytes: Uint8Array): string[] {
  const rows = Math.floor(s.height / decodePsf2(fontBytes).height);
  const out: string[] = [];
  for (let r = 0; r < rows; r++) out.push(screenRow(s, fontBytes, r));
  return out;
}
