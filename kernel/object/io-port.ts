// I/O port ranges as capabilities. A range is claimed through the device control object; ranges
// never overlap, and ports the kernel drives itself are never handed out. A holder makes the
// range usable by its own threads with IoPortEnable: the ports are then allowed in its I/O
// permission bitmap (arch/x86_64/io-bitmap.ts), and `in`/`out` run at full speed with no system
// call. The permission follows the capability: when a process no longer holds any capability to
// the range (deleted, revoked, or the process ended), the ports are denied again in its bitmap.
import { release } from "../../lang/core.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { Method } from "../../abi/message.ts";
import { ObjectType } from "../../abi/object-type.ts";
import { Right, RIGHTS_ALL } from "../../abi/rights.ts";
import { IO_PORTS, ioMapSet, ioMapSwitch } from "../arch/x86_64/io-bitmap.ts";
import { CapTable, lookupCap, lookupError } from "../cap/cap-table.ts";
import { capInstallRoot } from "../cap/cdt.ts";
import type { Message } from "../cap/message.ts";
import { KernelObject, objectCreate } from "../cap/object.ts";
import { accountCharge, Cost } from "../cap/quota.ts";
import { currentThread } from "../sched/scheduler.ts";
import { RecordTable, recordAdd, recordAt, recordRemove } from "./record-table.ts";

/** A table that enabled the range (its process's threads may use the ports). */
class IoGrant {
  table: CapTable;
  next: IoGrant | null;

  constructor(table: CapTable, next: IoGrant | null) {
    this.table = table;
    this.next = next;
  }
}

export class IoPortRange {
  base: number;
  count: number;
  grants: IoGrant | null = null;

  constructor(base: number, count: number) {
    this.base = base;
    this.count = count;
  }
}

/** Port ranges the kernel keeps for itself: (first, count) pairs. */
const KERNEL_PORTS_MAX = 16;

class IoPorts {
  ranges = new RecordTable<IoPortRange>(16);
  reservedBase: number[] = new Array<number>(KERNEL_PORTS_MAX).fill(0);
  reservedCount: number[] = new Array<number>(KERNEL_PORTS_MAX).fill(0);
  reserved = 0;
}

const io = new IoPorts();

/** Keeps ports [base, base + count) from ever being claimed (hardware the kernel drives). */
export function ioPortsReserve(base: number, count: number): void {
  if (io.reserved >= KERNEL_PORTS_MAX) return;
  io.reservedBase[io.reserved] = base;
  io.reservedCount[io.reserved] = count;
  io.reserved++;
}

/** Forgets the reserved ranges (before deviceControlInit sets them again). */
export function ioPortsUnreserve(): void {
  io.reserved = 0;
}

function overlaps(a: number, an: number, b: number, bn: number): boolean {
  return a < b + bn && b < a + an;
}

/** Claims ports [base, base + count) into `t`: an IoPortRange capability or -error. */
export function ioPortClaim(t: CapTable, base: number, count: number): number {
  if (base < 0 || count <= 0 || base >= IO_PORTS || count > IO_PORTS - base) return -ErrorCode.InvalidArgument;
  for (let i = 0; i < io.reserved; i++) {
    if (overlaps(base, count, io.reservedBase[i]!, io.reservedCount[i]!)) return -ErrorCode.Busy;
  }
  for (let i = 0; i < io.ranges.slots.length; i++) {
    const r = io.ranges.slots[i]!;
    if (r !== null && overlaps(base, count, r.base, r.count)) return -ErrorCode.Busy;
  }
  const obj = objectCreate(ObjectType.IoPortRange, t.account, Cost.IoPortRange);
  if (obj === null) return -ErrorCode.QuotaExceeded;
  obj.index = recordAdd(io.ranges, new IoPortRange(base, count));
  return capInstallRoot(t, obj, RIGHTS_ALL);
}

export function ioPortRangeOf(obj: KernelObject): IoPortRange {
  return recordAt(io.ranges, obj.index)!;
}

function holds(obj: KernelObject, t: CapTable): boolean {
  for (let c = obj.firstCap; c !== null; c = c.nextOfObject) if (c.table === t) return true;
  return false;
}

/** Denies the range in `t`'s bitmap and drops the grant. */
function revokeGrant(r: IoPortRange, g: IoGrant): void {
  ioMapSet(g.table.ioMap, r.base, r.count, false);
  release(g);
}

/** A capability to the range went: tables that hold none any more lose the ports. */
export function ioPortCapRemoved(obj: KernelObject): void {
  const r = recordAt(io.ranges, obj.index)!;
  let prev: IoGrant | null = null;
  let g = r.grants;
  while (g !== null) {
    const next = g.next;
    if (!holds(obj, g.table)) {
      if (prev === null) r.grants = next;
      else prev.next = next;
      revokeGrant(r, g);
    } else {
      prev = g;
    }
    g = next;
  }
}

export function destroyIoPortRange(obj: KernelObject): void {
  const slot = obj.index;
  obj.index = -1;
  const r = recordAt(io.ranges, slot)!;
  let g = r.grants;
  while (g !== null) {
    const next = g.next;
    revokeGrant(r, g);
    g = next;
  }
  recordRemove(io.ranges, slot);
  release(r);
}

/** IoPortEnable (Write): the caller's threads may use the ports. IoPortInfo: the range. */
export function ioPortInvoke(t: CapTable, h: number, m: Message): ErrorCode {
  const obj = lookupCap(t, h).object;
  const r = recordAt(io.ranges, obj.index)!;
  switch (m.label) {
    case Method.IoPortEnable: {
      const e = lookupError(t, h, ObjectType.IoPortRange, Right.Write);
      if (e !== ErrorCode.Ok) return e;
      for (let g = r.grants; g !== null; g = g.next) if (g.table === t) return ErrorCode.Ok;
      const map = t.ioMap;
      if (!map.charged) {
        const c = accountCharge(t.account, Cost.IoMap);
        if (c !== ErrorCode.Ok) return c;
        map.charged = true;
      }
      r.grants = new IoGrant(t, r.grants);
      ioMapSet(map, r.base, r.count, true);
      // The caller's next `in` must work: load its map now if it is not the CPU's yet.
      if (currentThread().ioMap === map) ioMapSwitch(map);
      return ErrorCode.Ok;
    }
    case Method.IoPortInfo:
      m.words[0] = BigInt(r.base);
      m.words[1] = BigInt(r.count);
      return ErrorCode.Ok;
    default:
      return ErrorCode.InvalidArgument;
  }
}
