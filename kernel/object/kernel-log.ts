// The kernel log object: the right to read the kernel's log ring (kernel/console/log-ring.ts),
// every line the kernel and the processes wrote to the kernel console. Made only from the device
// control object (init holds that) and handed on by init's manifest to the log service. The
// object holds nothing; records are copied into a memory object the reader holds, so the kernel
// never writes through a user pointer here.
import { ErrorCode } from "../../abi/errors.ts";
import { LOG_RECORD_BYTES } from "../../abi/log.ts";
import { Method } from "../../abi/message.ts";
import { ObjectType } from "../../abi/object-type.ts";
import { Right, RIGHTS_ALL } from "../../abi/rights.ts";
import { store8 } from "../../lang/mem.ts";
import { PAGE_SIZE, physToVirt } from "../arch/x86_64/layout.ts";
import { CapTable, lookupCap, lookupError } from "../cap/cap-table.ts";
import { capInstallRoot } from "../cap/cdt.ts";
import type { Message } from "../cap/message.ts";
import { objectCreate } from "../cap/object.ts";
import { logRingNext, logRingOldest, logRingRecordByte } from "../console/log-ring.ts";
import { MemoryKind, memoryFrame, memoryRecord } from "./memory.ts";

/** A new KernelLog capability (every right) in `t`; any number may exist. */
export function kernelLogCreate(t: CapTable): number {
  const obj = objectCreate(ObjectType.KernelLog, t.account, 0);
  if (obj === null) return -ErrorCode.QuotaExceeded;
  return capInstallRoot(t, obj, RIGHTS_ALL);
}

/**
 * LogRead (Read): a0 = first sequence number wanted (>= 0), a1 = memory object handle (Write; RAM,
 * not device memory). Answers the count copied, the first sequence number copied and the next
 * one to ask for (abi/message.ts, Method.LogRead).
 */
export function kernelLogInvoke(t: CapTable, h: number, m: Message, a0: number, a1: number): ErrorCode {
  if (m.label !== Method.LogRead) return ErrorCode.InvalidArgument;
  const e = lookupError(t, h, ObjectType.KernelLog, Right.Read);
  if (e !== ErrorCode.Ok) return e;
  if (a0 < 0) return ErrorCode.InvalidArgument;
  const me = lookupError(t, a1, ObjectType.MemoryObject, Right.Write);
  if (me !== ErrorCode.Ok) return me;
  const r = memoryRecord(lookupCap(t, a1).object.index)!;
  if (r.kind === MemoryKind.Device) return ErrorCode.InvalidArgument;
  const perPage = Math.floor(PAGE_SIZE / LOG_RECORD_BYTES);
  const first = Math.min(Math.max(a0, logRingOldest()), logRingNext());
  const end = Math.min(logRingNext(), first + r.pages * perPage);
  let n = 0;
  for (let seq = first; seq < end; seq++) {
    const base = physToVirt(memoryFrame(r, Math.floor(n / perPage))) + (n % perPage) * LOG_RECORD_BYTES;
    for (let i = 0; i < LOG_RECORD_BYTES; i++) store8(base + i, logRingRecordByte(seq, i));
    n++;
  }
  m.words[0] = BigInt(n);
  m.words[1] = BigInt(first);
  m.words[2] = BigInt(first + n);
  return ErrorCode.Ok;
}
