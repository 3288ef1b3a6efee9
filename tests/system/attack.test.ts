// What an unprivileged program can try against the kernel: build/iso/attack.iso boots
// userland/attack-test as init; it runs each scenario with helper copies of itself and prints one
// line per scenario (ATTACK PASS / ATTACK FAIL) and a summary. The kernel must neither panic nor
// hang, and every scenario must pass.
import { beforeAll, describe, expect, test } from "vitest";
import { resolve } from "node:path";
import { BootResult, ROOT, bootIso, make, requireQemu } from "./qemu.ts";

/** Every scenario, in the order the driver runs them; a missing line fails its test. */
const SCENARIOS: string[] = [
  "revoke ends a blocked receive",
  "revoke ends a blocked notification wait",
  "revoke ends a blocked wait-set wait",
  "revoke ends a blocked send, call, call_regs and reply_wait",
  "a chain of 16-slot endpoints as long as the quota allows, freed from its head",
  "a chain of thousands of 1-slot endpoints, freed from its head",
  "a freed object's kernel memory is reused",
  "queues full of copied capabilities end in QuotaExceeded",
  "args rights above bit 31",
  "args map flags above bit 31",
  "args counts keys masks and selectors over the whole word",
  "args memory_map over a mapped range is InvalidArgument",
  "args timeouts beyond the safe range wait for the message",
  "args refused spawn leaves nothing behind",
  "args spawn with every frame in use is NoMemory",
  "threads made and joined thousands of times leave nothing behind",
  "threads held at the per-process limit, then let go, leave nothing behind",
];

let run: BootResult;

function summary(r: BootResult): string {
  return `status ${r.status}${r.stoppedEarly ? " (stopped)" : ""}, serial log:\n${r.output}`;
}

beforeAll(async () => {
  requireQemu(false);
  make("iso-attack");
  run = await bootIso(resolve(ROOT, "build/iso/attack.iso"), { timeoutSeconds: 300, until: /ATTACK DONE \d+ passed, \d+ failed|PANIC/ });
});

describe("an unprivileged program against the kernel", () => {
  test("the driver runs every scenario to the end, with no panic", () => {
    expect(run.output, summary(run)).not.toMatch(/PANIC/);
    const done = /ATTACK DONE (\d+) passed, (\d+) failed/.exec(run.output);
    expect(done, summary(run)).not.toBeNull();
    expect(run.output, summary(run)).not.toMatch(/ATTACK FAIL/);
    expect(Number(done![2]), summary(run)).toBe(0);
    expect(Number(done![1]), summary(run)).toBe(SCENARIOS.length);
  });

  for (const name of SCENARIOS) {
    test(name, () => {
      const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      expect(run.output, summary(run)).toMatch(new RegExp(`^ATTACK PASS ${escaped}$`, "m"));
    });
  }
});
