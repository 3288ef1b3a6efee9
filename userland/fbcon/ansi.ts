// The byte-stream parser of the framebuffer console: UTF-8 text, C0 control characters and the
// escape sequences of ECMA-48 (ESC [ parameters final), one byte at a time, with no allocation. It
// only recognises; the terminal (terminal.ts) decides what each action does. Whatever the input,
// every byte leads to a defined state: malformed UTF-8 becomes U+FFFD, overlong parameter lists
// and numbers are clamped, CAN and SUB cancel a sequence, ESC restarts one.

export const enum AnsiAction {
  /** Nothing to do yet (inside a sequence or a UTF-8 character). */
  None = 0,
  /** Draw `codepoint`. */
  Print = 1,
  /** Execute control character `codepoint` (below 0x20, or 0x7f). */
  Control = 2,
  /** A control sequence: `final`, `params[0 .. paramCount)`, `privateMarker` (0 or '?' '<' '=' '>'). */
  Csi = 3,
  /** An escape sequence ESC `final` (not '['). */
  Esc = 4,
}

const enum State {
  Ground = 0,
  Escape = 1,
  Csi = 2,
  /** A sequence being skipped (intermediate bytes, or too malformed to act on) until its final byte. */
  CsiIgnore = 3,
}

export const ANSI_MAX_PARAMS = 16;
/** Parameters are clamped to this. */
export const ANSI_PARAM_MAX = 9999;
export const REPLACEMENT_CHAR = 0xfffd;
const ESC = 0x1b;
const CAN = 0x18;
const SUB = 0x1a;

export class AnsiParser {
  state = State.Ground;
  /** The character of a Print or Control action. */
  codepoint = 0;
  /** The final byte of a Csi or Esc action. */
  final = 0;
  params = new Array<number>(ANSI_MAX_PARAMS).fill(0);
  paramCount = 0;
  privateMarker = 0;
  /** UTF-8: continuation bytes still expected, the code point so far, and its smallest legal value. */
  utfNeed = 0;
  utfValue = 0;
  utfMin = 0;
  /** The last byte fed only ended a broken UTF-8 character: feed it again. */
  again = false;
}

export function ansiReset(p: AnsiParser): void {
  p.state = State.Ground;
  p.utfNeed = 0;
}

function startSequence(p: AnsiParser): void {
  p.paramCount = 0;
  p.privateMarker = 0;
  for (let i = 0; i < ANSI_MAX_PARAMS; i++) p.params[i] = 0;
}

function print(p: AnsiParser, cp: number): number {
  p.codepoint = cp;
  return AnsiAction.Print;
}

/** A byte of text in the ground state: ASCII, or part of a UTF-8 character. */
function text(p: AnsiParser, b: number): number {
  if (p.utfNeed > 0) {
    if ((b & 0xc0) === 0x80) {
      p.utfValue = p.utfValue * 64 + (b & 0x3f);
      p.utfNeed--;
      if (p.utfNeed > 0) return AnsiAction.None;
      const cp = p.utfValue;
      // Overlong forms, surrogates and values past U+10FFFF are not characters.
      if (cp < p.utfMin || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return print(p, REPLACEMENT_CHAR);
      return print(p, cp);
    }
    // The character ended early: it becomes U+FFFD, and this byte is to be fed again (`again`)
    // as the start of what follows.
    p.utfNeed = 0;
    p.again = true;
    return print(p, REPLACEMENT_CHAR);
  }
  if (b < 0x80) return print(p, b);
  if (b >= 0xc2 && b <= 0xdf) {
    p.utfNeed = 1;
    p.utfValue = b & 0x1f;
    p.utfMin = 0x80;
  } else if (b >= 0xe0 && b <= 0xef) {
    p.utfNeed = 2;
    p.utfValue = b & 0x0f;
    p.utfMin = 0x800;
  } else if (b >= 0xf0 && b <= 0xf4) {
    p.utfNeed = 3;
    p.utfValue = b & 0x07;
    p.utfMin = 0x10000;
  } else {
    return print(p, REPLACEMENT_CHAR);
  }
  return AnsiAction.None;
}

/**
 * Feeds one byte (0..255); the action it completes. When `again` is set afterwards, the same byte
 * must be fed once more (it ended a broken UTF-8 character, whose U+FFFD this action prints).
 */
export function ansiFeed(p: AnsiParser, byte: number): number {
  const b = byte & 0xff;
  p.again = false;
  // Anywhere: CAN and SUB cancel, ESC starts a new sequence.
  if (p.utfNeed > 0 && (b < 0x20 || b === 0x7f)) {
    // A control cuts a character short.
    p.utfNeed = 0;
    p.again = true;
    return print(p, REPLACEMENT_CHAR);
  }
  if (b === CAN || b === SUB) {
    p.state = State.Ground;
    return AnsiAction.None;
  }
  if (b === ESC) {
    p.state = State.Escape;
    return AnsiAction.None;
  }
  // Other C0 controls run at once, inside a sequence too (as a VT100 does).
  if (b < 0x20 || b === 0x7f) {
    p.codepoint = b;
    return AnsiAction.Control;
  }
  switch (p.state) {
    case State.Ground:
      return text(p, b);
    case State.Escape:
      if (b === 0x5b) {
        startSequence(p);
        p.state = State.Csi;
        return AnsiAction.None;
      }
      if (b >= 0x20 && b <= 0x2f) return AnsiAction.None; // intermediates: wait for the final byte
      p.state = State.Ground;
      if (b >= 0x30 && b <= 0x7e) {
        p.final = b;
        return AnsiAction.Esc;
      }
      return AnsiAction.None;
    case State.Csi:
      return csiByte(p, b);
    case State.CsiIgnore:
      if (b >= 0x40 && b <= 0x7e) p.state = State.Ground;
      return AnsiAction.None;
    default:
      p.state = State.Ground;
      return AnsiAction.None;
  }
}

function csiByte(p: AnsiParser, b: number): number {
  if ((b >= 0x30 && b <= 0x39) || b === 0x3b) {
    // The first digit or ';' opens parameter 0; each ';' opens the next (an empty one is 0, its
    // default). Past ANSI_MAX_PARAMS, further parameters fold into the last.
    if (p.paramCount === 0) p.paramCount = 1;
    if (b === 0x3b) {
      if (p.paramCount < ANSI_MAX_PARAMS) {
        p.paramCount++;
        p.params[p.paramCount - 1] = 0;
      }
      return AnsiAction.None;
    }
    const i = p.paramCount - 1;
    p.params[i] = Math.min(p.params[i]! * 10 + (b - 0x30), ANSI_PARAM_MAX);
    return AnsiAction.None;
  }
  if (b >= 0x3c && b <= 0x3f) {
    // A private marker is only legal first.
    if (p.paramCount === 0 && p.privateMarker === 0) p.privateMarker = b;
    else p.state = State.CsiIgnore;
    return AnsiAction.None;
  }
  if (b === 0x3a || (b >= 0x20 && b <= 0x2f)) {
    // Sub-parameters and intermediates: sequences this console does not act on.
    p.state = State.CsiIgnore;
    return AnsiAction.None;
  }
  p.state = State.Ground;
  if (b >= 0x40 && b <= 0x7e) {
    p.final = b;
    return AnsiAction.Csi;
  }
  return AnsiAction.None;
}

/** Parameter `i` of the last Csi action, `dflt` when it is missing or 0. */
export function ansiParam(p: AnsiParser, i: number, dflt: number): number {
  if (i >= p.paramCount) return dflt;
  const v = p.params[i]!;
  return v === 0 ? dflt : v;
}
