// The freestanding heap of keelc's runtime (toolchain/runtime/keel_heap.c), which serves `new` in
// the kernel and in user programs, compiled as it is with a host driver (heap-harness.c) that
// gives it growth regions from a budget and churns it: reuse of freed blocks, random sizes freed
// in random order with every live block's bytes checked, exhaustion and recovery, the promise of
// keel_heap_reserve, and the release of a block twice.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const RUNTIME = path.resolve("toolchain/runtime");
let dir = "";
let exe = "";

/**
 * keelc's C flags for user programs, less those that only make sense without a libc: the code
 * generation that matters (no strict aliasing above all, under which gcc would hide a header
 * read after the list link overwrote it) stays as the kernel and user programs have it.
 */
function userFlags(): string[] {
  const out = execFileSync("node", ["toolchain/bin/keelc.js", "cflags", "--target", "user"], { encoding: "utf8" });
  const hostedOnly = new Set(["-ffreestanding", "-nostdlib", "-mno-red-zone", "-mgeneral-regs-only", "-fno-builtin", "-fno-pic"]);
  return out.trim().split(/\s+/).filter((f) => !hostedOnly.has(f));
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-heap-"));
  exe = path.join(dir, "heap");
  const flags = userFlags();
  expect(flags).toContain("-fno-strict-aliasing");
  execFileSync("gcc", [
    ...flags, "-O2", "-DKEEL_HEAP_STANDALONE=1", "-DKEEL_HEAP_SIZE=65536", "-DKEEL_HEAP_GROWTH=65536",
    "-I", RUNTIME, "-o", exe, path.join(RUNTIME, "keel_heap.c"), path.resolve("tests/unit/runtime/heap-harness.c"),
  ]);
});

afterAll(() => {
  if (dir !== "") fs.rmSync(dir, { recursive: true, force: true });
});

function run(scenario: string, seed: number): { status: number | null; out: string } {
  const r = spawnSync(exe, [scenario, String(seed)], { encoding: "utf8" });
  return { status: r.status, out: r.stdout };
}

describe("the runtime heap (keel_heap.c)", () => {
  it("reuses a freed block: allocating and freeing one size never grows the heap", () => {
    const r = run("reuse", 1);
    expect(r.out).toMatch(/^ok/);
    expect(r.status).toBe(0);
  });

  for (const seed of [1, 2, 3]) {
    it(`keeps every live block intact and counts bytes exactly under random churn (seed ${seed})`, () => {
      const r = run("churn", seed);
      expect(r.out).toMatch(/^ok/);
      expect(r.status).toBe(0);
    });
  }

  it("returns NULL when memory runs out, and serves the same allocations once they are freed", () => {
    const r = run("exhaust", 1);
    expect(r.out).toMatch(/^ok blocks=\d+/);
    expect(r.status).toBe(0);
  });

  it("keeps the promise of reserve: reserved bytes can be allocated in any classes", () => {
    const r = run("reserve", 4);
    expect(r.out).toMatch(/^ok/);
    expect(r.status).toBe(0);
  });

  it("refuses absurd and negative sizes", () => {
    const r = run("too-large", 1);
    expect(r.out).toMatch(/^ok/);
    expect(r.status).toBe(0);
  });

  it("panics on a block released twice", () => {
    const r = run("double-free", 1);
    expect(r.out).toMatch(/panic: heap: release of a block that is not allocated/);
    expect(r.status).toBe(3);
  });
});
