// timers: sleeps on timer objects and checks the time with the clock it reads without a system
// call. A one-shot timer 20 ms ahead must not wake it early; a periodic 5 ms timer must tick five
// times in at least 20 ms (the first tick after 5 ms, then every 5); a cancelled timer must stay
// silent. Exits 0 when all hold.
import { timerBind, timerCancel, timerCreate, timerSet } from "../lib/device.ts";
import { nowNs } from "../lib/clock.ts";
import { notificationCreate, notificationWait } from "../lib/ipc.ts";
import { ErrorCode, errorText, exit } from "../lib/sys.ts";

const MS = 1000000;

const timer = timerCreate();
const n = notificationCreate();
if (timer < 0 || n < 0 || timerBind(timer, n, 1) < 0) {
  console.log(`timers: set-up failed: ${errorText(timer < 0 ? timer : n)}`);
  exit(1);
}
let ok = true;

const start = nowNs();
timerSet(timer, start + 20 * MS, 0);
const bits = notificationWait(n, -1);
const slept = nowNs() - start;
console.log(`timers: one-shot 20 ms: woke after ${Math.floor(slept / 1000)} us with bits ${bits}`);
if (bits !== 1 || slept < 20 * MS) ok = false;

const periodStart = nowNs();
timerSet(timer, periodStart + 5 * MS, 5 * MS);
let ticks = 0;
while (ticks < 5) {
  const b = notificationWait(n, 1000 * MS);
  if (b < 0) break;
  ticks++;
}
timerCancel(timer);
const periodic = nowNs() - periodStart;
console.log(`timers: periodic 5 ms: ${ticks} ticks in ${Math.floor(periodic / 1000)} us`);
if (ticks !== 5 || periodic < 20 * MS) ok = false;

// Cancelled: nothing arrives (a tick already signalled before the cancel is taken first).
notificationWait(n, 0);
const late = notificationWait(n, 30 * MS);
console.log(`timers: after cancel: ${errorText(late)}`);
if (late !== -ErrorCode.TimedOut) ok = false;
console.log(`timers: ${ok ? "ok" : "FAILED"}`);
exit(ok ? 0 : 1);
