// fbcon-test: the framebuffer console's test client (tests/system/fbcon.test.ts). init starts it
// with the send side of fbcon's endpoint and a Process capability (Manage) naming fbcon. It asks
// for the console's size, writes the first screen (texts.ts) and says so, waits while the host
// takes a screen dump, sends malformed messages (an unknown label, a count past 40, a message
// carrying a capability, a plain send with a bad count) and checks that each is refused and the
// console still answers, then kills fbcon, waits until the fbcon init started again answers,
// writes the second text and says so. Not on the default image (mk/userland.mk).
import { FIRST_START_HANDLE } from "../../abi/process.ts";
import { FBCON_WRITE_MAX, fbconInfo, fbconWrite, FbconOp } from "../lib/fbcon.ts";
import {
  call, callRegs, capDelete, capType, msgAlloc, msgClear, msgLabel, msgSetCap, msgSetFlags, msgSetLabel, msgSetWord,
  MsgFlag, notificationCreate, notificationWait, ObjectType, processKill, send,
} from "../lib/ipc.ts";
import { errorText, exit } from "../lib/sys.ts";
import { nowNs } from "../lib/clock.ts";
import { timerBind, timerCreate, timerSet } from "../lib/device.ts";
import { firstText, secondText } from "./texts.ts";

const FBCON = FIRST_START_HANDLE;
const FBCON_PROCESS = FIRST_START_HANDLE + 1;
const KILL_STATUS = 77;
const DUMP_WAIT_NS = 3000000000;
const RETRIES = 50;
const RETRY_NS = 200000000;
const TIMEOUT_NS = 10000000000;

function sleepNs(ns: number): void {
  const t = timerCreate();
  const n = notificationCreate();
  timerBind(t, n, 1);
  timerSet(t, nowNs() + ns, 0);
  notificationWait(n, -1);
  capDelete(t);
  capDelete(n);
}

function result(r: number): string {
  if (r <= -1000) return `status ${-1000 - r}`;
  return r < 0 ? errorText(r) : `${r}`;
}

const info: number[] = [0, 0, 0, 0, 0, 0];
let r = fbconInfo(FBCON, info, TIMEOUT_NS);
if (r < 0) {
  console.log(`fbcon-test: no console: ${result(r)}`);
  exit(1);
}
console.log(`fbcon-test: console ${info[0]!}x${info[1]!} cells, ${info[2]!}x${info[3]!} pixels, ${info[4]!}x${info[5]!} font`);
r = fbconWrite(FBCON, firstText());
console.log(`fbcon-test: screen 1 drawn (${result(r)} bytes)`);
sleepNs(DUMP_WAIT_NS);

// Malformed messages: each refused, none fatal.
const m = msgAlloc();
msgSetLabel(m, 99);
r = callRegs(FBCON, m, TIMEOUT_NS);
console.log(`fbcon-test: unknown label: ${r < 0 ? errorText(r) : `status ${msgLabel(m)}`}`);
msgClear(m);
msgSetLabel(m, FbconOp.Write);
msgSetWord(m, 0, FBCON_WRITE_MAX + 1);
r = callRegs(FBCON, m, TIMEOUT_NS);
console.log(`fbcon-test: count ${FBCON_WRITE_MAX + 1}: ${r < 0 ? errorText(r) : `status ${msgLabel(m)}`}`);
msgClear(m);
msgSetLabel(m, FbconOp.Write);
msgSetWord(m, 0, -5);
r = callRegs(FBCON, m, TIMEOUT_NS);
console.log(`fbcon-test: count -5: ${r < 0 ? errorText(r) : `status ${msgLabel(m)}`}`);
const extra = notificationCreate();
msgClear(m);
msgSetLabel(m, FbconOp.Write);
msgSetCap(m, 0, extra);
msgSetFlags(m, MsgFlag.CopyCaps);
r = call(FBCON, m, TIMEOUT_NS);
console.log(`fbcon-test: with a capability: ${r < 0 ? errorText(r) : `status ${msgLabel(m)}`}`);
msgClear(m);
msgSetLabel(m, FbconOp.Write);
msgSetWord(m, 0, 1000);
r = send(FBCON, m, 0);
console.log(`fbcon-test: plain send with a bad count: ${errorText(r)}`);
r = fbconInfo(FBCON, info, TIMEOUT_NS);
console.log(`fbcon-test: still answering: ${result(r)}`);

if (capType(FBCON_PROCESS) !== ObjectType.Process) {
  console.log("fbcon-test: no capability to fbcon's process: restart not tested");
  exit(1);
}
r = processKill(FBCON_PROCESS, KILL_STATUS);
console.log(`fbcon-test: fbcon killed (${errorText(r)})`);
let tries = 0;
r = -1;
while (tries < RETRIES && r < 0) {
  tries++;
  r = fbconInfo(FBCON, info, RETRY_NS);
  if (r < 0) sleepNs(RETRY_NS);
}
console.log(`fbcon-test: answered again after ${tries} tries: ${result(r)}`);
r = fbconWrite(FBCON, secondText());
console.log(`fbcon-test: screen 2 drawn (${result(r)} bytes)`);
sleepNs(DUMP_WAIT_NS);
console.log("fbcon-test: done");
