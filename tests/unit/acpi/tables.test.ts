// ACPI table discovery over synthesized tables (tests/unit/fixtures/acpi.ts): what is parsed from
// good tables, and that bad ones are refused by name, never trusted.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { attachMemory, detachAllMemory, writeBytes } from "../../../lang/host/memory.ts";
import { physToVirt } from "../../../kernel/arch/x86_64/layout.ts";
import { PhysMap, addRam, addReadable, deviceRangeOk, forbid, physReadable } from "../../../kernel/acpi/phys-map.ts";
import {
  AcpiInfo, AcpiProblem, PhysRange, SIG_DSDT, SIG_FADT, SIG_HPET, SIG_MADT, SIG_RSDT, SIG_XSDT, hasProblem, parseAcpi, tableName,
} from "../../../kernel/acpi/tables.ts";
import { IrqRoute, computeIsaRoutes } from "../../../kernel/acpi/acpi.ts";
import {
  ACPI_BASE, ACPI_SIZE, type AcpiImage, buildAcpi, le32, madtEntry, qemuDsdtAml, resum, resumTable, s5Aml,
} from "../fixtures/acpi.ts";

/** RAM around the tables (device addresses may not lie there), as on a 256 MiB machine. */
function mapFor(): PhysMap {
  const m = new PhysMap(8);
  addReadable(m, ACPI_BASE, ACPI_BASE + ACPI_SIZE);
  addRam(m, 0x100000, 0x8000000);
  forbid(m, 0x200000, 0x400000);
  return m;
}

function place(img: AcpiImage): void {
  detachAllMemory();
  attachMemory(physToVirt(ACPI_BASE), ACPI_SIZE);
  writeBytes(physToVirt(ACPI_BASE), img.bytes);
}

function whole(): PhysRange {
  const r = new PhysRange();
  r.start = ACPI_BASE;
  r.end = ACPI_BASE + ACPI_SIZE;
  return r;
}

function parse(img: AcpiImage, v1 = 0): AcpiInfo {
  place(img);
  return parseAcpi(mapFor(), img.rsdp, 36, v1, 20, whole());
}

function problems(a: AcpiInfo): string[] {
  const out: string[] = [];
  for (let i = 0; i < a.problemCount; i++) out.push(`${tableName(a.problemSig[i]!)}:${a.problemCode[i]}`);
  return out;
}

function u32(b: Uint8Array, off: number, v: number): void {
  new DataView(b.buffer).setUint32(off, v >>> 0, true);
}

beforeEach(() => detachAllMemory());
afterEach(() => detachAllMemory());

describe("ACPI tables as QEMU's firmware lays them out", () => {
  it("finds every table through the XSDT and reads what the kernel uses", () => {
    const img = buildAcpi();
    const a = parse(img);
    expect(problems(a)).toEqual([]);
    expect(a.rootIsXsdt).toBe(true);
    expect(a.rootAddr).toBe(img.xsdt);
    expect(a.rsdpRevision).toBe(2);
    expect(a.tableCount).toBe(4);
    expect(a.tableSig.slice(0, 4).map((x) => tableName(x))).toEqual(["FADT", "MADT", "HPET", "MCFG"]);
    // MADT
    expect(a.madtFound).toBe(true);
    expect(a.localApicAddr).toBe(0xfee00000);
    expect(a.pcatCompat).toBe(true);
    expect(a.cpuCount).toBe(2);
    expect([a.cpuApicId[0], a.cpuApicId[1]]).toEqual([0, 1]);
    expect(a.ioapicCount).toBe(1);
    expect(a.ioapicAddr[0]).toBe(0xfec00000);
    expect(a.ioapicGsiBase[0]).toBe(0);
    expect(a.overrideCount).toBe(5);
    expect(a.overrideIrq.slice(0, 5)).toEqual([0, 5, 9, 10, 11]);
    expect(a.overrideGsi.slice(0, 5)).toEqual([2, 5, 9, 10, 11]);
    expect(a.overrideFlags.slice(0, 5)).toEqual([0, 0xd, 0xd, 0xd, 0xd]);
    expect(a.lapicNmiCount).toBe(1);
    expect([a.lapicNmiUid[0], a.lapicNmiLint[0]]).toEqual([-1, 1]);
    // FADT
    expect(a.fadtFound).toBe(true);
    expect(a.pm1aCnt).toBe(0x604);
    expect(a.pm1bCnt).toBe(0);
    expect(a.pmTimerPort).toBe(0x608);
    expect(a.pmTimer32).toBe(false); // QEMU's is 24 bits wide
    expect(a.sciIrq).toBe(9);
    expect(a.smiCmd).toBe(0xb2);
    expect(a.acpiEnable).toBe(0xf1);
    expect(a.resetSupported).toBe(true);
    expect([a.resetSpace, a.resetAddr, a.resetValue]).toEqual([1, 0xcf9, 6]);
    expect(a.dsdtAddr).toBe(img.dsdt);
    // _S5_
    expect(a.s5Found).toBe(true);
    expect([a.slpTypA, a.slpTypB]).toEqual([0, 0]);
    // HPET and MCFG
    expect(a.hpetFound).toBe(true);
    expect(a.hpetAddr).toBe(0xfed00000);
    expect(a.mcfgCount).toBe(1);
    expect([a.mcfgBase[0], a.mcfgSegment[0], a.mcfgStartBus[0], a.mcfgEndBus[0]]).toEqual([0xb0000000, 0, 0, 255]);
  });

  it("uses the RSDT of an ACPI 1.0 RSDP", () => {
    const img = buildAcpi({ revision: 0 });
    place(img);
    const a = parseAcpi(mapFor(), img.rsdp, 20, 0, 0, whole());
    expect(problems(a)).toEqual([]);
    expect(a.rootIsXsdt).toBe(false);
    expect(a.rootAddr).toBe(img.rsdt);
    expect(a.madtFound && a.fadtFound && a.s5Found).toBe(true);
  });

  it("routes ISA lines by the overrides, with their trigger and polarity", () => {
    const img = buildAcpi({
      madtEntries: [madtEntry.cpu(0, 0), madtEntry.ioapic(0, 0xfec00000, 0), madtEntry.override(0, 2, 0), madtEntry.override(9, 20, 0xf), madtEntry.override(4, 4, 0x5)],
    });
    const a = parse(img);
    const routes = Array.from({ length: 16 }, () => new IrqRoute());
    computeIsaRoutes(a, routes);
    expect(routes[0]).toMatchObject({ gsi: 2, level: false, activeLow: false });
    expect(routes[9]).toMatchObject({ gsi: 20, level: true, activeLow: true });
    expect(routes[4]).toMatchObject({ gsi: 4, level: false, activeLow: false });
    expect(routes[1]).toMatchObject({ gsi: 1, level: false, activeLow: false });
    expect(routes[2]).toMatchObject({ gsi: 2, level: false, activeLow: false });
    // Without a MADT: the PC convention, IRQ 0 at GSI 2.
    computeIsaRoutes(new AcpiInfo(), routes);
    expect(routes.map((r) => r.gsi)).toEqual([2, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  });

  it("reads x2APIC entries and skips unused processor slots", () => {
    const img = buildAcpi({
      madtEntries: [madtEntry.cpu(0, 0), madtEntry.cpu(1, 1, 0), madtEntry.x2apic(300, 2), madtEntry.ioapic(2, 0xfec00000, 0)],
    });
    const a = parse(img);
    expect(a.cpuCount).toBe(2);
    expect([a.cpuApicId[0], a.cpuApicId[1]]).toEqual([0, 300]);
  });
});

describe("the _S5_ package", () => {
  const cases: [string, number[], number][] = [
    ["byte values", s5Aml([5, 5, 0, 0]), 0x0505],
    ["a root prefix", s5Aml([7, 3], [0x5c]), 0x0307],
    ["one element holding both", [0x08, 0x5f, 0x53, 0x35, 0x5f, 0x12, 0x05, 0x01, 0x0b, 0x05, 0x06], 0x0605],
    ["a dword", [0x08, 0x5f, 0x53, 0x35, 0x5f, 0x12, 0x08, 0x02, 0x0c, 2, 0, 0, 0, 0x01], 0x0102],
  ];
  for (const [what, aml, want] of cases) {
    it(`is read with ${what}`, () => {
      const a = parse(buildAcpi({ dsdtAml: qemuDsdtAml(aml) }));
      expect(a.s5Found).toBe(true);
      expect(a.slpTypA | (a.slpTypB << 8)).toBe(want);
    });
  }

  const bad: [string, number[]][] = [
    ["missing", []],
    ["not after NameOp", [0x70, 0x5f, 0x53, 0x35, 0x5f, 0x12, 0x04, 0x02, 0x00, 0x00]],
    ["not a package", [0x08, 0x5f, 0x53, 0x35, 0x5f, 0x0a, 0x05]],
    ["with values above 7", s5Aml([9, 0])],
    ["with OnesOp", [0x08, 0x5f, 0x53, 0x35, 0x5f, 0x12, 0x04, 0x02, 0xff, 0xff]],
    ["with an empty package", [0x08, 0x5f, 0x53, 0x35, 0x5f, 0x12, 0x02, 0x00]],
    ["with a package length past the table", [0x08, 0x5f, 0x53, 0x35, 0x5f, 0x12, 0x3f, 0x02, 0x00, 0x00]],
    ["cut off at the end", [0x08, 0x5f, 0x53, 0x35, 0x5f, 0x12]],
  ];
  for (const [what, aml] of bad) {
    it(`is not found when ${what}, and that is reported`, () => {
      const img = buildAcpi({ dsdtAml: aml });
      const a = parse(img);
      expect(a.s5Found).toBe(false);
      expect(hasProblem(a, AcpiProblem.NoS5)).toBe(true);
      expect(a.fadtFound).toBe(true);
    });
  }
});

describe("bad tables are refused by name and ignored", () => {
  it("a MADT with a bad checksum: no MADT, and the PC routes stay", () => {
    const img = buildAcpi();
    img.bytes[img.madt - ACPI_BASE + 9]! ^= 1;
    const a = parse(img);
    expect(a.madtFound).toBe(false);
    expect(a.ioapicCount).toBe(0);
    expect(problems(a)).toEqual([`MADT:${AcpiProblem.BadChecksum}`]);
    expect(a.fadtFound && a.hpetFound).toBe(true);
  });

  it("a table longer than the memory it lies in", () => {
    const img = buildAcpi();
    u32(img.bytes, img.fadt - ACPI_BASE + 4, ACPI_SIZE);
    resumTable(img.bytes, img.fadt - ACPI_BASE);
    const a = parse(img);
    expect(a.fadtFound).toBe(false);
    expect(a.s5Found).toBe(false);
    expect(problems(a)).toContain(`FADT:${AcpiProblem.OutsideMemory}`);
  });

  it("a FADT too short for its type", () => {
    const img = buildAcpi();
    u32(img.bytes, img.fadt - ACPI_BASE + 4, 100);
    resum(img.bytes, img.fadt - ACPI_BASE, 100, img.fadt - ACPI_BASE + 9);
    const a = parse(img);
    expect(a.fadtFound).toBe(false);
    expect(problems(a)).toContain(`FADT:${AcpiProblem.BadLength}`);
  });

  it("root entries pointing outside memory, at the root itself, or twice at one table", () => {
    const img = buildAcpi();
    const x = img.xsdt - ACPI_BASE;
    // Entries: FACP, APIC, HPET, MCFG -> 0x10 (unmapped), APIC, XSDT itself, APIC again.
    u32(img.bytes, x + 36, 0x10);
    u32(img.bytes, x + 52, img.xsdt);
    u32(img.bytes, x + 60, img.madt);
    resumTable(img.bytes, x);
    const a = parse(img);
    expect(a.fadtFound).toBe(false);
    expect(a.madtFound).toBe(true);
    expect(a.hpetFound).toBe(false);
    expect(a.mcfgCount).toBe(0);
    expect(problems(a)).toEqual([`XSDT:${AcpiProblem.EntryOutsideMemory}`, `MADT:${AcpiProblem.Duplicate}`]);
    expect(a.problemAddr[0]).toBe(0x10);
  });

  it("a table listed twice is read once; _S5_ may come from an SSDT", () => {
    const img = buildAcpi({ dsdtAml: qemuDsdtAml([]), ssdtAml: s5Aml([5, 5]), tables: ["FACP", "SSDT", "APIC", "SSDT"] });
    const a = parse(img);
    expect(a.ssdtCount).toBe(1);
    expect(a.s5Found).toBe(true);
    expect([a.slpTypA, a.slpTypB]).toEqual([5, 5]);
    expect(problems(a)).toEqual([`SSDT:${AcpiProblem.Overlaps}`]);
  });

  it("a table lying inside another one in use", () => {
    // A whole, well-formed HPET table inside the SSDT's body; the root lists the SSDT, then it.
    const hpet = buildAcpi().bytes.slice(0x600, 0x600 + 56);
    const img = buildAcpi({ ssdtAml: [...hpet], tables: ["FACP", "APIC", "SSDT", "HPET"] });
    const x = img.xsdt - ACPI_BASE;
    u32(img.bytes, x + 36 + 24, ACPI_BASE + 0x800 + 36);
    resumTable(img.bytes, x);
    const a = parse(img);
    expect(a.ssdtCount).toBe(1);
    expect(a.hpetFound).toBe(false);
    expect(problems(a)).toEqual([`HPET:${AcpiProblem.Overlaps}`]);
  });

  it("falls back from a bad XSDT to the RSDT, and from a bad RSDP to the ACPI 1.0 copy", () => {
    const img = buildAcpi();
    img.bytes[img.xsdt - ACPI_BASE + 20]! ^= 0xff;
    let a = parse(img);
    expect(a.rootIsXsdt).toBe(false);
    expect(a.madtFound).toBe(true);
    expect(problems(a)).toEqual([`XSDT:${AcpiProblem.BadChecksum}`]);

    const two = buildAcpi();
    // A second, ACPI 1.0, RSDP copy at offset 0x40; the first one damaged.
    two.bytes.copyWithin(0x40, 0, 20);
    two.bytes[0x40 + 15] = 0;
    resum(two.bytes, 0x40, 20, 0x40 + 8);
    two.bytes[3]! ^= 1;
    a = parse(two, ACPI_BASE + 0x40);
    expect(a.rsdpAddr).toBe(ACPI_BASE + 0x40);
    expect(a.rootIsXsdt).toBe(false);
    expect(a.madtFound).toBe(true);
    expect(problems(a)).toEqual([`RSDP:${AcpiProblem.RsdpBadSignature}`]);
  });

  it("an RSDP outside the boot information it should be in", () => {
    const img = buildAcpi();
    place(img);
    const inside = new PhysRange();
    inside.start = ACPI_BASE + 0x1000;
    inside.end = ACPI_BASE + 0x2000;
    const a = parseAcpi(mapFor(), img.rsdp, 36, 0, 0, inside);
    expect(a.rootAddr).toBe(0);
    expect(hasProblem(a, AcpiProblem.NoRoot)).toBe(true);
  });

  it("device addresses in RAM or misaligned are refused", () => {
    let a = parse(buildAcpi({ ioapicAddr: 0x300000 }));
    expect(a.madtFound).toBe(true);
    expect(a.ioapicCount).toBe(0);
    expect(problems(a)).toEqual([`MADT:${AcpiProblem.BadAddress}`]);
    a = parse(buildAcpi({ ioapicAddr: 0xfec00004 }));
    expect(a.ioapicCount).toBe(0);
    a = parse(buildAcpi({ hpetAddr: 0x1000000 }));
    expect(a.hpetFound).toBe(false);
    expect(problems(a)).toEqual([`HPET:${AcpiProblem.BadAddress}`]);
    a = parse(buildAcpi({ resetReg: { space: 0, addr: 0x200010, value: 1 } }));
    expect(a.resetSupported).toBe(false);
    expect(problems(a)).toEqual([`FADT:${AcpiProblem.BadAddress}`]);
  });

  it("bad MADT entries: a zero length stops the walk, a bad override is skipped", () => {
    const img = buildAcpi({
      madtEntries: [madtEntry.cpu(0, 0), madtEntry.override(3, 3, 0x2), madtEntry.override(16, 3, 0), madtEntry.ioapic(0, 0xfec00000, 0), [0x7f, 0], madtEntry.cpu(1, 1)],
    });
    const a = parse(img);
    expect(a.cpuCount).toBe(1);
    expect(a.overrideCount).toBe(0);
    expect(a.ioapicCount).toBe(1);
    expect(problems(a)).toEqual([`MADT:${AcpiProblem.BadEntry}`, `MADT:${AcpiProblem.BadEntry}`, `MADT:${AcpiProblem.BadEntry}`]);
  });

  it("no RSDP at all", () => {
    const a = parseAcpi(mapFor(), 0, 0, 0, 0, whole());
    expect(problems(a)).toEqual([`RSDP:${AcpiProblem.NoRsdp}`]);
    expect(a.madtFound || a.fadtFound).toBe(false);
  });

  it("names tables by what they are", () => {
    expect([SIG_RSDT, SIG_XSDT, SIG_FADT, SIG_MADT, SIG_HPET, SIG_DSDT].map(tableName)).toEqual(["RSDT", "XSDT", "FADT", "MADT", "HPET", "DSDT"]);
    expect(le32(SIG_MADT)).toEqual([0x41, 0x50, 0x49, 0x43]);
  });
});

describe("readable ranges", () => {
  it("joins adjacent ranges, refuses holes, the forbidden range and wrap-around", () => {
    const m = new PhysMap(4);
    addReadable(m, 0x2000, 0x3000);
    addReadable(m, 0x1000, 0x2000);
    addReadable(m, 0x5000, 0x6000);
    forbid(m, 0x5800, 0x5900);
    expect(physReadable(m, 0x1ff0, 0x20)).toBe(true);
    expect(physReadable(m, 0x1000, 0x2000)).toBe(true);
    expect(physReadable(m, 0x2ff0, 0x20)).toBe(false);
    expect(physReadable(m, 0x5000, 0x100)).toBe(true);
    expect(physReadable(m, 0x5700, 0x200)).toBe(false);
    expect(physReadable(m, -1, 4)).toBe(false);
    expect(physReadable(m, 0x1000, 0)).toBe(false);
    expect(physReadable(m, 0xfffffffffffff, 2 ** 52)).toBe(false);
  });

  it("devices never in RAM or the kernel", () => {
    const m = new PhysMap(2);
    addRam(m, 0x100000, 0x1000000);
    forbid(m, 0x200000, 0x300000);
    expect(deviceRangeOk(m, 0xfec00000, 0x20, 2 ** 32)).toBe(true);
    expect(deviceRangeOk(m, 0xfff000, 0x2000, 2 ** 32)).toBe(false);
    expect(deviceRangeOk(m, 0, 0x20, 2 ** 32)).toBe(false);
    expect(deviceRangeOk(m, 0xffffffff, 2, 2 ** 32)).toBe(false);
  });
});
