// Many boot modules: build/iso/modules.iso (`make iso-modules`) holds init and twenty copies of
// hello under the names hello01 .. hello20, more than the sixteen modules a fixed table once kept.
// The kernel must keep every module, init must start every program and see each one end, and
// nothing may be dropped silently. One BIOS boot.
import { beforeAll, describe, expect, test } from "vitest";
import { resolve } from "node:path";
import { BootResult, ROOT, bootIso, make, requireQemu } from "./qemu.ts";

const COPIES = 20;
const NAMES = Array.from({ length: COPIES }, (_, i) => `hello${String(i + 1).padStart(2, "0")}`);
let run: BootResult;

function summary(r: BootResult): string {
  return `status ${r.status}${r.stoppedEarly ? " (stopped)" : ""}, serial log:\n${r.output}`;
}

beforeAll(async () => {
  requireQemu(false);
  make("iso-modules");
  run = await bootIso(resolve(ROOT, "build/iso/modules.iso"), { timeoutSeconds: 240, until: /init: all \d+ programs done[^\n]*\n|PANIC/ });
});

describe(`${COPIES} extra boot modules`, () => {
  test("the kernel keeps every module and reports no boot information problem", () => {
    expect(run.output, summary(run)).not.toMatch(/PANIC/);
    // The font, init and the copies.
    expect(run.output, summary(run)).toMatch(new RegExp(`boot: \\d+ memory regions, ${COPIES + 2} modules`));
    expect(run.output, summary(run)).not.toMatch(/boot information:/);
    expect(run.output, summary(run)).toMatch(new RegExp(`init: pid 1, ${COPIES + 2} boot modules`));
  });

  test("init starts every copy, each prints its hello lines and exits with status 0", () => {
    for (const name of NAMES) {
      expect(run.output, summary(run)).toMatch(new RegExp(`init: ${name} started as pid \\d+$`, "m"));
      expect(run.output, summary(run)).toMatch(new RegExp(`init: ${name} \\(pid \\d+\\) exited with status 0$`, "m"));
    }
    expect(run.output.match(/hello: heap ok/g)?.length ?? 0, summary(run)).toBe(COPIES);
    expect(run.output, summary(run)).toMatch(new RegExp(`init: all ${COPIES} programs done: ${COPIES} exited, 0 killed`));
  });
});
