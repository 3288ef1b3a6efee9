// The shell's output redirection (userland/shell/redirect.ts) on split command lines.
import { describe, expect, it } from "vitest";
import { splitWords } from "../../../userland/shell/words.ts";
import { parseRedirect } from "../../../userland/shell/redirect.ts";

function parse(line: string): { args: string[]; target: string; append: boolean; error: string } {
  const r = parseRedirect(splitWords(line));
  return { args: r.args, target: r.target, append: r.append, error: r.error };
}

describe("redirection", () => {
  it("takes > and >> with the file as the next word or joined to the operator", () => {
    expect(parse("echo a b > f")).toEqual({ args: ["echo", "a", "b"], target: "f", append: false, error: "" });
    expect(parse("echo a >>/tmp/log")).toEqual({ args: ["echo", "a"], target: "/tmp/log", append: true, error: "" });
    expect(parse("echo >f a")).toEqual({ args: ["echo", "a"], target: "f", append: false, error: "" });
  });

  it("leaves lines without an unquoted operator alone", () => {
    expect(parse("echo '>' \\> \">>\"")).toEqual({ args: ["echo", ">", ">", ">>"], target: "", append: false, error: "" });
    expect(parse("echo a=>b")).toEqual({ args: ["echo", "a=>b"], target: "", append: false, error: "" });
  });

  it("reports a missing file name and a second redirection", () => {
    expect(parse("echo a >").error).toBe("> needs a file name");
    expect(parse("echo a >>").error).toBe(">> needs a file name");
    expect(parse("echo a > f > g").error).toBe("only one redirection per command");
  });
});
