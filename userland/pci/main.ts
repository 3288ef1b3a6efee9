// pci: the PCI service. init starts it with two capabilities, in this order: the I/O port range
// 0xcf8..0xcff (configuration mechanism #1) and the receive side of its endpoint. It enumerates
// every bus, lists each function (bus:dev.fn, vendor:device, class, interrupt line and pin, and
// each BAR with the size the all-ones probe reveals) on the log, and then answers init's calls
// (userland/lib/pci.ts, docs/services.md "PCI"): find a device, describe a BAR, enable decoding and
// bus mastering. It holds no device control capability: init claims a driver's BARs and interrupt
// line itself, from what this service reports, so the service can touch configuration space and
// nothing else.
import { FIRST_START_HANDLE } from "../../abi/process.ts";
import { PciOp, PciStatus } from "../lib/pci.ts";
import { inl, ioPortEnable, outl } from "../lib/device.ts";
import { msgAlloc, msgLabel, msgSetLabel, msgSetWord, msgWord, RECEIVED_CALL, replyWait } from "../lib/ipc.ts";
import { errorText, exit } from "../lib/sys.ts";
import {
  BarKind, barBase, barCount, barKind, barSize, bdfPack, Cfg, classOf, Command, CONFIG_ADDRESS, CONFIG_DATA, configAddress,
  deviceOf, headerLayout, interruptLine, interruptPin, isMultiFunction, NO_VENDOR, vendorOf,
} from "./config.ts";

const PORTS = FIRST_START_HANDLE;
const ENDPOINT = FIRST_START_HANDLE + 1;
const MAX_FUNCTIONS = 64;
const BARS = 6;

function fail(what: string, r: number): never {
  console.log(`pci: ${what}: ${errorText(r)}`);
  return exit(1);
}

function read32(bus: number, dev: number, fn: number, offset: number): number {
  outl(CONFIG_ADDRESS, configAddress(bus, dev, fn, offset));
  return inl(CONFIG_DATA) >>> 0;
}

function write32(bus: number, dev: number, fn: number, offset: number, v: number): void {
  outl(CONFIG_ADDRESS, configAddress(bus, dev, fn, offset));
  outl(CONFIG_DATA, v >>> 0);
}

/** The functions found: identity, class, interrupt, and each BAR's kind, base and size. */
class Table {
  count = 0;
  bdf: number[] = new Array<number>(MAX_FUNCTIONS).fill(0);
  id: number[] = new Array<number>(MAX_FUNCTIONS).fill(0);
  klass: number[] = new Array<number>(MAX_FUNCTIONS).fill(0);
  irq: number[] = new Array<number>(MAX_FUNCTIONS).fill(0);
  barKind: number[] = new Array<number>(MAX_FUNCTIONS * BARS).fill(0);
  barBase: number[] = new Array<number>(MAX_FUNCTIONS * BARS).fill(0);
  barSize: number[] = new Array<number>(MAX_FUNCTIONS * BARS).fill(0);
}

const table = new Table();

/** Reads BAR `i` of a function and probes its size, with decoding off meanwhile. */
function probeBars(bus: number, dev: number, fn: number, slot: number, bars: number): void {
  const command = read32(bus, dev, fn, Cfg.CommandStatus);
  write32(bus, dev, fn, Cfg.CommandStatus, command & 0xfffffff8 & 0xffff);
  for (let i = 0; i < bars; i++) {
    const at = Cfg.Bar0 + i * 4;
    const low = read32(bus, dev, fn, at);
    write32(bus, dev, fn, at, 0xffffffff);
    const probeLow = read32(bus, dev, fn, at);
    write32(bus, dev, fn, at, low);
    if (probeLow === 0) continue;
    const kind = barKind(low);
    let high = 0;
    let probeHigh = 0;
    if (kind === BarKind.Mem64 && i + 1 < bars) {
      high = read32(bus, dev, fn, at + 4);
      write32(bus, dev, fn, at + 4, 0xffffffff);
      probeHigh = read32(bus, dev, fn, at + 4);
      write32(bus, dev, fn, at + 4, high);
    }
    const k = slot * BARS + i;
    table.barKind[k] = kind;
    table.barBase[k] = barBase(low, high);
    table.barSize[k] = barSize(kind, probeLow, probeHigh);
    if (kind === BarKind.Mem64) i++;
  }
  write32(bus, dev, fn, Cfg.CommandStatus, command & 0xffff);
}

function kindName(kind: number): string {
  switch (kind) {
    case BarKind.Io: return "io";
    case BarKind.Mem32: return "mem32";
    case BarKind.Mem64: return "mem64";
    default: return "none";
  }
}

function addFunction(bus: number, dev: number, fn: number, dword0: number): void {
  const slot = table.count;
  const header = read32(bus, dev, fn, Cfg.HeaderType);
  const klass = classOf(read32(bus, dev, fn, Cfg.ClassRevision));
  const intr = read32(bus, dev, fn, Cfg.Interrupt);
  console.log(`pci: ${bus.toString(16).padStart(2, "0")}:${dev.toString(16).padStart(2, "0")}.${fn} ${vendorOf(dword0).toString(16).padStart(4, "0")}:${deviceOf(dword0).toString(16).padStart(4, "0")} class ${klass.toString(16).padStart(6, "0")} irq ${interruptLine(intr)} pin ${interruptPin(intr)}`);
  if (slot >= MAX_FUNCTIONS) return;
  table.count++;
  table.bdf[slot] = bdfPack(bus, dev, fn);
  table.id[slot] = dword0 >>> 0;
  table.klass[slot] = klass;
  table.irq[slot] = intr & 0xffff;
  probeBars(bus, dev, fn, slot, barCount(headerLayout(header)));
  for (let i = 0; i < BARS; i++) {
    const k = slot * BARS + i;
    if (table.barKind[k]! === BarKind.None) continue;
    console.log(`pci: ${bus.toString(16).padStart(2, "0")}:${dev.toString(16).padStart(2, "0")}.${fn} bar${i} ${kindName(table.barKind[k]!)} 0x${table.barBase[k]!.toString(16)} size 0x${table.barSize[k]!.toString(16)}`);
  }
}

function enumerate(): void {
  for (let bus = 0; bus < 256; bus++) {
    for (let dev = 0; dev < 32; dev++) {
      const d0 = read32(bus, dev, 0, Cfg.VendorDevice);
      if (vendorOf(d0) === NO_VENDOR) continue;
      addFunction(bus, dev, 0, d0);
      if (!isMultiFunction(read32(bus, dev, 0, Cfg.HeaderType))) continue;
      for (let fn = 1; fn < 8; fn++) {
        const d = read32(bus, dev, fn, Cfg.VendorDevice);
        if (vendorOf(d) !== NO_VENDOR) addFunction(bus, dev, fn, d);
      }
    }
  }
}

function slotOf(bdf: number): number {
  for (let i = 0; i < table.count; i++) if (table.bdf[i]! === bdf) return i;
  return -1;
}

/** Answers the call in m, in place. */
function serve(m: number): void {
  const label = msgLabel(m);
  const w0 = msgWord(m, 0);
  const w1 = msgWord(m, 1);
  const w2 = msgWord(m, 2);
  for (let i = 0; i < 6; i++) msgSetWord(m, i, 0);
  switch (label) {
    case PciOp.Find: {
      let seen = 0;
      for (let i = 0; i < table.count; i++) {
        const id = table.id[i]!;
        if (vendorOf(id) !== w0 || deviceOf(id) !== w1) continue;
        if (seen++ !== w2) continue;
        msgSetLabel(m, PciStatus.Ok);
        msgSetWord(m, 0, table.bdf[i]!);
        msgSetWord(m, 1, table.klass[i]!);
        msgSetWord(m, 2, table.irq[i]!);
        return;
      }
      msgSetLabel(m, PciStatus.NotFound);
      return;
    }
    case PciOp.Bar: {
      const slot = slotOf(w0);
      if (slot < 0 || w1 < 0 || w1 >= BARS || table.barKind[slot * BARS + w1]! === BarKind.None) {
        msgSetLabel(m, PciStatus.NotFound);
        return;
      }
      const k = slot * BARS + w1;
      msgSetLabel(m, PciStatus.Ok);
      msgSetWord(m, 0, table.barKind[k]!);
      msgSetWord(m, 1, table.barBase[k]!);
      msgSetWord(m, 2, table.barSize[k]!);
      return;
    }
    case PciOp.Enable: {
      const slot = slotOf(w0);
      if (slot < 0 || (w1 & ~(Command.Io | Command.Memory | Command.BusMaster)) !== 0) {
        msgSetLabel(m, slot < 0 ? PciStatus.NotFound : PciStatus.BadRequest);
        return;
      }
      const bus = (w0 >> 8) & 0xff;
      const dev = (w0 >> 3) & 0x1f;
      const fn = w0 & 7;
      const command = (read32(bus, dev, fn, Cfg.CommandStatus) & 0xffff) | w1;
      write32(bus, dev, fn, Cfg.CommandStatus, command);
      msgSetLabel(m, PciStatus.Ok);
      msgSetWord(m, 0, read32(bus, dev, fn, Cfg.CommandStatus) & 0xffff);
      return;
    }
    default:
      msgSetLabel(m, PciStatus.BadRequest);
  }
}

const r = ioPortEnable(PORTS);
if (r < 0) fail("configuration ports", r);
enumerate();
console.log(`pci: ${table.count} functions`);
const m = msgAlloc();
for (;;) {
  const got = replyWait(ENDPOINT, m, -1);
  if (got < 0) fail("receive", got);
  if (got === RECEIVED_CALL) serve(m);
}
