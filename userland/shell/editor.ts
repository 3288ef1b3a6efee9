// The shell's line editor: a pure state machine fed one input byte at a time (tested on the
// host). It keeps the line and the cursor and says what to draw in `echo`, using only printable
// bytes, spaces, backspace (cursor one left) and newline, so the line looks the same on a serial
// terminal and on the framebuffer. Keys arrive as a terminal sends them: ESC [ A..D for the
// arrows, ESC [ H / F or ESC [ 1~ / 4~ (and ESC O H / F) for Home and End, ESC [ 3~ for Delete,
// DEL or BS for backspace, CR or LF for Enter, Ctrl-A/E/B/F/U/C as in most shells.

export const enum EditResult {
  /** Keep feeding. */
  More = 0,
  /** A line was entered: it is in `done`. */
  Line = 1,
  /** Ctrl-C: the line was dropped. */
  Cancel = 2,
}

/** Longest line the editor keeps; bytes beyond it are refused with a bell. */
export const LINE_LIMIT = 512;

export class LineEditor {
  chars: number[] = [];
  cursor = 0;
  /** What to draw for the bytes fed so far. */
  echo = "";
  done = "";
  history: string[];
  /** Position in history while browsing (history.length: the line being typed). */
  browse = 0;
  /** The line being typed, kept while browsing history. */
  draft = "";
  /** Escape state: 0 none, 1 after ESC, 2 after ESC [ or ESC O. */
  escape = 0;
  param = 0;

  constructor(history: string[]) {
    this.history = history;
    this.browse = history.length;
  }
}

function text(ed: LineEditor, from: number): string {
  let s = "";
  for (let i = from; i < ed.chars.length; i++) s += String.fromCharCode(ed.chars[i]!);
  return s;
}

function backs(n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += "\b";
  return s;
}

function spaces(n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += " ";
  return s;
}

function left(ed: LineEditor): void {
  if (ed.cursor === 0) return;
  ed.cursor--;
  ed.echo += "\b";
}

function right(ed: LineEditor): void {
  if (ed.cursor >= ed.chars.length) return;
  ed.echo += String.fromCharCode(ed.chars[ed.cursor]!);
  ed.cursor++;
}

function home(ed: LineEditor): void {
  ed.echo += backs(ed.cursor);
  ed.cursor = 0;
}

function end(ed: LineEditor): void {
  ed.echo += text(ed, ed.cursor);
  ed.cursor = ed.chars.length;
}

function insert(ed: LineEditor, b: number): void {
  if (ed.chars.length >= LINE_LIMIT) {
    ed.echo += "\x07";
    return;
  }
  ed.chars.splice(ed.cursor, 0, b);
  const tail = text(ed, ed.cursor);
  ed.cursor++;
  ed.echo += tail + backs(tail.length - 1);
}

/** Removes the character at the cursor and redraws the rest of the line. */
function removeAtCursor(ed: LineEditor): void {
  if (ed.cursor >= ed.chars.length) return;
  ed.chars.splice(ed.cursor, 1);
  const tail = text(ed, ed.cursor);
  ed.echo += `${tail} ${backs(tail.length + 1)}`;
}

function backspace(ed: LineEditor): void {
  if (ed.cursor === 0) return;
  left(ed);
  removeAtCursor(ed);
}

/** Replaces the whole line with `s`, the cursor at its end. */
function replaceLine(ed: LineEditor, s: string): void {
  const old = ed.chars.length;
  home(ed);
  ed.chars = [];
  for (let i = 0; i < s.length; i++) ed.chars.push(s.charCodeAt(i) & 0xff);
  ed.echo += s;
  if (old > s.length) ed.echo += spaces(old - s.length) + backs(old - s.length);
  ed.cursor = ed.chars.length;
}

function historyStep(ed: LineEditor, step: number): void {
  const next = ed.browse + step;
  if (next < 0 || next > ed.history.length) return;
  if (ed.browse === ed.history.length) ed.draft = text(ed, 0);
  ed.browse = next;
  replaceLine(ed, next === ed.history.length ? ed.draft : ed.history[next]!);
}

function finish(ed: LineEditor): void {
  ed.done = text(ed, 0);
  ed.chars = [];
  ed.cursor = 0;
  ed.browse = ed.history.length + 1;
  ed.draft = "";
}

/** The final byte of an escape sequence (with its numeric parameter, if any). */
function escapeKey(ed: LineEditor, b: number): void {
  switch (b) {
    case 0x41: historyStep(ed, -1); return; // A: up
    case 0x42: historyStep(ed, 1); return; // B: down
    case 0x43: right(ed); return; // C
    case 0x44: left(ed); return; // D
    case 0x48: home(ed); return; // H
    case 0x46: end(ed); return; // F
    case 0x7e: // ~ with a parameter
      if (ed.param === 1 || ed.param === 7) home(ed);
      else if (ed.param === 4 || ed.param === 8) end(ed);
      else if (ed.param === 3) removeAtCursor(ed);
      return;
    default:
      return;
  }
}

/** Feeds one input byte; what to draw is appended to `ed.echo`. */
export function editorFeed(ed: LineEditor, b: number): EditResult {
  if (ed.escape === 1) {
    ed.escape = b === 0x5b || b === 0x4f ? 2 : 0;
    ed.param = 0;
    return EditResult.More;
  }
  if (ed.escape === 2) {
    if (b >= 0x30 && b <= 0x39) {
      ed.param = ed.param * 10 + (b - 0x30);
      return EditResult.More;
    }
    if (b === 0x3b) return EditResult.More;
    ed.escape = 0;
    escapeKey(ed, b);
    return EditResult.More;
  }
  switch (b) {
    case 0x1b:
      ed.escape = 1;
      return EditResult.More;
    case 13:
    case 10:
      ed.echo += "\n";
      finish(ed);
      // history grows (or not) in the caller: browsing restarts at its end.
      ed.browse = ed.history.length;
      return EditResult.Line;
    case 3: // Ctrl-C
      ed.echo += "^C\n";
      finish(ed);
      ed.browse = ed.history.length;
      return EditResult.Cancel;
    case 8:
    case 0x7f:
      backspace(ed);
      return EditResult.More;
    case 1: home(ed); return EditResult.More; // Ctrl-A
    case 5: end(ed); return EditResult.More; // Ctrl-E
    case 2: left(ed); return EditResult.More; // Ctrl-B
    case 6: right(ed); return EditResult.More; // Ctrl-F
    case 0x15: // Ctrl-U: the line goes
      replaceLine(ed, "");
      return EditResult.More;
    case 9:
      insert(ed, 0x20);
      return EditResult.More;
    default:
      if (b >= 0x20 && b < 0x7f) insert(ed, b);
      return EditResult.More;
  }
}
