// The system-call fuzzer's short form (make fuzz runs the long ones): seed 1, 30,000 calls from
// three processes. No panic, no hang, every result one the docs allow, and kernel objects, quota
// and heap bytes back where they were (scripts/fuzz.ts judges the run).
import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { ROOT, make, requireQemu } from "./qemu.ts";

describe("system-call fuzzer", () => {
  test("30,000 random calls: documented results only, nothing left behind", () => {
    requireQemu(false);
    make("iso-fuzz", "SEED=1", "CALLS=30000");
    const r = spawnSync("npx", ["tsx", "scripts/fuzz.ts", "build/iso/fuzz-1-30000.iso"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, FUZZ_TIMEOUT: "600" } });
    expect(r.stdout, r.stdout + r.stderr).toMatch(/FUZZ DONE seed=1 calls=30000 .*mismatches=0 .*workers-exited=3 objects-left=0 quota-left=0 heap-left=0/);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });
});
