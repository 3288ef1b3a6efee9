// PS/2 scancode set 1 (what the i8042 delivers with translation on, as firmware leaves it) to key
// events, US layout. Pure state machine, tested on the host: feed it the bytes read from port
// 0x60 one at a time; each completed key press or release comes back as a KeyEvent.

/** Modifier bits of KeyEvent.mods (and of the keyboard's state). */
export const enum Mod {
  Shift = 1,
  Ctrl = 2,
  Alt = 4,
  CapsLock = 8,
}

/** Key codes for keys that have no character (KeyEvent.char is 0 for them). */
export const enum Key {
  None = 0,
  Up = 0x100,
  Down = 0x101,
  Left = 0x102,
  Right = 0x103,
  Home = 0x104,
  End = 0x105,
  PageUp = 0x106,
  PageDown = 0x107,
  Insert = 0x108,
  Delete = 0x109,
  F1 = 0x110,
}

// Set 1 make codes 0x00..0x39 to characters, without and with Shift (NONE: no character).
const PLAIN = "\x01\x1b1234567890-=\b\tqwertyuiop[]\n\x01asdfghjkl;'`\x01\\zxcvbnm,./\x01*\x01 ";
const SHIFTED = "\x01\x1b!@#$%^&*()_+\b\tQWERTYUIOP{}\n\x01ASDFGHJKL:\"~\x01|ZXCVBNM<>?\x01*\x01 ";
const NONE = 1;

export class KeyEvent {
  /** The character typed (after Shift, Caps Lock and Ctrl), 0 for none. */
  char = 0;
  /** A Key for keys without a character (arrows, F1..F12), else 0. */
  key = 0;
  /** The make code (0xe0 prefixed codes have 0x100 added). */
  code = 0;
  pressed = false;
  mods = 0;
}

export class Keyboard {
  mods = 0;
  /** The previous byte was the 0xe0 prefix. */
  extended = false;
  event = new KeyEvent();
}

function setMod(k: Keyboard, bit: number, on: boolean): void {
  k.mods = on ? k.mods | bit : k.mods & ~bit;
}

function extendedKey(code: number): number {
  switch (code) {
    case 0x48: return Key.Up;
    case 0x50: return Key.Down;
    case 0x4b: return Key.Left;
    case 0x4d: return Key.Right;
    case 0x47: return Key.Home;
    case 0x4f: return Key.End;
    case 0x49: return Key.PageUp;
    case 0x51: return Key.PageDown;
    case 0x52: return Key.Insert;
    case 0x53: return Key.Delete;
    default: return Key.None;
  }
}

/** The character of make code `code` under modifiers `mods`, 0 for none. */
export function keyChar(code: number, mods: number): number {
  if (code >= PLAIN.length) return 0;
  const plain = PLAIN.charCodeAt(code);
  if (plain === NONE) return 0;
  const isLetter = plain >= 0x61 && plain <= 0x7a;
  let shift = (mods & Mod.Shift) !== 0;
  if (isLetter && (mods & Mod.CapsLock) !== 0) shift = !shift;
  const c = shift ? SHIFTED.charCodeAt(code) : plain;
  // Ctrl with a letter gives its control character (Ctrl-C is 3, Ctrl-D 4).
  if ((mods & Mod.Ctrl) !== 0 && isLetter) return plain - 0x60;
  return c;
}

/**
 * Takes the next byte from the keyboard: true when it completed a key event (then in k.event),
 * false for a prefix, a modifier or a byte that means nothing here (acknowledgements, errors).
 */
export function keyboardFeed(k: Keyboard, byte: number): boolean {
  if (byte === 0xe0) {
    k.extended = true;
    return false;
  }
  const extended = k.extended;
  k.extended = false;
  // Keyboard replies (ACK, resend, errors) are not keys. (0xaa, self-test passed, is also the
  // release of left Shift, which is what it means while typing.)
  if (byte === 0xfa || byte === 0xfe || byte === 0xff || byte === 0x00) return false;
  const pressed = (byte & 0x80) === 0;
  const code = byte & 0x7f;
  switch (code) {
    case 0x2a:
    case 0x36:
      if (!extended) {
        setMod(k, Mod.Shift, pressed);
        return false;
      }
      return false;
    case 0x1d:
      setMod(k, Mod.Ctrl, pressed);
      return false;
    case 0x38:
      setMod(k, Mod.Alt, pressed);
      return false;
    case 0x3a:
      if (pressed) k.mods = k.mods ^ Mod.CapsLock;
      return false;
    default:
      break;
  }
  const e = k.event;
  e.pressed = pressed;
  e.mods = k.mods;
  e.code = extended ? code + 0x100 : code;
  if (extended) {
    e.key = extendedKey(code);
    e.char = code === 0x1c ? 10 : code === 0x35 ? 0x2f : 0;
  } else if (code >= 0x3b && code <= 0x44) {
    e.key = Key.F1 + (code - 0x3b);
    e.char = 0;
  } else if (code === 0x57 || code === 0x58) {
    e.key = Key.F1 + 10 + (code - 0x57);
    e.char = 0;
  } else {
    e.key = Key.None;
    e.char = keyChar(code, k.mods);
  }
  return e.char !== 0 || e.key !== Key.None;
}
