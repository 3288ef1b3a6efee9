import { defineConfig } from "vitest/config";

// Suites: unit (host), toolchain (differential, compiles C), system (boots QEMU).
// Select one with `vitest run --project <name>`.
// The unit project runs two files at a time (vitest's default on two cores is one): measured on
// the 2-core machine, 86 s with the default against 45-69 s with two. The toolchain project keeps
// the default: its tests run gcc and the compiled programs, and two at a time was slower
// (438 s against 541 s).
export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["tests/unit/**/*.test.ts"], testTimeout: 120_000, maxWorkers: 2 } },
      { test: { name: "toolchain", include: ["tests/toolchain/**/*.test.ts"], testTimeout: 600_000, hookTimeout: 600_000 } },
      { test: { name: "system", include: ["tests/system/**/*.test.ts"], testTimeout: 600_000, hookTimeout: 900_000, fileParallelism: false } },
    ],
  },
});
