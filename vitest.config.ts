import { defineConfig } from "vitest/config";
import { allocationTracking } from "./tests/unit/allocations-plugin.ts";

// Suites: unit (host), toolchain (differential, compiles C), sim (deterministic simulation of the
// kernel on the host), system (boots QEMU).
// Select one with `vitest run --project <name>`.
//
// Unit test files and the tests in them run in a random order, so a test that depends on what an
// earlier one left behind fails; the seed is printed at the start of a run and KEEL_TEST_SEED=<n>
// replays an order.
const seed = Number(process.env.KEEL_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`test order seed: ${seed} (KEEL_TEST_SEED=${seed} replays it)`);

export default defineConfig({
  test: {
    projects: [
      // Kernel allocations are counted per type under Node (lang/host/allocations.ts).
      {
        plugins: [allocationTracking()],
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          testTimeout: 120_000,
          sequence: { shuffle: true, seed },
          // Property tests: one fast-check seed per run, FC_SEED=<n> to replay (the file says how).
          setupFiles: ["tests/object-layer-setup.ts", "tests/unit/fast-check-setup.ts"],
        },
      },
      { test: { name: "toolchain", include: ["tests/toolchain/**/*.test.ts"], testTimeout: 600_000, hookTimeout: 600_000 } },
      { test: { name: "sim", include: ["tests/sim/**/*.test.ts"], testTimeout: 1_800_000, setupFiles: ["tests/object-layer-setup.ts"] } },
      { test: { name: "system", include: ["tests/system/**/*.test.ts"], testTimeout: 600_000, hookTimeout: 900_000, fileParallelism: false } },
    ],
  },
});
