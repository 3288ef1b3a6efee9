// Kernel memory: a freed object's memory is reused, and queues full of copied capabilities, the
// most kernel memory per quota byte a process can ask for, fail with QuotaExceeded instead of
// exhausting the kernel heap. Roles 400-499.
import {
  ErrorCode, capCopy, capDelete, endpointCreate, msgClear, msgSet, msgSetCap, msgSetFlags, msgSetWord, msgWord, MsgFlag,
  notificationCreate, RIGHTS_ALL, send, Timeout,
} from "../lib/ipc.ts";
import { Baseline, expectClean, expectEq, fail, m, m2, pass, reap, REP, report, startHelper } from "./common.ts";

const enum Role {
  QueueFiller = 400,
}

/** Creating and deleting one object again and again: its memory comes back every time. */
function objectChurn(): void {
  const name = "a freed object's kernel memory is reused";
  const b = new Baseline();
  for (let i = 0; i < 20000; i++) {
    const n = notificationCreate();
    if (n < 0) {
      fail(name, `notification ${i}: ${n}`);
      return;
    }
    capDelete(n);
  }
  if (expectClean(name, b)) pass(name);
}

/** Two processes fill every endpoint their quota buys with messages carrying four copied capabilities. */
function queuesOfCapabilities(): void {
  const name = "queues full of copied capabilities end in QuotaExceeded";
  const b = new Baseline();
  const pids = [0, 0];
  for (let i = 0; i < 2; i++) {
    pids[i] = startHelper(Role.QueueFiller, 25, 256, 0, 400 * 1024, 0, false);
    if (pids[i]! < 0) {
      fail(name, `helper not started: ${pids[i]!}`);
      return;
    }
  }
  let ok = true;
  for (let i = 0; i < 2 && ok; i++) {
    const label = report(20000);
    if (label !== 1) {
      fail(name, `report ${i}: ${label}`);
      ok = false;
      break;
    }
    // Endpoints made, messages queued, the error that ended endpoint creation, send errors.
    const made = msgWord(m2, 0);
    const queued = msgWord(m2, 1);
    ok = expectEq(name, "endpoints before the quota ran out", made > 0 && made < 25 ? 1 : 0, 1) &&
      expectEq(name, "messages queued", queued, made * 256) &&
      expectEq(name, "endpoint_create once the quota is spent", msgWord(m2, 2), -ErrorCode.QuotaExceeded) &&
      expectEq(name, "failed sends", msgWord(m2, 3), 0);
  }
  for (let i = 0; i < 2; i++) {
    const st = reap(pids[i]!);
    if (ok) ok = expectEq(name, "helper exit status", st, 0);
  }
  if (ok && expectClean(name, b)) pass(name);
}

export function heapScenarios(): void {
  objectChurn();
  queuesOfCapabilities();
}

/** Fills up to `endpoints` endpoints of `capacity` with messages carrying four copied capabilities. */
function queueFiller(endpoints: number, capacity: number): number {
  const n = notificationCreate();
  const copies = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) copies[i] = capCopy(n, RIGHTS_ALL);
  let made = 0;
  let queued = 0;
  let last = 0;
  let failedSends = 0;
  for (let e = 0; e < endpoints; e++) {
    const ep = endpointCreate(capacity);
    if (ep < 0) {
      last = ep;
      break;
    }
    made++;
    for (let k = 0; k < capacity; k++) {
      msgClear(m);
      for (let i = 0; i < 4; i++) msgSetCap(m, i, copies[i]!);
      msgSetFlags(m, MsgFlag.CopyCaps);
      if (send(ep, m, Timeout.Poll) === 0) queued++;
      else failedSends++;
    }
  }
  msgClear(m2);
  msgSet(m2, 1, made, queued);
  msgSetWord(m2, 2, last);
  msgSetWord(m2, 3, failedSends);
  send(REP, m2, Timeout.Forever);
  // Exiting frees everything: the queues and the capabilities in flight in them.
  return 0;
}

export function heapHelper(role: number): number {
  if (role === Role.QueueFiller) return queueFiller(msgWord(m, 0), msgWord(m, 1));
  return -1;
}
