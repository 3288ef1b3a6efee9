// The subset checker's rejection suite, run through `keelc check`.
//
// Every program in tests/toolchain/reject/ marks what it expects on the offending line:
//   x /= 2; // expect: KEEL0203 "/="
// The diagnostic must carry that code, that line, and the column where the quoted snippet starts
// (single or double quotes; the first occurrence before the comment). A program's diagnostics must
// be exactly its expectations, in source order. Programs in reject/accept/ must check clean, and
// those in reject/ts-first/ hold constructs TypeScript rejects before the subset checker runs, so
// they are checked in process. Programs in reject/backend/ pass the checker and are rejected by
// the back end (`keelc emit`), for the target their `// @target:` line names (hosted otherwise).
import { beforeAll, describe, expect, test } from "vitest";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { allRules } from "../../toolchain/src/subset/codes.ts";
import { keelCode, renderDiagnosticsDoc } from "../../toolchain/src/subset/doc.ts";
import { FrontEnd } from "../../toolchain/src/program.ts";
import { emitProgram } from "../../toolchain/src/backend/emitter.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const DIR = path.join(ROOT, "tests", "toolchain", "reject");
const KEELC = path.join(ROOT, "toolchain", "bin", "keelc.js");

function tsFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .sort()
    .map((f) => path.join(dir, f));
}

const rejectFiles = tsFiles(DIR);
const acceptFiles = tsFiles(path.join(DIR, "accept"));
const tsFirstFiles = tsFiles(path.join(DIR, "ts-first"));
const backendFiles = tsFiles(path.join(DIR, "backend"));

/** `CODE@line:col`, the form compared by every test. */
type Mark = string;

function expectations(file: string): Mark[] {
  const out: Mark[] = [];
  const lines = fs.readFileSync(file, "utf8").split("\n");
  lines.forEach((text, i) => {
    const at = text.indexOf("// expect:");
    if (at < 0) return;
    const code = text.slice(0, at);
    const re = /(KEEL\d{4}|TS\d+)\s+(?:"([^"]*)"|'([^']*)')/g;
    const spec = text.slice(at + "// expect:".length);
    let m: RegExpExecArray | null;
    let n = 0;
    while ((m = re.exec(spec)) !== null) {
      const snippet = m[2] ?? m[3] ?? "";
      const col = code.indexOf(snippet);
      if (col < 0) throw new Error(`${file}:${i + 1}: snippet '${snippet}' not found before the comment`);
      out.push(`${m[1]}@${i + 1}:${col + 1}`);
      n++;
    }
    if (n === 0) throw new Error(`${file}:${i + 1}: malformed expectation`);
  });
  return out;
}

class Run {
  constructor(
    readonly status: number | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {}
}

function keelc(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [KEELC, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    p.stderr.on("data", (d: Buffer) => (err += d.toString()));
    p.on("error", reject);
    p.on("close", (status) => resolve(new Run(status, out, err)));
  });
}

const DIAG = /^(.+?):(\d+):(\d+): error (KEEL\d{4}|TS\d+): (.+)$/;

/** Diagnostics grouped by file (as printed, relative to the repository root). */
function byFile(text: string): Map<string, Mark[]> {
  const map = new Map<string, Mark[]>();
  for (const line of text.split("\n")) {
    const m = DIAG.exec(line);
    if (!m) continue;
    const file = path.resolve(ROOT, m[1]!);
    if (!map.has(file)) map.set(file, []);
    map.get(file)!.push(`${m[4]}@${m[2]}:${m[3]}`);
  }
  return map;
}

describe("keelc check rejects every construct outside the subset", () => {
  let all: Run;
  let found: Map<string, Mark[]>;

  beforeAll(async () => {
    // One keelc run over every program (TypeScript's start-up dominates a run): an entry that
    // imports them all. Each program is also checked alone below where the exit status matters.
    const dir = path.join(ROOT, "build", "subset-tests");
    fs.mkdirSync(dir, { recursive: true });
    const entry = path.join(dir, "all-rejects.ts");
    const imports = rejectFiles.map((f) => `import "${path.relative(dir, f).split(path.sep).join("/")}";`);
    fs.writeFileSync(entry, imports.join("\n") + "\n");
    // The kernel target's rules: the strictest (user and hosted programs may also use strings as
    // run-time values; managed/ holds what stays rejected there).
    all = await keelc(["check", "--target", "kernel", entry]);
    found = byFile(all.stdout + all.stderr);
  });

  test("there are enough rejection programs", () => {
    expect(rejectFiles.length).toBeGreaterThanOrEqual(40);
    for (const f of rejectFiles) expect(expectations(f).length, path.basename(f)).toBeGreaterThan(0);
  });

  test("the combined run fails with exit status 1, every line a KEEL diagnostic", () => {
    expect(all.status).toBe(1);
    const lines = (all.stdout + all.stderr).split("\n").filter((l) => DIAG.test(l));
    expect(lines.length).toBeGreaterThan(rejectFiles.length);
    for (const l of lines) expect(l).toMatch(/^tests\/toolchain\/reject\/[\w-]+\.ts:\d+:\d+: error KEEL\d{4}: .+/);
  });

  test("each message says what is wrong, why, and what to write instead", () => {
    const rules = new Map(allRules().map((r) => [keelCode(r.code), r]));
    for (const line of (all.stdout + all.stderr).split("\n").filter((l) => DIAG.test(l))) {
      const m = DIAG.exec(line)!;
      const r = rules.get(m[4]!);
      expect(r, line).toBeDefined();
      expect(m[5]!.endsWith(` is not allowed: ${r!.why}; ${r!.instead}`), line).toBe(true);
      expect(m[5]!.length, line).toBeGreaterThan(` is not allowed: ${r!.why}; ${r!.instead}`.length);
    }
  });

  test.each(rejectFiles.map((f) => [path.basename(f), f]))("%s", (_name, file) => {
    expect(found.get(file) ?? []).toEqual(expectations(file));
  });

  const multi = rejectFiles.filter((f) => path.basename(f).startsWith("multi-"));
  test.concurrent.each(multi.map((f) => [path.basename(f), f]))("%s alone: all errors, in order, exit 1", async (_n, file) => {
    const r = await keelc(["check", "--target", "kernel", path.relative(ROOT, file)]);
    expect(r.status).toBe(1);
    const want = expectations(file);
    expect(new Set(want.map((m) => m.split("@")[0])).size).toBeGreaterThanOrEqual(3);
    expect(byFile(r.stdout + r.stderr).get(file) ?? []).toEqual(want);
  });
});

const managedFiles = tsFiles(path.join(DIR, "managed"));

describe("keelc check --target user: what stays rejected with managed memory", () => {
  test.concurrent.each(managedFiles.map((f) => [path.basename(f), f]))("%s", async (_n, file) => {
    const r = await keelc(["check", "--target", "user", path.relative(ROOT, file)]);
    expect(r.status).toBe(1);
    expect(byFile(r.stdout + r.stderr).get(file) ?? []).toEqual(expectations(file));
  });
});

describe("keelc check accepts subset programs", () => {
  test.concurrent.each(acceptFiles.map((f) => [path.basename(f), f]))("%s", async (_n, file) => {
    const r = await keelc(["check", path.relative(ROOT, file)]);
    expect(r.stdout + r.stderr).not.toMatch(/ error /);
    expect(r.status).toBe(0);
  });
});

describe("constructs TypeScript rejects first", () => {
  test("keelc stops at the TypeScript error", async () => {
    const r = await keelc(["check", path.relative(ROOT, tsFirstFiles[0]!)]);
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/ error TS\d+: /);
    expect(r.stdout + r.stderr).not.toMatch(/KEEL/);
  });

  test.each(tsFirstFiles.map((f) => [path.basename(f), f]))("%s is still caught by the checker", (_n, file) => {
    // keelc's own front end, without its stop at TypeScript errors.
    const fe = new FrontEnd(file);
    const got = fe.subsetDiagnostics().map((d) => `${keelCode(d.code)}@${d.line}:${d.col}`);
    const want = expectations(file).filter((m) => m.startsWith("KEEL"));
    expect(want.length).toBeGreaterThan(0);
    expect(got).toEqual(want);
  });
});

describe("robustness", () => {
  test("arbitrary Node TypeScript (the checker's own source) is rejected without a crash", () => {
    const file = path.join(ROOT, "toolchain", "src", "subset", "index.ts");
    const fe = new FrontEnd(file);
    const diags = fe.subsetDiagnostics();
    const known = new Set(allRules().map((r) => r.code));
    expect(diags.length).toBeGreaterThan(20);
    for (const d of diags) {
      expect(known.has(d.code)).toBe(true);
      expect(d.line).toBeGreaterThan(0);
      expect(d.col).toBeGreaterThan(0);
    }
    // Each file's diagnostics come in source order.
    for (let i = 1; i < diags.length; i++) {
      const a = diags[i - 1]!;
      const b = diags[i]!;
      if (a.file === b.file) expect(a.line * 10000 + a.col).toBeLessThanOrEqual(b.line * 10000 + b.col);
    }
  });
});

describe("keelc emit: what the back end cannot compile", () => {
  const target = (file: string): string => /\/\/ @target: (kernel|user|hosted)/.exec(fs.readFileSync(file, "utf8"))?.[1] ?? "hosted";

  test.concurrent.each(backendFiles.map((f) => [path.basename(f), f]))("%s", async (_n, file) => {
    const out = path.join(ROOT, "build", "backend-rejects", path.basename(file, ".ts"));
    const r = await keelc(["emit", "--target", target(file), path.relative(ROOT, file), "--out-dir", out]);
    expect(r.status, r.stderr).toBe(1);
    expect(byFile(r.stdout + r.stderr).get(file) ?? []).toEqual(expectations(file));
    // Every message names what the program wrote, then the table's why and what to write instead.
    const rules = new Map(allRules().map((x) => [keelCode(x.code), x]));
    for (const line of (r.stdout + r.stderr).split("\n").filter((l) => DIAG.test(l))) {
      const m = DIAG.exec(line)!;
      const rule = rules.get(m[4]!)!;
      expect(rule.internal, line).toBe(false);
      expect(m[5]!.endsWith(`: ${rule.why}; ${rule.instead}`), line).toBe(true);
      expect(m[5]!.length, line).toBeGreaterThan(`: ${rule.why}; ${rule.instead}`.length);
    }
    expect(fs.existsSync(out)).toBe(false);
  });

  test("each back-end code that a program can reach has a program; the internal one has none", () => {
    const used = new Set(backendFiles.flatMap((f) => expectations(f).map((m) => m.split("@")[0]!)));
    const backend = allRules().filter((r) => r.code >= 9000);
    expect(backend.filter((r) => !r.internal && !used.has(keelCode(r.code))).map((r) => keelCode(r.code))).toEqual([]);
    expect(backend.filter((r) => r.internal).map((r) => keelCode(r.code))).toEqual(["KEEL9199"]);
    for (const u of used) expect(u.startsWith("KEEL9") && u !== "KEEL9199", u).toBe(true);
  });

  test("a construct the checker rejects reaches the back end only as KEEL9199, an internal error (exit status 3)", () => {
    // The checker's rejection programs, emitted without the checker: the back end's own checks
    // of those constructs say that keelc, not the program, is at fault.
    for (const name of ["0402-for-in.ts", "0401-try.ts"]) {
      const fe = new FrontEnd(path.join(DIR, name));
      const res = emitProgram(fe, { target: "kernel", checked: false, symtab: false });
      expect(res.diagnostics.length, name).toBeGreaterThan(0);
      for (const d of res.diagnostics) expect(d).toMatch(/:\d+:\d+: error KEEL9199: keelc cannot compile .+: an internal keelc error \(exit status 3\).*; please report it$/);
    }
  });
});

describe("the diagnostics table", () => {
  const codes = allRules().map((r) => keelCode(r.code));
  const readDoc = (): string => fs.readFileSync(path.join(ROOT, "docs", "diagnostics.md"), "utf8");

  test("docs/diagnostics.md documents every code, and nothing else", () => {
    const documented = [...readDoc().matchAll(/^\| (KEEL\d{4}) \|/gm)].map((m) => m[1]);
    expect(documented).toEqual(codes);
  });

  test("docs/diagnostics.md is up to date (npx tsx toolchain/src/subset/doc.ts > docs/diagnostics.md)", () => {
    expect(readDoc()).toBe(renderDiagnosticsDoc(ROOT));
  });

  test("every code is exercised by a program", () => {
    const used = new Set<string>();
    for (const f of [...rejectFiles, ...tsFirstFiles, ...backendFiles]) {
      for (const m of expectations(f)) used.add(m.split("@")[0]!);
    }
    for (const u of used) if (u.startsWith("KEEL")) expect(codes).toContain(u);
    expect(codes.filter((c) => !used.has(c) && c !== "KEEL9199")).toEqual([]);
  });
});
