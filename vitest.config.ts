import { defineConfig } from "vitest/config";

// Suites: unit (host), toolchain (differential, compiles C), sim (deterministic simulation of the
// kernel on the host), system (boots QEMU).
// Select one with `vitest run --project <name>`.
export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["tests/unit/**/*.test.ts"], testTimeout: 120_000 } },
      { test: { name: "toolchain", include: ["tests/toolchain/**/*.test.ts"], testTimeout: 600_000, hookTimeout: 600_000 } },
      { test: { name: "sim", include: ["tests/sim/**/*.test.ts"], testTimeout: 1_800_000 } },
      { test: { name: "system", include: ["tests/system/**/*.test.ts"], testTimeout: 600_000, hookTimeout: 900_000, fileParallelism: false } },
    ],
  },
});
