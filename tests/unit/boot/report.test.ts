import { describe, it, expect, beforeEach } from "vitest";
import { attachMemory, detachAllMemory, writeBytes } from "../../../lang/host/memory.ts";
import { resetFakeCpu, fakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { DIRECT_MAP_BASE, physToVirt } from "../../../kernel/arch/x86_64/layout.ts";
import { parseBootInfo, MULTIBOOT2_MAGIC } from "../../../kernel/boot/multiboot2.ts";
import { BootInfo, BootError, addBootError } from "../../../kernel/boot/bootinfo.ts";
import { reportBootInfo } from "../../../kernel/boot/report.ts";
import { setLogLevel } from "../../../kernel/console/log.ts";
import { LogLevel } from "../../../abi/log.ts";
import { grubBios } from "../fixtures/multiboot2.ts";

function serialText(): string {
  return String.fromCharCode(...fakeCpu.portLog.filter(([p]) => p === 0x3f8).map(([, , v]) => v));
}

beforeEach(() => {
  detachAllMemory();
  resetFakeCpu();
  attachMemory(DIRECT_MAP_BASE, 0x200000);
  setLogLevel(LogLevel.Debug);
});

describe("boot information report", () => {
  it("names the loader of a clean capture and warns about nothing", () => {
    const f = grubBios();
    writeBytes(physToVirt(f.addr), f.bytes);
    reportBootInfo(parseBootInfo(MULTIBOOT2_MAGIC, f.addr));
    expect(serialText()).toMatch(/^debug: boot: loaded by GRUB 2\.06[^\n]*\n$/);
  });

  it("warns about each non-fatal problem", () => {
    const info = new BootInfo(0, 0);
    info.memoryCount = 1;
    addBootError(info, BootError.MissingEndTag);
    addBootError(info, BootError.StringNotTerminated);
    reportBootInfo(info);
    expect(serialText()).toBe("warning: boot information: boot information has no end tag\n" +
      "warning: boot information: a boot information string is not NUL-terminated\n");
  });

  it("panics with the reason when there is no memory map", () => {
    const info = parseBootInfo(MULTIBOOT2_MAGIC, 0x1000); // zeroed memory: total size 0
    expect(() => reportBootInfo(info)).toThrow("PANIC: boot information: boot information total size is too small; cannot continue");
    expect(() => reportBootInfo(parseBootInfo(0, 0x1000))).toThrow(/not started by a Multiboot2 loader/);
  });
});
