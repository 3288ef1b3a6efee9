// Programs started from memory with arguments and an environment, in QEMU: build/iso/args.iso
// boots userland/args-test as init, which copies the boot module echo-args into a memory object,
// starts it with spawn_image (echo-args prints its argv and an environment variable), starts the
// module itself with spawn_caps (argv = its name), and checks the errors for an image that is no
// ELF and a zero length, and that kernel objects and heap come back to their baseline.
import { beforeAll, describe, expect, test } from "vitest";
import { resolve } from "node:path";
import { BootResult, ROOT, bootIso, make, requireQemu } from "./qemu.ts";

let run: BootResult;

function summary(r: BootResult): string {
  return `status ${r.status}${r.stoppedEarly ? " (stopped)" : ""}, serial log:\n${r.output}`;
}

beforeAll(async () => {
  requireQemu(false);
  make("iso-args");
  run = await bootIso(resolve(ROOT, "build/iso/args.iso"), { timeoutSeconds: 120, until: /ARGS ok\n|ARGS FAIL[^\n]*\n|PANIC/ });
});

describe("programs started from memory", () => {
  test("runs to the end without a failure or a panic", () => {
    expect(run.stoppedEarly, summary(run)).toBe(true);
    expect(run.output, summary(run)).toMatch(/^ARGS ok$/m);
    expect(run.output, summary(run)).not.toMatch(/ARGS FAIL|PANIC/);
  });

  test("spawn_image gives the child its arguments and environment", () => {
    const out = run.output;
    expect(out, summary(run)).toMatch(/^echo-args: argc=4 envc=2$/m);
    expect(out, summary(run)).toMatch(/^echo-args: argv\[0\]=\[echo-args\]$/m);
    expect(out, summary(run)).toMatch(/^echo-args: argv\[1\]=\[one\]$/m);
    expect(out, summary(run)).toMatch(/^echo-args: argv\[2\]=\[two words\]$/m);
    expect(out, summary(run)).toMatch(/^echo-args: argv\[3\]=\[\]$/m);
    expect(out, summary(run)).toMatch(/^echo-args: GREETING=\[hello from args-test\]$/m);
    expect(out, summary(run)).toMatch(/^ARGS spawn_image started pid \d+, exit 4$/m);
  });

  test("a boot module started with spawn_caps has argc 1, its name, and no environment", () => {
    expect(run.output, summary(run)).toMatch(/^echo-args: argc=1 envc=0$/m);
    expect(run.output, summary(run)).toMatch(/^echo-args: GREETING unset$/m);
    expect(run.output, summary(run)).toMatch(/^ARGS spawn_caps started pid \d+, exit 1$/m);
  });

  test("an image that is not an ELF is BadExecutable, a zero length InvalidArgument", () => {
    expect(run.output, summary(run)).toMatch(/^ARGS not an ELF: error 69 /m);
    expect(run.output, summary(run)).toMatch(/^ARGS length 0: error 18 /m);
  });

  test("kernel objects and the kernel heap are back at their baseline", () => {
    expect(run.output, summary(run)).toMatch(/^ARGS objects-left=0 heap-left=0$/m);
  });
});
