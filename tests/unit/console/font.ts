// Locates the Terminus PSF2 font for tests, unpacking it with scripts/fetch-font.sh when needed.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../", import.meta.url));

/** The font bytes, or a reason why they are unavailable. */
export function terminusFont(): { bytes: Uint8Array | null; reason: string } {
  try {
    const rel = execFileSync("bash", [`${root}scripts/fetch-font.sh`], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 }).trim();
    const path = `${root}${rel}`;
    if (!existsSync(path)) return { bytes: null, reason: `fetch-font.sh printed ${rel}, which does not exist` };
    return { bytes: new Uint8Array(readFileSync(path)), reason: "" };
  } catch (e) {
    return { bytes: null, reason: `scripts/fetch-font.sh failed: ${(e as Error).message.split("\n")[0]}` };
  }
}

/** Reference decoding of a PSF2 file, independent of kernel/console/psf2.ts. */
export function decodePsf2(b: Uint8Array) {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const headerSize = dv.getUint32(8, true);
  const count = dv.getUint32(16, true);
  const charSize = dv.getUint32(20, true);
  const height = dv.getUint32(24, true);
  const width = dv.getUint32(28, true);
  const rowBytes = Math.ceil(width / 8);
  const unicode = new Map<number, number>();
  if (dv.getUint32(12, true) & 1) {
    const text = b.subarray(headerSize + count * charSize);
    let glyph = 0;
    let cur: number[] = [];
    let seq = false;
    for (const byte of text) {
      if (byte === 0xff) {
        const chars = new TextDecoder().decode(new Uint8Array(cur));
        for (const ch of chars) if (!unicode.has(ch.codePointAt(0)!)) unicode.set(ch.codePointAt(0)!, glyph);
        cur = [];
        glyph++;
        seq = false;
      } else if (byte === 0xfe) {
        seq = true;
      } else if (!seq) {
        cur.push(byte);
      }
    }
  }
  const pixel = (g: number, x: number, y: number): boolean =>
    ((b[headerSize + g * charSize + y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1) === 1;
  return { headerSize, count, charSize, height, width, unicode, pixel };
}
