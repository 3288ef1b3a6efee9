// Each process's capability context: its table, its kernel-memory account, the waiter its thread
// blocks with and its shared-memory mappings; made on first use or by spawn_caps, released when
// the process ends (processExit calls procCapsRelease).
//
// Handles are the capability table's (generation × 4096 + slot). A program started with
// capabilities finds them at handles 4096, 4097, ... in the order its creator listed them: they are
// the first insertions into a fresh table, slot i at generation 1.
import { release } from "../../lang/core.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { CapTable, tableCreate } from "../cap/cap-table.ts";
import { accountReclaim, tableDestroy } from "../cap/cdt.ts";
import { accountCreate, accountCreateRoot, accountDestroy, type Account } from "../cap/quota.ts";
import { cancelWaiter, Waiter, waiterFree } from "../cap/waiter.ts";
import { memoryUnmap } from "../object/memory.ts";
import { notificationSignal } from "../object/notification.ts";
import { dropReplySlot } from "../object/reply.ts";
import { MAX_THREADS, threadById } from "../sched/scheduler.ts";
import { MAX_PROCESSES, MAX_THREADS_PER_PROCESS } from "./limits.ts";
import type { Process } from "./process.ts";

/** Slots of a process's capability table. */
export const PROCESS_TABLE_SLOTS = 256;
/** Kernel memory every process may spend unless its creator set another quota (bytes). */
export const DEFAULT_QUOTA = 1 << 20;
/** init's: it hands every service of the manifest and every program its quota out of its own. */
export const INIT_QUOTA = 4 << 20;
/** Kernel memory budget shared by every process (bytes). */
export const ROOT_QUOTA = 64 << 20;
/** Shared-memory mappings a process may hold at once. */
export const MAX_MAPPINGS = 16;

export class ProcCaps {
  pid: number;
  table: CapTable;
  account: Account;
  /**
   * The waiter of the thread making the current system call: each thread has its own (its waits,
   * its reply slot), and the system-call entry points this at the caller's (procCapsUse).
   */
  waiter: Waiter;
  /** Handle (in this table) of a notification signalled with `exitBits` when the process ends. */
  exitNotify = 0;
  exitBits = 0n;
  /** Shared-memory mappings: start, pages, memory-object record index (-1 for a free entry). */
  mapStart: number[] = new Array<number>(MAX_MAPPINGS).fill(0);
  mapPages: number[] = new Array<number>(MAX_MAPPINGS).fill(0);
  mapMem: number[] = new Array<number>(MAX_MAPPINGS).fill(-1);

  constructor(pid: number, table: CapTable, account: Account, waiter: Waiter) {
    this.pid = pid;
    this.table = table;
    this.account = account;
    this.waiter = waiter;
  }
}

class CapState {
  root: Account | null = null;
  /** Accounts whose process went while child accounts were still alive; closed when they go. */
  orphans: Array<Account>;
  orphanCount = 0;

  constructor(orphan: Account) {
    this.orphans = new Array<Account>(MAX_PROCESSES).fill(orphan);
  }
}

const NO_ACCOUNT = accountCreateRootUncounted();
/** Each user thread's waiter, by scheduler id (null for kernel threads and free ids). */
/** What `ProcCaps.waiter` points at once the last thread has gone: a waiter that never waits. */
const NO_WAITER = new Waiter(-1);
const waiterOfThread = new Array<Waiter | null>(MAX_THREADS).fill(null);
const state = new CapState(NO_ACCOUNT);

function accountCreateRootUncounted(): Account {
  return accountCreateRoot(0);
}

function rootAccount(): Account {
  if (state.root === null) state.root = accountCreateRoot(ROOT_QUOTA);
  return state.root!;
}

/** The capability context of `p` if it has one already. */
export function procCapsIfAny(p: Process): ProcCaps | null {
  return p.caps;
}

/**
 * A table of PROCESS_TABLE_SLOTS slots in a new account of `quota` bytes reserved from `parent`;
 * null (nothing reserved) when either does not fit.
 */
export function tableWithAccount(parent: Account, quota: number): CapTable | null {
  const account = accountCreate(parent, quota);
  if (account === null) return null;
  const table = tableCreate(account, PROCESS_TABLE_SLOTS);
  if (table === null) accountDestroy(account);
  return table;
}

/** Gives `p` the table (and its account) tableWithAccount made: its capability context. */
export function attachCaps(p: Process, table: CapTable): ProcCaps {
  let first: Waiter | null = null;
  for (let i = 0; i < MAX_THREADS_PER_PROCESS; i++) {
    const tid = p.threads[i]!;
    if (tid < 0) continue;
    const w = threadWaiterCreate(tid, table);
    if (tid === p.threadId) first = w;
  }
  const pc = new ProcCaps(p.pid, table, table.account, first === null ? threadWaiterCreate(p.threadId, table) : first!);
  p.caps = pc;
  return pc;
}

/**
 * The waiter of user thread `tid`, whose process's table is `table`: made with the thread (or
 * with the table, for the threads before it). The thread runs with the ports the table's port
 * capabilities enable (object/io-port.ts).
 */
export function threadWaiterCreate(tid: number, table: CapTable): Waiter {
  const w = new Waiter(tid);
  w.thread = threadById(tid);
  if (w.thread !== null) w.thread!.ioMap = table.ioMap;
  if (tid >= 0 && tid < MAX_THREADS) waiterOfThread[tid] = w;
  return w;
}

/** Points `pc.waiter` at thread `tid`'s own before a system call of that thread runs. */
export function procCapsUse(pc: ProcCaps, tid: number): void {
  const w = waiterOfThread[tid]!;
  if (w !== null) pc.waiter = w;
}

/**
 * Thread `tid` of `p` is going: its wait is cancelled, the call in its reply slot is answered
 * with PeerClosed, its waiter freed. Its process's other threads and capabilities stay.
 */
export function procCapsThreadGone(p: Process, tid: number): void {
  if (tid < 0 || tid >= MAX_THREADS) return;
  const w = waiterOfThread[tid]!;
  if (w === null) return;
  waiterOfThread[tid] = null;
  const t = threadById(tid);
  if (t !== null) t.ioMap = null;
  cancelWaiter(w);
  dropReplySlot(w);
  const pc = p.caps;
  if (pc !== null && pc.waiter === w) pc.waiter = NO_WAITER;
  waiterFree(w);
}

/** Creates `p`'s table under `parent` (or the root) with `quota` bytes; null when it cannot. */
function createCaps(p: Process, parent: Account, quota: number): ProcCaps | null {
  const table = tableWithAccount(parent, quota);
  return table === null ? null : attachCaps(p, table);
}

/**
 * The capability context of `p`, created on first use for processes started without one (init,
 * programs started by plain spawn): an empty table and the default quota from the root budget.
 */
export function procCaps(p: Process): ProcCaps | null {
  const pc = p.caps;
  return pc !== null ? pc : createCaps(p, rootAccount(), DEFAULT_QUOTA);
}

/** init's capability context, with INIT_QUOTA from the root budget. */
export function initCaps(p: Process): ProcCaps | null {
  const pc = p.caps;
  return pc !== null ? pc : createCaps(p, rootAccount(), INIT_QUOTA);
}

function closeAccount(a: Account): void {
  let acc: Account | null = a;
  while (acc !== null) {
    const parent: Account | null = acc.parent;
    if (accountDestroy(acc) !== ErrorCode.Ok) {
      if (state.orphanCount < state.orphans.length) {
        state.orphans[state.orphanCount] = acc;
        state.orphanCount++;
      }
      return;
    }
    // The parent may be an orphan waiting for its last child account.
    let k = -1;
    for (let i = 0; i < state.orphanCount; i++) if (state.orphans[i]! === parent) k = i;
    if (k < 0) return;
    state.orphanCount--;
    state.orphans[k] = state.orphans[state.orphanCount]!;
    state.orphans[state.orphanCount] = NO_ACCOUNT;
    acc = parent;
  }
}

/**
 * The process is going (exit or kill): its wait is cancelled, its mappings go, every capability it
 * holds is deleted, every object it paid for is destroyed (whoever else holds capabilities to it),
 * and its quota returns to its creator. Nothing it held is left behind.
 */
export function procCapsRelease(p: Process): void {
  const pc = procCapsIfAny(p);
  if (pc === null) return;
  // Threads still recorded (processExit ends them first; this covers any left).
  for (let i = 0; i < MAX_THREADS_PER_PROCESS; i++) procCapsThreadGone(p, p.threads[i]!);
  releaseMappings(p, pc);
  // As `signal` through the copy: its badge if it has one (so one notification tells children
  // apart), else bit 0. A copy the child deleted signals nothing.
  if (pc.exitNotify !== 0) notificationSignal(pc.table, pc.exitNotify, pc.exitBits);
  tableDestroy(pc.table);
  accountReclaim(pc.account);
  closeAccount(pc.account);
  p.caps = null;
  release(pc.mapStart);
  release(pc.mapPages);
  release(pc.mapMem);
  release(pc);
}


/** Unmaps every shared-memory mapping `p` holds (its address space may already be gone). */
function releaseMappings(p: Process, pc: ProcCaps): void {
  for (let i = 0; i < MAX_MAPPINGS; i++) {
    if (pc.mapMem[i]! >= 0) {
      if (p.space !== null) memoryUnmap(p.space!, pc.mapStart[i]!, pc.mapMem[i]!);
      pc.mapMem[i] = -1;
    }
  }
}
