// The shell's line editor and word splitter, on the host: what a terminal shows after the bytes
// it draws is the line the editor holds, whatever keys come in.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EditResult, LineEditor, editorFeed } from "../../../userland/shell/editor.ts";
import { splitWords } from "../../../userland/shell/words.ts";

/** A one-line terminal: printable bytes overwrite at the cursor, backspace moves left. */
class Terminal {
  cells: string[] = [];
  col = 0;
  feed(s: string): void {
    for (const ch of s) {
      if (ch === "\b") this.col = Math.max(0, this.col - 1);
      else if (ch === "\n" || ch === "\x07") continue;
      else this.cells[this.col++] = ch;
    }
  }
  get text(): string {
    return this.cells.join("").trimEnd();
  }
}

function type(ed: LineEditor, term: Terminal, s: string): EditResult {
  let r = EditResult.More;
  for (const ch of s) {
    r = editorFeed(ed, ch.charCodeAt(0));
    term.feed(ed.echo);
    ed.echo = "";
  }
  return r;
}

const LEFT = "\x1b[D";
const RIGHT = "\x1b[C";
const UP = "\x1b[A";
const DOWN = "\x1b[B";
const HOME = "\x1b[H";
const END = "\x1b[F";
const DEL = "\x1b[3~";

describe("line editor", () => {
  it("inserts in the middle, deletes and moves with the arrows, Home and End", () => {
    const ed = new LineEditor([]);
    const t = new Terminal();
    type(ed, t, `ech x${LEFT}${LEFT}o${END}\x7fworks`);
    expect(t.text).toBe("echo works");
    expect(t.col).toBe(10);
    type(ed, t, `${HOME}${DEL}E${RIGHT}${RIGHT}${RIGHT}!`);
    expect(t.text).toBe("Echo! works");
    expect(type(ed, t, "\r")).toBe(EditResult.Line);
    expect(ed.done).toBe("Echo! works");
  });

  it("walks the history with up and down and keeps the line being typed", () => {
    const history = ["first", "a much longer second line"];
    const ed = new LineEditor(history);
    const t = new Terminal();
    type(ed, t, "draft");
    type(ed, t, UP);
    expect(t.text).toBe("a much longer second line");
    type(ed, t, UP + UP + UP);
    expect(t.text).toBe("first");
    type(ed, t, DOWN + DOWN);
    expect(t.text).toBe("draft");
    type(ed, t, UP);
    expect(type(ed, t, "\r")).toBe(EditResult.Line);
    expect(ed.done).toBe("a much longer second line");
  });

  it("drops the line on Ctrl-C", () => {
    const ed = new LineEditor([]);
    const t = new Terminal();
    expect(type(ed, t, "rm everything\x03")).toBe(EditResult.Cancel);
    expect(ed.chars).toEqual([]);
  });

  it("shows exactly the line it holds after any keys", () => {
    const keys = fc.constantFrom("a", "b", " ", "\x7f", LEFT, RIGHT, HOME, END, DEL, "\x01", "\x05", "\x15", UP, DOWN);
    fc.assert(
      fc.property(fc.array(keys, { maxLength: 60 }), (seq) => {
        const ed = new LineEditor(["ab", "b a"]);
        const t = new Terminal();
        for (const k of seq) type(ed, t, k);
        const held = String.fromCharCode(...ed.chars);
        expect(t.text).toBe(held.trimEnd());
        expect(t.col).toBe(ed.cursor);
      }),
    );
  });
});

describe("word splitting", () => {
  it("splits on blanks and keeps quoted words whole", () => {
    expect(splitWords(`echo  hello   'keel world' "a \\"b\\"" c\\ d`).words).toEqual(["echo", "hello", "keel world", 'a "b"', "c d"]);
    expect(splitWords("   ").words).toEqual([]);
    expect(splitWords("''").words).toEqual([""]);
  });

  it("refuses an unterminated quote", () => {
    expect(splitWords("echo 'open").error).toBe("unterminated single quote");
    expect(splitWords('echo "open').error).toBe("unterminated double quote");
  });
});
