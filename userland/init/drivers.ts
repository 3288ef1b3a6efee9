// The drivers init starts and supervises. Each gets the device resources of its own device,
// claimed from the device control capability and moved into the driver (so they go back to the
// kernel, and can be claimed again, when the driver dies); nothing else. A driver that ends is
// restarted with its resources claimed afresh, up to MAX_RESTARTS times.
import { FIRST_START_HANDLE, SPAWN_FLAGS_UNIT, SpawnFlag } from "../../abi/process.ts";
import { IrqMode, ioPortClaim, irqClaim } from "../lib/device.ts";
import { free, malloc } from "../lib/heap.ts";
import { capDelete, spawnCaps, storeWord } from "../lib/ipc.ts";
import { bytesEqual, loadWord } from "../lib/runtime.ts";
import { errorText } from "../lib/sys.ts";

/** The device control capability the kernel gives init. */
const DEVICE_CONTROL = FIRST_START_HANDLE;
export const DRIVER_COUNT = 2;
const MAX_RESTARTS = 5;
const MAX_CAPS = 8;
/** Kernel memory each driver may use (its I/O permission bitmap alone takes 8 KiB). */
const DRIVER_QUOTA = 64 * 1024;

export class Drivers {
  pid: number[] = new Array<number>(DRIVER_COUNT).fill(0);
  module: number[] = new Array<number>(DRIVER_COUNT).fill(-1);
  restarts: number[] = new Array<number>(DRIVER_COUNT).fill(0);
  running = 0;
  handles = malloc(MAX_CAPS * 8);
}

function driverName(d: number): string {
  switch (d) {
    case 0: return "kbd";
    case 1: return "serial";
    default: return "?";
  }
}

/** The driver a boot module of this name is, or -1. */
export function driverIndex(name: number, len: number): number {
  for (let d = 0; d < DRIVER_COUNT; d++) if (bytesEqual(name, len, driverName(d))) return d;
  return -1;
}

/** Claims driver `d`'s resources into `handles` (words), in the order the driver expects; how many, or -error. */
function claimResources(d: number, handles: number): number {
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
  const n = claimResources(d, drs.handles);
  if (n < 0) {
    console.log(`init: driver ${driverName(d)} not started: its devices: ${errorText(n)}`);
    return false;
  }
  const pid = spawnCaps(module, drs.handles, n + SpawnFlag.Move * SPAWN_FLAGS_UNIT, DRIVER_QUOTA, 0, 0);
  if (pid < 0) {
    releaseFirst(drs.handles, n, pid);
    console.log(`init: driver ${driverName(d)} not started: ${errorText(pid)}`);
    return false;
  }
  drs.pid[d] = pid;
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
  drs.running--;
  const how = killed ? "was killed" : "exited";
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
  free(drs.handles);
}
