// The services init starts and supervises, as the manifest (manifest.ts) lists them. Each gets the
// capabilities of its entry: device resources claimed from the device control capability, copies
// of the endpoints init makes, a Power capability, a process table capability; they are moved into the service (so they go
// back to the kernel, and can be claimed again, when it dies); nothing else. A service that ends
// is restarted with its capabilities made afresh, up to its entry's limit.
//
// PCI devices go through the PCI service (userland/pci), which gets the configuration
// ports and nothing else: init asks it where a device's BARs and interrupt line are and claims
// exactly those itself, so the device control capability never leaves init (docs/services.md,
// "PCI"). init also makes the endpoints that connect the services: the PCI service's (init is its
// only client), the block endpoint, served by virtio-blk and handed to block clients, the
// console's and the framebuffer console's (fbcon), whose send side goes to the console service
// (and, on its test image, to fbcon-test).
//
// fbcon gets the boot framebuffer as write-combining device memory and a read-only memory object
// with the framebuffer's description and the console font's bytes (userland/fbcon/setup.ts),
// which init reads from the `font` boot module once. A service that exits with status 0 has
// found nothing to do (fbcon on a framebuffer it cannot draw) and is not restarted.
//
// The file system server gets a read-only window on the `rootfs` boot module (GrantKind.Rootfs):
// a memory object of at most ROOTFS_WINDOW_PAGES pages that init keeps mapped. After each start
// init copies the archive through it a piece at a time (module_read), telling the server each
// piece's place with a Load call, so an archive of any size costs init's quota one window.
import { ErrorCode } from "../../abi/errors.ts";
import { FIRST_START_HANDLE, MAX_START_CAPS, SPAWN_FLAGS_UNIT, SpawnFlag, spawnClassFlags } from "../../abi/process.ts";
import { CacheMode, IrqMode, deviceMemoryClaim, dmaCreate, framebufferInfo, ioPortClaim, irqClaim, powerCreate } from "../lib/device.ts";
import { FbWord } from "../../abi/framebuffer.ts";
import { FONT_MAX_BYTES, FONT_OFFSET, SetupWord, setupPages } from "../fbcon/setup.ts";
import { free, malloc } from "../lib/heap.ts";
import {
  callRegs, capCopy, capDelete, capMint, endpointCreate, memoryCreate, memoryMap, memoryUnmap, msgAlloc, msgClear, msgFree, msgLabel, msgSetLabel, msgSetWord, msgWord,
  Right, spawnCaps, storeWord,
} from "../lib/ipc.ts";
import { PciOp, PciStatus } from "../lib/pci.ts";
import { FsOp } from "../lib/fs.ts";
import { processTableCreate } from "../lib/processes.ts";
import { kernelLogCreate } from "../lib/log.ts";
import { bytesEqual, loadWord } from "../lib/runtime.ts";
import { errorText, moduleCount, moduleName, moduleRead } from "../lib/sys.ts";
import { DMA_PAGES } from "../virtio-blk/virtqueue.ts";
import { Channel, CHANNEL_COUNT, Grant, GrantKind, MANIFEST, ServiceClass } from "./manifest.ts";

/** The device control capability the kernel gives init. */
const DEVICE_CONTROL = FIRST_START_HANDLE;
export const DRIVER_COUNT = MANIFEST.length;
/** A block client's quota (its table, its buffer). */
const CLIENT_QUOTA = 256 * 1024;
/** How long init waits for the PCI service's answer (it enumerates the buses first). */
const PCI_TIMEOUT_NS = 10000000000;
const ENDPOINT_CAPACITY = 16;
/** The console's endpoint takes every keystroke and every write: deeper. */
const CONSOLE_CAPACITY = 64;
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
/** The boot archive's window: its size in pages at most, where init maps it, how long a Load may take. */
const ROOTFS_WINDOW_PAGES = 64;
const ROOTFS_VA = 0x62000000;
const ROOTFS_TIMEOUT_NS = 10000000000;

/** One endpoint per Channel (the console's larger: both input drivers and every client send to it). */
function makeChannels(): number[] {
  const c: number[] = [];
  for (let i = 0; i < CHANNEL_COUNT; i++) c.push(endpointCreate(i === Channel.Console ? CONSOLE_CAPACITY : ENDPOINT_CAPACITY));
  return c;
}

export class Drivers {
  pid: number[] = new Array<number>(DRIVER_COUNT).fill(0);
  module: number[] = new Array<number>(DRIVER_COUNT).fill(-1);
  restarts: number[] = new Array<number>(DRIVER_COUNT).fill(0);
  running = 0;
  handles = malloc(MAX_START_CAPS * 8);
  /** init's side of each channel (Channel), made at boot. */
  channels: number[] = makeChannels();
  /** The boot archive's module (-1: none) and its window, mapped at ROOTFS_VA (0: not made yet). */
  rootfsModule = -1;
  rootfsWindow = 0;
  /** The setup object fbcon gets copies of (0: not made yet). */
  fbSetup = 0;
  msg = msgAlloc();
  /** A Process capability naming each running service (0: none), for block clients' restart test. */
  proc: number[] = new Array<number>(DRIVER_COUNT).fill(0);
  procOut = malloc(8);
}

function driverName(d: number): string {
  return d >= 0 && d < DRIVER_COUNT ? MANIFEST[d]!.name : "?";
}

/** Calls the PCI service: its status (PciStatus), or -error; the answer's words in drs.msg. */
function pciCall(drs: Drivers, op: number, w0: number, w1: number, w2: number): number {
  const m = drs.msg;
  msgClear(m);
  msgSetLabel(m, op);
  msgSetWord(m, 0, w0);
  msgSetWord(m, 1, w1);
  msgSetWord(m, 2, w2);
  const r = callRegs(drs.channels[Channel.Pci]!, m, PCI_TIMEOUT_NS);
  return r < 0 ? r : msgLabel(m);
}

/** A copy of `ep` with `rights` (and `badge` unless 0), stored at `handles + 8 * i`; its handle or -error. */
function endpointCopy(ep: number, rights: number, badge: number, handles: number, i: number): number {
  const h = badge === 0 ? capCopy(ep, rights | Right.Grant) : capMint(ep, rights | Right.Grant, badge);
  if (h >= 0) storeWord(handles + i * 8, h);
  return h;
}

/**
 * A block client's start capabilities: the block endpoint (send side) and, for the test client
 * that checks the driver's restart, a Process capability (Manage) naming the block driver; how
 * many, or -error.
 */
export function blockClientCaps(drs: Drivers, mayKillDriver: boolean): number {
  const h = endpointCopy(drs.channels[Channel.Block]!, Right.Write, 0, drs.handles, 0);
  if (h < 0) return h;
  const blk = driverIndex("virtio-blk");
  if (!mayKillDriver || blk < 0 || drs.proc[blk]! === 0) return 1;
  const p = capCopy(drs.proc[blk]!, Right.Manage | Right.Grant);
  if (p < 0) return 1;
  storeWord(drs.handles + 8, p);
  return 2;
}

/**
 * fbcon's test client's start capabilities: the send side of fbcon's endpoint and a Process
 * capability (Manage) naming fbcon, for the restart test; how many, or -error.
 */
export function fbconClientCaps(drs: Drivers): number {
  const h = endpointCopy(drs.channels[Channel.Fbcon]!, Right.Write, 0, drs.handles, 0);
  if (h < 0) return h;
  const fb = driverIndex("fbcon");
  if (fb < 0 || drs.proc[fb]! === 0) return 1;
  const p = capCopy(drs.proc[fb]!, Right.Manage | Right.Grant);
  if (p < 0) return 1;
  storeWord(drs.handles + 8, p);
  return 2;
}

/** The quota a program started as a block client gets. */
export const BLOCK_CLIENT_QUOTA = CLIENT_QUOTA;

/** The virtio block device's resources, from what the PCI service reports: IRQ line, I/O BAR, DMA memory. */
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
  return 3;
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

/** The framebuffer as device memory and a copy of the setup object, at `handles`: 2, or -error. */
function claimFramebuffer(drs: Drivers, handles: number): number {
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
  return 2;
}

/** The window on the boot archive (made once), a read-only copy at `handles`: 1, 0 without an archive, or -error. */
function claimRootfs(drs: Drivers, handles: number): number {
  if (drs.rootfsWindow === 0) {
    const module = moduleIndex("rootfs");
    if (module < 0) return 0;
    const size = moduleRead(module, 0, 0, 0);
    if (size <= 0) return size < 0 ? size : 0;
    const mem = memoryCreate(Math.min(ROOTFS_WINDOW_PAGES, Math.ceil(size / PAGE)));
    if (mem < 0) return mem;
    const r = memoryMap(mem, ROOTFS_VA, Right.Read | Right.Write);
    if (r < 0) {
      capDelete(mem);
      return r;
    }
    drs.rootfsModule = module;
    drs.rootfsWindow = mem;
  }
  const copy = capCopy(drs.rootfsWindow, Right.Read | Right.Map | Right.Grant);
  if (copy < 0) return copy;
  storeWord(handles, copy);
  return 1;
}

/** Sends the boot archive to the file system server just started, through the window; false on failure (reported). */
function rootfsFeed(drs: Drivers, d: number): boolean {
  if (drs.rootfsWindow === 0) return true;
  const size = moduleRead(drs.rootfsModule, 0, 0, 0);
  const window = Math.min(ROOTFS_WINDOW_PAGES * PAGE, Math.ceil(size / PAGE) * PAGE);
  for (let at = 0; at < size; at += window) {
    const n = Math.min(window, size - at);
    let r = moduleRead(drs.rootfsModule, at, ROOTFS_VA, n);
    if (r >= 0) {
      const m = drs.msg;
      msgClear(m);
      msgSetLabel(m, FsOp.Load);
      msgSetWord(m, 0, at);
      msgSetWord(m, 1, n);
      msgSetWord(m, 2, size);
      r = callRegs(drs.channels[Channel.Fs]!, m, ROOTFS_TIMEOUT_NS);
      if (r >= 0 && msgLabel(m) !== 0) r = -msgLabel(m);
    }
    if (r < 0) {
      console.log(`init: the boot archive could not go to ${driverName(d)} (bytes ${at}..${at + n} of ${size}): ${errorText(r)}`);
      return false;
    }
  }
  return true;
}

/** The manifest entry named `name`, or -1. */
export function driverIndex(name: string): number {
  for (let d = 0; d < DRIVER_COUNT; d++) if (MANIFEST[d]!.name === name) return d;
  return -1;
}

/** The manifest entry a boot module of this name (bytes at `name`) is, or -1. */
export function driverIndexOf(name: number, len: number): number {
  for (let d = 0; d < DRIVER_COUNT; d++) if (bytesEqual(name, len, MANIFEST[d]!.name)) return d;
  return -1;
}

/** Whether the service that receives on `channel` runs (true when the manifest names none). */
function channelServed(drs: Drivers, channel: number): boolean {
  for (let d = 0; d < DRIVER_COUNT; d++) {
    for (const g of MANIFEST[d]!.grants) {
      if (g.kind === GrantKind.Endpoint && g.a === channel && (g.b & Right.Read) !== 0) return drs.pid[d]! !== 0;
    }
  }
  return true;
}

/**
 * A capability made with every right (`all`, or -error), handed on with the manifest's `rights`
 * only (and Grant, which the move takes): stored at `where`; 1, or -error.
 */
function restricted(all: number, rights: number, where: number): number {
  if (all < 0) return all;
  const h = capCopy(all, rights | Right.Grant);
  capDelete(all);
  if (h < 0) return h;
  storeWord(where, h);
  return 1;
}

/** Claims or makes one grant's capabilities at `handles + 8 * at`; how many, or -error. */
function claimGrant(drs: Drivers, g: Grant, handles: number, at: number): number {
  const where = handles + at * 8;
  switch (g.kind) {
    case GrantKind.Irq: {
      const h = irqClaim(DEVICE_CONTROL, g.a, IrqMode.Isa);
      if (h < 0) return h;
      storeWord(where, h);
      return 1;
    }
    case GrantKind.Ports: {
      const h = ioPortClaim(DEVICE_CONTROL, g.a, g.b);
      if (h < 0) return h;
      storeWord(where, h);
      return 1;
    }
    case GrantKind.Endpoint: {
      // A client of a service that is not running (fbcon without a framebuffer) goes without.
      if ((g.b & Right.Read) === 0 && !channelServed(drs, g.a)) return 0;
      const h = endpointCopy(drs.channels[g.a]!, g.b, g.c, handles, at);
      return h < 0 ? h : 1;
    }
    case GrantKind.Power: {
      const h = powerCreate(DEVICE_CONTROL);
      if (h < 0) return h;
      storeWord(where, h);
      return 1;
    }
    case GrantKind.ProcessTable:
      return restricted(processTableCreate(DEVICE_CONTROL), g.a, where);
    case GrantKind.KernelLog:
      return restricted(kernelLogCreate(DEVICE_CONTROL), g.a, where);
    case GrantKind.VirtioBlock:
      return claimVirtioBlk(drs, where);
    case GrantKind.Framebuffer:
      return claimFramebuffer(drs, where);
    case GrantKind.Rootfs:
      return claimRootfs(drs, where);
  }
}

/** Claims service `d`'s grants into `handles` (words), in the manifest's order; how many, or -error. */
function claimResources(drs: Drivers, d: number, handles: number): number {
  const grants = MANIFEST[d]!.grants;
  let n = 0;
  for (const g of grants) {
    if (n >= MAX_START_CAPS) return releaseFirst(handles, n, -ErrorCode.TableFull);
    const got = claimGrant(drs, g, handles, n);
    if (got < 0) return releaseFirst(handles, n, got);
    n += got;
  }
  return n;
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
  if (n === -ErrorCode.NotFound && MANIFEST[d]!.grants[0]!.kind === GrantKind.VirtioBlock) {
    console.log(`init: no virtio-blk device: driver ${driverName(d)} not started`);
    return false;
  }
  if (n === -ErrorCode.NotFound && MANIFEST[d]!.grants[0]!.kind === GrantKind.Framebuffer) {
    console.log(`init: no framebuffer (or no font module): driver ${driverName(d)} not started`);
    return false;
  }
  if (n < 0) {
    console.log(`init: ${kindName(d)} ${driverName(d)} not started: its capabilities: ${errorText(n)}`);
    return false;
  }
  // The manifest's class is the priority class it runs in (ServiceClass follows PriorityClass).
  const flags = SpawnFlag.Move | spawnClassFlags(MANIFEST[d]!.cls);
  const pid = spawnCaps(module, drs.handles, n + flags * SPAWN_FLAGS_UNIT, MANIFEST[d]!.quota, 0, drs.procOut);
  if (pid < 0) {
    releaseFirst(drs.handles, n, pid);
    console.log(`init: ${kindName(d)} ${driverName(d)} not started: ${errorText(pid)}`);
    return false;
  }
  drs.pid[d] = pid;
  drs.proc[d] = loadWord(drs.procOut);
  drs.running++;
  console.log(`init: ${kindName(d)} ${driverName(d)} started as pid ${pid}`);
  for (const g of MANIFEST[d]!.grants) if (g.kind === GrantKind.Rootfs) rootfsFeed(drs, d);
  return true;
}

/**
 * Child `pid` ended (killed, with `status`): when it was a driver, report it and restart it
 * (up to its manifest entry's limit) and return true; false for any other child.
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
    console.log(`init: ${kindName(d)} ${driverName(d)} (pid ${pid}) exited with status 0: nothing to do, not restarted`);
    return true;
  }
  const limit = MANIFEST[d]!.restarts;
  if (drs.restarts[d]! >= limit) {
    console.log(`init: ${kindName(d)} ${driverName(d)} (pid ${pid}) ${how} (status ${status}); restarted ${limit} times already, left stopped`);
    return true;
  }
  drs.restarts[d] = drs.restarts[d]! + 1;
  console.log(`init: ${kindName(d)} ${driverName(d)} (pid ${pid}) ${how} (status ${status}); restarting (${drs.restarts[d]!} of ${limit})`);
  driverStart(drs, d, drs.module[d]!);
  return true;
}

/** "driver", "server" or "program", as the log names a service of the manifest. */
function kindName(d: number): string {
  switch (MANIFEST[d]!.cls) {
    case ServiceClass.Driver: return "driver";
    case ServiceClass.Server: return "server";
    case ServiceClass.App: return "program";
  }
}

export function driversFree(drs: Drivers): void {
  if (drs.fbSetup > 0) capDelete(drs.fbSetup);
  if (drs.rootfsWindow > 0) {
    memoryUnmap(ROOTFS_VA);
    capDelete(drs.rootfsWindow);
  }
  free(drs.handles);
  free(drs.procOut);
  msgFree(drs.msg);
}
