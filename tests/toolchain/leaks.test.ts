// Leak checks: programs allocate and release objects in loops; the compiled program, run with
// KEEL_STATS=1, must report exactly the live-object count its `@live-at-exit` directive states
// (0 when everything is released). A deliberately leaking program is the negative control.
import { describe, expect, test } from "vitest";
import { join } from "node:path";
import { listPrograms, PROGRAMS_DIR } from "./helpers/corpus.ts";
import { buildAndRun, nodeRun } from "./helpers/differential.ts";
import { describeRun } from "./helpers/run.ts";
import { liveAtExit } from "./helpers/stats.ts";

const programs = listPrograms(join(PROGRAMS_DIR, "leaks")).map((p) => ({ ...p, name: `leaks-${p.name}` }));

describe("live-object report parsing", () => {
  test("reads the count and rejects output without it", () => {
    expect(liveAtExit("noise\nkeel: live objects: 12\nkeel:   Node: 12\n")).toBe(12);
    expect(liveAtExit("keel: live objects: 0\n")).toBe(0);
    expect(liveAtExit("PANIC: x\n")).toBeNaN();
  });
});

describe("leak programs", () => {
  test("include a leaking negative control and balanced programs", () => {
    const expected = programs.map((p) => Number(p.directives.get("live-at-exit")));
    expect(expected.every((n) => Number.isInteger(n))).toBe(true);
    expect(expected.some((n) => n > 0)).toBe(true);
    expect(expected.filter((n) => n === 0).length).toBeGreaterThanOrEqual(4);
  });
});

describe.concurrent("keelc hosted live objects at exit", () => {
  for (const p of programs) {
    test(p.name, async () => {
      const [node, compiled] = await Promise.all([nodeRun(p), buildAndRun(p, false, { KEEL_STATS: "1" })]);
      expect(node.status, describeRun(`node ${p.entry}`, node)).toBe(0);
      expect(compiled.status, describeRun(`compiled ${p.entry}`, compiled)).toBe(0);
      expect(compiled.stdout).toBe(node.stdout);
      const live = liveAtExit(compiled.stderr);
      expect(live, describeRun(`compiled ${p.entry}`, compiled)).toBe(Number(p.directives.get("live-at-exit")));
    });
  }
});
