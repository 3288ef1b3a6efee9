// The guests summarise their samples in C (bench/linux/bench.h); Keel's figures are summarised by
// bench/lib/figures.ts. Both must pick the same samples, or ratios would compare different ranks.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { formatBenchLine, parseBenchOutput, summarize } from "../../../bench/lib/figures.ts";

const header = resolve(__dirname, "../../../bench/linux/bench.h");

// Reads sample sets, one a line ("name v1 v2 ..."), and reports each as the guests do.
const driver = `
#include "${header}"
int main(void)
{
	char name[64];
	size_t n;
	while (scanf("%63s %zu", name, &n) == 2) {
		uint64_t *s = samples(n ? n : 1);
		for (size_t i = 0; i < n; i++)
			if (scanf("%llu", (unsigned long long *)&s[i]) != 1)
				return 2;
		report(name, s, n);
		free(s);
	}
	return 0;
}
`;

let dir = "";
let exe = "";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "bench-h-"));
  writeFileSync(join(dir, "driver.c"), driver);
  exe = join(dir, "driver");
  const cc = spawnSync("gcc", ["-O2", "-Wall", "-Wextra", "-Werror", "-Wno-unused-function", "-o", exe, join(dir, "driver.c")], { encoding: "utf8" });
  if (cc.status !== 0) throw new Error(`gcc: ${cc.stderr}`);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function runC(sets: { name: string; xs: number[] }[]): string {
  const input = sets.map((s) => `${s.name} ${s.xs.length} ${s.xs.join(" ")}`).join("\n") + "\n";
  const r = spawnSync(exe, [], { input, encoding: "utf8" });
  expect(r.status).toBe(0);
  return r.stdout;
}

describe("bench.h report", () => {
  it("prints the line formatBenchLine prints for the same samples", () => {
    const sets = fc.sample(
      fc.record({
        name: fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
        xs: fc.array(fc.nat({ max: 2 ** 40 }), { minLength: 1, maxLength: 300 }),
      }),
      { numRuns: 60 },
    );
    sets.push({ name: "rank-edges", xs: [9, 1, 8, 2, 7, 3, 6, 4, 5, 0, 10] });
    const lines = runC(sets).trimEnd().split("\n");
    expect(lines).toEqual(sets.map((s) => formatBenchLine(summarize(s.name, s.xs))));
  });

  it("reports an empty sample set as a failure the parser counts", () => {
    const out = parseBenchOutput(runC([{ name: "none", xs: [] }]));
    expect(out.figures.size).toBe(0);
    expect(out.failures).toEqual(["BENCH-FAIL none no samples"]);
  });
});
