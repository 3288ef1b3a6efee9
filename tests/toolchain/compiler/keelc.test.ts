// Focused tests of keelc itself: CLI exit codes, emit layout, freestanding compilation of the kernel
// target, the symbol table, checked-mode traps, C name hygiene, evaluation order and virtual calls.
import { describe, expect, test } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../../..");
const KEELC = path.join(ROOT, "toolchain/bin/keelc.js");
const WORK = path.join(ROOT, "build/test-compiler");

function keelc(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [KEELC, ...args], { cwd: ROOT, encoding: "utf8" });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Writes the files of a small program into a fresh directory and returns it. */
function program(name: string, files: Record<string, string>): string {
  const dir = path.join(WORK, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

function buildAndRun(dir: string, extra: string[] = [], env: Record<string, string> = {}) {
  const exe = path.join(dir, "prog");
  const b = keelc(["build", "--target", "hosted", path.join(dir, "main.ts"), "-o", exe, ...extra]);
  expect(b.stderr).toBe("");
  expect(b.status).toBe(0);
  const r = spawnSync(exe, [], { encoding: "utf8", env: { ...process.env, ...env } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function nodeRun(dir: string): string {
  return execFileSync(process.execPath, ["--import", "tsx", path.join(dir, "main.ts")], { cwd: ROOT, encoding: "utf8" });
}

describe.concurrent("keelc", () => {
  test("check: exit 0 when clean, 1 with tsc-formatted diagnostics", () => {
    const dir = program("check", {
      "main.ts": "const a: number = 1;\nconsole.log(a);\n",
      "bad.ts": 'const a: number = 1;\nlet s: string = a;\nconsole.log(s, "x");\n',
    });
    expect(keelc(["check", path.join(dir, "main.ts")]).status).toBe(0);
    const bad = keelc(["check", path.join(dir, "bad.ts")]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/bad\.ts:2:5: error TS2322: Type 'number' is not assignable to type 'string'\./);
    const usage = keelc(["frobnicate"]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/unknown command/);
  });

  test("C that gcc rejects is a keelc internal error at the TypeScript line, without gcc's messages", () => {
    const dir = program("ice", {
      "main.ts": "function area(w: number, h: number): number {\n  return w * h;\n}\nconsole.log(area(2, 3));\n",
    });
    // A C compiler wrapper standing in for a keelc bug: each module gets a use of an undeclared
    // C name, placed (with #line, as keelc places every statement) at line 2 of main.ts.
    const cc = path.join(dir, "cc.sh");
    const ts = path.relative(ROOT, path.join(dir, "main.ts"));
    fs.writeFileSync(
      cc,
      [
        "#!/bin/sh",
        'for f in "$@"; do',
        '  case "$f" in *.c) case "${f##*/}" in keel*) ;; *)',
        `    printf '#line 2 "${ts}"\nint64_t broken(void) { return mangled__no_such_name; }\n' >> "$f" ;; esac ;; esac`,
        "done",
        'exec gcc "$@"',
        "",
      ].join("\n"),
      { mode: 0o755 },
    );
    const r = keelc(["build", "--target", "hosted", path.join(dir, "main.ts"), "-o", path.join(dir, "prog"), "--cc", cc]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^${ts}:2:\\d+: error KEEL9199: keelc generated C that .* rejects \\(an internal error\\)`));
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).not.toMatch(/mangled__no_such_name|undeclared/);
    const kept = /with (\S+), which holds/.exec(r.stderr)![1]!;
    expect(fs.readFileSync(path.join(kept, "cc.log"), "utf8")).toMatch(/mangled__no_such_name/);
    fs.rmSync(kept, { recursive: true, force: true });
  });

  test("emit: one .c/.h per module named after its path, keel_main.c and the runtime", () => {
    const dir = program("emit", {
      "main.ts": 'import { twice } from "./lib/frame-allocator.ts";\nconsole.log(twice(21));\n',
      "lib/frame-allocator.ts": "export function twice(x: number): number {\n  return x * 2;\n}\n",
    });
    const out = path.join(dir, "out");
    const r = keelc(["emit", "--target", "hosted", path.join(dir, "main.ts"), "--out-dir", out]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const files = fs.readdirSync(out).sort();
    const prefix = path.relative(ROOT, dir).replace(/[^A-Za-z0-9]+/g, "_");
    expect(files).toContain(`${prefix}_lib_frame_allocator.c`);
    expect(files).toContain(`${prefix}_lib_frame_allocator.h`);
    expect(files).toContain(`${prefix}_main.c`);
    for (const f of ["keel_main.c", "keel.h", "keel_rt.c", "keel_types.h"]) expect(files).toContain(f);
    const lib = fs.readFileSync(path.join(out, `${prefix}_lib_frame_allocator.c`), "utf8");
    expect(lib).toContain(`int64_t ${prefix}_lib_frame_allocator__twice(int64_t x)`);
    expect(lib).toMatch(/#line 2 ".*lib\/frame-allocator\.ts"/);
    // imports are initialised before importers
    const main = fs.readFileSync(path.join(out, "keel_main.c"), "utf8");
    expect(main.indexOf("frame_allocator__module_init")).toBeLessThan(main.indexOf(`${prefix}_main__module_init`));
  });

  test("kernel target: compiles freestanding with keelc cflags and needs only the program hooks", () => {
    const dir = program("kernel", {
      "main.ts": [
        'import { store8, load8 } from "../../../lang/mem.ts";',
        "class Node2 { next: Node2 | null = null; constructor(readonly v: number) {} }",
        "/** @export keel_write */",
        "export function write(addr: number, len: number): void { void addr; void len; }",
        "/** @export keel_panic_hook */",
        "export function panicHook(msg: number, file: number, line: number): void { void msg; void file; void line; }",
        "let head: Node2 | null = null;",
        "for (let i = 0; i < 4; i++) { const n = new Node2(i); n.next = head; head = n; }",
        "const big = new BigUint64Array(4);",
        "big[1] = BigInt.asUintN(64, 0xffffffffffffffffn * 3n);",
        "store8(0x1000, load8(0x1000) + 1);",
        "console.log(head!.v, big[1]!, Math.floor(-7 / 2));",
        "",
      ].join("\n"),
    });
    const out = path.join(dir, "out");
    const r = keelc(["emit", "--target", "kernel", path.join(dir, "main.ts"), "--out-dir", out, "--symtab"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const flags = keelc(["cflags", "--target", "kernel"]).stdout.trim().split(/\s+/);
    expect(flags).toContain("-mcmodel=kernel");
    const undef = new Set<string>();
    const defined = new Set<string>();
    for (const c of fs.readdirSync(out).filter((f) => f.endsWith(".c"))) {
      const o = path.join(out, c.replace(/\.c$/, ".o"));
      execFileSync("gcc", [...flags, "-O2", "-I", out, "-c", path.join(out, c), "-o", o]);
      for (const line of execFileSync("nm", [o], { encoding: "utf8" }).split("\n")) {
        const m = /^\s*(?:[0-9a-f]+)?\s+([A-Za-z])\s+(\S+)$/.exec(line);
        if (!m) continue;
        if (m[1] === "U") undef.add(m[2]!);
        else defined.add(m[2]!);
      }
    }
    const missing = [...undef].filter((s) => !defined.has(s));
    expect(missing).toEqual([]);
    expect(defined.has("keel_main")).toBe(true);
    expect(defined.has("keel_write")).toBe(true);
    const main = fs.readFileSync(path.join(out, "keel_main.c"), "utf8");
    expect(main).toMatch(/struct keel_sym keel_symtab\[\] = \{/);
    expect(main).toMatch(/"Node2\.constructor"/);
  });

  test("hosted: output, C keywords as names, shadowing, same names in two modules", () => {
    const dir = program("names", {
      "main.ts": [
        'import { value as otherValue, int as otherInt } from "./other.ts";',
        "function int(register: number): number { const default_ = register; let auto = 1; { const auto = 5; default_ + auto; } return default_ + auto; }",
        "function value(): number { return 1; }",
        "const char = int(2);",
        "let x = 1; { let x = 2; { let x = 3; console.log(x); } console.log(x); } console.log(x);",
        "console.log(char, value(), otherValue(), otherInt, `${char}:${otherInt}`);",
        "",
      ].join("\n"),
      "other.ts": "export function value(): number { return 2; }\nexport const int = 40 + value();\n",
    });
    const r = buildAndRun(dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(nodeRun(dir));
    expect(r.stdout).toBe("3\n2\n1\n3 1 2 42 3:42\n");
  });

  test("operands and arguments are evaluated left to right, as in JavaScript", () => {
    const dir = program("order", {
      "main.ts": [
        "let trace = 0;",
        "function t(n: number): number { trace = trace * 10 + n; console.log('t', n); return n; }",
        "function f(a: number, b: number, c: number): number { return a * 100 + b * 10 + c; }",
        "const r = f(t(1), t(2), t(3)) + t(4) * t(5);",
        "let v = 1; v += t(6) + v;",
        "console.log(r, trace, v, t(7), trace);",
        "",
      ].join("\n"),
    });
    const r = buildAndRun(dir);
    expect(r.stdout).toBe(nodeRun(dir));
  });

  test("classes: inheritance, virtual dispatch, super calls, leak counts", () => {
    const dir = program("classes", {
      "main.ts": [
        'import { release } from "../../../lang/core.ts";',
        "abstract class Shape { constructor(readonly name: string) {} abstract area(): number; describe(): string { return this.name; } twice(): number { return this.area() * 2; } }",
        "class Rect extends Shape { constructor(readonly w: number, readonly h: number) { super('rect'); } override area(): number { return this.w * this.h; } }",
        "class Square extends Rect { constructor(s: number) { super(s, s); } override area(): number { return super.area() + 1; } }",
        "const shapes: Shape[] = [new Rect(2, 3), new Square(4)];",
        "for (const s of shapes) console.log(s.describe(), s.area(), s.twice());",
        "release(shapes[0]!);",
        "",
      ].join("\n"),
    });
    const r = buildAndRun(dir, [], { KEEL_STATS: "1" });
    expect(r.stdout).toBe(nodeRun(dir));
    expect(r.stdout).toBe("rect 6 12\nrect 17 34\n");
    expect(r.stderr).toMatch(/keel: live objects: 2\n/); // the Square and the array
    expect(r.stderr).toMatch(/Square: 1/);
  });

  test("a conditional over sibling classes needs a declared common base; without one the error says so", () => {
    const dir = program("sibling-conditional", {
      "main.ts": [
        "class A { v = 1; }",
        "class B extends A { override v = 2; }",
        "class C extends A { override v = 3; }",
        "const flag = Number(true) === 1;",
        "const ok: A = flag ? new B() : new C();",
        "console.log(ok.v, (flag ? new C() : new B()).v);",
        "",
      ].join("\n"),
    });
    const r = keelc(["build", "--target", "hosted", path.join(dir, "main.ts"), "-o", path.join(dir, "prog")]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/main\.ts:6:19: error KEEL9011: this value has one of several classes \('(B \| C|C \| B)'\).*common base class: const x: Base = c \? a : b$/),
    ]);
  });

  test("checked mode traps on leaving the safe range, with the TypeScript location", () => {
    const dir = program("checked", {
      "main.ts": "let v = 9007199254740990;\nfor (let i = 0; i < 3; i++) {\n  console.log(v);\n  v = v + 1;\n}\n",
    });
    const r = buildAndRun(dir, ["--checked"]);
    expect(r.stdout).toBe("9007199254740990\n9007199254740991\n");
    expect(r.status).toBe(134);
    expect(r.stderr).toMatch(/^PANIC: integer overflow\n {4}at .*checked\/main\.ts:4\n$/);
  });

  test("symbol table, template arguments, formatted panics", () => {
    const dir = program("symtab", {
      "main.ts": [
        'import { symtabCount, symtabName, symtabAddr, symtabLine } from "../../../lang/symtab.ts";',
        'import { panic } from "../../../lang/core.ts";',
        "function shout(s: string): number { console.log(s, s.length); return s.length; }",
        "let found = 0; let sorted = true;",
        "for (let i = 0; i < symtabCount(); i++) {",
        "  if (symtabName(i) === 'shout' && symtabLine(i) === 3) found++;",
        "  if (i > 0 && symtabAddr(i) < symtabAddr(i - 1)) sorted = false;",
        "}",
        "console.log(symtabCount() > 0, found, sorted);",
        "const n = shout(`x=${(255).toString(16).padStart(4, '0')}|${7n}|${true}`);",
        "if (n === 13) panic(`bad ${n} of ${(-10).toString(2)}`);",
        "",
      ].join("\n"),
    });
    const r = buildAndRun(dir, ["--symtab"]);
    expect(r.stdout).toBe("true 1 true\nx=00ff|7|true 13\n");
    expect(r.status).toBe(134);
    expect(r.stderr).toMatch(/^PANIC: bad 13 of -1010\n {4}at .*symtab\/main\.ts:11\n$/);
  });

  test("indexing follows the program's own tsconfig: without noUncheckedIndexedAccess a read is a T, still bounds-checked", () => {
    const source = [
      "class Ring {",
      "  slots: number[] = [5, 6, 7];",
      "  at(i: number): number {",
      "    return this.slots[i % this.slots.length] * 10;",
      "  }",
      "}",
      "const xs = [1, 2, 3];",
      "const bytes = new Uint8Array(4);",
      "bytes[2] = 9;",
      "let s = 0;",
      "for (let i = 0; i < xs.length; i++) s += xs[i];",
      "const r = new Ring();",
      "console.log(s, xs[1] * 2, bytes[2] + 1, r.at(4));",
      "const far = xs.length + 2;",
      "console.log(xs[far] === 0);",
    ].join("\n") + "\n";
    const pkg = JSON.stringify({ name: "indexing", private: true, type: "module" });
    const tsconfig = (flag: boolean) => JSON.stringify({ compilerOptions: { strict: true, noUncheckedIndexedAccess: flag } });
    const loose = program("index-loose", { "package.json": pkg, "tsconfig.json": tsconfig(false), "main.ts": source });
    const r = buildAndRun(loose);
    // Node reads undefined past the end; the compiled program panics there (docs/language.md).
    expect(r.stdout).toBe("6 4 10 60\n");
    expect(r.status).toBe(134);
    expect(r.stderr).toMatch(/PANIC: .*index/i);
    expect(nodeRun(loose).split("\n")[0]).toBe("6 4 10 60");
    const strict = program("index-strict", { "package.json": pkg, "tsconfig.json": tsconfig(true), "main.ts": source });
    const c = keelc(["check", path.join(strict, "main.ts")]);
    expect(c.status).toBe(1);
    expect(c.stderr).toMatch(/main\.ts:4:12: error TS2532: Object is possibly 'undefined'\./);
    // No tsconfig anywhere above the program (outside this repository): TypeScript's default, off.
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), "keelc-index-"));
    try {
      fs.writeFileSync(path.join(bare, "main.ts"), source.split("\n").slice(0, 13).join("\n") + "\n");
      expect(buildAndRun(bare).stdout).toBe("6 4 10 60\n");
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });
});
