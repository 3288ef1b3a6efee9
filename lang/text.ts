// Bytes <-> strings for I/O in user and hosted programs (strings are run-time values only there).
// The same code runs in Node and compiled: it has TextEncoder/TextDecoder's UTF-8 results for
// ASCII text (NUL included), and stops with an error on a byte or character outside ASCII, which
// compiled strings cannot hold (docs/language.md, "Strings").

/** The UTF-8 bytes of `s`. */
export function utf8Encode(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) throw new Error(`utf8Encode: character ${c} at ${i} is not ASCII`);
    out[i] = c;
  }
  return out;
}

/** The string whose UTF-8 encoding is bytes[start, end). */
export function utf8Decode(bytes: Uint8Array, start: number = 0, end: number = bytes.length): string {
  let s = "";
  let chunk = "";
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (b >= 0x80) throw new Error(`utf8Decode: byte ${b} at ${i} is not ASCII`);
    chunk += String.fromCharCode(b);
    // Short chunks keep the repeated concatenation linear in the input.
    if (chunk.length === 64) {
      s += chunk;
      chunk = "";
    }
  }
  return s + chunk;
}
