// System tests: the real ISO boots headless in QEMU (TCG), under BIOS (SeaBIOS) and UEFI (OVMF),
// and the serial log and QEMU's exit status show what the kernel did.
//
// The boots are independent, so the tests run concurrently and qemu.ts lets QEMU_JOBS of them run
// at a time. QEMU's own timeout bounds each boot (generous: a loaded 2-CPU machine running two
// boots and other test files needs up to several times an idle one's time); the test timeout only
// adds the wait for a slot.
import { beforeAll, describe, test } from "vitest";
import { resolve } from "node:path";
import { BootResult, ROOT, STATUS_PANICKED, STATUS_PASSED, bootIso, make, requireQemu } from "./qemu.ts";

const iso = (variant: string): string => resolve(ROOT, "build/iso", `${variant}.iso`);

/** QEMU timeouts in seconds; UEFI firmware alone takes tens of seconds under TCG. */
const BOOT_TIMEOUT = { bios: 240, uefi: 360 } as const;
/** Per test: its own boot plus waiting for the boots queued before it. */
const TEST_TIMEOUT_MS = 1_800_000;

/** Checks each in-kernel suite of keel.test=all runs (TEST PASS/FAIL lines), under either firmware. */
const SUITE_CHECKS: Record<string, number> = { boot: 21, memory: 16, paging: 28, interrupts: 13, scheduler: 18 };

function summary(r: BootResult): string {
  return `status ${r.status}${r.stoppedEarly ? " (stopped)" : ""}, serial log:\n${r.output}`;
}

beforeAll(() => {
  requireQemu(true);
  make("iso-tests");
});

// UEFI first: its boots are the longest, and starting them first keeps both slots busy to the end.
for (const firmware of ["uefi", "bios"] as const) {
  const uefi = firmware === "uefi";
  const timeoutSeconds = BOOT_TIMEOUT[firmware];

  describe(`${firmware} boot`, () => {
    test.concurrent("the banner is the kernel's first line and initialisation completes", { timeout: TEST_TIMEOUT_MS }, async ({ expect }) => {
      const r = await bootIso(iso("normal"), { uefi, timeoutSeconds, until: /boot: initialisation done/ });
      expect(r.stoppedEarly, summary(r)).toBe(true);
      const lines = r.kernelLines;
      expect(lines[0], summary(r)).toMatch(/^Keel \d+\.\d+\.\d+ \(x86-64\)$/);
      expect(r.output, summary(r)).toMatch(/boot: [1-9]\d* memory regions, [1-9]\d* modules/);
      // The frame allocator's statistics: with -m 256M there are between 200 and 256 MiB usable.
      const mem = /memory: (\d+) MiB usable, (\d+) MiB free, \d+ MiB reserved, kernel \d+ MiB/.exec(r.output);
      expect(mem, summary(r)).not.toBeNull();
      expect(Number(mem![1]), summary(r)).toBeGreaterThan(200);
      expect(Number(mem![1]), summary(r)).toBeLessThanOrEqual(256);
      expect(Number(mem![2]), summary(r)).toBeLessThanOrEqual(Number(mem![1]));
    });

    test.concurrent("keel.test=all: every in-kernel suite passes and QEMU exits with status 33", { timeout: TEST_TIMEOUT_MS }, async ({ expect }) => {
      const r = await bootIso(iso("test"), { uefi, timeoutSeconds });
      const m = /TEST RESULT (\d+) passed, (\d+) failed/.exec(r.output);
      expect(m, summary(r)).not.toBeNull();
      expect(Number(m![1]), summary(r)).toBeGreaterThan(0);
      expect(Number(m![2]), summary(r)).toBe(0);
      expect(r.output, summary(r)).not.toMatch(/TEST FAIL/);
      // The exact number of checks of every suite, so that a check skipped or deleted is noticed:
      // change a count here together with the suite (kernel/test/).
      const counts: Record<string, number> = {};
      for (const line of r.output.matchAll(/^TEST (?:PASS|FAIL) (\w+)\./gm)) counts[line[1]!] = (counts[line[1]!] ?? 0) + 1;
      expect(counts, summary(r)).toEqual(SUITE_CHECKS);
      const total = Object.values(SUITE_CHECKS).reduce((a, b) => a + b, 0);
      expect(Number(m![1]), summary(r)).toBe(total);
      // 0 would be a triple fault under -no-reboot, 124 the timeout: only 33 is success.
      expect(r.status, summary(r)).toBe(STATUS_PASSED);
    });

    test.concurrent("keel.test=fault: a kernel page fault is reported, panics and ends the run", { timeout: TEST_TIMEOUT_MS }, async ({ expect }) => {
      const r = await bootIso(iso("fault"), { uefi, timeoutSeconds });
      expect(r.output, summary(r)).toMatch(/TEST fault: reading unmapped 0x7000000000[0-9a-f]{2}/);
      expect(r.output, summary(r)).toMatch(/EXCEPTION #PF Page Fault \(vector 14, error 0x0+\)/);
      expect(r.output, summary(r)).toMatch(/cr2=0x00007000000000[0-9a-f]{2}/);
      expect(r.output, summary(r)).toMatch(/rip=0xffffffff8[0-9a-f]{7} rsp=0x[0-9a-f]{16}/);
      expect(r.output, summary(r)).toMatch(/rax=0x[0-9a-f]{16}/);
      expect(r.output, summary(r)).toMatch(/^PANIC: #PF Page Fault/m);
      expect(r.output, summary(r)).not.toMatch(/TEST (PASS|FAIL) fault\./);
      // Not a reboot loop, not a triple fault (0), not the timeout (124): the panic's own status.
      expect(r.status, summary(r)).toBe(STATUS_PANICKED);
    });
  });
}

describe("entry stub", () => {
  test.concurrent("a CPU without long mode gets a message on the serial port and halts", { timeout: TEST_TIMEOUT_MS }, async ({ expect }) => {
    const r = await bootIso(iso("normal"), {
      timeoutSeconds: BOOT_TIMEOUT.bios,
      logName: "normal-bios-qemu32",
      qemuArgs: ["-cpu", "qemu32"],
      until: /this CPU has no 64-bit long mode; halted\./,
    });
    expect(r.stoppedEarly, summary(r)).toBe(true);
    // The check comes before anything else: no kernel line may follow GRUB's.
    expect(r.output, summary(r)).not.toMatch(/^Keel \d/m);
  });
});
