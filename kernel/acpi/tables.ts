// ACPI table discovery: from the RSDP the boot loader copied, through the RSDT or XSDT, to the
// tables the kernel uses: MADT (APICs, interrupt source overrides, NMIs), FADT (PM1 control
// blocks, PM timer, reset register, DSDT), the `_S5_` package of the DSDT (or an SSDT), HPET and
// MCFG. Reference: ACPI 6.5, chapter 5.
//
// Nothing here trusts firmware. A table is used only when its bytes are readable (PhysMap), its
// length is plausible for its type and its checksum is right, and it overlaps no other table in
// use; otherwise it is recorded as a problem by name and address and ignored. Entries inside a
// good table are checked one by one the same way. The result is plain numbers in AcpiInfo: after
// parsing, nothing reads firmware memory again.
import { load8, load16, load32 } from "../../lang/mem.ts";
import { physToVirt } from "../arch/x86_64/layout.ts";
import { findS5 } from "./aml.ts";
import { LOW_4G, PHYS_LIMIT, PhysMap, deviceRangeOk, physReadable } from "./phys-map.ts";

/** A signature as the little-endian number its four bytes make. */
function sig(s: string): number {
  return s.charCodeAt(0) + s.charCodeAt(1) * 0x100 + s.charCodeAt(2) * 0x10000 + s.charCodeAt(3) * 0x1000000;
}

export const SIG_RSDT = sig("RSDT");
export const SIG_XSDT = sig("XSDT");
export const SIG_FADT = sig("FACP");
export const SIG_MADT = sig("APIC");
export const SIG_HPET = sig("HPET");
export const SIG_MCFG = sig("MCFG");
export const SIG_DSDT = sig("DSDT");
export const SIG_SSDT = sig("SSDT");

export const HEADER_SIZE = 36;
/** High 32 bits of PHYS_LIMIT. */
const PHYS_LIMIT_HIGH = 0x100000;
/** Larger than any real table (big DSDTs are a few hundred KiB): a length beyond it is garbage. */
export const MAX_TABLE_LENGTH = 0x400000;
/** Root entries looked at; real firmware lists a few dozen. */
export const MAX_ROOT_ENTRIES = 128;
/** All tables checked together: 16 MiB, far more than real firmware has. */
export const MAX_BYTES_CHECKED = 0x1000000;
export const MAX_TABLES = 48;
export const MAX_CPUS = 64;
export const MAX_IOAPICS = 8;
export const MAX_OVERRIDES = 16;
export const MAX_NMIS = 8;
export const MAX_MCFG = 8;
export const MAX_SSDTS = 8;
export const MAX_PROBLEMS = 16;

/** Sizes the kernel touches: an I/O APIC's register window, the HPET's block. */
export const IOAPIC_WINDOW = 0x20;
export const HPET_BLOCK = 0x400;
/** One bus of ECAM configuration space. */
export const ECAM_BUS_BYTES = 0x100000;

/** Generic address structure address spaces (ACPI 6.5, 5.2.3.2). */
export const enum AddressSpace {
  Memory = 0,
  Io = 1,
  PciConfig = 2,
}

/** Problems found; each is logged with the table's name and address (acpiProblemText). */
export const enum AcpiProblem {
  NoRsdp = 1,
  RsdpBadSignature = 2,
  RsdpBadChecksum = 3,
  RsdpBadExtendedChecksum = 4,
  OutsideMemory = 5,
  BadLength = 6,
  BadChecksum = 7,
  BadSignature = 8,
  Overlaps = 9,
  TooManyEntries = 10,
  Duplicate = 11,
  BadEntry = 12,
  BadAddress = 13,
  NoS5 = 14,
  TooManyProblems = 15,
  NoRoot = 16,
  /** A root entry points outside memory (the address recorded is where it points). */
  EntryOutsideMemory = 17,
}

/** An interrupt source override's flags (MPS INTI flags): polarity bits 0-1, trigger bits 2-3. */
export const enum IntiFlags {
  PolarityMask = 3,
  ActiveHigh = 1,
  ActiveLow = 3,
  TriggerMask = 12,
  Edge = 4,
  Level = 12,
}

export class AcpiInfo {
  /** Physical address of the RSDP used (0: none usable) and its revision (0: ACPI 1.0, 2+: XSDT). */
  rsdpAddr = 0;
  rsdpRevision = 0;
  rootAddr = 0;
  rootIsXsdt = false;

  /** Every table the root lists whose header could be read: signature and address. */
  tableCount = 0;
  tableSig: number[] = new Array<number>(MAX_TABLES).fill(0);
  tableAddr: number[] = new Array<number>(MAX_TABLES).fill(0);
  /** Ranges of the tables accepted (root included), to refuse tables that overlap them. */
  usedCount = 0;
  usedStart: number[] = new Array<number>(MAX_TABLES).fill(0);
  usedEnd: number[] = new Array<number>(MAX_TABLES).fill(0);
  /** Bytes read for checksums so far (bounded by MAX_BYTES_CHECKED). */
  bytesChecked = 0;

  madtFound = false;
  localApicAddr = 0;
  /** MADT flag PCAT_COMPAT: the machine also has the dual 8259 PICs. */
  pcatCompat = false;
  cpuCount = 0;
  cpuApicId: number[] = new Array<number>(MAX_CPUS).fill(0);
  cpuUid: number[] = new Array<number>(MAX_CPUS).fill(0);
  cpuEnabled: boolean[] = new Array<boolean>(MAX_CPUS).fill(false);
  ioapicCount = 0;
  ioapicId: number[] = new Array<number>(MAX_IOAPICS).fill(0);
  ioapicAddr: number[] = new Array<number>(MAX_IOAPICS).fill(0);
  ioapicGsiBase: number[] = new Array<number>(MAX_IOAPICS).fill(0);
  overrideCount = 0;
  overrideIrq: number[] = new Array<number>(MAX_OVERRIDES).fill(0);
  overrideGsi: number[] = new Array<number>(MAX_OVERRIDES).fill(0);
  overrideFlags: number[] = new Array<number>(MAX_OVERRIDES).fill(0);
  /** NMI sources (MADT type 3): a GSI wired to NMI. */
  nmiSourceCount = 0;
  nmiSourceGsi: number[] = new Array<number>(MAX_NMIS).fill(0);
  nmiSourceFlags: number[] = new Array<number>(MAX_NMIS).fill(0);
  /** Local APIC NMIs (types 4 and 0xA): which LINT pin of which processor (uid 0xff or -1: all). */
  lapicNmiCount = 0;
  lapicNmiUid: number[] = new Array<number>(MAX_NMIS).fill(0);
  lapicNmiFlags: number[] = new Array<number>(MAX_NMIS).fill(0);
  lapicNmiLint: number[] = new Array<number>(MAX_NMIS).fill(0);

  fadtFound = false;
  fadtRevision = 0;
  fadtFlags = 0;
  sciIrq = 0;
  smiCmd = 0;
  acpiEnable = 0;
  /** IAPC_BOOT_ARCH: bit 1 says an 8042 keyboard controller is present. */
  bootArch = 0;
  pm1aCnt = 0;
  pm1bCnt = 0;
  /** I/O port of the 3.579545 MHz PM timer (0: none) and whether it counts 32 bits (else 24). */
  pmTimerPort = 0;
  pmTimer32 = false;
  resetSupported = false;
  resetSpace = 0;
  resetAddr = 0;
  resetWidth = 0;
  resetValue = 0;
  dsdtAddr = 0;

  s5Found = false;
  slpTypA = 0;
  slpTypB = 0;

  hpetFound = false;
  hpetAddr = 0;
  hpetNumber = 0;
  hpetMinTick = 0;

  mcfgCount = 0;
  mcfgBase: number[] = new Array<number>(MAX_MCFG).fill(0);
  mcfgSegment: number[] = new Array<number>(MAX_MCFG).fill(0);
  mcfgStartBus: number[] = new Array<number>(MAX_MCFG).fill(0);
  mcfgEndBus: number[] = new Array<number>(MAX_MCFG).fill(0);

  ssdtCount = 0;
  ssdtAddr: number[] = new Array<number>(MAX_SSDTS).fill(0);
  ssdtLength: number[] = new Array<number>(MAX_SSDTS).fill(0);

  problemCount = 0;
  problemCode: number[] = new Array<number>(MAX_PROBLEMS).fill(0);
  problemSig: number[] = new Array<number>(MAX_PROBLEMS).fill(0);
  problemAddr: number[] = new Array<number>(MAX_PROBLEMS).fill(0);
}

/** FADT flags (ACPI 6.5, table 5.10). */
export const FADT_TMR_VAL_EXT = 0x100;
export const FADT_RESET_REG_SUP = 0x400;
export const FADT_HW_REDUCED = 0x100000;

export function addProblem(info: AcpiInfo, code: number, signature: number, addr: number): void {
  if (info.problemCount < MAX_PROBLEMS - 1) {
    info.problemCode[info.problemCount] = code;
    info.problemSig[info.problemCount] = signature;
    info.problemAddr[info.problemCount] = addr;
    info.problemCount++;
  } else if (info.problemCount === MAX_PROBLEMS - 1) {
    info.problemCode[info.problemCount] = AcpiProblem.TooManyProblems;
    info.problemSig[info.problemCount] = 0;
    info.problemAddr[info.problemCount] = 0;
    info.problemCount++;
  }
}

export function hasProblem(info: AcpiInfo, code: number): boolean {
  for (let i = 0; i < info.problemCount; i++) {
    if (info.problemCode[i] === code) return true;
  }
  return false;
}

// Reads at physical addresses the caller has checked with physReadable.
function rd8(phys: number): number {
  return load8(physToVirt(phys));
}
function rd16(phys: number): number {
  return load16(physToVirt(phys));
}
function rd32(phys: number): number {
  return load32(physToVirt(phys)) >>> 0;
}
/** A 64-bit address as a number, or -1 when it is at or above 2^52. */
function rdAddr64(phys: number): number {
  const lo = rd32(phys);
  const hi = rd32(phys + 4);
  if (hi >= PHYS_LIMIT_HIGH) return -1;
  return hi * 0x100000000 + lo;
}

function checksumOk(phys: number, len: number): boolean {
  let sum = 0;
  for (let i = 0; i < len; i++) sum = (sum + rd8(phys + i)) & 0xff;
  return sum === 0;
}

function overlapsUsed(info: AcpiInfo, start: number, end: number): boolean {
  for (let i = 0; i < info.usedCount; i++) {
    if (start < info.usedEnd[i]! && info.usedStart[i]! < end) return true;
  }
  return false;
}

function markUsed(info: AcpiInfo, start: number, len: number): void {
  if (info.usedCount >= MAX_TABLES) return;
  info.usedStart[info.usedCount] = start;
  info.usedEnd[info.usedCount] = start + len;
  info.usedCount++;
}

/**
 * Checks the table at `addr` that should carry `signature`: header readable, signature, length at
 * least `minLength` and at most MAX_TABLE_LENGTH, all of it readable, no overlap with a table in
 * use, checksum. Returns its length, or -1 after recording why it is refused.
 */
export function checkTable(info: AcpiInfo, map: PhysMap, addr: number, signature: number, minLength: number): number {
  if (addr <= 0 || !physReadable(map, addr, HEADER_SIZE)) {
    addProblem(info, AcpiProblem.OutsideMemory, signature, addr);
    return -1;
  }
  if (rd32(addr) !== signature) {
    addProblem(info, AcpiProblem.BadSignature, signature, addr);
    return -1;
  }
  const len = rd32(addr + 4);
  if (len < minLength || len < HEADER_SIZE || len > MAX_TABLE_LENGTH) {
    addProblem(info, AcpiProblem.BadLength, signature, addr);
    return -1;
  }
  if (!physReadable(map, addr, len)) {
    addProblem(info, AcpiProblem.OutsideMemory, signature, addr);
    return -1;
  }
  if (overlapsUsed(info, addr, addr + len)) {
    addProblem(info, AcpiProblem.Overlaps, signature, addr);
    return -1;
  }
  // Each checksum reads a range no other table may then claim (a bad one is marked too), and the
  // ranges are counted: however the root's entries point, the bytes read stay bounded.
  if (info.usedCount >= MAX_TABLES || len > MAX_BYTES_CHECKED - info.bytesChecked) {
    addProblem(info, AcpiProblem.TooManyEntries, signature, addr);
    return -1;
  }
  markUsed(info, addr, len);
  info.bytesChecked += len;
  if (!checksumOk(addr, len)) {
    addProblem(info, AcpiProblem.BadChecksum, signature, addr);
    return -1;
  }
  return len;
}

const RSDP_V1_SIZE = 20;
const RSDP_V2_SIZE = 36;
/** "RSD PTR " as two little-endian words. */
const RSDP_SIG_LO = sig("RSD ");
const RSDP_SIG_HI = sig("PTR ");

/**
 * Chooses the root table from the RSDP copy at `rsdp` (`len` bytes): the XSDT when the RSDP is
 * revision 2 or later and both its checksums hold and the XSDT is good, else the RSDT. Returns
 * whether a root was found.
 */
function useRsdp(info: AcpiInfo, map: PhysMap, rsdp: number, len: number, within: PhysRange): boolean {
  // The copy lies in the boot information (already read by its parser), which a loader may place
  // anywhere, even in the tail of a kernel page: it is checked against that structure's range.
  if (rsdp <= 0 || len < RSDP_V1_SIZE || rsdp < within.start || len > within.end - rsdp) {
    addProblem(info, AcpiProblem.OutsideMemory, 0, rsdp);
    return false;
  }
  if (rd32(rsdp) !== RSDP_SIG_LO || rd32(rsdp + 4) !== RSDP_SIG_HI) {
    addProblem(info, AcpiProblem.RsdpBadSignature, 0, rsdp);
    return false;
  }
  if (!checksumOk(rsdp, RSDP_V1_SIZE)) {
    addProblem(info, AcpiProblem.RsdpBadChecksum, 0, rsdp);
    return false;
  }
  const revision = rd8(rsdp + 15);
  if (revision >= 2 && len >= RSDP_V2_SIZE) {
    const extLen = rd32(rsdp + 20);
    // The extended checksum covers `Length` bytes, which must lie inside the copy.
    if (extLen >= RSDP_V2_SIZE && extLen <= len && checksumOk(rsdp, extLen)) {
      const xsdt = rdAddr64(rsdp + 24);
      if (xsdt > 0 && checkTable(info, map, xsdt, SIG_XSDT, HEADER_SIZE) >= 0) {
        info.rsdpAddr = rsdp;
        info.rsdpRevision = revision;
        info.rootAddr = xsdt;
        info.rootIsXsdt = true;
        return true;
      }
      if (xsdt < 0) addProblem(info, AcpiProblem.BadAddress, SIG_XSDT, rsdp);
    } else {
      addProblem(info, AcpiProblem.RsdpBadExtendedChecksum, 0, rsdp);
    }
  }
  const rsdt = rd32(rsdp + 16);
  if (checkTable(info, map, rsdt, SIG_RSDT, HEADER_SIZE) < 0) return false;
  info.rsdpAddr = rsdp;
  info.rsdpRevision = revision;
  info.rootAddr = rsdt;
  info.rootIsXsdt = false;
  return true;
}

/** A physical range [start, end). */
export class PhysRange {
  start = 0;
  end = 0;
}

/**
 * Parses the ACPI tables reachable from the RSDP copies the boot loader gave: `rsdp` (the newest)
 * and `rsdpV1` (an ACPI 1.0 copy, tried when the first is unusable; 0 if none), both inside
 * `within` (the boot information), reading tables only where `map` allows. Never throws; what is
 * wrong is in the result's problems.
 */
export function parseAcpi(
  map: PhysMap, rsdp: number, rsdpLength: number, rsdpV1: number, rsdpV1Length: number, within: PhysRange,
): AcpiInfo {
  const info = new AcpiInfo();
  if (rsdp === 0 && rsdpV1 === 0) {
    addProblem(info, AcpiProblem.NoRsdp, 0, 0);
    return info;
  }
  let found = rsdp !== 0 && useRsdp(info, map, rsdp, rsdpLength, within);
  if (!found && rsdpV1 !== 0 && rsdpV1 !== rsdp) found = useRsdp(info, map, rsdpV1, rsdpV1Length, within);
  if (!found) {
    addProblem(info, AcpiProblem.NoRoot, 0, 0);
    return info;
  }
  walkRoot(info, map);
  if (info.fadtFound && info.dsdtAddr !== 0) {
    const len = checkTable(info, map, info.dsdtAddr, SIG_DSDT, HEADER_SIZE);
    if (len >= 0) takeS5(info, findS5(info.dsdtAddr + HEADER_SIZE, info.dsdtAddr + len));
  }
  for (let i = 0; i < info.ssdtCount && !info.s5Found; i++) {
    takeS5(info, findS5(info.ssdtAddr[i]! + HEADER_SIZE, info.ssdtAddr[i]! + info.ssdtLength[i]!));
  }
  if (info.fadtFound && !info.s5Found && !hwReduced(info)) addProblem(info, AcpiProblem.NoS5, SIG_DSDT, info.dsdtAddr);
  return info;
}

function takeS5(info: AcpiInfo, s5: number): void {
  if (s5 < 0 || info.s5Found) return;
  info.s5Found = true;
  info.slpTypA = s5 & 0xff;
  info.slpTypB = (s5 >> 8) & 0xff;
}

export function hwReduced(info: AcpiInfo): boolean {
  return (info.fadtFlags & FADT_HW_REDUCED) !== 0;
}

function walkRoot(info: AcpiInfo, map: PhysMap): void {
  const root = info.rootAddr;
  const rootSig = info.rootIsXsdt ? SIG_XSDT : SIG_RSDT;
  const entrySize = info.rootIsXsdt ? 8 : 4;
  const len = rd32(root + 4);
  let entries = Math.floor((len - HEADER_SIZE) / entrySize);
  if (entries > MAX_ROOT_ENTRIES) {
    addProblem(info, AcpiProblem.TooManyEntries, rootSig, root);
    entries = MAX_ROOT_ENTRIES;
  }
  for (let i = 0; i < entries; i++) {
    const at = root + HEADER_SIZE + i * entrySize;
    const addr = info.rootIsXsdt ? rdAddr64(at) : rd32(at);
    if (addr <= 0 || !physReadable(map, addr, HEADER_SIZE)) {
      addProblem(info, AcpiProblem.EntryOutsideMemory, rootSig, addr);
      continue;
    }
    const s = rd32(addr);
    if (info.tableCount < MAX_TABLES) {
      info.tableSig[info.tableCount] = s;
      info.tableAddr[info.tableCount] = addr;
      info.tableCount++;
    }
    if (s === SIG_FADT) {
      if (info.fadtFound) addProblem(info, AcpiProblem.Duplicate, s, addr);
      else parseFadt(info, map, addr);
    } else if (s === SIG_MADT) {
      if (info.madtFound) addProblem(info, AcpiProblem.Duplicate, s, addr);
      else parseMadt(info, map, addr);
    } else if (s === SIG_HPET) {
      if (info.hpetFound) addProblem(info, AcpiProblem.Duplicate, s, addr);
      else parseHpet(info, map, addr);
    } else if (s === SIG_MCFG) {
      if (info.mcfgCount > 0) addProblem(info, AcpiProblem.Duplicate, s, addr);
      else parseMcfg(info, map, addr);
    } else if (s === SIG_SSDT) {
      const n = checkTable(info, map, addr, SIG_SSDT, HEADER_SIZE);
      if (n >= 0 && info.ssdtCount < MAX_SSDTS) {
        info.ssdtAddr[info.ssdtCount] = addr;
        info.ssdtLength[info.ssdtCount] = n;
        info.ssdtCount++;
      }
    }
    // Other tables are listed (for the boot summary) and not read further.
  }
}

// ---- MADT ------------------------------------------------------------------------------------

const MADT_MIN = 44;

function parseMadt(info: AcpiInfo, map: PhysMap, addr: number): void {
  const len = checkTable(info, map, addr, SIG_MADT, MADT_MIN);
  if (len < 0) return;
  info.madtFound = true;
  info.localApicAddr = rd32(addr + 36);
  info.pcatCompat = (rd32(addr + 40) & 1) !== 0;
  let off = MADT_MIN;
  while (off + 2 <= len) {
    const e = addr + off;
    const type = rd8(e);
    const elen = rd8(e + 1);
    if (elen < 2 || elen > len - off) {
      // A bad length leaves no way to find the next entry: the rest is ignored.
      addProblem(info, AcpiProblem.BadEntry, SIG_MADT, e);
      return;
    }
    madtEntry(info, map, e, type, elen);
    off += elen;
  }
}

function madtEntry(info: AcpiInfo, map: PhysMap, e: number, type: number, elen: number): void {
  switch (type) {
    case 0: // processor local APIC
      if (elen < 8) break;
      addCpu(info, rd8(e + 3), rd8(e + 2), rd32(e + 4));
      return;
    case 9: // processor local x2APIC
      if (elen < 16) break;
      addCpu(info, rd32(e + 4), rd32(e + 12), rd32(e + 8));
      return;
    case 1: { // I/O APIC
      if (elen < 12) break;
      const a = rd32(e + 4);
      const gsiBase = rd32(e + 8);
      // Its registers would be written: never RAM or the kernel, and 16-byte aligned.
      if (a % 16 !== 0 || !deviceRangeOk(map, a, IOAPIC_WINDOW, LOW_4G) || gsiBase > 0xffff) {
        addProblem(info, AcpiProblem.BadAddress, SIG_MADT, e);
        return;
      }
      if (info.ioapicCount >= MAX_IOAPICS) {
        addProblem(info, AcpiProblem.TooManyEntries, SIG_MADT, e);
        return;
      }
      info.ioapicId[info.ioapicCount] = rd8(e + 2);
      info.ioapicAddr[info.ioapicCount] = a;
      info.ioapicGsiBase[info.ioapicCount] = gsiBase;
      info.ioapicCount++;
      return;
    }
    case 2: { // interrupt source override
      if (elen < 10) break;
      const bus = rd8(e + 2);
      const irq = rd8(e + 3);
      const gsi = rd32(e + 4);
      const flags = rd16(e + 8);
      // Polarity and trigger value 2 are reserved; only ISA (bus 0) sources exist.
      if (bus !== 0 || irq >= 16 || gsi > 0xffff || (flags & IntiFlags.PolarityMask) === 2 || (flags & IntiFlags.TriggerMask) === 8) {
        addProblem(info, AcpiProblem.BadEntry, SIG_MADT, e);
        return;
      }
      for (let i = 0; i < info.overrideCount; i++) {
        if (info.overrideIrq[i] === irq) {
          addProblem(info, AcpiProblem.Duplicate, SIG_MADT, e);
          return;
        }
      }
      if (info.overrideCount >= MAX_OVERRIDES) {
        addProblem(info, AcpiProblem.TooManyEntries, SIG_MADT, e);
        return;
      }
      info.overrideIrq[info.overrideCount] = irq;
      info.overrideGsi[info.overrideCount] = gsi;
      info.overrideFlags[info.overrideCount] = flags & 0xf;
      info.overrideCount++;
      return;
    }
    case 3: // NMI source
      if (elen < 8) break;
      if (info.nmiSourceCount < MAX_NMIS) {
        info.nmiSourceFlags[info.nmiSourceCount] = rd16(e + 2) & 0xf;
        info.nmiSourceGsi[info.nmiSourceCount] = rd32(e + 4);
        info.nmiSourceCount++;
      }
      return;
    case 4: // local APIC NMI
      if (elen < 6) break;
      addLapicNmi(info, rd8(e + 2) === 0xff ? -1 : rd8(e + 2), rd16(e + 3) & 0xf, rd8(e + 5));
      return;
    case 0xa: // local x2APIC NMI
      if (elen < 12) break;
      addLapicNmi(info, rd32(e + 4) === 0xffffffff ? -1 : rd32(e + 4), rd16(e + 2) & 0xf, rd8(e + 8));
      return;
    case 5: { // local APIC address override
      if (elen < 12) break;
      const a = rdAddr64(e + 4);
      if (a > 0 && deviceRangeOk(map, a, 0x1000, LOW_4G)) info.localApicAddr = a;
      else addProblem(info, AcpiProblem.BadAddress, SIG_MADT, e);
      return;
    }
    default:
      // Other types (GIC, SAPIC, wakeup mailbox...) do not concern this kernel.
      return;
  }
  addProblem(info, AcpiProblem.BadEntry, SIG_MADT, e);
}

function addCpu(info: AcpiInfo, apicId: number, uid: number, flags: number): void {
  // Bit 0: enabled; bit 1: can be brought online. Neither: the slot is unused.
  if ((flags & 3) === 0) return;
  if (info.cpuCount >= MAX_CPUS) return;
  info.cpuApicId[info.cpuCount] = apicId;
  info.cpuUid[info.cpuCount] = uid;
  info.cpuEnabled[info.cpuCount] = (flags & 1) !== 0;
  info.cpuCount++;
}

function addLapicNmi(info: AcpiInfo, uid: number, flags: number, lint: number): void {
  if (lint > 1 || info.lapicNmiCount >= MAX_NMIS) return;
  info.lapicNmiUid[info.lapicNmiCount] = uid;
  info.lapicNmiFlags[info.lapicNmiCount] = flags;
  info.lapicNmiLint[info.lapicNmiCount] = lint;
  info.lapicNmiCount++;
}

// ---- FADT ------------------------------------------------------------------------------------

/** The ACPI 1.0 FADT ends after the flags; later fields are read only when the length covers them. */
const FADT_V1_LENGTH = 116;

/** An I/O port field: nonzero and below 0x10000, else 0. */
function port(v: number): number {
  return v > 0 && v < 0x10000 ? v : 0;
}

/** The I/O port of the generic address at `gas` when it is in I/O space, else 0. */
function gasPort(gas: number): number {
  if (rd8(gas) !== AddressSpace.Io) return 0;
  const a = rdAddr64(gas + 4);
  return a > 0 && a < 0x10000 ? a : 0;
}

function parseFadt(info: AcpiInfo, map: PhysMap, addr: number): void {
  const len = checkTable(info, map, addr, SIG_FADT, FADT_V1_LENGTH);
  if (len < 0) return;
  info.fadtFound = true;
  info.fadtRevision = rd8(addr + 8);
  info.fadtFlags = rd32(addr + 112);
  info.sciIrq = rd16(addr + 46);
  info.smiCmd = port(rd32(addr + 48));
  info.acpiEnable = rd8(addr + 52);
  info.bootArch = rd16(addr + 109);
  const cntLen = rd8(addr + 89);
  // PM1 control registers are 16 bits wide: a block shorter than 2 bytes cannot hold one.
  if (cntLen >= 2) {
    info.pm1aCnt = port(rd32(addr + 64));
    info.pm1bCnt = port(rd32(addr + 68));
  }
  if (rd8(addr + 91) >= 4) info.pmTimerPort = port(rd32(addr + 76));
  info.pmTimer32 = (info.fadtFlags & FADT_TMR_VAL_EXT) !== 0;
  let dsdt = rd32(addr + 40);
  // ACPI 2.0+ fields: X_DSDT and the 64-bit generic addresses win when they are set.
  if (len >= 148) {
    const x = rdAddr64(addr + 140);
    if (x > 0) dsdt = x;
  }
  if (len >= 196) {
    const a = gasPort(addr + 172);
    if (a !== 0) info.pm1aCnt = a;
    const b = gasPort(addr + 184);
    if (b !== 0) info.pm1bCnt = b;
  }
  if (len >= 220) {
    const t = gasPort(addr + 208);
    if (t !== 0) info.pmTimerPort = t;
  }
  info.dsdtAddr = dsdt > 0 ? dsdt : 0;
  if (len >= 129 && (info.fadtFlags & FADT_RESET_REG_SUP) !== 0) parseResetRegister(info, map, addr);
}

function parseResetRegister(info: AcpiInfo, map: PhysMap, fadt: number): void {
  const gas = fadt + 116;
  const space = rd8(gas);
  const width = rd8(gas + 1);
  const a = rdAddr64(gas + 4);
  // The reset register is one byte wide (ACPI 6.5, 4.8.3.6).
  let ok = (width === 8 || width === 0) && a > 0;
  if (ok && space === AddressSpace.Io) ok = a < 0x10000;
  else if (ok && space === AddressSpace.Memory) ok = deviceRangeOk(map, a, 1, LOW_4G);
  // PCI configuration space: device in bits 32-47, function 16-31, offset 0-15, on bus 0.
  else if (ok && space === AddressSpace.PciConfig) ok = Math.floor(a / 0x100000000) < 32 && Math.floor(a / 0x10000) % 0x10000 < 8 && a % 0x10000 < 256;
  else ok = false;
  if (!ok) {
    addProblem(info, AcpiProblem.BadAddress, SIG_FADT, gas);
    return;
  }
  info.resetSupported = true;
  info.resetSpace = space;
  info.resetAddr = a;
  info.resetWidth = 8;
  info.resetValue = rd8(fadt + 128);
}

// ---- HPET and MCFG ---------------------------------------------------------------------------

function parseHpet(info: AcpiInfo, map: PhysMap, addr: number): void {
  const len = checkTable(info, map, addr, SIG_HPET, 56);
  if (len < 0) return;
  const a = rdAddr64(addr + 44);
  if (rd8(addr + 40) !== AddressSpace.Memory || a <= 0 || a % 8 !== 0 || !deviceRangeOk(map, a, HPET_BLOCK, LOW_4G)) {
    addProblem(info, AcpiProblem.BadAddress, SIG_HPET, addr);
    return;
  }
  info.hpetFound = true;
  info.hpetAddr = a;
  info.hpetNumber = rd8(addr + 52);
  info.hpetMinTick = rd16(addr + 53);
}

function parseMcfg(info: AcpiInfo, map: PhysMap, addr: number): void {
  const len = checkTable(info, map, addr, SIG_MCFG, 44);
  if (len < 0) return;
  let n = Math.floor((len - 44) / 16);
  if (n > MAX_MCFG) {
    addProblem(info, AcpiProblem.TooManyEntries, SIG_MCFG, addr);
    n = MAX_MCFG;
  }
  for (let i = 0; i < n; i++) {
    const e = addr + 44 + i * 16;
    const base = rdAddr64(e);
    const segment = rd16(e + 8);
    const start = rd8(e + 10);
    const end = rd8(e + 11);
    const size = (end - start + 1) * ECAM_BUS_BYTES;
    // The base addresses bus 0 of the segment, so the range used starts at bus `start`.
    if (base <= 0 || base % ECAM_BUS_BYTES !== 0 || end < start || !deviceRangeOk(map, base + start * ECAM_BUS_BYTES, size, PHYS_LIMIT)) {
      addProblem(info, AcpiProblem.BadEntry, SIG_MCFG, e);
      continue;
    }
    info.mcfgBase[info.mcfgCount] = base;
    info.mcfgSegment[info.mcfgCount] = segment;
    info.mcfgStartBus[info.mcfgCount] = start;
    info.mcfgEndBus[info.mcfgCount] = end;
    info.mcfgCount++;
  }
}

// ---- Names -----------------------------------------------------------------------------------

/** The name a table is known by (FADT for "FACP", MADT for "APIC"). */
export function tableName(signature: number): string {
  if (signature === SIG_RSDT) return "RSDT";
  if (signature === SIG_XSDT) return "XSDT";
  if (signature === SIG_FADT) return "FADT";
  if (signature === SIG_MADT) return "MADT";
  if (signature === SIG_HPET) return "HPET";
  if (signature === SIG_MCFG) return "MCFG";
  if (signature === SIG_DSDT) return "DSDT";
  if (signature === SIG_SSDT) return "SSDT";
  if (signature === 0) return "RSDP";
  return "table";
}

export function acpiProblemText(code: number): string {
  switch (code) {
    case AcpiProblem.NoRsdp: return "the boot loader gave no RSDP";
    case AcpiProblem.RsdpBadSignature: return "bad signature";
    case AcpiProblem.RsdpBadChecksum: return "bad checksum";
    case AcpiProblem.RsdpBadExtendedChecksum: return "bad extended checksum or length (XSDT not used)";
    case AcpiProblem.OutsideMemory: return "lies outside the memory map";
    case AcpiProblem.BadLength: return "bad length";
    case AcpiProblem.BadChecksum: return "bad checksum";
    case AcpiProblem.BadSignature: return "bad signature";
    case AcpiProblem.Overlaps: return "overlaps another table";
    case AcpiProblem.TooManyEntries: return "more entries or bytes than the kernel reads";
    case AcpiProblem.Duplicate: return "duplicate (first one used)";
    case AcpiProblem.BadEntry: return "bad entry";
    case AcpiProblem.BadAddress: return "bad device address";
    case AcpiProblem.NoS5: return "no readable _S5_ package (no ACPI power off)";
    case AcpiProblem.TooManyProblems: return "more problems than listed";
    case AcpiProblem.NoRoot: return "no usable RSDT or XSDT";
    case AcpiProblem.EntryOutsideMemory: return "an entry points there, outside the memory map";
    default: return "unknown problem";
  }
}
