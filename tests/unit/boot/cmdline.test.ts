import { describe, it, expect, beforeEach } from "vitest";
import fc from "fast-check";
import { attachMemory, detachAllMemory, writeBytes } from "../../../lang/host/memory.ts";
import { resetFakeCpu, fakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { parseKernelOptions, printOptionWarnings, kernelOptionsFromBootInfo, Bench, OptionProblem, bytesEqual, Shutdown, TestSuite } from "../../../kernel/boot/cmdline.ts";
import { parseBootInfo, MULTIBOOT2_MAGIC } from "../../../kernel/boot/multiboot2.ts";
import { setLogLevel } from "../../../kernel/console/log.ts";
import { LogLevel } from "../../../abi/log.ts";
import { DIRECT_MAP_BASE, physToVirt } from "../../../kernel/arch/x86_64/layout.ts";
import { grubUefi } from "../fixtures/multiboot2.ts";

const AT = 0x10000;

beforeEach(() => {
  detachAllMemory();
  attachMemory(AT, 0x1000);
  resetFakeCpu();
  setLogLevel(LogLevel.Info);
});

function parse(s: string) {
  const b = new TextEncoder().encode(s);
  writeBytes(AT, b);
  return parseKernelOptions(AT, b.length);
}

function serialText(): string {
  return String.fromCharCode(...fakeCpu.portLog.filter(([p]) => p === 0x3f8).map(([, , v]) => v));
}

describe("kernel command line", () => {
  it("has defaults for an empty line", () => {
    const o = parse("");
    expect([o.logLevel, o.tests, o.bench, o.serial, o.framebuffer, o.debugcon, o.warningCount])
      .toEqual([LogLevel.Info, 0, Bench.None, true, true, false, 0]);
  });

  it("reads every option", () => {
    const o = parse("keel.log=debug keel.test=memory,paging keel.bench=boot keel.serial=0 keel.fb=0 keel.debugcon=1");
    expect(o.logLevel).toBe(LogLevel.Debug);
    expect(o.tests).toBe(TestSuite.Memory | TestSuite.Paging);
    expect(o.bench).toBe(Bench.Boot);
    expect(o.serial).toBe(false);
    expect(o.framebuffer).toBe(false);
    expect(o.debugcon).toBe(true);
    expect(o.warningCount).toBe(0);
  });

  it("reads keel.fpu= (the FPU save instruction, or lazy switching) and refuses other values", () => {
    expect(parse("").fpuMode).toBe(-1);
    expect(parse("keel.fpu=auto").fpuMode).toBe(-1);
    expect(parse("keel.fpu=xsaveopt").fpuMode).toBe(3);
    expect(parse("keel.fpu=xsave").fpuMode).toBe(2);
    expect(parse("keel.fpu=fxsave").fpuMode).toBe(1);
    expect(parse("keel.fpu=lazy").fpuMode).toBe(4);
    const bad = parse("keel.fpu=none");
    expect(bad.fpuMode).toBe(-1);
    expect(bad.warningCount).toBe(1);
  });

  it("maps each suite name to its bit", () => {
    const names: Array<[string, number]> = [["memory", TestSuite.Memory], ["paging", TestSuite.Paging],
      ["interrupts", TestSuite.Interrupts], ["scheduler", TestSuite.Scheduler], ["fault", TestSuite.Fault],
      ["boot", TestSuite.Boot], ["all", TestSuite.All], ["none", TestSuite.None]];
    for (const [n, bit] of names) expect(parse(`keel.test=${n}`).tests).toBe(bit);
    expect(parse("keel.test=all,fault").tests).toBe(TestSuite.All | TestSuite.Fault);
  });

  it("treats bare switches as on and tolerates extra spaces and tabs", () => {
    const o = parse("  keel.fb=0\t keel.fb   keel.log=error  ");
    expect(o.framebuffer).toBe(true);
    expect(o.logLevel).toBe(LogLevel.Error);
    expect(o.warningCount).toBe(0);
  });

  it("stops at a NUL inside the given length", () => {
    const b = new TextEncoder().encode("keel.log=warn\0keel.log=debug");
    writeBytes(AT, b);
    expect(parseKernelOptions(AT, b.length).logLevel).toBe(LogLevel.Warn);
  });

  it("warns about unknown options and bad values without failing", () => {
    const o = parse("quiet keel.log=loud keel.test=memory,bogus keel.serial=2 keel.bench=boot");
    expect(o.warningCount).toBe(4);
    expect(Array.from(o.warningKind.slice(0, 4))).toEqual([OptionProblem.UnknownOption, OptionProblem.BadValue,
      OptionProblem.BadValue, OptionProblem.BadValue]);
    expect(o.logLevel).toBe(LogLevel.Info);
    expect(o.tests).toBe(0);
    expect(o.serial).toBe(true);
    expect(o.bench).toBe(Bench.Boot);
    printOptionWarnings(o);
    expect(serialText()).toBe(
      "warning: cmdline: unknown option 'quiet' ignored\n" +
      "warning: cmdline: bad value in 'keel.log=loud' ignored\n" +
      "warning: cmdline: bad value in 'keel.test=memory,bogus' ignored\n" +
      "warning: cmdline: bad value in 'keel.serial=2' ignored\n");
  });

  it("reads keel.shutdown= (power off or reboot after initialisation)", () => {
    expect(parse("").shutdown).toBe(Shutdown.None);
    expect(parse("keel.shutdown=poweroff").shutdown).toBe(Shutdown.PowerOff);
    expect(parse("keel.shutdown=reboot keel.log=info").shutdown).toBe(Shutdown.Reboot);
    expect(parse("keel.shutdown=reboot keel.shutdown=none").shutdown).toBe(Shutdown.None);
    const o = parse("keel.shutdown=halt");
    expect(o.shutdown).toBe(Shutdown.None);
    expect(o.warningCount).toBe(1);
    expect(o.warningKind[0]).toBe(OptionProblem.BadValue);
  });

  it("keeps a bounded number of warnings", () => {
    const o = parse(Array.from({ length: 20 }, (_, i) => `x${i}`).join(" "));
    expect(o.warningCount).toBe(8);
  });

  it("never throws on arbitrary input and only sets known values", () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => {
      const b = new TextEncoder().encode(s).slice(0, 0x1000);
      writeBytes(AT, b);
      const o = parseKernelOptions(AT, b.length);
      expect([0, 1, 2, 3]).toContain(o.logLevel);
      expect(o.tests & ~(TestSuite.All | TestSuite.Fault)).toBe(0);
      expect(o.warningCount).toBeLessThanOrEqual(8);
    }));
  });

  it("compares memory with literals exactly", () => {
    writeBytes(AT, new TextEncoder().encode("keel.test"));
    expect(bytesEqual(AT, 9, "keel.test")).toBe(true);
    expect(bytesEqual(AT, 8, "keel.tes")).toBe(true);
    expect(bytesEqual(AT, 9, "keel.tesT")).toBe(false);
  });

  it("reads the command line GRUB passed", () => {
    detachAllMemory();
    attachMemory(DIRECT_MAP_BASE, 0x200000);
    const f = grubUefi();
    writeBytes(physToVirt(f.addr), f.bytes);
    const o = kernelOptionsFromBootInfo(parseBootInfo(MULTIBOOT2_MAGIC, f.addr));
    expect(o.logLevel).toBe(LogLevel.Debug);
    expect(o.tests).toBe(TestSuite.Memory | TestSuite.Paging);
  });
});
