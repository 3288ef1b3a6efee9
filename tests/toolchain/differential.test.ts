// Differential suite: every corpus program runs under Node (the specification) and as a
// keelc-compiled hosted executable; stdout must be byte-identical and the exit classes must agree.
// Directives in each program's leading comments say what else to expect (see helpers/corpus.ts).
import { describe, expect, test } from "vitest";
import { listPrograms } from "./helpers/corpus.ts";
import { checkProgram } from "./helpers/differential.ts";

const programs = listPrograms();
// KEEL_PROGRAMS=<regex> narrows the comparisons to matching program names while working on them.
const only = process.env.KEEL_PROGRAMS ? new RegExp(process.env.KEEL_PROGRAMS) : null;
const selected = programs.filter((p) => only === null || only.test(p.name));

/**
 * Programs that fail because of a known compiler gap, each with its entry in FAILURES.md.
 * They run as `test.fails`, so a fix makes the suite fail until the entry is removed here.
 */
const KNOWN_FAILING = new Map<string, string>([]);
const KNOWN_FAILING_CHECKED = new Map<string, string>([]);

describe("corpus", () => {
  test("has at least 80 programs, each with a unique name", () => {
    expect(programs.length).toBeGreaterThanOrEqual(80);
    expect(new Set(programs.map((p) => p.name)).size).toBe(programs.length);
  });
  test("known failures name real programs", () => {
    const names = new Set(programs.map((p) => p.name));
    for (const n of [...KNOWN_FAILING.keys(), ...KNOWN_FAILING_CHECKED.keys()]) expect(names.has(n), n).toBe(true);
  });
});

describe.concurrent("node vs keelc hosted", () => {
  for (const p of selected) {
    if (p.directives.has("checked-only")) continue;
    const t = KNOWN_FAILING.has(p.name) ? test.fails : test;
    t(p.name, () => checkProgram(p, false));
  }
});

describe.concurrent("node vs keelc hosted --checked", () => {
  for (const p of selected) {
    if (!p.directives.has("checked") && !p.directives.has("checked-only")) continue;
    const t = KNOWN_FAILING_CHECKED.has(p.name) ? test.fails : test;
    t(p.name, () => checkProgram(p, true));
  }
});
