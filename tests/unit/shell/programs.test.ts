// The shell's pieces for running programs, on the host: `&` at the end of a line, the line that
// reports how a program ended, and where a program's name is looked up.
import { describe, expect, it } from "vitest";
import { parseBackground } from "../../../userland/shell/background.ts";
import { doneText, endText, exceptionName } from "../../../userland/shell/status.ts";
import { programPath } from "../../../userland/shell/programs.ts";
import { splitWords } from "../../../userland/shell/words.ts";

function bg(line: string): { words: string[]; background: boolean; error: string } {
  const r = parseBackground(splitWords(line));
  return { words: r.words.words, background: r.background, error: r.error };
}

describe("& at the end of a line", () => {
  it("is taken out as a word of its own or the end of the last word", () => {
    expect(bg("sleep 100 &")).toEqual({ words: ["sleep", "100"], background: true, error: "" });
    expect(bg("sleep 100&")).toEqual({ words: ["sleep", "100"], background: true, error: "" });
    expect(bg("sleep 100")).toEqual({ words: ["sleep", "100"], background: false, error: "" });
  });

  it("is text when quoted, an error anywhere else or alone", () => {
    expect(bg("echo '&'")).toEqual({ words: ["echo", "&"], background: false, error: "" });
    expect(bg("echo a\\&")).toEqual({ words: ["echo", "a&"], background: false, error: "" });
    expect(bg("sleep & 100").error).toBe("& only at the end of a line");
    expect(bg("a& b").error).toBe("& only at the end of a line");
    expect(bg("&").error).toBe("& needs a command");
    expect(bg("  & ").error).toBe("& needs a command");
  });

  it("keeps a redirection's words for the redirection parser", () => {
    const r = parseBackground(splitWords("echo x '>' y"));
    expect(r.words.words).toEqual(["echo", "x", ">", "y"]);
    expect(r.words.quoted).toEqual([false, false, true, false]);
  });
});

describe("how a program ended", () => {
  it("says nothing for status 0, the status otherwise", () => {
    expect(endText("echo-args", 0, 0, false)).toBe("");
    expect(endText("exit42", 42, 0, false)).toBe("exit42: exit status 42");
  });

  it("names the exception that killed it, or the status a kill gave", () => {
    expect(endText("divzero", 0, 1, false)).toBe("divzero: killed by exception 0 (divide error)");
    expect(endText("nullptr", 14, 1, false)).toBe("nullptr: killed by exception 14 (page fault)");
    expect(endText("x", 13, 1, false)).toBe("x: killed by exception 13 (general protection)");
    expect(endText("x", 9, 1, false)).toBe("x: killed (status 9)");
    expect(endText("x", 77, 1, false)).toBe("x: killed (status 77)");
    expect(endText("sleep", 9, 1, true)).toBe("sleep: killed");
    expect(exceptionName(6)).toBe("invalid opcode");
    expect(exceptionName(-1)).toBe("");
  });

  it("reports a background program with its pid", () => {
    expect(doneText(7, "sleep", 0, 0, false)).toBe("[7] done, exit status 0");
    expect(doneText(8, "exit42", 42, 0, false)).toBe("[8] done, exit42: exit status 42");
    expect(doneText(9, "sleep", 9, 1, true)).toBe("[9] done, sleep: killed");
  });
});

describe("where a program is", () => {
  it("is /bin/<name>, or a path from the working directory when the name has a /", () => {
    expect(programPath("/tmp", "echo-args")).toBe("/bin/echo-args");
    expect(programPath("/tmp", "./x")).toBe("/tmp/x");
    expect(programPath("/tmp", "../bin/sleep")).toBe("/bin/sleep");
    expect(programPath("/", "/etc/motd")).toBe("/etc/motd");
  });
});
