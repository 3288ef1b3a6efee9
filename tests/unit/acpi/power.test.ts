// acpiInit from boot information (tables read where the memory map allows, ISA routes handed to
// the I/O APIC driver), and what power off and reboot write to the hardware.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { attachMemory, detachAllMemory, writeBytes } from "../../../lang/host/memory.ts";
import { KERNEL_BASE, physToVirt } from "../../../kernel/arch/x86_64/layout.ts";
import { resetFakeCpu, type FakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { isaIrqToGsi } from "../../../kernel/arch/x86_64/ioapic.ts";
import { BootInfo, MemoryType } from "../../../kernel/boot/bootinfo.ts";
import { acpiInit, acpiIoapicAddress, isaIrqRoute } from "../../../kernel/acpi/acpi.ts";
import { setLogLevel } from "../../../kernel/console/log.ts";
import { LogLevel } from "../../../abi/log.ts";
import { acpiCanPowerOff, acpiPowerOff, acpiReboot } from "../../../kernel/acpi/power.ts";
import { ACPI_BASE, ACPI_SIZE, buildAcpi, madtEntry, type AcpiOptions } from "../fixtures/acpi.ts";

let cpu: FakeCpu;

/** What the kernel wrote to COM1. */
function serialText(): string {
  return String.fromCharCode(...cpu.portLog.filter(([p]) => p === 0x3f8).map(([, , v]) => v));
}

/** Port writes other than the serial port's. */
function devicePorts(): [number, number, number][] {
  return cpu.portLog.filter(([p]) => p < 0x3f8 || p > 0x3ff);
}

beforeEach(() => {
  detachAllMemory();
  cpu = resetFakeCpu();
  setLogLevel(LogLevel.Info);
  vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
  detachAllMemory();
});

/** Boot information whose memory map holds the tables (reserved) and whose RSDP copy is theirs. */
function boot(opts: AcpiOptions = {}, kernelOverTables = false): BootInfo {
  const img = buildAcpi(opts);
  attachMemory(physToVirt(ACPI_BASE), ACPI_SIZE);
  writeBytes(physToVirt(ACPI_BASE), img.bytes);
  const info = new BootInfo(2, 0);
  info.memory[0]!.base = 0x100000;
  info.memory[0]!.length = ACPI_BASE - 0x100000;
  info.memory[0]!.type = MemoryType.Usable;
  info.memory[1]!.base = ACPI_BASE;
  info.memory[1]!.length = ACPI_SIZE;
  info.memory[1]!.type = MemoryType.Reserved;
  info.memoryCount = 2;
  info.rsdpAddr = img.rsdp;
  info.rsdpLength = 36;
  info.rsdpVersion = 2;
  info.infoAddr = ACPI_BASE;
  info.infoSize = 64;
  // The kernel image's sections (virtual), text / rodata / data+bss.
  const k = kernelOverTables ? ACPI_BASE : 0x200000;
  cpu.sections = [KERNEL_BASE + k, KERNEL_BASE + k + 0x3000, KERNEL_BASE + k + 0x5000, KERNEL_BASE + k + 0x6000, KERNEL_BASE + k + 0x8000, 0];
  return info;
}

describe("acpiInit", () => {
  it("reads the tables and installs the MADT's ISA routes in the I/O APIC driver", () => {
    const a = acpiInit(boot({
      madtEntries: [madtEntry.cpu(0, 0), madtEntry.ioapic(0, 0xfec01000, 0), madtEntry.override(0, 2, 0), madtEntry.override(9, 21, 0xf)],
    }));
    expect(a.madtFound && a.fadtFound && a.s5Found).toBe(true);
    expect(acpiIoapicAddress()).toBe(0xfec01000);
    expect(isaIrqToGsi(0)).toBe(2);
    expect(isaIrqToGsi(9)).toBe(21);
    expect(isaIrqToGsi(4)).toBe(4);
    expect(isaIrqRoute(9)).toMatchObject({ gsi: 21, level: true, activeLow: true });
    expect(isaIrqRoute(1)).toMatchObject({ gsi: 1, level: false, activeLow: false });
    expect(isaIrqRoute(16).gsi).toBe(-1);
    expect(acpiCanPowerOff()).toBe(true);
  });

  it("never reads tables that overlap the kernel image, and says so", () => {
    const a = acpiInit(boot({}, true));
    expect(a.madtFound || a.fadtFound).toBe(false);
    expect(serialText()).toMatch(/acpi: (RSDT|XSDT) at 0x[0-9a-f]+: lies outside the memory map \(ignored\)/);
    expect(acpiIoapicAddress()).toBe(0);
    expect(acpiCanPowerOff()).toBe(false);
    expect(acpiPowerOff()).toBe(false);
    expect(devicePorts()).toEqual([]);
  });
});

describe("power off", () => {
  it("enters ACPI mode when needed, then writes SLP_TYP and SLP_EN to PM1a_CNT", () => {
    acpiInit(boot({ dsdtAml: [0x08, 0x5f, 0x53, 0x35, 0x5f, 0x12, 0x06, 0x02, 0x0a, 0x05, 0x0a, 0x05] }));
    let pm1 = 0x0000; // SCI_EN clear: legacy mode until ACPI_ENABLE arrives at SMI_CMD
    cpu.portReaders.set(0x604, () => pm1);
    cpu.portWriters.set(0xb2, (_p, _s, v) => {
      if (v === 0xf1) pm1 |= 1;
    });
    let interruptsDuringWrite = true;
    cpu.portWriters.set(0x604, (_p, _s, v) => {
      pm1 = v & ~0x2000;
      interruptsDuringWrite = cpu.interruptsEnabled;
    });
    cpu.interruptsEnabled = true;
    expect(acpiPowerOff()).toBe(false); // the fake machine stays on
    const writes = cpu.portLog.filter(([p]) => p === 0xb2 || p === 0x604).map(([p, s, v]) => [p, s, v]);
    expect(writes).toEqual([[0xb2, 1, 0xf1], [0x604, 2, 0x1401], [0x604, 2, 0x3401]]);
    // Interrupts were off for the writes and are on again, as the caller had them.
    expect(interruptsDuringWrite).toBe(false);
    expect(cpu.interruptsEnabled).toBe(true);
  });
});

describe("reboot", () => {
  it("tries the FADT reset register, the 8042, 0xcf9, then a triple fault", () => {
    acpiInit(boot());
    // The host's triple fault is a load from a non-canonical address: simulated memory throws.
    expect(() => acpiReboot()).toThrow(/outside every attached region/);
    const writes = cpu.portLog.filter(([p]) => p === 0xcf9 || p === 0x64).map(([p, , v]) => [p, v]);
    expect(writes).toEqual([[0xcf9, 6], [0x64, 0xfe], [0xcf9, 2], [0xcf9, 6]]);
  });

  it("skips the reset register a FADT does not offer", () => {
    acpiInit(boot({ resetReg: null }));
    expect(() => acpiReboot()).toThrow();
    const writes = cpu.portLog.filter(([p]) => p === 0xcf9 || p === 0x64).map(([p, , v]) => [p, v]);
    expect(writes[0]).toEqual([0x64, 0xfe]);
  });
});
