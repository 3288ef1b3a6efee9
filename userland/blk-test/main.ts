// blk-test: a block client for the virtio-blk system test. init starts it with the block endpoint
// (send side). It asks for the capacity, then reads sectors TEST_LBA..: when they hold the
// pattern (a second boot with the same disk image) it says so; otherwise it writes the pattern,
// reads it back and compares. Then it checks the protocol's errors: a read beyond the end, a
// request of 0 sectors and one without a buffer. When init also gave it a Process capability
// naming the driver, it sends the driver a write (sent, not called, so this client runs on),
// yields once so that the driver takes it up and waits for the device, kills the driver, waits
// for init to restart it, and reads the pattern through the new driver. Not on the default image (mk/userland.mk).
import { FIRST_START_HANDLE } from "../../abi/process.ts";
import { load8, store8 } from "../../lang/mem.ts";
import { BlockOp, BlockStatus, SECTOR } from "../lib/block.ts";
import {
  call, capDelete, capType, notificationCreate, notificationWait, memoryCreate, ObjectType, processKill, send, memoryMap, msgAlloc, msgClear, msgLabel, msgSetCap, msgSetFlags, msgSetLabel, msgSetWord, msgWord,
  MsgFlag, Right,
} from "../lib/ipc.ts";
import { errorText, exit, yieldCpu } from "../lib/sys.ts";
import { nowNs } from "../lib/clock.ts";
import { timerBind, timerCreate, timerSet } from "../lib/device.ts";
import { patternByte, TEST_LBA, TEST_SECTORS } from "./pattern.ts";

const BLOCK = FIRST_START_HANDLE;
const DRIVER = FIRST_START_HANDLE + 1;
const KILL_STATUS = 99;
const RETRIES = 50;
const RETRY_NS = 200000000;
const BUF_VA = 0x60000000;
const BUF_PAGES = 1;
const TIMEOUT_NS = 20000000000;

const m = msgAlloc();

function statusName(s: number): string {
  switch (s) {
    case BlockStatus.Ok: return "ok";
    case BlockStatus.OutOfRange: return "out of range";
    case BlockStatus.DeviceError: return "device error";
    case BlockStatus.BadRequest: return "bad request";
    default: return "?";
  }
}

/** One request; its status, or -error of the call itself. */
function request(op: number, lba: number, count: number, mem: number): number {
  msgClear(m);
  msgSetLabel(m, op);
  msgSetWord(m, 0, lba);
  msgSetWord(m, 1, count);
  if (mem >= 0) {
    msgSetCap(m, 0, mem);
    msgSetFlags(m, MsgFlag.CopyCaps);
  }
  const r = call(BLOCK, m, TIMEOUT_NS);
  return r < 0 ? r : msgLabel(m);
}

/** Sleeps on a one-shot timer. */
function sleepNs(ns: number): void {
  const t = timerCreate();
  const n = notificationCreate();
  timerBind(t, n, 1);
  timerSet(t, nowNs() + ns, 0);
  notificationWait(n, -1);
  capDelete(t);
  capDelete(n);
}

function matches(): boolean {
  for (let s = 0; s < TEST_SECTORS; s++) {
    for (let i = 0; i < SECTOR; i++) if (load8(BUF_VA + s * SECTOR + i) !== patternByte(TEST_LBA + s, i)) return false;
  }
  return true;
}

function clear(): void {
  for (let i = 0; i < BUF_PAGES * 4096; i++) store8(BUF_VA + i, 0);
}

let r = request(BlockOp.Info, 0, 0, -1);
if (r !== BlockStatus.Ok) {
  console.log(`blk-test: no block service: ${r < 0 ? errorText(r) : statusName(r)}`);
  exit(1);
}
const capacity = msgWord(m, 0);
console.log(`blk-test: capacity ${capacity} sectors of ${msgWord(m, 1)} bytes, at most ${msgWord(m, 2)} a request`);
const mem = memoryCreate(BUF_PAGES);
if (mem < 0 || memoryMap(mem, BUF_VA, Right.Read | Right.Write) < 0) {
  console.log("blk-test: no buffer");
  exit(1);
}
r = request(BlockOp.Read, TEST_LBA, TEST_SECTORS, mem);
if (r !== BlockStatus.Ok) {
  console.log(`blk-test: read failed: ${r < 0 ? errorText(r) : statusName(r)}`);
  exit(1);
}
if (matches()) {
  console.log(`blk-test: pattern found at lba ${TEST_LBA}`);
} else {
  console.log(`blk-test: no pattern at lba ${TEST_LBA}: writing it`);
  for (let s = 0; s < TEST_SECTORS; s++) for (let i = 0; i < SECTOR; i++) store8(BUF_VA + s * SECTOR + i, patternByte(TEST_LBA + s, i));
  r = request(BlockOp.Write, TEST_LBA, TEST_SECTORS, mem);
  console.log(`blk-test: write: ${r < 0 ? errorText(r) : statusName(r)}`);
  clear();
  r = request(BlockOp.Read, TEST_LBA, TEST_SECTORS, mem);
  console.log(`blk-test: read back: ${r < 0 ? errorText(r) : statusName(r)}, ${matches() ? "pattern matches" : "pattern differs"}`);
}
r = request(BlockOp.Read, capacity - 1, 2, mem);
console.log(`blk-test: read beyond the end: ${r < 0 ? errorText(r) : statusName(r)}`);
r = request(BlockOp.Read, 0, 0, mem);
console.log(`blk-test: read of 0 sectors: ${r < 0 ? errorText(r) : statusName(r)}`);
r = request(BlockOp.Write, 0, 1, -1);
console.log(`blk-test: write without a buffer: ${r < 0 ? errorText(r) : statusName(r)}`);
if (capType(DRIVER) === ObjectType.Process) {
  // A write that the driver takes up while this client yields, and then waits for the device on.
  for (let s = 0; s < TEST_SECTORS; s++) for (let i = 0; i < SECTOR; i++) store8(BUF_VA + s * SECTOR + i, patternByte(TEST_LBA + s, i));
  msgClear(m);
  msgSetLabel(m, BlockOp.Write);
  msgSetWord(m, 0, TEST_LBA);
  msgSetWord(m, 1, TEST_SECTORS);
  msgSetCap(m, 0, mem);
  msgSetFlags(m, MsgFlag.CopyCaps);
  r = send(BLOCK, m, 0);
  yieldCpu();
  const k = processKill(DRIVER, KILL_STATUS);
  console.log(`blk-test: write sent (${errorText(r)}), driver killed (${errorText(k)})`);
  let tries = 0;
  r = -1;
  while (tries < RETRIES && r !== BlockStatus.Ok) {
    tries++;
    r = request(BlockOp.Info, 0, 0, -1);
    if (r !== BlockStatus.Ok) sleepNs(RETRY_NS);
  }
  clear();
  r = request(BlockOp.Read, TEST_LBA, TEST_SECTORS, mem);
  console.log(`blk-test: after the restart: read ${r < 0 ? errorText(r) : statusName(r)}, ${matches() ? "pattern matches" : "pattern differs"}`);
}
console.log("blk-test: done");
