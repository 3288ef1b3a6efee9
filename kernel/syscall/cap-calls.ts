// The system calls on capabilities themselves (identify, copy, mint, delete, revoke, badge), on
// processes through capabilities (spawn_caps, process_kill) and the kernel's accounting
// (kernel_objects, account_info); user memory read and written as 64-bit words.
import { heapBytesTotal, heapBytesUsed, release } from "../../lang/core.ts";
import { lookupCap, lookupError } from "../cap/cap-table.ts";
import { accountDestroy } from "../cap/quota.ts";
import { capCopy, capDelete, capMint, capMove, capRevoke, tableDestroy } from "../cap/cdt.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { BITS_LIMIT } from "../../abi/message.ts";
import { liveCount, Pool } from "../cap/counters.ts";
import { flagsValid, Right, rightsValid } from "../../abi/rights.ts";
import { processObjectBind, processObjectCreate, processObjectPid } from "../object/process.ts";
import { physToVirt } from "../arch/x86_64/layout.ts";
import { translate } from "../arch/x86_64/paging.ts";
import { load64, store64 } from "../../lang/mem.ts";
import { wordToNumber } from "../cap/message.ts";
import { moduleSource, Process, processByPid, ProcState, type ProgramSource, spawnProgram } from "../proc/process.ts";
import { userRangeAccessible } from "../proc/user-copy.ts";
import { attachCaps, type ProcCaps, procCaps, tableWithAccount } from "../proc/proc-caps.ts";
import { Priority } from "../sched/run-queue.ts";
import { MAX_START_CAPS, SPAWN_CLASS_SHIFT, SPAWN_FLAGS_ALL, SPAWN_FLAGS_UNIT, SpawnFlag } from "../../abi/process.ts";
import { ObjectType, OBJECT_TYPE_COUNT } from "../../abi/object-type.ts";

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

/** Badges are 1 .. BITS_LIMIT - 1 from user mode, so a badge is always a positive system call value. */
export function sysCapMint(pc: ProcCaps, h: number, rights: number, badge: number): number {
  if (!rightsValid(rights) || badge <= 0 || badge >= BITS_LIMIT) return -ErrorCode.InvalidArgument;
  return capMint(pc.table, h, pc.table, rights, BigInt(badge));
}

export function sysCapDelete(pc: ProcCaps, h: number): number {
  return -capDelete(pc.table, h);
}

export function sysCapRevoke(pc: ProcCaps, h: number): number {
  return -capRevoke(pc.table, h);
}

/**
 * What spawn_caps and spawn_image share: the capabilities to pass, the flags, the quota, the exit
 * notification and where the Process capability's handle goes. checkSpawn fills the rest.
 */
export class SpawnRequest {
  handles = 0;
  count = 0;
  quota = 0;
  exitNotify = 0;
  procOut = 0;
  /** Filled by checkSpawn: the handles read from user memory, how many, moved or copied, the class. */
  list: number[] = new Array<number>(MAX_START_CAPS + 1).fill(0);
  n = 0;
  move = false;
  priority: number = Priority.Application;
}

/** Frees a request and its list. */
export function spawnRequestFree(req: SpawnRequest): void {
  release(req.list);
  release(req);
}

/**
 * Every check of a spawn's capability arguments (spawn_caps's handles, count | flags, quota,
 * exitNotify, procOut), before anything is created, so that a refused spawn changes nothing:
 * 0, or a negated error.
 */
export function checkSpawn(p: Process, pc: ProcCaps, req: SpawnRequest): number {
  const flags = Math.floor(req.count / SPAWN_FLAGS_UNIT);
  const n = req.count % SPAWN_FLAGS_UNIT;
  if (n < 0 || n > MAX_START_CAPS || !flagsValid(flags, SPAWN_FLAGS_ALL)) return -ErrorCode.InvalidArgument;
  if (req.quota <= 0 || req.quota > pc.account.limit) return -ErrorCode.InvalidArgument;
  // The class bits mean something only with SpawnFlag.Class; the background class is the idle
  // thread's. A class more urgent than the caller's own is not the caller's to give, unless it
  // holds the right to start programs (init, which starts the drivers in theirs).
  const classBits = Math.floor(flags / (1 << SPAWN_CLASS_SHIFT)) & 3;
  if ((flags & SpawnFlag.Class) === 0 && classBits !== 0) return -ErrorCode.InvalidArgument;
  req.priority = (flags & SpawnFlag.Class) !== 0 ? classBits : Priority.Application;
  if (req.priority >= Priority.Idle) return -ErrorCode.InvalidArgument;
  if (req.priority < p.priority && !p.mayStartModules) return -ErrorCode.PermissionDenied;
  for (let i = 0; i < n; i++) {
    const w = readUserWord(p, req.handles + i * 8);
    if (w === USER_WORD_FAULT) return -ErrorCode.BadAddress;
    req.list[i] = w;
  }
  req.n = n;
  req.move = (flags & SpawnFlag.Move) !== 0;
  for (let i = 0; i < n; i++) {
    const e = lookupError(pc.table, req.list[i]!, ObjectType.Any, req.move ? Right.Grant : Right.Grant | Right.Duplicate);
    if (e !== ErrorCode.Ok) return -e;
    for (let j = 0; j < i; j++) if (req.list[j]! === req.list[i]!) return -ErrorCode.InvalidArgument;
  }
  if (req.exitNotify !== 0) {
    const e = lookupError(pc.table, req.exitNotify, ObjectType.Notification, Right.Signal | Right.Grant | Right.Duplicate);
    if (e !== ErrorCode.Ok) return -e;
  }
  if (req.procOut !== 0 && (req.procOut % 8 !== 0 || !userRangeAccessible(p.space!, req.procOut, 8, true))) {
    return -ErrorCode.BadAddress;
  }
  return 0;
}

/**
 * Starts the child of a request checkSpawn accepted, running `src`: its pid, or a negated error
 * with nothing left behind. The Process capability and the child's table and quota come before
 * the child, so that no quota or slot shortage is found once it exists.
 */
export function startChild(p: Process, pc: ProcCaps, req: SpawnRequest, src: ProgramSource): number {
  const ph = req.procOut !== 0 ? processObjectCreate(pc.table) : 0;
  if (ph < 0) return ph;
  const table = tableWithAccount(pc.account, req.quota);
  if (table === null) {
    if (ph > 0) capDelete(pc.table, ph);
    return -ErrorCode.QuotaExceeded;
  }
  const pid = spawnProgram(src, p.pid, false, req.priority);
  if (pid < 0) {
    const account = table.account;
    tableDestroy(table);
    accountDestroy(account);
    if (ph > 0) capDelete(pc.table, ph);
    return pid;
  }
  // The child has not run yet (interrupts are off in a system call): it starts with its table.
  const cc = attachCaps(processByPid(pid)!, table);
  if (ph > 0) {
    processObjectBind(pc.table, ph, pid);
    writeUserWord(p, req.procOut, BigInt(ph));
  }
  for (let i = 0; i < req.n; i++) {
    const h = req.list[i]!;
    const r = req.move ? capMove(pc.table, h, cc.table) : capCopy(pc.table, h, cc.table, lookupCap(pc.table, h).rights);
    void r;
  }
  if (req.exitNotify !== 0) {
    cc.exitNotify = capCopy(pc.table, req.exitNotify, cc.table, Right.Signal);
    cc.exitBits = 1n;
  }
  return pid;
}

/**
 * spawn_caps(module, handles, count, quota, exitNotify, procOut): starts boot module `module` as a
 * child whose table receives copies (or, with SpawnFlag.Move in bits 8.., the capabilities
 * themselves) of the `count` handles in the array of 64-bit words at `handles`, at 4096, 4097,
 * ...; the child's kernel memory is `quota` bytes reserved from the caller's. A non-zero
 * `exitNotify` names a notification the caller holds: a copy goes last into the child's table and
 * is signalled with bit 0 of the child's pid slot when the child ends. A non-zero `procOut` is the
 * address of a 64-bit word that receives the handle of a new Process capability (every right)
 * naming the child, which process_kill takes. A process may start boot modules when the kernel let
 * it (init) and may always start another instance of its own program.
 */
export function sysSpawnCaps(
  p: Process, pc: ProcCaps, module: number, handles: number, count: number, quota: number, exitNotify: number, procOut: number,
): number {
  if (!p.mayStartModules && module !== p.moduleIndex) return -ErrorCode.PermissionDenied;
  const req = new SpawnRequest();
  req.handles = handles;
  req.count = count;
  req.quota = quota;
  req.exitNotify = exitNotify;
  req.procOut = procOut;
  let r = checkSpawn(p, pc, req);
  const src = r === 0 ? moduleSource(module) : null;
  if (r === 0 && src === null) r = -ErrorCode.NotFound;
  if (src !== null) {
    r = startChild(p, pc, req, src);
    release(src);
  }
  spawnRequestFree(req);
  return r;
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

function writeUserWord(p: Process, addr: number, v: bigint): boolean {
  const space = p.space!;
  if (addr % 8 !== 0 || !userRangeAccessible(space, addr, 8, true)) return false;
  store64(physToVirt(translate(space, addr)), v);
  return true;
}

/** account_info(which): the caller's quota or its use; the kernel heap's bytes in use or held. */
export function sysAccountInfo(pc: ProcCaps, which: number): number {
  switch (which) {
    case 0: return pc.account.limit;
    case 1: return pc.account.used;
    case 2: return heapBytesUsed();
    case 3: return heapBytesTotal();
    default: return -ErrorCode.InvalidArgument;
  }
}
