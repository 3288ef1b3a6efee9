// virtio-blk: the driver of a virtio block device over PCI, through the legacy interface (the I/O
// BAR of a transitional device, 1af4:1001): init starts it with four capabilities, in this order:
// the device's interrupt line, its I/O BAR as a port range, DMA memory (QUEUE_PAGES + 1 +
// DATA_PAGES pages) and the receive side of the block endpoint. It resets the device, sets up its
// one virtqueue in the DMA memory, and then answers the block protocol (userland/lib/block.ts,
// docs/services.md "Block devices") one request at a time: each request is one descriptor chain
// (header, data, status byte), the device's interrupt wakes the driver, which reads the ISR
// (deasserting the line) and acknowledges the line.
import { FIRST_START_HANDLE } from "../../abi/process.ts";
import { load16, load32, load8, store16, store32, store8 } from "../../lang/mem.ts";
import { BlockOp, BlockStatus, SECTOR } from "../lib/block.ts";
import { dmaPhys, inb, inl, inw, ioPortBase, ioPortEnable, irqAck, irqBind, memoryPages, outb, outl, outw } from "../lib/device.ts";
import {
  capDelete, memoryMap, memoryUnmap, msgAlloc, msgCap, msgCapCount, msgClear, msgLabel, msgReplyHandle, msgSetLabel,
  msgSetWord, msgWord, notificationCreate, notificationWait, receive, reply, Right,
} from "../lib/ipc.ts";
import { errorText, exit } from "../lib/sys.ts";
import {
  DATA_PAGES, Desc, DESC_BYTES, PAGE, QUEUE_PAGES, availEntryOffset, availOffset, queueBytes, ringNext, ringPending, ringSlot, usedOffset,
  validQueueSize,
} from "./virtqueue.ts";

const IRQ = FIRST_START_HANDLE;
const PORTS = FIRST_START_HANDLE + 1;
const DMA = FIRST_START_HANDLE + 2;
const ENDPOINT = FIRST_START_HANDLE + 3;

const MAX_SECTORS = Math.floor((DATA_PAGES * PAGE) / SECTOR);
const DMA_VA = 0x60000000;
const CLIENT_VA = 0x70000000;
const HEADER_OFFSET = QUEUE_PAGES * PAGE;
const STATUS_OFFSET = HEADER_OFFSET + 16;
const DATA_OFFSET = HEADER_OFFSET + PAGE;
/** Waits of WAIT_NS for a request to complete before it counts as a device error. */
const WAIT_NS = 1000000000;
const WAIT_TRIES = 5;
const TWO32 = 4294967296;

/** Registers of the legacy interface, from the I/O BAR's base (without MSI-X). */
const enum Reg {
  DeviceFeatures = 0x00,
  GuestFeatures = 0x04,
  QueueAddress = 0x08,
  QueueSize = 0x0c,
  QueueSelect = 0x0e,
  QueueNotify = 0x10,
  Status = 0x12,
  Isr = 0x13,
  /** Device configuration: capacity in 512-byte sectors (64 bits). */
  Capacity = 0x14,
}

const enum DevStatus {
  Acknowledge = 1,
  Driver = 2,
  DriverOk = 4,
  Failed = 128,
}

/** Request types and the status byte the device writes. */
const REQ_IN = 0;
const REQ_OUT = 1;
const REQ_OK = 0;

function fail(what: string, r: number): never {
  console.log(`virtio-blk: ${what}: ${errorText(r)}`);
  return exit(1);
}

class Device {
  io = 0;
  size = 0;
  phys = 0;
  capacity = 0;
  availIdx = 0;
  usedSeen = 0;
  notify = 0;
}

const dev = new Device();

function setDescriptor(i: number, addr: number, len: number, flags: number, next: number): void {
  const at = DMA_VA + i * DESC_BYTES;
  store32(at, addr % TWO32);
  store32(at + 4, Math.floor(addr / TWO32));
  store32(at + 8, len);
  store16(at + 12, flags);
  store16(at + 14, next);
}

function usedIndex(): number {
  return load16(DMA_VA + usedOffset(dev.size) + 2);
}

/** Runs one request on the device; the status byte it wrote (or -1: no answer). */
function runRequest(type: number, lba: number, count: number): number {
  store32(DMA_VA + HEADER_OFFSET, type);
  store32(DMA_VA + HEADER_OFFSET + 4, 0);
  store32(DMA_VA + HEADER_OFFSET + 8, lba % TWO32);
  store32(DMA_VA + HEADER_OFFSET + 12, Math.floor(lba / TWO32));
  store8(DMA_VA + STATUS_OFFSET, 0xff);
  setDescriptor(0, dev.phys + HEADER_OFFSET, 16, Desc.Next, 1);
  setDescriptor(1, dev.phys + DATA_OFFSET, count * SECTOR, Desc.Next | (type === REQ_IN ? Desc.Write : 0), 2);
  setDescriptor(2, dev.phys + STATUS_OFFSET, 1, Desc.Write, 0);
  store16(DMA_VA + availEntryOffset(dev.size, ringSlot(dev.availIdx, dev.size)), 0);
  dev.availIdx = ringNext(dev.availIdx);
  // x86 keeps stores in order: the entry is visible before the index that publishes it.
  store16(DMA_VA + availOffset(dev.size) + 2, dev.availIdx);
  outw(dev.io + Reg.QueueNotify, 0);
  for (let tries = 0; tries < WAIT_TRIES; tries++) {
    const bits = notificationWait(dev.notify, WAIT_NS);
    if (bits > 0) {
      inb(dev.io + Reg.Isr);
      irqAck(IRQ);
    }
    if (ringPending(usedIndex(), dev.usedSeen) > 0) {
      dev.usedSeen = ringNext(dev.usedSeen);
      return load8(DMA_VA + STATUS_OFFSET);
    }
  }
  return -1;
}

/** Copies `bytes` between two mappings, a dword at a time. */
function copy(dst: number, src: number, bytes: number): void {
  for (let i = 0; i < bytes; i += 4) store32(dst + i, load32(src + i));
}

/** A Read or Write request: the reply status. */
function transfer(op: number, lba: number, count: number, mem: number): number {
  if (count <= 0 || count > MAX_SECTORS || lba < 0) return BlockStatus.BadRequest;
  if (lba + count > dev.capacity) return BlockStatus.OutOfRange;
  const pages = mem < 0 ? mem : memoryPages(mem);
  if (pages < 0 || pages * PAGE < count * SECTOR) return BlockStatus.BadRequest;
  const write = op === BlockOp.Write;
  const r = memoryMap(mem, CLIENT_VA, write ? Right.Read : Right.Read | Right.Write);
  if (r < 0) return BlockStatus.BadRequest;
  if (write) copy(DMA_VA + DATA_OFFSET, CLIENT_VA, count * SECTOR);
  const status = runRequest(write ? REQ_OUT : REQ_IN, lba, count);
  if (status === REQ_OK && !write) copy(CLIENT_VA, DMA_VA + DATA_OFFSET, count * SECTOR);
  memoryUnmap(CLIENT_VA);
  if (status !== REQ_OK) {
    console.log(`virtio-blk: ${write ? "write" : "read"} of ${count} sectors at ${lba}: device status ${status}`);
    return BlockStatus.DeviceError;
  }
  return BlockStatus.Ok;
}

function setup(): void {
  let r = ioPortEnable(PORTS);
  if (r < 0) fail("ports", r);
  dev.io = ioPortBase(PORTS);
  r = memoryMap(DMA, DMA_VA, Right.Read | Right.Write);
  if (r < 0) fail("DMA memory", r);
  dev.phys = dmaPhys(DMA);
  if (dev.phys < 0) fail("DMA address", dev.phys);
  dev.notify = notificationCreate();
  if (dev.notify < 0) fail("notification", dev.notify);
  // Reset (also forgets the queue of a driver that died), then announce a driver.
  outb(dev.io + Reg.Status, 0);
  outb(dev.io + Reg.Status, DevStatus.Acknowledge);
  outb(dev.io + Reg.Status, DevStatus.Acknowledge | DevStatus.Driver);
  inl(dev.io + Reg.DeviceFeatures);
  outl(dev.io + Reg.GuestFeatures, 0);
  outw(dev.io + Reg.QueueSelect, 0);
  dev.size = inw(dev.io + Reg.QueueSize);
  if (!validQueueSize(dev.size) || queueBytes(dev.size) > QUEUE_PAGES * PAGE) {
    outb(dev.io + Reg.Status, DevStatus.Failed);
    console.log(`virtio-blk: queue size ${dev.size} does not fit`);
    exit(1);
  }
  for (let i = 0; i < QUEUE_PAGES * PAGE; i += 4) store32(DMA_VA + i, 0);
  outl(dev.io + Reg.QueueAddress, Math.floor(dev.phys / PAGE));
  dev.capacity = inl(dev.io + Reg.Capacity) + inl(dev.io + Reg.Capacity + 4) * TWO32;
  r = irqBind(IRQ, dev.notify, 1);
  if (r < 0) fail("irq bind", r);
  inb(dev.io + Reg.Isr);
  outb(dev.io + Reg.Status, DevStatus.Acknowledge | DevStatus.Driver | DevStatus.DriverOk);
  console.log(`virtio-blk: ready: ${dev.capacity} sectors, queue of ${dev.size}, ports 0x${dev.io.toString(16)}`);
}

setup();
const m = msgAlloc();
const answer = msgAlloc();
for (;;) {
  const got = receive(ENDPOINT, m, -1);
  if (got < 0) fail("receive", got);
  const label = msgLabel(m);
  const mem = msgCapCount(m) > 0 ? msgCap(m, 0) : -1;
  msgClear(answer);
  switch (label) {
    case BlockOp.Info:
      msgSetLabel(answer, BlockStatus.Ok);
      msgSetWord(answer, 0, dev.capacity);
      msgSetWord(answer, 1, SECTOR);
      msgSetWord(answer, 2, MAX_SECTORS);
      break;
    case BlockOp.Read:
    case BlockOp.Write:
      msgSetLabel(answer, transfer(label, msgWord(m, 0), msgWord(m, 1), mem));
      break;
    default:
      msgSetLabel(answer, BlockStatus.BadRequest);
  }
  if (mem >= 0) capDelete(mem);
  const rh = msgReplyHandle(m);
  if (rh > 0) reply(rh, answer);
}
