// PCI configuration space, the pure part (no port I/O): the address word of configuration
// mechanism #1, the header fields the PCI service reads, and the decoding of base address
// registers (BARs) with the size their write-all-ones probe reveals. Host tests:
// tests/unit/drivers/pci-config.test.ts.

export const CONFIG_ADDRESS = 0xcf8;
export const CONFIG_DATA = 0xcfc;
export const NO_VENDOR = 0xffff;

/** Header offsets (type 0 header unless noted). */
export const enum Cfg {
  VendorDevice = 0x00,
  CommandStatus = 0x04,
  ClassRevision = 0x08,
  HeaderType = 0x0c,
  Bar0 = 0x10,
  Interrupt = 0x3c,
}

/** Command register bits. */
export const enum Command {
  Io = 1,
  Memory = 2,
  BusMaster = 4,
}

/** What a BAR decodes to. */
export const enum BarKind {
  None = 0,
  Io = 1,
  Mem32 = 2,
  Mem64 = 3,
}

const TWO32 = 4294967296;

/** The mechanism #1 address word for a dword of function bus:dev.fn's configuration space. */
export function configAddress(bus: number, dev: number, fn: number, offset: number): number {
  return (0x80000000 | ((bus & 0xff) << 16) | ((dev & 0x1f) << 11) | ((fn & 7) << 8) | (offset & 0xfc)) >>> 0;
}

/** bus:dev.fn packed in one number (bus << 8 | dev << 3 | fn), as messages carry it. */
export function bdfPack(bus: number, dev: number, fn: number): number {
  return ((bus & 0xff) << 8) | ((dev & 0x1f) << 3) | (fn & 7);
}
export function bdfBus(bdf: number): number {
  return (bdf >> 8) & 0xff;
}
export function bdfDev(bdf: number): number {
  return (bdf >> 3) & 0x1f;
}
export function bdfFn(bdf: number): number {
  return bdf & 7;
}

export function vendorOf(dword0: number): number {
  return dword0 & 0xffff;
}
export function deviceOf(dword0: number): number {
  return (dword0 >>> 16) & 0xffff;
}
/** class << 16 | subclass << 8 | programming interface, from the class/revision dword. */
export function classOf(dword8: number): number {
  return (dword8 >>> 8) & 0xffffff;
}
/** The header layout (0 device, 1 bridge, 2 CardBus), without the multi-function bit. */
export function headerLayout(dwordC: number): number {
  return (dwordC >>> 16) & 0x7f;
}
export function isMultiFunction(dwordC: number): boolean {
  return ((dwordC >>> 16) & 0x80) !== 0;
}
/** BARs a header layout has: 6 for a device, 2 for a bridge, none otherwise. */
export function barCount(layout: number): number {
  return layout === 0 ? 6 : layout === 1 ? 2 : 0;
}
/** The interrupt line register (the firmware's routing; 0xff: none). */
export function interruptLine(dword3c: number): number {
  return dword3c & 0xff;
}
/** The interrupt pin: 0 none, 1..4 INTA..INTD. */
export function interruptPin(dword3c: number): number {
  return (dword3c >>> 8) & 0xff;
}

/** The kind of a BAR from its low dword. An all-zero BAR is unimplemented. */
export function barKind(low: number): number {
  if ((low & 1) !== 0) return BarKind.Io;
  const type = (low >>> 1) & 3;
  if (type === 2) return BarKind.Mem64;
  return BarKind.Mem32;
}

/** A BAR's base address from its dwords (`high` only counts for a 64-bit BAR). */
export function barBase(low: number, high: number): number {
  const kind = barKind(low);
  if (kind === BarKind.Io) return (low & 0xfffffffc) >>> 0;
  const lo = (low & 0xfffffff0) >>> 0;
  return kind === BarKind.Mem64 ? (high >>> 0) * TWO32 + lo : lo;
}

/**
 * The size of a BAR from what reads back after writing all ones (`probeLow`, and `probeHigh` for
 * a 64-bit BAR): the lowest address bit the device lets through. 0 when the BAR decodes nothing.
 * I/O BARs decode at most 16 address bits.
 */
export function barSize(kind: number, probeLow: number, probeHigh: number): number {
  switch (kind) {
    case BarKind.Io: {
      const mask = (probeLow & 0xfffc) >>> 0;
      return mask === 0 ? 0 : 0x10000 - mask;
    }
    case BarKind.Mem32: {
      const mask = (probeLow & 0xfffffff0) >>> 0;
      return mask === 0 ? 0 : TWO32 - mask;
    }
    case BarKind.Mem64: {
      const lo = (probeLow & 0xfffffff0) >>> 0;
      const hi = probeHigh >>> 0;
      if (lo !== 0) return TWO32 - lo + (hi === 0xffffffff ? 0 : (0xffffffff - hi) * TWO32);
      if (hi === 0) return 0;
      // The low dword decodes no bit: the size is a multiple of 4 GiB.
      return (TWO32 - hi) * TWO32;
    }
    default:
      return 0;
  }
}
