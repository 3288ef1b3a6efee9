// The framebuffer console's text model: a grid of cells (code point and colours), the cursor, and
// what the bytes written to it do (the parser is ansi.ts). It draws nothing: the screen
// (screen.ts) compares the grid with what it last drew and draws the cells that changed, so a
// whole message, scrolling included, costs one pass over the framebuffer.
//
// Understood: printable text (UTF-8), \n (new line: column 0 of the next row, scrolling at the
// bottom), \r, \b, \t (next multiple of 8), and the control sequences
//   ESC[<n>m   SGR: 0 reset, 1 bold (bright foreground), 22 normal, 7 inverse, 27 not inverse,
//              30-37 / 90-97 foreground, 39 default, 40-47 / 100-107 background, 49 default,
//              38;5;<n> and 48;5;<n> for n < 16 (other 38/48 forms are skipped)
//   ESC[<n>J   erase in display: 0 to the end, 1 to the cursor, 2 (or 3) all
//   ESC[<n>K   erase in line: 0 to the end, 1 to the cursor, 2 all
//   ESC[<r>;<c>H (or f)  cursor to row r, column c (from 1; default 1;1)
//   ESC[<n>A/B/C/D       cursor up, down, forward, back
//   ESC[?25l / ESC[?25h  hide / show the cursor
//   ESC c      reset
// Everything else is parsed and ignored.
import { AnsiAction, AnsiParser, ansiFeed, ansiParam, ansiReset } from "./ansi.ts";

export const DEFAULT_FG = 7;
export const DEFAULT_BG = 0;
export const TAB_WIDTH = 8;

export class Terminal {
  columns: number;
  rows: number;
  /** Code point and attribute (foreground | background << 4, palette indices) of each cell, row by row. */
  cp: Uint32Array;
  attr: Uint8Array;
  /** Cursor; column may equal `columns` (the next character wraps first). */
  col = 0;
  row = 0;
  fg = DEFAULT_FG;
  bg = DEFAULT_BG;
  bold = false;
  inverse = false;
  cursorVisible = true;
  parser = new AnsiParser();
  /** Lines scrolled off the top since the start (for tests and statistics). */
  scrolled = 0;

  constructor(columns: number, rows: number) {
    this.columns = columns;
    this.rows = rows;
    this.cp = new Uint32Array(columns * rows);
    this.attr = new Uint8Array(columns * rows);
    termClear(this, 0, columns * rows);
  }
}

/** The attribute of a cell written now: bold brightens the foreground, inverse swaps the two. */
export function termAttr(t: Terminal): number {
  let fg = t.fg;
  if (t.bold && fg < 8) fg += 8;
  return t.inverse ? t.bg + fg * 16 : fg + t.bg * 16;
}

/** Blanks cells [from, to) with the current background. */
export function termClear(t: Terminal, from: number, to: number): void {
  const a = (t.inverse ? t.fg : t.bg) * 16 + DEFAULT_FG;
  for (let i = Math.max(from, 0); i < Math.min(to, t.columns * t.rows); i++) {
    t.cp[i] = 0x20;
    t.attr[i] = a;
  }
}

/** Moves every row up by one and blanks the last. */
export function termScroll(t: Terminal): void {
  const n = t.columns * (t.rows - 1);
  for (let i = 0; i < n; i++) {
    t.cp[i] = t.cp[i + t.columns]!;
    t.attr[i] = t.attr[i + t.columns]!;
  }
  termClear(t, n, n + t.columns);
  t.scrolled++;
}

function newline(t: Terminal): void {
  t.col = 0;
  if (t.row + 1 < t.rows) t.row++;
  else termScroll(t);
}

function put(t: Terminal, cp: number): void {
  if (t.col >= t.columns) newline(t);
  const i = t.row * t.columns + t.col;
  t.cp[i] = cp;
  t.attr[i] = termAttr(t);
  t.col++;
}

function control(t: Terminal, c: number): void {
  switch (c) {
    case 10: // \n
      newline(t);
      return;
    case 13: // \r
      t.col = 0;
      return;
    case 8: // \b
      if (t.col >= t.columns) t.col = t.columns - 1;
      if (t.col > 0) t.col--;
      return;
    case 9: // \t
      if (t.col < t.columns) t.col = Math.min((Math.floor(t.col / TAB_WIDTH) + 1) * TAB_WIDTH, t.columns - 1);
      return;
    default:
      // BEL and the other controls do nothing here.
      return;
  }
}

function resetAttributes(t: Terminal): void {
  t.fg = DEFAULT_FG;
  t.bg = DEFAULT_BG;
  t.bold = false;
  t.inverse = false;
}

function sgr(t: Terminal): void {
  const p = t.parser;
  if (p.paramCount === 0) {
    resetAttributes(t);
    return;
  }
  for (let i = 0; i < p.paramCount; i++) {
    const v = p.params[i]!;
    if (v === 0) resetAttributes(t);
    else if (v === 1) t.bold = true;
    else if (v === 22) t.bold = false;
    else if (v === 7) t.inverse = true;
    else if (v === 27) t.inverse = false;
    else if (v >= 30 && v <= 37) t.fg = v - 30;
    else if (v === 39) t.fg = DEFAULT_FG;
    else if (v >= 40 && v <= 47) t.bg = v - 40;
    else if (v === 49) t.bg = DEFAULT_BG;
    else if (v >= 90 && v <= 97) t.fg = v - 90 + 8;
    else if (v >= 100 && v <= 107) t.bg = v - 100 + 8;
    else if (v === 38 || v === 48) {
      // 38;5;n (a palette index) or 38;2;r;g;b (a colour this 16-colour console skips).
      const kind = i + 1 < p.paramCount ? p.params[i + 1]! : 0;
      if (kind === 5 && i + 2 < p.paramCount) {
        const n = p.params[i + 2]!;
        if (n < 16) {
          if (v === 38) t.fg = n;
          else t.bg = n;
        }
        i += 2;
      } else if (kind === 2) {
        i += 4;
      } else {
        i += 1;
      }
    }
  }
}

function clampCursor(t: Terminal, row: number, col: number): void {
  t.row = Math.max(0, Math.min(row, t.rows - 1));
  t.col = Math.max(0, Math.min(col, t.columns - 1));
}

function csi(t: Terminal): void {
  const p = t.parser;
  const cursor = t.row * t.columns + Math.min(t.col, t.columns - 1);
  if (p.privateMarker !== 0) {
    if (p.privateMarker === 0x3f && ansiParam(p, 0, 0) === 25) {
      if (p.final === 0x68) t.cursorVisible = true; // h
      if (p.final === 0x6c) t.cursorVisible = false; // l
    }
    return;
  }
  switch (p.final) {
    case 0x6d: // m
      sgr(t);
      return;
    case 0x4a: { // J
      const mode = p.paramCount > 0 ? p.params[0]! : 0;
      if (mode === 0) termClear(t, cursor, t.columns * t.rows);
      else if (mode === 1) termClear(t, 0, cursor + 1);
      else if (mode === 2 || mode === 3) termClear(t, 0, t.columns * t.rows);
      return;
    }
    case 0x4b: { // K
      const mode = p.paramCount > 0 ? p.params[0]! : 0;
      const start = t.row * t.columns;
      if (mode === 0) termClear(t, cursor, start + t.columns);
      else if (mode === 1) termClear(t, start, cursor + 1);
      else if (mode === 2) termClear(t, start, start + t.columns);
      return;
    }
    case 0x48: // H
    case 0x66: // f
      clampCursor(t, ansiParam(p, 0, 1) - 1, ansiParam(p, 1, 1) - 1);
      return;
    case 0x41: // A
      clampCursor(t, t.row - ansiParam(p, 0, 1), t.col);
      return;
    case 0x42: // B
      clampCursor(t, t.row + ansiParam(p, 0, 1), t.col);
      return;
    case 0x43: // C
      clampCursor(t, t.row, t.col + ansiParam(p, 0, 1));
      return;
    case 0x44: // D
      clampCursor(t, t.row, Math.min(t.col, t.columns - 1) - ansiParam(p, 0, 1));
      return;
    default:
      return;
  }
}

/** Everything back to the start: blank screen, cursor home, default colours. */
export function termReset(t: Terminal): void {
  resetAttributes(t);
  ansiReset(t.parser);
  t.cursorVisible = true;
  t.col = 0;
  t.row = 0;
  termClear(t, 0, t.columns * t.rows);
}

/** Writes one byte of the stream. */
export function termWriteByte(t: Terminal, b: number): void {
  const p = t.parser;
  let again = true;
  while (again) {
    const a = ansiFeed(p, b);
    again = p.again;
    switch (a) {
      case AnsiAction.Print: put(t, p.codepoint); break;
      case AnsiAction.Control: control(t, p.codepoint); break;
      case AnsiAction.Csi: csi(t); break;
      case AnsiAction.Esc: if (p.final === 0x63) termReset(t); break; // ESC c
      default: break;
    }
  }
}

/** Writes a string's characters (ASCII: run-time strings are). */
export function termWrite(t: Terminal, s: string): void {
  for (let i = 0; i < s.length; i++) termWriteByte(t, s.charCodeAt(i));
}
