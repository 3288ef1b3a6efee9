// The power object: the right to turn the machine off or restart it, as a capability rather than
// a process flag. It is made from the device control object (init holds that), so init decides
// who may do it: typically the shell or a session manager, never an ordinary program. The kernel
// does what ACPI describes for this machine (kernel/acpi/power.ts, handed in by the kernel entry
// with powerInstall: the object layer stays free of the console and ACPI, so it also builds into
// the native self-test); telling services to stop first is userland's business.
import { ErrorCode } from "../../abi/errors.ts";
import { Method } from "../../abi/message.ts";
import { ObjectType } from "../../abi/object-type.ts";
import { Right, RIGHTS_ALL } from "../../abi/rights.ts";
import { CapTable, lookupError } from "../cap/cap-table.ts";
import { capInstallRoot } from "../cap/cdt.ts";
import type { Message } from "../cap/message.ts";
import { objectCreate } from "../cap/object.ts";

/** Turns the machine off: false when it could not. */
export type PowerOffFn = () => boolean;
/** Restarts the machine; does not return. */
export type RebootFn = () => never;

function cannotPowerOff(): boolean {
  return false;
}

class PowerOps {
  off: PowerOffFn = cannotPowerOff;
  reboot: RebootFn | null = null;
}

const ops = new PowerOps();

/** The machine's ways to power off and restart (the kernel entry passes ACPI's); until then both are Unsupported. */
export function powerInstall(off: PowerOffFn, reboot: RebootFn): void {
  ops.off = off;
  ops.reboot = reboot;
}

/** A new Power capability (every right) in `t`; any number may exist. */
export function powerCreate(t: CapTable): number {
  const obj = objectCreate(ObjectType.Power, t.account, 0);
  if (obj === null) return -ErrorCode.QuotaExceeded;
  return capInstallRoot(t, obj, RIGHTS_ALL);
}

/**
 * PowerOff (Write): returns only when the machine could not be turned off (Unsupported: no usable
 * FADT or `_S5_`, or still running after the request). Reboot (Write): does not return.
 */
export function powerInvoke(t: CapTable, h: number, m: Message): ErrorCode {
  const e = lookupError(t, h, ObjectType.Power, Right.Write);
  if (e !== ErrorCode.Ok) return e;
  switch (m.label) {
    case Method.PowerOff:
      console.log("power: off requested through a power capability");
      return ops.off() ? ErrorCode.Ok : ErrorCode.Unsupported;
    case Method.Reboot: {
      const reboot = ops.reboot;
      if (reboot === null) return ErrorCode.Unsupported;
      console.log("power: restart requested through a power capability");
      return reboot();
    }
    default:
      return ErrorCode.InvalidArgument;
  }
}
