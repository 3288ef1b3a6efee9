// Cached array headers ("views") and inlining of small functions: the programs under programs/
// must print what Node prints, and the emitted C must really cache what is safe to cache and
// nothing else (otherwise the programs would not exercise the reloads they guard).
import { describe, expect, test } from "vitest";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { listPrograms } from "../helpers/corpus.ts";
import { checkProgram } from "../helpers/differential.ts";

const ROOT = path.resolve(__dirname, "../../..");
const KEELC = path.join(ROOT, "toolchain/bin/keelc.js");
const DIR = path.join(__dirname, "programs");
const programs = listPrograms(DIR);

describe.concurrent("node vs keelc hosted (compiler programs)", () => {
  for (const p of programs) {
    test(p.name, () => checkProgram(p, false));
    if (!p.directives.has("unchecked-only")) test(`${p.name} --checked`, () => checkProgram(p, true));
  }
});

function emit(name: string): string {
  const out = path.join(ROOT, "build/test-compiler/views", name);
  fs.rmSync(out, { recursive: true, force: true });
  const r = spawnSync(process.execPath, [KEELC, "emit", "--target", "hosted", path.join(DIR, `${name}.ts`), "--out-dir", out], { cwd: ROOT, encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  const c = fs.readdirSync(out).find((f) => f.startsWith("tests_") && f.endsWith(".c"))!;
  return fs.readFileSync(path.join(out, c), "utf8");
}

/** The C body of the function whose definition line contains `name(`. */
function body(c: string, name: string): string {
  const start = c.search(new RegExp(`^[^\\n]*__${name}\\(.*\\{$`, "m"));
  expect(start, name).toBeGreaterThanOrEqual(0);
  return c.slice(start, c.indexOf("\n}\n", start));
}

describe("views in the emitted C", () => {
  test("stable fields, parameters and const locals are cached; reassigned ones are not", () => {
    const c = emit("array-views");
    expect(body(c, "Grid__fill")).toMatch(/keel_v\d+ KEEL_UNUSED = self->other;/);
    expect(body(c, "Grid__sumAround")).not.toMatch(/KEEL_UNUSED = self->cells;/);
    expect(body(c, "Link__grow")).not.toMatch(/KEEL_UNUSED = self->data;/);
    expect(body(c, "dot")).toMatch(/KEEL_UNUSED = a;[\s\S]*KEEL_UNUSED = b;/);
    // `a` is reassigned in rotate: indexing it must read the current header every time.
    expect(body(c, "rotate")).not.toMatch(/KEEL_UNUSED = a;/);
    expect(body(c, "rotate")).toMatch(/->data\[keel_idx\(i, \(\(struct keel_A_i64 \*\)keel_nn\(\(void \*\)a,/);
  });

  test("small loop-free functions are defined inline, others are not", () => {
    const c = emit("array-views");
    expect(c).toMatch(/^inline void \w+__Grid__regrow\(/m);
    expect(c).toMatch(/^int64_t \w+__Grid__sumAround\(/m);
  });

  test("@inline functions are always inlined, loops or not", () => {
    const c = emit("inline-tag");
    expect(c).toMatch(/^__attribute__\(\(always_inline\)\) inline int64_t \w+__sumTo\(/m);
    expect(c).toMatch(/^__attribute__\(\(always_inline\)\) inline int64_t \w+__Counter__bump\(/m);
  });
});
