// init: the first process. The kernel starts it with the right to start boot modules and the
// device control capability. It starts the services of the system manifest (manifest.ts,
// drivers.ts), each with the capabilities its entry grants and nothing else, and restarts one
// that dies; then every
// other module that is a program (all but itself, the console font and the boot archive, rootfs,
// which go to fbcon and the file system; a block client, blk-test,
// with the send side of the block endpoint; fbcon's test client, fbcon-test, with the send side
// of fbcon's endpoint), waits for each to end,
// and reports what it started and how each one ended. Its tables are sized from the module
// count; when the kernel has no room for another process, init reaps one that ended and retries.
import { free, malloc } from "../lib/heap.ts";
import { Line, bytesEqual, lineBytes, lineEnd, lineNum, lineStr, loadWord, startupWord } from "../lib/runtime.ts";
import { ExitHow, Startup, ErrorCode, errorText, moduleCount, moduleName, spawn, wait } from "../lib/sys.ts";
import { SPAWN_FLAGS_UNIT, SpawnFlag } from "../../abi/process.ts";
import { capDelete, spawnCaps } from "../lib/ipc.ts";
import {
  BLOCK_CLIENT_QUOTA, blockClientCaps, DRIVER_COUNT, driverIndexOf, Drivers, driversFree, driverRestart, driverStart, fbconClientCaps,
} from "./drivers.ts";

const NAME_CAP = 64;

const count = moduleCount();
const names = malloc(NAME_CAP * Math.max(count, 1));
const status = malloc(16);
const childPid = new Array<number>(Math.max(count, 1)).fill(0);
const childName = new Array<number>(Math.max(count, 1)).fill(0);
const childNameLen = new Array<number>(Math.max(count, 1)).fill(0);

// Each report is one write: other programs print at the same time.
const line = new Line(160);

function slotOf(pid: number): number {
  for (let i = 0; i < childPid.length; i++) if (childPid[i]! === pid) return i;
  return -1;
}

let exited = 0;
let killed = 0;
let reaped = 0;

const drivers = new Drivers();

/** Waits for any child to end and reports it; false when there is none left to wait for. */
function reapOne(): boolean {
  const pid = wait(-1, status);
  if (pid < 0) {
    console.log(`init: wait failed: ${errorText(pid)} (${pid})`);
    return false;
  }
  // A driver is restarted (with its resources claimed afresh), not counted among the programs.
  if (driverRestart(drivers, pid, loadWord(status + 8) === ExitHow.Killed, loadWord(status))) return true;
  reaped++;
  const slot = slotOf(pid);
  lineStr(line, "init: ");
  if (slot >= 0) lineBytes(line, childName[slot]!, childNameLen[slot]!);
  lineStr(lineNum(lineStr(line, " (pid "), pid), ")");
  if (loadWord(status + 8) === ExitHow.Killed) {
    killed++;
    lineStr(line, " was killed by exception ");
  } else {
    exited++;
    lineStr(line, " exited with status ");
  }
  lineEnd(lineNum(line, loadWord(status)));
  return true;
}

/** Starts a client of a service: blk-test (the block endpoint) or fbcon-test (fbcon's), else plain. */
function startProgram(module: number, client: number): number {
  if (client === 0) return spawn(module);
  const n = client === 1 ? blockClientCaps(drivers, true) : fbconClientCaps(drivers);
  if (n < 0) return n;
  const pid = spawnCaps(module, drivers.handles, n + SpawnFlag.Move * SPAWN_FLAGS_UNIT, BLOCK_CLIENT_QUOTA, 0, 0);
  if (pid < 0) for (let i = 0; i < n; i++) capDelete(loadWord(drivers.handles + i * 8));
  return pid;
}

const self = startupWord(Startup.ModuleIndex);
console.log(`init: pid ${startupWord(Startup.Pid)}, ${count} boot modules`);
// Drivers first, in the order of drivers.ts (the PCI service before the drivers of PCI devices):
// the programs may need their devices.
const driverModule = new Array<number>(DRIVER_COUNT).fill(-1);
for (let i = 0; i < count; i++) {
  if (i === self) continue;
  const buf = names;
  const len = moduleName(i, buf, NAME_CAP);
  if (len < 0) continue;
  const d = driverIndexOf(buf, Math.min(len, NAME_CAP));
  if (d >= 0) driverModule[d] = i;
}
for (let d = 0; d < DRIVER_COUNT; d++) if (driverModule[d]! >= 0) driverStart(drivers, d, driverModule[d]!);
let started = 0;
for (let i = 0; i < count; i++) {
  if (i === self) continue;
  const buf = names + started * NAME_CAP;
  const len = moduleName(i, buf, NAME_CAP);
  if (len < 0) continue;
  const shown = Math.min(len, NAME_CAP);
  if (bytesEqual(buf, shown, "font") || bytesEqual(buf, shown, "rootfs") || bytesEqual(buf, shown, "init")) continue;
  if (driverIndexOf(buf, shown) >= 0) continue;
  // A block client starts with the block endpoint (docs/services.md, "Block devices"), fbcon's
  // test client with fbcon's endpoint ("Framebuffer console").
  const client = bytesEqual(buf, shown, "blk-test") ? 1 : bytesEqual(buf, shown, "fbcon-test") ? 2 : 0;
  let pid = startProgram(i, client);
  // The process table is full: make room by reaping a child that ends, then try again.
  while (pid === -ErrorCode.NoMemory && started > reaped && reapOne()) pid = startProgram(i, client);
  lineBytes(lineStr(line, "init: "), buf, shown);
  if (pid < 0) {
    lineEnd(lineNum(lineStr(lineStr(lineStr(line, " not started: "), errorText(pid)), " error "), pid));
    continue;
  }
  lineEnd(lineNum(lineStr(line, " started as pid "), pid));
  childPid[started] = pid;
  childName[started] = buf;
  childNameLen[started] = shown;
  started++;
}
console.log(`init: started ${started} programs`);

while (reaped < started && reapOne()) {
  // reapOne reports each child.
}
console.log(`init: all ${started} programs done: ${exited} exited, ${killed} killed`);
// The drivers run on; init stays to restart them.
while (drivers.running > 0 && reapOne()) {
  // reapOne restarts drivers.
}
free(status);
free(names);
driversFree(drivers);
