// attack-test: what an unprivileged program can try against the kernel, with only the documented
// system-call ABI. Started by the kernel as init of the attack image (build/iso/attack.iso), it is
// the driver: each scenario starts copies of itself as helpers with a role, tries a thing that once
// crashed the kernel, lost state or answered against the docs, and prints `ATTACK PASS <name>` or
// `ATTACK FAIL <name>: <why>`, then `ATTACK DONE <n> passed, <m> failed`. Started by init on
// another image, it only says so and exits. Roles are numbered per area: 100s, 200s, ...
import { capType, ObjectType } from "../lib/ipc.ts";
import { startupWord } from "../lib/runtime.ts";
import { exit, Startup } from "../lib/sys.ts";
import { CTL, driverEnd, driverStart, helperRole, tally } from "./common.ts";
import { ipcHelper, ipcScenarios } from "./ipc.ts";
import { heapHelper, heapScenarios } from "./heap.ts";
import { argsHelper, argsScenarios } from "./args.ts";
import { threadScenarios } from "./threads.ts";

function driver(): void {
  console.log(`attack-test: driver pid ${startupWord(Startup.Pid)}`);
  driverStart();
  // Scenarios, in order (each file's driver entry).
  ipcScenarios();
  heapScenarios();
  argsScenarios();
  threadScenarios();
  driverEnd();
  console.log(`ATTACK DONE ${tally.passed} passed, ${tally.failed} failed`);
  exit(tally.failed === 0 ? 0 : 1);
}

function helper(): void {
  const role = helperRole();
  let r = 91;
  // Helper roles (each file's helper entry answers its own range and returns its exit status).
  if (role >= 200 && role < 300) r = ipcHelper(role);
  if (role >= 400 && role < 500) r = heapHelper(role);
  if (role >= 100 && role < 200) r = argsHelper(role);
  exit(r);
}

if (capType(CTL) === ObjectType.Endpoint) {
  helper();
} else if (startupWord(Startup.ParentPid) !== 0) {
  console.log("attack-test: nothing to do here (the attack image starts it as init)");
} else {
  driver();
}
