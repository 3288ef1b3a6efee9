import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  benchRow,
  formatBenchLine,
  formatTable,
  parseBenchLine,
  parseBenchOutput,
  percentileIndex,
  ratio,
  summarize,
  writeJson,
} from "../../../bench/lib/figures.ts";
import { ipcRows, SEL4_REFERENCE } from "../../../bench/ipc/run.ts";

const line = "BENCH getpid median=324 min=324 p10=324 p90=324 max=9203 n=100000 unit=cycles";

describe("parseBenchLine", () => {
  it("reads every field of a guest's line", () => {
    expect(parseBenchLine(line)).toEqual({
      name: "getpid", median: 324, min: 324, p10: 324, p90: 324, max: 9203, n: 100000, unit: "cycles",
    });
  });

  it("defaults the unit to cycles and ignores a carriage return and text before BENCH", () => {
    const f = parseBenchLine("\x1b[2J[  3.1] BENCH pipe-rtt median=13017 min=10580 p10=13003 p90=13017 max=23657 n=10000\r");
    expect(f?.name).toBe("pipe-rtt");
    expect(f?.unit).toBe("cycles");
    expect(f?.median).toBe(13017);
    expect(f?.max).toBe(23657);
  });

  it("rejects lines that are not BENCH lines or are damaged", () => {
    expect(parseBenchLine("BENCH-END")).toBeNull();
    expect(parseBenchLine("BENCHMARK getpid median=1 min=1 p10=1 p90=1 max=1 n=1")).toBeNull();
    // A field missing, not an integer, repeated, or cut short by interleaved output.
    expect(parseBenchLine("BENCH getpid median=324 min=324 p10=324 p90=324 n=10")).toBeNull();
    expect(parseBenchLine("BENCH getpid median=3.5 min=3 p10=3 p90=4 max=4 n=10")).toBeNull();
    expect(parseBenchLine("BENCH getpid median=-3 min=3 p10=3 p90=4 max=4 n=10")).toBeNull();
    expect(parseBenchLine("BENCH getpid median=3 median=3 min=3 p10=3 p90=4 max=4 n=10")).toBeNull();
    expect(parseBenchLine("BENCH getpid median=324 min=324 p10=3[    4.2] random: crng init done")).toBeNull();
  });

  it("rejects order statistics out of order and empty sample sets", () => {
    expect(parseBenchLine("BENCH x median=5 min=6 p10=6 p90=6 max=6 n=3")).toBeNull();
    expect(parseBenchLine("BENCH x median=5 min=1 p10=2 p90=4 max=9 n=3")).toBeNull();
    expect(parseBenchLine("BENCH x median=5 min=1 p10=2 p90=7 max=6 n=3")).toBeNull();
    expect(parseBenchLine("BENCH x median=0 min=0 p10=0 p90=0 max=0 n=0")).toBeNull();
  });

  it("reads back whatever formatBenchLine writes", () => {
    const sample = fc.array(fc.nat({ max: 1e9 }), { minLength: 1, maxLength: 200 });
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/), sample, (name, xs) => {
        const f = summarize(name, xs);
        expect(parseBenchLine(formatBenchLine(f))).toEqual(f);
      }),
    );
  });
});

describe("summarize", () => {
  it("takes the lower median and floor-rank percentiles", () => {
    expect(percentileIndex(1, 50)).toBe(0);
    expect(percentileIndex(4, 50)).toBe(1);
    expect(percentileIndex(11, 10)).toBe(1);
    expect(percentileIndex(11, 90)).toBe(9);
    expect(percentileIndex(100000, 90)).toBe(89999);
    const f = summarize("x", [50, 10, 40, 20, 30, 100, 90, 80, 70, 60, 0]);
    expect(f).toEqual({ name: "x", median: 50, min: 0, p10: 10, p90: 90, max: 100, n: 11, unit: "cycles" });
    expect(summarize("y", [4n, 1n, 3n, 2n]).median).toBe(2);
  });

  it("agrees with a direct sort for any samples", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 500 }), (xs) => {
        const s = [...xs].sort((a, b) => a - b);
        const f = summarize("z", xs);
        expect(f.min).toBe(Math.min(...xs));
        expect(f.max).toBe(Math.max(...xs));
        // At least half the samples are <= the median and at least half are >= it.
        expect(s.filter((v) => v <= f.median).length * 2).toBeGreaterThanOrEqual(xs.length);
        expect(s.filter((v) => v >= f.median).length * 2).toBeGreaterThanOrEqual(xs.length);
        expect(f.p10 <= f.median && f.median <= f.p90).toBe(true);
      }),
    );
  });

  it("refuses an empty sample set and bad ranks", () => {
    expect(() => summarize("e", [])).toThrow(RangeError);
    expect(() => percentileIndex(0, 50)).toThrow(RangeError);
    expect(() => percentileIndex(10, 101)).toThrow(RangeError);
  });
});

describe("parseBenchOutput", () => {
  const console = [
    "SeaBIOS (version 1.16.2)",
    "\x1b[2JBENCH-BEGIN kernel=6.1.0-56-amd64 cpus=1",
    "BENCH rdtsc median=3 min=3 p10=3 p90=3 max=3 n=100000 unit=cycles",
    line,
    "BENCH-FAIL spawn status=1",
    "BENCH-END",
    "[    3.656263] reboot: Power down",
  ].join("\r\n");

  it("collects figures in order, failures, and whether the guest got to the end", () => {
    const out = parseBenchOutput(console);
    expect([...out.figures.keys()]).toEqual(["rdtsc", "getpid"]);
    expect(out.figures.get("getpid")?.max).toBe(9203);
    expect(out.failures).toEqual(["BENCH-FAIL spawn status=1"]);
    expect(out.complete).toBe(true);
  });

  it("reports damaged and duplicated lines and a missing BENCH-END", () => {
    const out = parseBenchOutput([line, line, "BENCH getpid median=1 n=1"].join("\n"));
    expect(out.figures.size).toBe(1);
    expect(out.failures.map((f) => f.split(":")[0])).toEqual(["duplicate", "damaged"]);
    expect(out.complete).toBe(false);
  });
});

describe("rows, table and JSON", () => {
  const linux = parseBenchLine(line)!;
  const keel = { ...linux, name: "syscall", median: 162, min: 160, p10: 161, p90: 170, max: 900 };

  it("computes the ratio against the baseline's median", () => {
    const r = benchRow(keel, linux);
    expect(r).toMatchObject({ name: "syscall", value: 162, baselineName: "getpid", baseline: 324 });
    expect(r.ratio).toBeCloseTo(0.5, 12);
    expect(benchRow(linux)).toMatchObject({ baseline: null, ratio: null });
    expect(ratio(10, 0)).toBeNull();
    expect(() => benchRow(keel, { ...linux, unit: "ns" })).toThrow(/unit/);
  });

  it("prints aligned columns with the baseline's name when it differs", () => {
    const text = formatTable([benchRow(keel, linux), benchRow(linux)], "title");
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe("title");
    expect(lines[1]).toMatch(/^name\s+value\s+unit\s+baseline\s+ratio\s+min\s+p10\s+p90\s+max\s+n$/);
    expect(lines[2]).toMatch(/^syscall\s+162\s+cycles\s+324 \(getpid\)\s+0\.50\s+160\s+161\s+170\s+900\s+100000$/);
    expect(lines[3]).toMatch(/^getpid\s+324\s+cycles\s+-\s+-\s+324\s+324\s+324\s+9,203\s+100000$/);
    expect(new Set(lines.slice(1).map((l) => l.indexOf("cycles") >= 0 ? l.indexOf("cycles") : l.indexOf("unit"))).size).toBe(1);
  });

  it("adds a column per reference figure, '-' where a row has none", () => {
    const text = formatTable([{ ...benchRow(keel, linux), references: { sel4: 99 } }, benchRow(linux)]);
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^name\s+value\s+unit\s+baseline\s+ratio\s+sel4\s+min\s+p10\s+p90\s+max\s+n$/);
    expect(lines[1]).toMatch(/^syscall\s+162\s+cycles\s+324 \(getpid\)\s+0\.50\s+99\s+160\s/);
    expect(lines[2]).toMatch(/^getpid\s+324\s+cycles\s+-\s+-\s+-\s+324\s/);
  });

  it("gives the IPC rows seL4's fixed figures where seL4 has the operation", () => {
    const call = { ...keel, name: "call", median: 800 };
    const rows = ipcRows(new Map([["syscall", keel], ["call", call], ["send", { ...keel, name: "send" }]]), null);
    expect(rows.map((r) => r.references ?? null)).toEqual([{ sel4: 99 }, { sel4: 508 }, null]);
    expect(SEL4_REFERENCE["part-yield-alone"]).toBe(299);
  });

  it("writes rows and run description as JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-json-"));
    try {
      const file = join(dir, "sub", "x.json");
      writeJson(file, [benchRow(keel, linux)], { unit: "cycles" });
      const j = JSON.parse(readFileSync(file, "utf8"));
      expect(j.unit).toBe("cycles");
      expect(j.rows[0]).toMatchObject({ name: "syscall", value: 162, unit: "cycles", baseline: 324 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
