// Each process's capability context (its table, its kernel-memory account, the waiter its thread
// blocks with, its shared-memory mappings) and the system calls on capabilities themselves: identify,
// copy, mint, delete, revoke, and starting a program with capabilities.
//
// Handles are the capability table's (generation × 4096 + slot). A program started with
// capabilities finds them at handles 4096, 4097, ... in the order its creator listed them: they are
// the first insertions into a fresh table, slot i at generation 1.
import { release } from "../../lang/core.ts";
import { CapTable, lookupCap, lookupError, tableCreate } from "../cap/cap-table.ts";
import { accountCreate, accountCreateRoot, accountDestroy, type Account } from "../cap/quota.ts";
import { accountReclaim, capCopy, capDelete, capMint, capMove, capRevoke, tableDestroy } from "../cap/cdt.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { liveCount, Pool } from "../cap/counters.ts";
import { flagsValid, Right, rightsValid } from "../../abi/rights.ts";
import { notificationSignal } from "../object/notification.ts";
import { dropReplySlot } from "../object/reply.ts";
import { cancelWaiter, Waiter, waiterFree } from "../cap/waiter.ts";
import { processObjectBind, processObjectCreate, processObjectPid } from "../object/process.ts";
import { physToVirt } from "../mm/layout.ts";
import { translate } from "../mm/paging.ts";
import { load64, store64 } from "../../lang/mem.ts";
import { wordToNumber } from "../cap/message.ts";
import { MAX_PROCESSES, Process, processByPid, ProcState, setProcessReleaseHook, spawnModule } from "../proc/process.ts";
import { userRangeAccessible } from "../proc/user-copy.ts";
import { threadById } from "../sched/scheduler.ts";
import { MAX_START_CAPS, SPAWN_FLAGS_UNIT, SpawnFlag } from "../../abi/process.ts";
import { ObjectType, OBJECT_TYPE_COUNT } from "../../abi/object-type.ts";

/** Slots of a process's capability table. */
export const PROCESS_TABLE_SLOTS = 256;
/** Kernel memory every process may spend unless its creator set another quota (bytes). */
export const DEFAULT_QUOTA = 1 << 20;
/** Kernel memory budget shared by every process (bytes). */
export const ROOT_QUOTA = 64 << 20;
/** Shared-memory mappings a process may hold at once. */
export const MAX_MAPPINGS = 16;

export class ProcCaps {
  pid: number;
  table: CapTable;
  account: Account;
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

/** What the shared-memory layer does with a process's mappings when the process goes. */
export type MappingsRelease = (p: Process, pc: ProcCaps) => void;

function noRelease(p: Process, pc: ProcCaps): void {
  void p;
  void pc;
}

class CapState {
  root: Account | null = null;
  /** Per process slot; `none` marks an empty slot. */
  procs: Array<ProcCaps>;
  none: ProcCaps;
  /** Accounts whose process went while child accounts were still alive; closed when they go. */
  orphans: Array<Account>;
  orphanCount = 0;
  releaseMappings: MappingsRelease = noRelease;

  constructor(none: ProcCaps, orphan: Account) {
    this.none = none;
    this.procs = new Array<ProcCaps>(MAX_PROCESSES).fill(none);
    this.orphans = new Array<Account>(MAX_PROCESSES).fill(orphan);
  }
}

const NO_ACCOUNT = accountCreateRootUncounted();
const state = new CapState(new ProcCaps(0, new CapTable(1, NO_ACCOUNT, 0), NO_ACCOUNT, new Waiter(-1)), NO_ACCOUNT);

function accountCreateRootUncounted(): Account {
  return accountCreateRoot(0);
}

function rootAccount(): Account {
  if (state.root === null) state.root = accountCreateRoot(ROOT_QUOTA);
  return state.root!;
}

export function setMappingsRelease(fn: MappingsRelease): void {
  state.releaseMappings = fn;
}

/** The capability context of `p` if it has one already. */
export function procCapsIfAny(p: Process): ProcCaps | null {
  return p.caps;
}

/**
 * A table of PROCESS_TABLE_SLOTS slots in a new account of `quota` bytes reserved from `parent`;
 * null (nothing reserved) when either does not fit.
 */
function tableWithAccount(parent: Account, quota: number): CapTable | null {
  const account = accountCreate(parent, quota);
  if (account === null) return null;
  const table = tableCreate(account, PROCESS_TABLE_SLOTS);
  if (table === null) accountDestroy(account);
  return table;
}

/** Gives `p` the table (and its account) tableWithAccount made: its capability context. */
function attachCaps(p: Process, table: CapTable): ProcCaps {
  const w = new Waiter(p.threadId);
  w.thread = threadById(p.threadId);
  const pc = new ProcCaps(p.pid, table, table.account, w);
  state.procs[p.pid % MAX_PROCESSES] = pc;
  p.caps = pc;
  return pc;
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
  cancelWaiter(pc.waiter);
  dropReplySlot(pc.waiter);
  state.releaseMappings(p, pc);
  // As `signal` through the copy: its badge if it has one (so one notification tells children
  // apart), else bit 0. A copy the child deleted signals nothing.
  if (pc.exitNotify !== 0) notificationSignal(pc.table, pc.exitNotify, pc.exitBits);
  tableDestroy(pc.table);
  accountReclaim(pc.account);
  closeAccount(pc.account);
  state.procs[p.pid % MAX_PROCESSES] = state.none;
  p.caps = null;
  waiterFree(pc.waiter);
  release(pc.mapStart);
  release(pc.mapPages);
  release(pc.mapMem);
  release(pc);
}

setProcessReleaseHook(procCapsRelease);

/** Live kernel objects of every type, capabilities and tables (leak checks from user mode). */
export function liveKernelObjects(): number {
  let n = 0;
  for (let t = 1; t < OBJECT_TYPE_COUNT; t++) n += liveCount(t);
  return n + liveCount(Pool.Capability) + liveCount(Pool.Message) + liveCount(Pool.WaitSetMember);
}

/** cap_identify(h): (object type << 8) | rights, or -error. */
export function sysCapIdentify(pc: ProcCaps, h: number): number {
  const e = lookupError(pc.table, h, ObjectType.Any, 0);
  if (e !== ErrorCode.Ok) return -e;
  const c = lookupCap(pc.table, h);
  return c.object.type * 256 + c.rights;
}

/** cap_badge(h): the capability's badge (low 48 bits), or -error. */
export function sysCapBadge(pc: ProcCaps, h: number): number {
  const e = lookupError(pc.table, h, ObjectType.Any, 0);
  if (e !== ErrorCode.Ok) return -e;
  return Number(lookupCap(pc.table, h).badge & 0xffffffffffffn);
}

export function sysCapCopy(pc: ProcCaps, h: number, rights: number): number {
  if (!rightsValid(rights)) return -ErrorCode.InvalidArgument;
  return capCopy(pc.table, h, pc.table, rights);
}

/** Badges are 1 .. 2^48 - 1 from user mode, so a badge is always a positive system call value. */
export function sysCapMint(pc: ProcCaps, h: number, rights: number, badge: number): number {
  if (!rightsValid(rights) || badge <= 0 || badge >= 0x1000000000000) return -ErrorCode.InvalidArgument;
  return capMint(pc.table, h, pc.table, rights, BigInt(badge));
}

export function sysCapDelete(pc: ProcCaps, h: number): number {
  return -capDelete(pc.table, h);
}

export function sysCapRevoke(pc: ProcCaps, h: number): number {
  return -capRevoke(pc.table, h);
}

/**
 * spawn_caps(module, handles, count, quota, exitNotify): starts boot module `module` as a child
 * whose table receives copies (or, with SpawnFlag.Move in bits 8.., the capabilities themselves) of
 * the `count` handles in the array of 64-bit words at `handles`, at 4096, 4097, ...; the child's
 * kernel memory is `quota` bytes reserved from the caller's. A non-zero `exitNotify` names a
 * notification the caller holds: a copy goes last into the child's table and is signalled with bit
 * 0 of the child's pid slot when the child ends. A non-zero `procOut` is the address of a 64-bit
 * word that receives the handle of a new Process capability (every right) naming the child, which
 * process_kill takes. A process may start boot modules when the kernel let it (init) and may
 * always start another instance of its own program.
 */
export function sysSpawnCaps(
  p: Process, pc: ProcCaps, module: number, handles: number, count: number, quota: number, exitNotify: number, procOut: number,
): number {
  const flags = Math.floor(count / SPAWN_FLAGS_UNIT);
  const n = count % SPAWN_FLAGS_UNIT;
  if (!p.mayStartModules && module !== p.moduleIndex) return -ErrorCode.PermissionDenied;
  if (n < 0 || n > MAX_START_CAPS || !flagsValid(flags, SpawnFlag.Move)) return -ErrorCode.InvalidArgument;
  if (quota <= 0 || quota > pc.account.limit) return -ErrorCode.InvalidArgument;
  const list = new Array<number>(MAX_START_CAPS + 1).fill(0);
  for (let i = 0; i < n; i++) {
    const w = readUserWord(p, handles + i * 8);
    if (w === USER_WORD_FAULT) {
      release(list);
      return -ErrorCode.BadAddress;
    }
    list[i] = w;
  }
  // Every check before anything is created, so a refused spawn changes nothing.
  const move = (flags & SpawnFlag.Move) !== 0;
  for (let i = 0; i < n; i++) {
    const e = lookupError(pc.table, list[i]!, ObjectType.Any, move ? Right.Grant : Right.Grant | Right.Duplicate);
    if (e !== ErrorCode.Ok) {
      release(list);
      return -e;
    }
    for (let j = 0; j < i; j++) {
      if (list[j]! === list[i]!) {
        release(list);
        return -ErrorCode.InvalidArgument;
      }
    }
  }
  if (exitNotify !== 0) {
    const e = lookupError(pc.table, exitNotify, ObjectType.Notification, Right.Signal | Right.Grant | Right.Duplicate);
    if (e !== ErrorCode.Ok) {
      release(list);
      return -e;
    }
  }
  if (procOut !== 0 && (procOut % 8 !== 0 || !userRangeAccessible(p.space!, procOut, 8, true))) {
    release(list);
    return -ErrorCode.BadAddress;
  }
  // The Process capability and the child's table and quota before the child, so that no quota
  // or slot shortage is found once it exists: a refused spawn leaves nothing behind.
  const ph = procOut !== 0 ? processObjectCreate(pc.table) : 0;
  if (ph < 0) {
    release(list);
    return ph;
  }
  const table = tableWithAccount(pc.account, quota);
  if (table === null) {
    if (ph > 0) capDelete(pc.table, ph);
    release(list);
    return -ErrorCode.QuotaExceeded;
  }
  const pid = spawnModule(module, p.pid, false);
  if (pid < 0) {
    const account = table.account;
    tableDestroy(table);
    accountDestroy(account);
    if (ph > 0) capDelete(pc.table, ph);
    release(list);
    return pid;
  }
  // The child has not run yet (interrupts are off in a system call): it starts with its table.
  const cc = attachCaps(processByPid(pid)!, table);
  if (ph > 0) {
    processObjectBind(pc.table, ph, pid);
    writeUserWord(p, procOut, BigInt(ph));
  }
  for (let i = 0; i < n; i++) {
    const h = list[i]!;
    const r = move ? capMove(pc.table, h, cc.table) : capCopy(pc.table, h, cc.table, lookupCap(pc.table, h).rights);
    void r;
  }
  if (exitNotify !== 0) {
    cc.exitNotify = capCopy(pc.table, exitNotify, cc.table, Right.Signal);
    cc.exitBits = 1n;
  }
  release(list);
  return pid;
}


// ---- process capabilities ----

/**
 * process_kill's checks: `h` must name a Process capability with Manage. Returns the pid of the
 * process it names while that process runs, or a negated error: the capability's error, or
 * ProcessExited once the process has exited or been killed (its zombie reaped or not).
 */
export function processKillTarget(p: Process, h: number): number {
  const pc = procCaps(p);
  if (pc === null) return -ErrorCode.QuotaExceeded;
  const pid = processObjectPid(pc.table, h);
  if (pid < 0) return pid;
  const target = processByPid(pid);
  if (target === null || target.state !== ProcState.Running) return -ErrorCode.ProcessExited;
  return target.pid;
}

// ---- user memory as 64-bit words ----

/** Returned by readUserWord for an address the process may not read. */
export const USER_WORD_FAULT = -0x1fffffffffffff;

/**
 * The 64-bit word at 8-aligned user `addr` as a number (two's complement), USER_WORD_FAULT when
 * unreadable; words beyond the safe integer range read as 2^53 - 1, which no check accepts.
 */
export function readUserWord(p: Process, addr: number): number {
  const space = p.space!;
  if (addr % 8 !== 0 || !userRangeAccessible(space, addr, 8, false)) return USER_WORD_FAULT;
  return wordToNumber(load64(physToVirt(translate(space, addr))));
}

/**
 * Physical-to-kernel mapping of an 8-aligned user range of `words` words (after the caller checked
 * it with userRangeAccessible): the kernel address of word i, page by page.
 */
export function userWordAddr(p: Process, base: number, i: number): number {
  const at = base + i * 8;
  return physToVirt(translate(p.space!, at));
}

export function writeUserWord(p: Process, addr: number, v: bigint): boolean {
  const space = p.space!;
  if (addr % 8 !== 0 || !userRangeAccessible(space, addr, 8, true)) return false;
  store64(physToVirt(translate(space, addr)), v);
  return true;
}
