// What every attack-test scenario shares: the tally, expectations, and starting copies of this
// program as helpers with a role. A helper gets two capabilities: its own control endpoint (its
// role arrives there first) and the driver's report endpoint.
import { malloc } from "../lib/heap.ts";
import {
  capDelete, endpointCreate, kernelHeapUsed, kernelObjects, msgAlloc, msgClear, msgLabel, msgSet, msgSetCap, msgSetFlags, msgSetWord, MsgFlag,
  quotaUsed, receive, send, spawnCaps, storeWord, Timeout, FIRST_START_HANDLE,
} from "../lib/ipc.ts";
import { loadWord, startupWord } from "../lib/runtime.ts";
import { ExitHow, Startup, errorText, wait } from "../lib/sys.ts";

export const MS = 1000000;
/** Kernel-memory quota of a helper unless a scenario gives another. */
export const HELPER_QUOTA = 128 * 1024;

/** The helper's control endpoint and the driver's report endpoint, in a helper. */
export const CTL = FIRST_START_HANDLE;
export const REP = FIRST_START_HANDLE + 1;

class Tally {
  passed = 0;
  failed = 0;
}
export const tally = new Tally();

/** Message buffers and scratch words the scenarios share (never used by two at once). */
export const m = msgAlloc();
export const m2 = msgAlloc();
export const words = malloc(256);
export const status = malloc(16);
/** spawnCaps stores the Process capability of a helper started with startHelper's `killable` here. */
export const procWord = malloc(8);
export const self = startupWord(Startup.ModuleIndex);

export function pass(name: string): void {
  console.log(`ATTACK PASS ${name}`);
  tally.passed++;
}

export function fail(name: string, why: string): void {
  console.log(`ATTACK FAIL ${name}: ${why}`);
  tally.failed++;
}

/** Records a failed expectation; true when `got` is `want`. */
export function expectEq(name: string, what: string, got: number, want: number): boolean {
  if (got === want) return true;
  fail(name, `${what}: got ${got}, want ${want}`);
  return false;
}

class Control {
  ctl = 0;
  rep = 0;
}
export const control = new Control();

/** Opens the driver's report endpoint (once, before the first scenario). */
export function driverStart(): void {
  control.rep = endpointCreate(8);
}

/** Closes what driverStart and the last helper left. */
export function driverEnd(): void {
  if (control.ctl !== 0) capDelete(control.ctl);
  control.ctl = 0;
  capDelete(control.rep);
}

/**
 * Starts a helper copy with `role` and words w0, w1 in its first message, and c0 (0: none) copied
 * to it; its pid, or a negated error. With `killable`, its Process capability is at loadWord(procWord).
 */
export function startHelper(role: number, w0: number, w1: number, c0: number, quota: number, exitNotify: number, killable: boolean): number {
  if (control.ctl !== 0) capDelete(control.ctl);
  control.ctl = endpointCreate(2);
  storeWord(words, control.ctl);
  storeWord(words + 8, control.rep);
  storeWord(procWord, 0);
  const pid = spawnCaps(self, words, 2, quota, exitNotify, killable ? procWord : 0);
  if (pid < 0) return pid;
  msgSet(m, role, w0, w1);
  if (c0 > 0) {
    msgSetCap(m, 0, c0);
    msgSetFlags(m, MsgFlag.CopyCaps);
  }
  const r = send(control.ctl, m, Timeout.Forever);
  if (r < 0) console.log(`attack-test: role message not sent: ${errorText(r)}`);
  return pid;
}

/** Waits for child `pid`: its exit status, or -1000 - status when it was killed; -2000 when none. */
export function reap(pid: number): number {
  const r = wait(pid, status);
  if (r < 0) return -2000;
  if (loadWord(status + 8) === ExitHow.Killed) return -1000 - loadWord(status);
  return loadWord(status);
}

/** The next report from a helper within `ms` milliseconds: its label (words in m2), or a negated error. */
export function report(ms: number): number {
  const r = receive(control.rep, m2, ms * MS);
  if (r < 0) return r;
  return msgLabel(m2);
}

/** In a helper: sends a report with `label` and two words to the driver. */
export function sendReport(label: number, w0: number, w1: number): void {
  msgClear(m2);
  msgSet(m2, label, w0, w1);
  msgSetWord(m2, 2, 0);
  send(REP, m2, Timeout.Forever);
}

/** What expectClean compares with: taken before a scenario starts. */
export class Baseline {
  objects = kernelObjects();
  quota = quotaUsed();
  heap = kernelHeapUsed();
}

/** Everything a scenario made is gone: objects, quota and kernel heap bytes back to `b`. */
export function expectClean(name: string, b: Baseline): boolean {
  if (control.ctl !== 0) capDelete(control.ctl);
  control.ctl = 0;
  return expectEq(name, "kernel objects left", kernelObjects(), b.objects) && expectEq(name, "quota left in use", quotaUsed(), b.quota) &&
    expectEq(name, "kernel heap bytes left in use", kernelHeapUsed(), b.heap);
}

/** In a helper: its role message (label = role, words in m), or -1 when none came. */
export function helperRole(): number {
  if (receive(CTL, m, Timeout.Forever) < 0) return -1;
  return msgLabel(m);
}
