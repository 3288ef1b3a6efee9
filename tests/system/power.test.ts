// ACPI power off and reboot on the real ISO: keel.shutdown=poweroff must make QEMU exit by itself
// (S5 through PM1a_CNT, with the DSDT's _S5_ values) under SeaBIOS (machine pc) and OVMF (q35);
// keel.shutdown=reboot must restart the machine.
//
// QEMU exits with status 0 on power off, and also on a triple fault under -no-reboot, so these
// boots run with `-action reboot=reset`: a reset then starts the machine again instead of ending
// QEMU, and only a real power off ends it with status 0 after one boot. The reboot test shows
// that the option takes effect (the kernel's banner comes twice).
import { beforeAll, describe, test } from "vitest";
import { resolve } from "node:path";
import { BootResult, ROOT, bootIso, make, requireQemu } from "./qemu.ts";

const iso = (variant: string): string => resolve(ROOT, "build/iso", `${variant}.iso`);
const BOOT_TIMEOUT = { bios: 240, uefi: 360 } as const;
const TEST_TIMEOUT_MS = 1_800_000;
const RESET_REBOOTS = ["-action", "reboot=reset"];

function summary(r: BootResult): string {
  return `status ${r.status}${r.stoppedEarly ? " (stopped)" : ""}, serial log:\n${r.output}`;
}

function banners(r: BootResult): number {
  return r.lines.filter((l) => /^Keel \d+\.\d+\.\d+ \(x86-64\)$/.test(l.trim())).length;
}

beforeAll(() => {
  requireQemu(true);
  make("iso-power");
});

describe("ACPI power off", () => {
  for (const firmware of ["uefi", "bios"] as const) {
    test.concurrent(`QEMU exits by itself under ${firmware === "uefi" ? "OVMF (q35)" : "SeaBIOS (pc)"}`, { timeout: TEST_TIMEOUT_MS }, async ({ expect }) => {
      const r = await bootIso(iso("poweroff"), {
        uefi: firmware === "uefi",
        timeoutSeconds: BOOT_TIMEOUT[firmware],
        qemuArgs: RESET_REBOOTS,
        // A failed power off says so and halts: no need to wait for the timeout.
        until: /still running after the S5 request|cannot power off/,
        logName: `poweroff-${firmware}`,
      });
      expect(r.stoppedEarly, summary(r)).toBe(false);
      expect(r.status, summary(r)).toBe(0);
      expect(banners(r), summary(r)).toBe(1);
      expect(r.output, summary(r)).toMatch(/acpi: powering off \(S5, SLP_TYP \d\/\d\)/);
      // The tables were read and trusted: no problem reported, the I/O APIC came from the MADT.
      expect(r.output, summary(r)).not.toMatch(/acpi: .*\(ignored\)/);
      expect(r.output, summary(r)).not.toMatch(/MADT names no I\/O APIC/);
      const lines = r.kernelLines;
      expect(lines[lines.length - 1], summary(r)).toMatch(/acpi: powering off/);
    });
  }
});

describe("power off from user mode", () => {
  // Under SeaBIOS only: the firmware path is the same as above, which covers OVMF.
  test("a program holding a power capability turns the machine off; a copy without Write cannot", { timeout: TEST_TIMEOUT_MS }, async ({ expect }) => {
    const r = await bootIso(iso("poweroff-user"), {
      timeoutSeconds: BOOT_TIMEOUT.bios,
      qemuArgs: RESET_REBOOTS,
      until: /still running after the S5 request|cannot power off|poweroff: no power/,
      logName: "poweroff-user-bios",
    });
    expect(r.stoppedEarly, summary(r)).toBe(false);
    expect(r.status, summary(r)).toBe(0);
    expect(banners(r), summary(r)).toBe(1);
    expect(r.output, summary(r)).toMatch(/poweroff: without Write: missing rights, missing rights/);
    expect(r.output, summary(r)).toMatch(/poweroff: turning the machine off[\s\S]*power: off requested through a power capability[\s\S]*acpi: powering off/);
    expect(r.output, summary(r)).not.toMatch(/poweroff: the machine is still on/);
  });
});

describe("ACPI reboot", () => {
  // q35's FADT has a reset register (0xcf9); pc's FADT has none, so there the 8042 comes first.
  const expected = { uefi: /acpi: rebooting through the FADT reset register/, bios: /acpi: rebooting through the keyboard controller/ };
  for (const firmware of ["uefi", "bios"] as const) {
    test.concurrent(`the machine restarts under ${firmware === "uefi" ? "OVMF (q35)" : "SeaBIOS (pc)"}`, { timeout: TEST_TIMEOUT_MS }, async ({ expect }) => {
      const r = await bootIso(iso("reboot"), {
        uefi: firmware === "uefi",
        timeoutSeconds: BOOT_TIMEOUT[firmware],
        qemuArgs: RESET_REBOOTS,
        until: /Keel \d+\.\d+\.\d+ \(x86-64\)[\s\S]*rebooting[\s\S]*Keel \d+\.\d+\.\d+ \(x86-64\)/,
        logName: `reboot-${firmware}`,
      });
      expect(r.stoppedEarly, summary(r)).toBe(true);
      expect(banners(r), summary(r)).toBeGreaterThanOrEqual(2);
      expect(r.output, summary(r)).toMatch(expected[firmware]);
      // The first way tried worked: the machine restarted before any fallback ran.
      expect(r.output.match(/acpi: rebooting/g)?.length, summary(r)).toBe(1);
    });
  }
});
