// Fuzzing the ACPI table parser (parseAcpi, then computeIsaRoutes on its result) over mutations
// of synthesized firmware tables (tests/unit/fixtures/acpi.ts: QEMU's layout, with good
// checksums). Mutations flip bytes, write boundary values into lengths, addresses and entry
// fields, and usually fix the checksums afterwards so that damage reaches past the checksum into
// the MADT entries, the FADT's fields and the AML scan.
//
// Property, for every mutated image: parsing never throws, reads only the image (it sits alone in
// simulated memory, exactly its size, so any other read throws) and a bounded number of bytes of
// it; every count is within its table; every device address accepted lies outside RAM and the
// kernel image; sleep types are 3-bit values; every problem is a documented one.
//
// Runs: KEEL_BOOT_FUZZ_RUNS (default 3000). Seed and replay: tests/unit/fast-check-setup.ts.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { physToVirt } from "../../../kernel/arch/x86_64/layout.ts";
import { LOW_4G, PhysMap, addRam, addReadable, deviceRangeOk, forbid } from "../../../kernel/acpi/phys-map.ts";
import {
  AcpiProblem, HPET_BLOCK, IOAPIC_WINDOW, MAX_CPUS, MAX_IOAPICS, MAX_MCFG, MAX_NMIS, MAX_OVERRIDES, MAX_PROBLEMS, MAX_SSDTS,
  MAX_TABLES, PhysRange, acpiProblemText, parseAcpi,
} from "../../../kernel/acpi/tables.ts";
import { IrqRoute, computeIsaRoutes } from "../../../kernel/acpi/acpi.ts";
import { ACPI_BASE, ACPI_SIZE, buildAcpi, madtEntry, qemuDsdtAml, qemuOverrides, resum, s5Aml } from "../fixtures/acpi.ts";
import { loaded, placeCounted } from "../fixtures/counted-memory.ts";

const RUNS = Number(process.env.KEEL_BOOT_FUZZ_RUNS || 3000);
/**
 * Loads the parser may make: every byte checksummed at most once (checked ranges never overlap),
 * the AML scans at most six loads a byte, MADT entries a few loads each, and the root's headers.
 */
const MAX_LOADS = 12 * ACPI_SIZE + 4000;

/** Offsets of the fixture's tables in the image (buildAcpi's layout) and their sizes there. */
const TABLES = [0x0, 0x100, 0x180, 0x200, 0x400, 0x600, 0x700, 0x800, 0x1000];

function mapFor(): PhysMap {
  const m = new PhysMap(8);
  addReadable(m, ACPI_BASE, ACPI_BASE + ACPI_SIZE);
  addRam(m, 0x100000, 0x7fe0000);
  addRam(m, 0x7fe4000, 0x8000000);
  forbid(m, 0x200000, 0x400000);
  return m;
}

type Mutation =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "byte"; at: number; value: number }
  | { kind: "u32"; table: number; field: number; value: number }
  | { kind: "u64hi"; table: number; field: number; value: number };

/** Values where checks change: lengths, addresses inside and outside the image, device ranges. */
const edgeValues = fc.constantFrom(
  0, 1, 2, 4, 8, 10, 12, 16, 20, 35, 36, 37, 44, 116, 129, 148, 196, 220, 268, 0xff, 0x1000, 0x3fff, 0x4000, 0x4001,
  0x400000, 0x400001, ACPI_BASE, ACPI_BASE + 0x100, ACPI_BASE + 0x180, ACPI_BASE + 0x200, ACPI_BASE + 0x400, ACPI_BASE + 0x600,
  ACPI_BASE + 0x800, ACPI_BASE + 0x1000, ACPI_BASE + 0x3ff0, ACPI_BASE + ACPI_SIZE, ACPI_BASE - 4, 0x200000, 0x300000,
  0xfec00000, 0xfec00004, 0xfed00000, 0xfee00000, 0xffffffe0, 0xffffffff, 0x7fffffff, 0x80000000,
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("flip" as const), at: fc.nat(ACPI_SIZE - 1), bit: fc.nat(7) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("byte" as const), at: fc.nat(ACPI_SIZE - 1), value: fc.nat(255) }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("u32" as const),
      table: fc.nat(TABLES.length - 1),
      field: fc.oneof(fc.constantFrom(4, 16, 24, 36, 40, 44, 46, 48, 64, 68, 76, 89, 91, 112, 116, 120, 140, 172, 176, 208, 212), fc.nat(300)),
      value: fc.oneof(edgeValues, fc.nat(0xffffffff)),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("u64hi" as const),
      table: fc.nat(TABLES.length - 1),
      field: fc.constantFrom(24, 36, 44, 120, 140, 176, 212),
      value: fc.constantFrom(1, 0xfffff, 0x100000, 0xffffffff),
    }),
  },
);

/** Base images: QEMU's, an ACPI 1.0 one, one with an SSDT, one with many MADT entries. */
const baseImage = fc.constantFrom(0, 1, 2, 3).map((k) => {
  switch (k) {
    case 0: return buildAcpi();
    case 1: return buildAcpi({ revision: 0 });
    case 2: return buildAcpi({ dsdtAml: qemuDsdtAml([]), ssdtAml: s5Aml([5, 5], [0x5c]), tables: ["FACP", "SSDT", "APIC", "HPET", "SSDT"] });
    default: {
      const cpus = Array.from({ length: 70 }, (_, i) => madtEntry.cpu(i, i));
      return buildAcpi({ madtEntries: [...cpus, madtEntry.ioapic(0, 0xfec00000, 0), ...qemuOverrides(), madtEntry.nmiSource(2, 0xd)] });
    }
  }
});

function apply(b: Uint8Array, m: Mutation): void {
  const dv = new DataView(b.buffer);
  switch (m.kind) {
    case "flip":
      b[m.at]! ^= 1 << m.bit;
      break;
    case "byte":
      b[m.at] = m.value;
      break;
    case "u32": {
      const at = TABLES[m.table]! + m.field;
      if (at + 4 <= b.length) dv.setUint32(at, m.value >>> 0, true);
      break;
    }
    case "u64hi": {
      const at = TABLES[m.table]! + m.field + 4;
      if (at + 4 <= b.length) dv.setUint32(at, m.value >>> 0, true);
      break;
    }
  }
}

/** Fixes the checksum of every table whose length still fits, and the RSDP's two. */
function fixChecksums(b: Uint8Array): void {
  const dv = new DataView(b.buffer);
  resum(b, 0, 20, 8);
  resum(b, 0, 36, 32);
  for (const off of TABLES.slice(1)) {
    const len = dv.getUint32(off + 4, true);
    if (len >= 36 && off + len <= b.length) resum(b, off, len, off + 9);
  }
}

const PROBLEMS = new Set(Array.from({ length: 17 }, (_, i) => i + 1));

describe("ACPI parser fuzz", () => {
  it("never throws, reads only the tables and a bounded amount of them, keeps its promises", { timeout: Math.max(120_000, RUNS * 20) }, () => {
    fc.assert(
      fc.property(baseImage, fc.array(mutation, { minLength: 1, maxLength: 8 }), fc.boolean(), (img, muts, fix) => {
        const b = img.bytes;
        for (const m of muts) apply(b, m);
        if (fix) fixChecksums(b);
        placeCounted(physToVirt(ACPI_BASE), b);
        const map = mapFor();
        const within = new PhysRange();
        within.start = ACPI_BASE;
        within.end = ACPI_BASE + ACPI_SIZE;
        const a = parseAcpi(map, img.rsdp, 36, img.rsdp, 20, within);
        expect(loaded.count).toBeLessThanOrEqual(MAX_LOADS);
        const routes = Array.from({ length: 16 }, () => new IrqRoute());
        computeIsaRoutes(a, routes);

        expect(a.problemCount).toBeLessThanOrEqual(MAX_PROBLEMS);
        for (let i = 0; i < a.problemCount; i++) {
          expect(PROBLEMS.has(a.problemCode[i]!)).toBe(true);
          expect(acpiProblemText(a.problemCode[i]!)).not.toBe("unknown problem");
        }
        expect(a.tableCount).toBeLessThanOrEqual(MAX_TABLES);
        expect(a.cpuCount).toBeLessThanOrEqual(MAX_CPUS);
        expect(a.ioapicCount).toBeLessThanOrEqual(MAX_IOAPICS);
        expect(a.overrideCount).toBeLessThanOrEqual(MAX_OVERRIDES);
        expect(a.nmiSourceCount + a.lapicNmiCount).toBeLessThanOrEqual(2 * MAX_NMIS);
        expect(a.mcfgCount).toBeLessThanOrEqual(MAX_MCFG);
        expect(a.ssdtCount).toBeLessThanOrEqual(MAX_SSDTS);
        for (let i = 0; i < a.ioapicCount; i++) {
          expect(deviceRangeOk(map, a.ioapicAddr[i]!, IOAPIC_WINDOW, LOW_4G)).toBe(true);
          expect(a.ioapicAddr[i]! % 16).toBe(0);
        }
        if (a.hpetFound) expect(deviceRangeOk(map, a.hpetAddr, HPET_BLOCK, LOW_4G)).toBe(true);
        if (a.resetSupported) {
          expect([0, 1, 2]).toContain(a.resetSpace);
          if (a.resetSpace === 0) expect(deviceRangeOk(map, a.resetAddr, 1, LOW_4G)).toBe(true);
          if (a.resetSpace === 1) expect(a.resetAddr).toBeLessThan(0x10000);
        }
        if (a.s5Found) {
          expect(a.slpTypA).toBeLessThanOrEqual(7);
          expect(a.slpTypB).toBeLessThanOrEqual(7);
        }
        for (const p of [a.pm1aCnt, a.pm1bCnt, a.pmTimerPort, a.smiCmd]) expect(p >= 0 && p < 0x10000).toBe(true);
        for (let i = 0; i < a.overrideCount; i++) expect(a.overrideIrq[i]!).toBeLessThan(16);
        for (const r of routes) {
          expect(Number.isInteger(r.gsi) && r.gsi >= 0 && r.gsi <= 0xffff).toBe(true);
        }
        // Without a MADT nothing of it is kept.
        if (!a.madtFound) expect(a.ioapicCount + a.overrideCount + a.cpuCount).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it("problems it cannot avoid are all named", () => {
    for (let code = 1; code <= 17; code++) expect(acpiProblemText(code)).not.toBe("unknown problem");
    expect(AcpiProblem.EntryOutsideMemory).toBe(17);
  });
});
