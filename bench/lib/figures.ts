// Shared by the benchmark drivers: the figure of one benchmark, the BENCH line guests print, and the
// table and JSON every driver writes (name, value, unit, baseline, ratio).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** Summary of one benchmark's samples; unit is "cycles" (virtual cycles) unless stated. */
export interface BenchFigure {
  name: string;
  median: number;
  min: number;
  p10: number;
  p90: number;
  max: number;
  n: number;
  unit: string;
}

/** One line of a report: a figure against the baseline it is compared with (null: none). */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  baselineName: string | null;
  baseline: number | null;
  /** value / baseline: below 1 is faster than the baseline. */
  ratio: number | null;
  min: number;
  p10: number;
  p90: number;
  max: number;
  n: number;
  /** Fixed figures of other systems for the same operation, by column name (bench/ipc: `sel4`). */
  references?: Record<string, number>;
}

/**
 * Index of the p-th percentile among n sorted samples: floor((n - 1) * p / 100), so p = 50 is the
 * lower median. bench/linux/bench.h computes the same index in C.
 */
export function percentileIndex(n: number, p: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`percentileIndex: n = ${n}`);
  if (!Number.isInteger(p) || p < 0 || p > 100) throw new RangeError(`percentileIndex: p = ${p}`);
  return Math.floor(((n - 1) * p) / 100);
}

/** Summarises samples (integers: cycles, or bigint readings) the way the guests do. */
export function summarize(name: string, samples: ReadonlyArray<number | bigint>, unit = "cycles"): BenchFigure {
  if (samples.length === 0) throw new RangeError(`summarize ${name}: no samples`);
  const s = samples.map((v) => Number(v)).sort((a, b) => a - b);
  const at = (p: number) => s[percentileIndex(s.length, p)]!;
  return { name, median: at(50), min: s[0]!, p10: at(10), p90: at(90), max: s[s.length - 1]!, n: s.length, unit };
}

/** The line a guest prints for one figure; parseBenchLine reads it back. */
export function formatBenchLine(f: BenchFigure): string {
  return `BENCH ${f.name} median=${f.median} min=${f.min} p10=${f.p10} p90=${f.p90} max=${f.max} n=${f.n} unit=${f.unit}`;
}

const BENCH_LINE = /(?:^|\s)BENCH ([A-Za-z0-9_.-]+)((?: +[a-z0-9]+=[^\s=]+)+) *$/;
const REQUIRED = ["median", "min", "p10", "p90", "max", "n"] as const;

/**
 * Reads one `BENCH <name> median=.. min=.. p10=.. p90=.. max=.. n=.. [unit=..]` line (text before
 * BENCH is ignored: a serial console may have left something on the line). Null when the line is
 * not one, or is damaged: a field missing or not a decimal integer, or the order statistics out
 * of order (min <= p10 <= median <= p90 <= max, n >= 1).
 */
export function parseBenchLine(line: string): BenchFigure | null {
  const m = BENCH_LINE.exec(line.replace(/\r$/, ""));
  if (!m) return null;
  const fields = new Map<string, string>();
  for (const kv of m[2]!.trim().split(/ +/)) {
    const eq = kv.indexOf("=");
    const key = kv.slice(0, eq);
    if (fields.has(key)) return null;
    fields.set(key, kv.slice(eq + 1));
  }
  const num: Record<string, number> = {};
  for (const key of REQUIRED) {
    const v = fields.get(key);
    if (v === undefined || !/^\d+$/.test(v)) return null;
    num[key] = Number(v);
    if (!Number.isSafeInteger(num[key])) return null;
  }
  const f: BenchFigure = {
    name: m[1]!,
    median: num.median!,
    min: num.min!,
    p10: num.p10!,
    p90: num.p90!,
    max: num.max!,
    n: num.n!,
    unit: fields.get("unit") ?? "cycles",
  };
  if (f.n < 1 || !(f.min <= f.p10 && f.p10 <= f.median && f.median <= f.p90 && f.p90 <= f.max)) return null;
  return f;
}

export class BenchOutput {
  constructor(
    /** Figures by name, in the order the guest printed them. */
    readonly figures: Map<string, BenchFigure>,
    /** Lines the guest reported as failures (BENCH-FAIL ...), and damaged BENCH lines. */
    readonly failures: string[],
    /** Whether the guest printed BENCH-END, i.e. ran to the end of its list. */
    readonly complete: boolean,
  ) {}
}

/** Reads a guest's whole console output. A name printed twice is a failure, not an overwrite. */
export function parseBenchOutput(text: string): BenchOutput {
  const figures = new Map<string, BenchFigure>();
  const failures: string[] = [];
  let complete = false;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\r$/, "");
    if (/(?:^|\s)BENCH-END\s*$/.test(line)) {
      complete = true;
      continue;
    }
    const fail = /(?:^|\s)(BENCH-FAIL\b.*)$/.exec(line);
    if (fail) {
      failures.push(fail[1]!.trim());
      continue;
    }
    if (!/(?:^|\s)BENCH /.test(line)) continue;
    const f = parseBenchLine(line);
    if (!f) failures.push(`damaged: ${line.trim()}`);
    else if (figures.has(f.name)) failures.push(`duplicate: ${line.trim()}`);
    else figures.set(f.name, f);
  }
  return new BenchOutput(figures, failures, complete);
}

/** value / baseline, or null when there is no baseline to divide by. */
export function ratio(value: number, baseline: number | null): number | null {
  if (baseline === null || baseline <= 0) return null;
  return value / baseline;
}

/** A report row for a figure (its median), against a baseline figure when there is one. */
export function benchRow(f: BenchFigure, baseline: BenchFigure | null = null): BenchRow {
  if (baseline && baseline.unit !== f.unit) {
    throw new Error(`benchRow ${f.name}: unit ${f.unit} against baseline ${baseline.name} in ${baseline.unit}`);
  }
  return {
    name: f.name,
    value: f.median,
    unit: f.unit,
    baselineName: baseline ? baseline.name : null,
    baseline: baseline ? baseline.median : null,
    ratio: baseline ? ratio(f.median, baseline.median) : null,
    min: f.min,
    p10: f.p10,
    p90: f.p90,
    max: f.max,
    n: f.n,
  };
}

function group(v: number): string {
  return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** The rows as a fixed-width text table: name, value, unit, baseline, ratio, spread. */
export function formatTable(rows: readonly BenchRow[], title = ""): string {
  // Reference columns (fixed figures of other systems) appear only when some row has one.
  const refs = [...new Set(rows.flatMap((r) => Object.keys(r.references ?? {})))];
  const header = ["name", "value", "unit", "baseline", "ratio", ...refs, "min", "p10", "p90", "max", "n"];
  const body = rows.map((r) => [
    r.name,
    group(r.value),
    r.unit,
    r.baseline === null ? "-" : `${group(r.baseline)}${r.baselineName && r.baselineName !== r.name ? ` (${r.baselineName})` : ""}`,
    r.ratio === null ? "-" : r.ratio.toFixed(2),
    ...refs.map((k) => (r.references?.[k] === undefined ? "-" : group(r.references[k]!))),
    group(r.min),
    group(r.p10),
    group(r.p90),
    group(r.max),
    String(r.n),
  ]);
  const width = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const left = new Set([0, 2]);
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (left.has(i) ? c.padEnd(width[i]!) : c.padStart(width[i]!))).join("  ").trimEnd();
  const lines = [fmt(header), ...body.map(fmt)];
  return (title ? `${title}\n` : "") + lines.join("\n") + "\n";
}

export function printTable(rows: readonly BenchRow[], title = ""): void {
  process.stdout.write(formatTable(rows, title));
}

/** Writes the rows (and anything describing the run) as JSON, creating the directory. */
export function writeJson(file: string, rows: readonly BenchRow[], meta: Record<string, unknown> = {}): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ ...meta, rows }, null, 2) + "\n");
}
