// The PS/2 keyboard driver's scancode decoding (userland/kbd/keymap.ts): set 1 bytes as the
// i8042 delivers them, in the orders a keyboard sends them.
import { describe, expect, it } from "vitest";
import { Key, Keyboard, keyboardFeed, keyChar, Mod } from "../../../userland/kbd/keymap.ts";

/** Feeds `bytes`; the completed presses as characters (or `<key>` for keys without one). */
function typed(kb: Keyboard, bytes: number[]): string {
  let out = "";
  for (const b of bytes) {
    if (!keyboardFeed(kb, b) || !kb.event.pressed) continue;
    out += kb.event.char !== 0 ? String.fromCharCode(kb.event.char) : `<${kb.event.key.toString(16)}>`;
  }
  return out;
}

describe("scancode set 1", () => {
  it("maps letters, digits and punctuation of the US layout", () => {
    const kb = new Keyboard();
    // h e l l o , space 1 2 = enter, each pressed and released.
    const codes = [0x23, 0x12, 0x26, 0x26, 0x18, 0x33, 0x39, 0x02, 0x03, 0x0d, 0x1c];
    expect(typed(kb, codes.flatMap((c) => [c, c | 0x80]))).toBe("hello, 12=\n");
  });

  it("applies Shift while held and Caps Lock to letters only", () => {
    const kb = new Keyboard();
    expect(typed(kb, [0x2a, 0x1e, 0x02, 0xaa, 0x1e])).toBe("A!a");
    expect(kb.mods).toBe(0);
    expect(typed(kb, [0x3a, 0xba, 0x1e, 0x02])).toBe("A1");
    expect(kb.mods & Mod.CapsLock).toBe(Mod.CapsLock);
    expect(typed(kb, [0x36, 0x1e, 0xb6])).toBe("a");
    expect(typed(kb, [0x3a, 0x1e])).toBe("a");
  });

  it("gives Ctrl-letter its control character", () => {
    const kb = new Keyboard();
    expect(typed(kb, [0x1d, 0x2e, 0xae, 0x20, 0x9d, 0x2e])).toBe("\x03\x04c");
    expect(keyChar(0x2e, Mod.Ctrl | Mod.Shift)).toBe(3);
  });

  it("decodes 0xe0-prefixed keys and function keys, and ignores controller replies", () => {
    const kb = new Keyboard();
    expect(typed(kb, [0xe0, 0x48, 0xe0, 0xc8, 0xe0, 0x4b, 0x3b, 0x58])).toBe(
      `<${Key.Up.toString(16)}><${Key.Left.toString(16)}><${Key.F1.toString(16)}><${(Key.F1 + 11).toString(16)}>`,
    );
    expect(typed(kb, [0xfa, 0xfe, 0xff, 0x00])).toBe("");
    // Right Ctrl (e0 1d) is Ctrl; a fake shift (e0 2a) is not Shift.
    expect(typed(kb, [0xe0, 0x1d, 0x1e, 0xe0, 0x9d, 0xe0, 0x2a, 0x1e])).toBe("\x01a");
    expect(kb.event.code).toBe(0x1e);
    expect(typed(kb, [0xe0, 0x1c])).toBe("\n");
    expect(kb.event.code).toBe(0x11c);
  });

  it("reports releases as events that are not presses", () => {
    const kb = new Keyboard();
    expect(keyboardFeed(kb, 0x9e)).toBe(true);
    expect(kb.event.pressed).toBe(false);
    expect(kb.event.char).toBe(0x61);
    // Unknown codes make no event.
    expect(keyboardFeed(kb, 0x5a)).toBe(false);
  });
});
