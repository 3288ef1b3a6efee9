import { defineConfig } from "vitest/config";
import { allocationTracking } from "./tests/unit/allocations-plugin.ts";

// Suites: unit (host), toolchain (differential, compiles C), system (boots QEMU).
// Select one with `vitest run --project <name>`.
export default defineConfig({
  test: {
    projects: [
      // Kernel allocations are counted per type under Node (toolchain/lib/host/allocations.ts).
      { plugins: [allocationTracking()], test: { name: "unit", include: ["tests/unit/**/*.test.ts"], testTimeout: 120_000 } },
      { test: { name: "toolchain", include: ["tests/toolchain/**/*.test.ts"], testTimeout: 600_000, hookTimeout: 600_000 } },
      { test: { name: "system", include: ["tests/system/**/*.test.ts"], testTimeout: 600_000, hookTimeout: 900_000, fileParallelism: false } },
    ],
  },
});
