import { describe, expect, it } from "vitest";

import { BENCH_QEMU_ARGS, isoGuestArgs, linuxGuestArgs } from "../../../bench/lib/qemu.ts";

// Value of a flag in an argument list, or null.
function flag(args: readonly string[], name: string): string | null {
  const i = args.indexOf(name);
  return i < 0 ? null : (args[i + 1] ?? null);
}

describe("benchmark QEMU flags", () => {
  it("make the guest clock and the guest's randomness deterministic", () => {
    expect(flag(BENCH_QEMU_ARGS, "-accel")).toBe("tcg");
    expect(flag(BENCH_QEMU_ARGS, "-icount")).toBe("shift=0,sleep=off");
    expect(flag(BENCH_QEMU_ARGS, "-smp")).toBe("1");
    expect(flag(BENCH_QEMU_ARGS, "-seed")).toMatch(/^\d+$/);
    expect(flag(BENCH_QEMU_ARGS, "-rtc")).toMatch(/^base=\d{4}-\d\d-\d\dT[\d:]+,clock=vm$/);
    expect(Object.isFrozen(BENCH_QEMU_ARGS)).toBe(true);
  });

  it("are the machine both the Linux and the Keel guests boot", () => {
    const linux = linuxGuestArgs("/k/vmlinuz", "/k/initrd", "console=ttyS0 quiet");
    const keel = isoGuestArgs("/k/keel.iso");
    for (const args of [linux, keel]) expect(args.slice(0, BENCH_QEMU_ARGS.length)).toEqual([...BENCH_QEMU_ARGS]);
    expect(flag(linux, "-kernel")).toBe("/k/vmlinuz");
    expect(flag(linux, "-initrd")).toBe("/k/initrd");
    expect(flag(linux, "-append")).toBe("console=ttyS0 quiet");
    expect(flag(keel, "-drive")).toBe("file=/k/keel.iso,format=raw,media=cdrom,readonly=on");
    expect(keel).toContain("-no-reboot");
    // Each flag once: a later duplicate would silently override the shared value.
    for (const args of [linux, keel]) {
      const names = args.filter((a) => a.startsWith("-") && a !== "-device" && a !== "-drive");
      expect(new Set(names).size).toBe(names.length);
    }
  });
});
