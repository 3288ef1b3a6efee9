// The deterministic simulation (tests/sim/world.ts) in its CI form: tests/sim/run.ts with several
// seeds and a million steps in all, as a child process (plain Node runs it about four times faster
// than the test runner's module loader). `make sim SEED=n STEPS=n` runs any other form.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const STEPS = Number(process.env.SIM_STEPS ?? 1_000_000);
const SEEDS = process.env.SIM_SEEDS ?? "1,2,3,4";

describe("deterministic simulation of the kernel", () => {
  it(`${STEPS} steps over seeds ${SEEDS} keep every invariant and leave nothing behind`, () => {
    const r = spawnSync("node", ["--import", "tsx", "tests/sim/run.ts"], {
      encoding: "utf8",
      env: { ...process.env, SIM_STEPS: String(STEPS), SIM_SEEDS: SEEDS },
      timeout: 1_500_000,
    });
    const report = `${r.stdout}\n${r.stderr}`;
    console.log(r.stdout);
    expect(r.stdout, report).not.toMatch(/SIM FAIL/);
    expect(r.status, report).toBe(0);
    const done = /SIM DONE (\d+) steps/.exec(r.stdout);
    expect(done, report).not.toBeNull();
    expect(Number(done![1])).toBeGreaterThanOrEqual(STEPS);
  });
});
