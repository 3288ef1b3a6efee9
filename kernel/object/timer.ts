// Timer objects: a notification is signalled at a deadline of the monotonic clock, once or then
// every `period` nanoseconds. This is how user programs sleep and time out without blocking in
// the kernel: arm a timer bound to the notification the program waits on anyway (with its IRQs
// and messages). Deadlines are checked on the scheduler tick (1 ms); a periodic timer that falls
// behind skips the periods it missed and counts them as overruns rather than firing in a burst.
import { release } from "../../lang/core.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { BITS_LIMIT, Method } from "../../abi/message.ts";
import { ObjectType } from "../../abi/object-type.ts";
import { Right, RIGHTS_ALL } from "../../abi/rights.ts";
import { CapTable, lookupCap, lookupError } from "../cap/cap-table.ts";
import { capInstallRoot } from "../cap/cdt.ts";
import type { Message } from "../cap/message.ts";
import { KernelObject, objectCreate } from "../cap/object.ts";
import { Cost } from "../cap/quota.ts";
import { NO_TIMER, TimerQueue } from "../sched/timer-queue.ts";
import { nowNs } from "../time/clock.ts";
import { notifySignal, sourceBind, unbindSource } from "./notification.ts";

/** Timers armed at once, over every process (the queue's fixed size). */
export const MAX_ARMED_TIMERS = 1024;
/** Shortest period: 100 µs (a shorter one would keep a CPU busy signalling). */
export const MIN_PERIOD_NS = 100000;

export class Timer {
  obj: KernelObject;
  deadline = 0;
  period = 0;
  /** Its entry in the queue, or NO_TIMER. */
  armed = NO_TIMER;
  fired = 0;
  /** Periods skipped because the timer fell behind. */
  overruns = 0;

  constructor(obj: KernelObject) {
    this.obj = obj;
  }
}

class Timers {
  records: Array<Timer | null> = new Array<Timer | null>(16).fill(null);
  /** Made by timersInit, once the heap grows from the frame allocator (the boot-time arena is small). */
  queue: TimerQueue | null = null;
  /** Arms refused because MAX_ARMED_TIMERS were armed. */
  refused = 0;
}

const timers = new Timers();

function freeSlot(): number {
  const old = timers.records;
  for (let i = 0; i < old.length; i++) if (old[i]! === null) return i;
  const grown = new Array<Timer | null>(old.length * 2).fill(null);
  for (let i = 0; i < old.length; i++) grown[i] = old[i]!;
  timers.records = grown;
  release(old);
  return old.length;
}

/** Makes the queue of armed timers (objectLayerInit, after memoryInit). */
export function timersInit(): void {
  if (timers.queue === null) timers.queue = new TimerQueue(MAX_ARMED_TIMERS);
}

/** timer_create: a new Timer capability (every right) in `t`, or -error. */
export function timerCreate(t: CapTable): number {
  const obj = objectCreate(ObjectType.Timer, t.account, Cost.Timer);
  if (obj === null) return -ErrorCode.QuotaExceeded;
  const slot = freeSlot();
  timers.records[slot] = new Timer(obj);
  obj.index = slot;
  return capInstallRoot(t, obj, RIGHTS_ALL);
}

export function timerOf(obj: KernelObject): Timer {
  return timers.records[obj.index]!;
}

function disarm(tm: Timer): void {
  if (tm.armed !== NO_TIMER) timers.queue!.cancel(tm.armed);
  tm.armed = NO_TIMER;
}

function fire(tm: Timer): void {
  tm.fired++;
  const n = tm.obj.boundTo;
  if (n !== null) notifySignal(n.notification!, tm.obj.boundBits);
}

/** Puts `tm` in the queue at its deadline; false when the queue is full. */
function arm(tm: Timer, index: number): boolean {
  const q = timers.queue === null ? NO_TIMER : timers.queue!.add(tm.deadline, index);
  if (q === NO_TIMER) {
    timers.refused++;
    console.log(`timer: MAX_ARMED_TIMERS (${MAX_ARMED_TIMERS}) armed; refused`);
    return false;
  }
  tm.armed = q;
  return true;
}

/** Fires every timer whose deadline is at or before `now` (the scheduler tick calls this). */
export function timersExpire(now: number): void {
  const queue = timers.queue;
  if (queue === null) return;
  for (let i = queue.popExpired(now); i >= 0; i = queue.popExpired(now)) {
    const tm = timers.records[i]!;
    if (tm === null) continue;
    tm.armed = NO_TIMER;
    fire(tm);
    if (tm.period > 0) {
      let next = tm.deadline + tm.period;
      if (next <= now) {
        const missed = Math.floor((now - tm.deadline) / tm.period);
        tm.overruns += missed;
        next = tm.deadline + (missed + 1) * tm.period;
      }
      tm.deadline = next;
      arm(tm, i);
    }
  }
}

/** Timers refused because the queue was full (reported by name when it happens). */
export function timersRefused(): number {
  return timers.refused;
}

export function destroyTimer(obj: KernelObject): void {
  const slot = obj.index;
  obj.index = -1;
  const tm = timers.records[slot]!;
  disarm(tm);
  unbindSource(obj);
  timers.records[slot] = null;
  release(tm);
}

/**
 * TimerBind (Manage; the notification needs Signal), TimerSet (Write: words[0] deadline in ns of
 * the monotonic clock, words[1] period, 0 for once; a deadline already passed fires at once),
 * TimerCancel (Write).
 */
export function timerInvoke(t: CapTable, h: number, m: Message, a0: number, a1: number): ErrorCode {
  const obj = lookupCap(t, h).object;
  const tm = timers.records[obj.index]!;
  switch (m.label) {
    case Method.TimerBind: {
      const e = sourceBind(t, h, ObjectType.Timer, a0, a1);
      if (e !== ErrorCode.Ok) return e;
      return ErrorCode.Ok;
    }
    case Method.TimerSet: {
      const e = lookupError(t, h, ObjectType.Timer, Right.Write);
      if (e !== ErrorCode.Ok) return e;
      if (a0 < 0 || a1 < 0 || (a1 > 0 && a1 < MIN_PERIOD_NS)) return ErrorCode.InvalidArgument;
      disarm(tm);
      tm.deadline = a0;
      tm.period = a1;
      const now = nowNs();
      if (a0 <= now) {
        fire(tm);
        if (a1 === 0) return ErrorCode.Ok;
        tm.deadline = now + a1;
      }
      return arm(tm, obj.index) ? ErrorCode.Ok : ErrorCode.NoMemory;
    }
    case Method.TimerCancel: {
      const e = lookupError(t, h, ObjectType.Timer, Right.Write);
      if (e !== ErrorCode.Ok) return e;
      disarm(tm);
      return ErrorCode.Ok;
    }
    default:
      return ErrorCode.InvalidArgument;
  }
}
