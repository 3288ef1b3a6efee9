// Process objects: a capability naming one process, by pid (pids are not reused before 2^31
// processes), which process_kill takes with the Manage right. The object holds nothing else, so
// destroying it has nothing to tear down; the process itself belongs to kernel/proc/.
import { ErrorCode } from "../../abi/errors.ts";
import { ObjectType } from "../../abi/object-type.ts";
import { Right, RIGHTS_ALL } from "../../abi/rights.ts";
import { CapTable, lookupCap, lookupError } from "../cap/cap-table.ts";
import { capInstallRoot } from "../cap/cdt.ts";
import { objectCreate } from "../cap/object.ts";

/** A Process capability (every right) in `t` naming no process yet: handle or -error. */
export function processObjectCreate(t: CapTable): number {
  const obj = objectCreate(ObjectType.Process, t.account, 0);
  if (obj === null) return -ErrorCode.QuotaExceeded;
  return capInstallRoot(t, obj, RIGHTS_ALL);
}

/** Names process `pid` with the Process capability `h` processObjectCreate made. */
export function processObjectBind(t: CapTable, h: number, pid: number): void {
  lookupCap(t, h).object.index = pid;
}

/** The pid the Process capability `h` (with Manage) names, or -error. */
export function processObjectPid(t: CapTable, h: number): number {
  const e = lookupError(t, h, ObjectType.Process, Right.Manage);
  if (e !== ErrorCode.Ok) return -e;
  return lookupCap(t, h).object.index;
}
