// The drivers init starts and supervises. Each gets the device resources of its own device,
// claimed from the device control capability and moved into the driver (so they go back to the
// kernel, and can be claimed again, when the driver dies); nothing else. A driver that ends is
// restarted with its resources claimed afresh, up to MAX_RESTARTS times.
//
// PCI devices go through the PCI service (userland/pci, driver 2), which gets the configuration
// ports and nothing else: init asks it where a device's BARs and interrupt line are and claims
// exactly those itself, so the device control capability never leaves init (docs/services.md,
// "PCI"). init also makes the endpoints that connect the services: the PCI service's (init is its
// only client), the block endpoint, served by virtio-blk and handed to block clients, and the
// framebuffer console's (fbcon, driver 4), whose send side goes to its test client only for now.
//
// fbcon gets the boot framebuffer as write-combining device memory and a read-only memory object
// with the framebuffer's description and the console font's bytes (userland/fbcon/setup.ts),
// which init reads from the `font` boot module once. A driver that exits with status 0 has
// found nothing it can drive (fbcon on a framebuffer it cannot draw) and is not restarted.
import { ErrorCode } from "../../abi/errors.ts";
import { FIRST_START_HANDLE, SPAWN_FLAGS_UNIT, SpawnFlag } from "../../abi/process.ts";
import { CacheMode, IrqMode, deviceMemoryClaim, dmaCreate, framebufferInfo, ioPortClaim, irqClaim } from "../lib/device.ts";
import { FbWord } from "../../abi/framebuffer.ts";
import { FONT_MAX_BYTES, FONT_OFFSET, SetupWord, setupPages } from "../fbcon/setup.ts";
import { free, malloc } from "../lib/heap.ts";
import {
  callRegs, capCopy, capDelete, endpointCreate, memoryCreate, memoryMap, memoryUnmap, msgAlloc, msgClear, msgFree, msgLabel,
  msgSetLabel, msgSetWord, msgWord, Right, spawnCaps, storeWord,
} from "../lib/ipc.ts";
import { PciOp, PciStatus } from "../lib/pci.ts";
import { bytesEqual, loadWord } from "../lib/runtime.ts";
import { errorText, moduleCount, moduleName, moduleRead } from "../lib/sys.ts";
import { DMA_PAGES } from "../virtio-blk/virtqueue.ts";

/** The device control capability the kernel gives init. */
const DEVICE_CONTROL = FIRST_START_HANDLE;
export const DRIVER_COUNT = 5;
/** The framebuffer console's index. */
export const FBCON = 4;
const MAX_RESTARTS = 5;
const MAX_CAPS = 8;
/** Kernel memory each driver may use (its I/O permission bitmap alone takes 8 KiB). */
const DRIVER_QUOTA = 64 * 1024;
/** virtio-blk also maps its DMA memory and each client's buffer. */
const BLOCK_DRIVER_QUOTA = 128 * 1024;
/** A block client's quota (its table, its buffer). */
const CLIENT_QUOTA = 256 * 1024;
/** How long init waits for the PCI service's answer (it enumerates the buses first). */
const PCI_TIMEOUT_NS = 10000000000;
const ENDPOINT_CAPACITY = 16;
/** The transitional virtio block device (legacy interface through an I/O BAR). */
const VIRTIO_VENDOR = 0x1af4;
const VIRTIO_BLK_LEGACY = 0x1001;
/** BarKind.Io (userland/pci/config.ts). */
const BAR_IO = 1;
/** Command bits: I/O space decoding and bus mastering (DMA). */
const COMMAND_IO_MASTER = 1 | 4;
/** Where init maps fbcon's setup object while it fills it in. */
const SETUP_VA = 0x60000000;
const PAGE = 4096;

export class Drivers {
  pid: number[] = new Array<number>(DRIVER_COUNT).fill(0);
  module: number[] = new Array<number>(DRIVER_COUNT).fill(-1);
  restarts: number[] = new Array<number>(DRIVER_COUNT).fill(0);
  running = 0;
  handles = malloc(MAX_CAPS * 8);
  /** init's side of the PCI service's endpoint, and of the block endpoint. */
  pci = endpointCreate(ENDPOINT_CAPACITY);
  block = endpointCreate(ENDPOINT_CAPACITY);
  msg = msgAlloc();
  /** A Process capability naming each running driver (0: none), for block clients' restart test. */
  proc: number[] = new Array<number>(DRIVER_COUNT).fill(0);
  procOut = malloc(8);
  /** init's side of fbcon's endpoint, and the setup object it gives fbcon copies of (0: not made yet). */
  fbcon = endpointCreate(ENDPOINT_CAPACITY);
  fbSetup = 0;
}

function driverName(d: number): string {
  switch (d) {
    case 0: return "kbd";
    case 1: return "serial";
    case 2: return "pci";
    case 3: return "virtio-blk";
    case 4: return "fbcon";
    default: return "?";
  }
}

/** Calls the PCI service: its status (PciStatus), or -error; the answer's words in drs.msg. */
function pciCall(drs: Drivers, op: number, w0: number, w1: number, w2: number): number {
  const m = drs.msg;
  msgClear(m);
  msgSetLabel(m, op);
  msgSetWord(m, 0, w0);
  msgSetWord(m, 1, w1);
  msgSetWord(m, 2, w2);
  const r = callRegs(drs.pci, m, PCI_TIMEOUT_NS);
  return r < 0 ? r : msgLabel(m);
}

/** A copy of `ep` with `rights`, stored at `handles + 8 * i`; false when none could be made. */
function endpointCopy(ep: number, rights: number, handles: number, i: number): number {
  const h = capCopy(ep, rights | Right.Grant);
  if (h >= 0) storeWord(handles + i * 8, h);
  return h;
}

/**
 * A block client's start capabilities: the block endpoint (send side) and, for the test client
 * that checks the driver's restart, a Process capability (Manage) naming the block driver; how
 * many, or -error.
 */
export function blockClientCaps(drs: Drivers, mayKillDriver: boolean): number {
  const h = endpointCopy(drs.block, Right.Write, drs.handles, 0);
  if (h < 0) return h;
  if (!mayKillDriver || drs.proc[3]! === 0) return 1;
  const p = capCopy(drs.proc[3]!, Right.Manage | Right.Grant);
  if (p < 0) return 1;
  storeWord(drs.handles + 8, p);
  return 2;
}

/**
 * fbcon's test client's start capabilities: the send side of fbcon's endpoint and a Process
 * capability (Manage) naming fbcon, for the restart test; how many, or -error.
 */
export function fbconClientCaps(drs: Drivers): number {
  const h = endpointCopy(drs.fbcon, Right.Write, drs.handles, 0);
  if (h < 0) return h;
  if (drs.proc[FBCON]! === 0) return 1;
  const p = capCopy(drs.proc[FBCON]!, Right.Manage | Right.Grant);
  if (p < 0) return 1;
  storeWord(drs.handles + 8, p);
  return 2;
}

/** The quota a program started as a block client gets. */
export const BLOCK_CLIENT_QUOTA = CLIENT_QUOTA;

/** virtio-blk's resources, from what the PCI service reports: IRQ line, I/O BAR, DMA memory, block endpoint. */
function claimVirtioBlk(drs: Drivers, handles: number): number {
  let s = pciCall(drs, PciOp.Find, VIRTIO_VENDOR, VIRTIO_BLK_LEGACY, 0);
  if (s !== PciStatus.Ok) return s < 0 ? s : -ErrorCode.NotFound;
  const bdf = msgWord(drs.msg, 0);
  const line = msgWord(drs.msg, 2) & 0xff;
  s = pciCall(drs, PciOp.Bar, bdf, 0, 0);
  if (s !== PciStatus.Ok || msgWord(drs.msg, 0) !== BAR_IO) return s < 0 ? s : -ErrorCode.NotFound;
  const base = msgWord(drs.msg, 1);
  const size = msgWord(drs.msg, 2);
  if (line === 0 || line >= 16) return -ErrorCode.NotFound;
  s = pciCall(drs, PciOp.Enable, bdf, COMMAND_IO_MASTER, 0);
  if (s !== PciStatus.Ok) return s < 0 ? s : -ErrorCode.NotFound;
  // PCI interrupts are level-triggered; the firmware's source overrides say so for their ISA lines.
  const irq = irqClaim(DEVICE_CONTROL, line, IrqMode.Isa);
  if (irq < 0) return irq;
  storeWord(handles, irq);
  const ports = ioPortClaim(DEVICE_CONTROL, base, size);
  if (ports < 0) return releaseFirst(handles, 1, ports);
  storeWord(handles + 8, ports);
  const dma = dmaCreate(DEVICE_CONTROL, DMA_PAGES);
  if (dma < 0) return releaseFirst(handles, 2, dma);
  storeWord(handles + 16, dma);
  const ep = endpointCopy(drs.block, Right.Read, handles, 3);
  if (ep < 0) return releaseFirst(handles, 3, ep);
  return 4;
}

/** The index of the boot module named `name`, or -1. */
function moduleIndex(name: string): number {
  const buf = malloc(64);
  let found = -1;
  for (let i = 0; i < moduleCount() && found < 0; i++) {
    const len = moduleName(i, buf, 64);
    if (len >= 0 && bytesEqual(buf, Math.min(len, 64), name)) found = i;
  }
  free(buf);
  return found;
}

/**
 * The setup object fbcon gets a read-only copy of (userland/fbcon/setup.ts): the framebuffer's
 * description and the font module's bytes. Made once; its handle, or -error.
 */
function fbconSetup(drs: Drivers, info: number[]): number {
  if (drs.fbSetup > 0) return drs.fbSetup;
  const font = moduleIndex("font");
  if (font < 0) return -ErrorCode.NotFound;
  const size = moduleRead(font, 0, 0, 0);
  if (size < 0) return size;
  if (size > FONT_MAX_BYTES) return -ErrorCode.InvalidArgument;
  const mem = memoryCreate(setupPages(size));
  if (mem < 0) return mem;
  let r = memoryMap(mem, SETUP_VA, Right.Read | Right.Write);
  if (r >= 0) {
    for (let i = 0; i < 6; i++) storeWord(SETUP_VA + (SetupWord.Info + i) * 8, info[i]!);
    storeWord(SETUP_VA + SetupWord.FontBytes * 8, size);
    r = moduleRead(font, 0, SETUP_VA + FONT_OFFSET, size);
    memoryUnmap(SETUP_VA);
  }
  if (r < 0) {
    capDelete(mem);
    return r;
  }
  drs.fbSetup = mem;
  return mem;
}

/** fbcon's resources: the framebuffer as device memory, the setup object, its endpoint's receive side. */
function claimFbcon(drs: Drivers, handles: number): number {
  const info: number[] = [0, 0, 0, 0, 0, 0];
  const r = framebufferInfo(DEVICE_CONTROL, info);
  if (r < 0) return r;
  const phys = info[FbWord.Address]!;
  const offset = phys % PAGE;
  const pages = Math.max(1, Math.floor((offset + info[FbWord.Pitch]! * info[FbWord.Height]! + PAGE - 1) / PAGE));
  const fb = deviceMemoryClaim(DEVICE_CONTROL, phys - offset, pages, CacheMode.WriteCombining);
  if (fb < 0) return fb;
  storeWord(handles, fb);
  const setup = fbconSetup(drs, info);
  if (setup < 0) return releaseFirst(handles, 1, setup);
  const copy = capCopy(setup, Right.Read | Right.Map | Right.Grant);
  if (copy < 0) return releaseFirst(handles, 1, copy);
  storeWord(handles + 8, copy);
  const ep = endpointCopy(drs.fbcon, Right.Read, handles, 2);
  if (ep < 0) return releaseFirst(handles, 2, ep);
  return 3;
}

/** The driver a boot module of this name is, or -1. */
export function driverIndex(name: number, len: number): number {
  for (let d = 0; d < DRIVER_COUNT; d++) if (bytesEqual(name, len, driverName(d))) return d;
  return -1;
}

/** Claims driver `d`'s resources into `handles` (words), in the order the driver expects; how many, or -error. */
function claimResources(drs: Drivers, d: number, handles: number): number {
  switch (d) {
    case 0: {
      // kbd: the i8042's IRQ 1, data port 0x60, status/command port 0x64.
      const irq = irqClaim(DEVICE_CONTROL, 1, IrqMode.Isa);
      if (irq < 0) return irq;
      storeWord(handles, irq);
      const data = ioPortClaim(DEVICE_CONTROL, 0x60, 1);
      if (data < 0) return releaseFirst(handles, 1, data);
      storeWord(handles + 8, data);
      const cmd = ioPortClaim(DEVICE_CONTROL, 0x64, 1);
      if (cmd < 0) return releaseFirst(handles, 2, cmd);
      storeWord(handles + 16, cmd);
      return 3;
    }
    case 1: {
      // serial: COM1's IRQ 4 and its eight ports.
      const irq = irqClaim(DEVICE_CONTROL, 4, IrqMode.Isa);
      if (irq < 0) return irq;
      storeWord(handles, irq);
      const ports = ioPortClaim(DEVICE_CONTROL, 0x3f8, 8);
      if (ports < 0) return releaseFirst(handles, 1, ports);
      storeWord(handles + 8, ports);
      return 2;
    }
    case 2: {
      // pci: the configuration ports 0xcf8..0xcff and the receive side of its endpoint.
      const ports = ioPortClaim(DEVICE_CONTROL, 0xcf8, 8);
      if (ports < 0) return ports;
      storeWord(handles, ports);
      const ep = endpointCopy(drs.pci, Right.Read, handles, 1);
      if (ep < 0) return releaseFirst(handles, 1, ep);
      return 2;
    }
    case 3:
      return claimVirtioBlk(drs, handles);
    case 4:
      return claimFbcon(drs, handles);
    default:
      return -1;
  }
}

/** Gives back the first `n` claimed handles; returns `error`. */
function releaseFirst(handles: number, n: number, error: number): number {
  for (let i = 0; i < n; i++) capDelete(loadWord(handles + i * 8));
  return error;
}

/** Starts driver `d` from boot module `module` with its resources; false when it could not. */
export function driverStart(drs: Drivers, d: number, module: number): boolean {
  drs.module[d] = module;
  const n = claimResources(drs, d, drs.handles);
  if (n === -ErrorCode.NotFound && d === 3) {
    console.log("init: no virtio-blk device: driver virtio-blk not started");
    return false;
  }
  if (n === -ErrorCode.NotFound && d === FBCON) {
    console.log("init: no framebuffer (or no font module): driver fbcon not started");
    return false;
  }
  if (n < 0) {
    console.log(`init: driver ${driverName(d)} not started: its devices: ${errorText(n)}`);
    return false;
  }
  const quota = d === 3 ? BLOCK_DRIVER_QUOTA : DRIVER_QUOTA;
  const pid = spawnCaps(module, drs.handles, n + SpawnFlag.Move * SPAWN_FLAGS_UNIT, quota, 0, drs.procOut);
  if (pid < 0) {
    releaseFirst(drs.handles, n, pid);
    console.log(`init: driver ${driverName(d)} not started: ${errorText(pid)}`);
    return false;
  }
  drs.pid[d] = pid;
  drs.proc[d] = loadWord(drs.procOut);
  drs.running++;
  console.log(`init: driver ${driverName(d)} started as pid ${pid}`);
  return true;
}

/**
 * Child `pid` ended (killed, with `status`): when it was a driver, report it and restart it
 * (up to MAX_RESTARTS times) and return true; false for any other child.
 */
export function driverRestart(drs: Drivers, pid: number, killed: boolean, status: number): boolean {
  let d = -1;
  for (let i = 0; i < DRIVER_COUNT; i++) if (drs.pid[i]! === pid) d = i;
  if (d < 0) return false;
  drs.pid[d] = 0;
  if (drs.proc[d]! !== 0) capDelete(drs.proc[d]!);
  drs.proc[d] = 0;
  drs.running--;
  const how = killed ? "was killed" : "exited";
  if (!killed && status === 0) {
    console.log(`init: driver ${driverName(d)} (pid ${pid}) exited with status 0: nothing to drive, not restarted`);
    return true;
  }
  if (drs.restarts[d]! >= MAX_RESTARTS) {
    console.log(`init: driver ${driverName(d)} (pid ${pid}) ${how} (status ${status}); restarted ${MAX_RESTARTS} times already, left stopped`);
    return true;
  }
  drs.restarts[d] = drs.restarts[d]! + 1;
  console.log(`init: driver ${driverName(d)} (pid ${pid}) ${how} (status ${status}); restarting (${drs.restarts[d]!} of ${MAX_RESTARTS})`);
  driverStart(drs, d, drs.module[d]!);
  return true;
}

export function driversFree(drs: Drivers): void {
  if (drs.fbSetup > 0) capDelete(drs.fbSetup);
  free(drs.handles);
  free(drs.procOut);
  msgFree(drs.msg);
}
