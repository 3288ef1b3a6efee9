// poweroff: turns the machine off through a power capability. Started as init, it holds the device
// control capability and makes the power capability from it; started by init, it expects a power
// capability as its first start handle. Before the real request it checks that a copy without
// Write is refused, so a system test that sees the machine go off has also seen the right checked.
import { ErrorCode, errorMessage } from "../../abi/errors.ts";
import { ObjectType } from "../../abi/object-type.ts";
import { Right } from "../../abi/rights.ts";
import { powerCreate, powerOff, reboot } from "../lib/device.ts";
import { capCopy, capType, FIRST_START_HANDLE } from "../lib/ipc.ts";
import { exit } from "../lib/sys.ts";

function power(): number {
  const first = capType(FIRST_START_HANDLE);
  if (first === ObjectType.Power) return FIRST_START_HANDLE;
  if (first === ObjectType.DeviceControl) return powerCreate(FIRST_START_HANDLE);
  return -ErrorCode.NotFound;
}

const p = power();
if (p < 0) {
  // The default image starts every boot module: there it has nothing to do.
  console.log(`poweroff: no power capability (${errorMessage(-p)}); nothing to do here`);
  exit(0);
}
const readOnly = capCopy(p, Right.Read);
const refusedOff = powerOff(readOnly);
const refusedReboot = reboot(readOnly);
console.log(`poweroff: without Write: ${errorMessage(-refusedOff)}, ${errorMessage(-refusedReboot)}`);
if (refusedOff !== -ErrorCode.MissingRights || refusedReboot !== -ErrorCode.MissingRights) exit(2);
console.log("poweroff: turning the machine off");
const r = powerOff(p);
console.log(`poweroff: the machine is still on: ${errorMessage(-r)}`);
exit(3);
