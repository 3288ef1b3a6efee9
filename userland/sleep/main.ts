// sleep: waits the number of milliseconds it is given on a timer of its own, then exits with 0
// (the shell runs it from /bin: `sleep 100000 &`, and Ctrl-C ends it in the foreground).
import { args, decimalArg } from "../lib/args.ts";
import { nowNs } from "../lib/clock.ts";
import { timerBind, timerCreate, timerSet } from "../lib/device.ts";
import { notificationCreate, notificationWait } from "../lib/ipc.ts";
import { errorText, exit } from "../lib/sys.ts";

const argv = args();
const ms = argv.length === 2 ? decimalArg(argv[1]!) : -1;
if (ms < 0) {
  console.log("sleep: usage: sleep <milliseconds>");
  exit(2);
}
const timer = timerCreate();
const n = notificationCreate();
const r = timer < 0 ? timer : n < 0 ? n : timerBind(timer, n, 1);
if (r < 0) {
  console.log(`sleep: no timer: ${errorText(r)}`);
  exit(1);
}
const set = timerSet(timer, nowNs() + ms * 1000000, 0);
const woke = set < 0 ? set : notificationWait(n, -1);
if (woke < 0) {
  console.log(`sleep: ${set < 0 ? "timer_set" : "wait"}: ${errorText(woke)}`);
  exit(1);
}
exit(0);
