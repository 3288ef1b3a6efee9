// The process table object: the right to read every process's record (ProcessRecord, Read) and to
// kill a process by pid (ProcessKillPid, Manage). A Process capability names one process; this one
// names them all, so it is made only from the device control object (init holds that) and handed
// on by init's manifest, typically to the shell. The object holds nothing. The processes belong to
// kernel/proc/, which sits above this layer: it hands its two operations down once with
// processTableInstall (processInit), so the object layer imports nothing of it; until then every
// slot is empty and every pid unknown.
import { ErrorCode } from "../../abi/errors.ts";
import { Method } from "../../abi/message.ts";
import { ObjectType } from "../../abi/object-type.ts";
import { PROCESS_SLOTS } from "../../abi/process-table.ts";
import { Right, RIGHTS_ALL } from "../../abi/rights.ts";
import { CapTable, lookupError } from "../cap/cap-table.ts";
import { capInstallRoot } from "../cap/cdt.ts";
import type { Message } from "../cap/message.ts";
import { objectCreate } from "../cap/object.ts";

/**
 * Writes the record of the process in `slot` (0 .. PROCESS_SLOTS - 1) into `m`'s words (ProcWord,
 * abi/process-table.ts); NotFound for an empty slot.
 */
export type ProcessRecordFn = (slot: number, m: Message) => ErrorCode;
/**
 * Kills process `pid` with `status` on behalf of the process whose capability table is `killer`:
 * NotFound (no such pid), ProcessExited (a zombie), InvalidArgument (the killer itself).
 */
export type ProcessKillFn = (killer: CapTable, pid: number, status: number) => ErrorCode;

function noRecord(slot: number, m: Message): ErrorCode {
  void slot;
  void m;
  return ErrorCode.NotFound;
}

function noKill(killer: CapTable, pid: number, status: number): ErrorCode {
  void killer;
  void pid;
  void status;
  return ErrorCode.NotFound;
}

class ProcessTableOps {
  record: ProcessRecordFn = noRecord;
  kill: ProcessKillFn = noKill;
}

const ops = new ProcessTableOps();

/** The process layer's operations (processInit installs them). */
export function processTableInstall(record: ProcessRecordFn, kill: ProcessKillFn): void {
  ops.record = record;
  ops.kill = kill;
}

/** A new ProcessTable capability (every right) in `t`; any number may exist. */
export function processTableCreate(t: CapTable): number {
  const obj = objectCreate(ObjectType.ProcessTable, t.account, 0);
  if (obj === null) return -ErrorCode.QuotaExceeded;
  return capInstallRoot(t, obj, RIGHTS_ALL);
}

/**
 * ProcessRecord (Read): words[0] = slot; the record replaces the words. ProcessKillPid (Manage):
 * words[0] = pid, words[1] = status. Arguments arrive as numbers (`a0`, `a1`: a word beyond the
 * safe range reads as 2^53 - 1, a negative word as itself), so every range is checked here.
 */
export function processTableInvoke(t: CapTable, h: number, m: Message, a0: number, a1: number): ErrorCode {
  switch (m.label) {
    case Method.ProcessRecord: {
      const e = lookupError(t, h, ObjectType.ProcessTable, Right.Read);
      if (e !== ErrorCode.Ok) return e;
      if (a0 < 0 || a0 >= PROCESS_SLOTS) return ErrorCode.InvalidArgument;
      return ops.record(a0, m);
    }
    case Method.ProcessKillPid: {
      const e = lookupError(t, h, ObjectType.ProcessTable, Right.Manage);
      if (e !== ErrorCode.Ok) return e;
      if (a0 <= 0 || a0 >= 0x80000000) return ErrorCode.NotFound;
      return ops.kill(t, a0, a1);
    }
    default:
      return ErrorCode.InvalidArgument;
  }
}
