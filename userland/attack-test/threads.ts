// Threads: made and ended thousands of times, held at the per-process limit and let go, each
// round leaves no object, quota or kernel heap byte behind (docs/syscalls.md, "Threads"). The
// threads touch only their own stacks and make system calls.
import { ErrorCode, capDelete, notificationCreate, notificationWait, signal, Timeout } from "../lib/ipc.ts";
import { MapFlag, mapMemory, unmapMemory } from "../lib/sys.ts";
import { threadBind, threadCreate, threadEntryAddress } from "../lib/thread.ts";
import { Baseline, expectClean, expectEq, fail, pass } from "./common.ts";

const STACKS = 0x72000000;
const STACK_BYTES = 0x2000;
const LIMIT = 16;
/** Argument of a thread that waits on the gate before it ends. */
const WAITS = 1;

class Gate {
  n = 0;
}

const gate = new Gate();

/**
 * The body of every thread this program makes: wait on the gate, or end at once.
 * @export keel_thread_main
 */
export function threadMain(arg: number): number {
  if (arg === WAITS) notificationWait(gate.n, Timeout.Forever);
  return arg;
}

function stackTop(i: number): number {
  return STACKS + (i + 1) * STACK_BYTES - 64;
}

/** Threads made, joined and their capabilities deleted, thousands of times. */
function churn(): void {
  const name = "threads made and joined thousands of times leave nothing behind";
  const joins = notificationCreate();
  const b = new Baseline();
  for (let i = 0; i < 2000; i++) {
    const h = threadCreate(threadEntryAddress(), stackTop(0), 0, 0);
    if (h < 0 || threadBind(h, joins, 1) !== 0 || notificationWait(joins, Timeout.Forever) !== 1 || capDelete(h) !== 0) {
      fail(name, `round ${i}: ${h}`);
      capDelete(joins);
      return;
    }
  }
  const clean = expectClean(name, b);
  capDelete(joins);
  if (clean) pass(name);
}

/** Up to the limit, the next one refused with NoMemory, all let go: nothing left. */
function atTheLimit(): void {
  const name = "threads held at the per-process limit, then let go, leave nothing behind";
  const joins = notificationCreate();
  gate.n = notificationCreate();
  const b = new Baseline();
  let made = 0;
  let refused = 0;
  const handles = new Array<number>(LIMIT).fill(0);
  for (let i = 0; i < LIMIT; i++) {
    const h = threadCreate(threadEntryAddress(), stackTop(i), WAITS, 0);
    if (h < 0) {
      refused = h;
      break;
    }
    threadBind(h, joins, 1 << i);
    handles[i] = h;
    made++;
  }
  let ok = expectEq(name, "threads made beside this one", made, LIMIT - 1) &&
    expectEq(name, "the next thread_create", refused, -ErrorCode.NoMemory);
  const all = (1 << made) - 1;
  let got = 0;
  for (let k = 0; k < 4 * LIMIT && got !== all; k++) {
    signal(gate.n, 1);
    const r = notificationWait(joins, Timeout.Forever);
    if (r > 0) got |= r;
  }
  if (ok) ok = expectEq(name, "threads joined", got, all);
  for (let i = 0; i < made; i++) capDelete(handles[i]!);
  // Signals the last threads did not need stay pending on the gate, which goes with them.
  if (ok) ok = expectClean(name, b);
  capDelete(gate.n);
  capDelete(joins);
  if (ok) pass(name);
}

export function threadScenarios(): void {
  if (mapMemory(STACKS, LIMIT * STACK_BYTES, MapFlag.Writable) !== 0) {
    fail("threads", "stack map refused");
    return;
  }
  churn();
  atTheLimit();
  unmapMemory(STACKS, LIMIT * STACK_BYTES);
}
