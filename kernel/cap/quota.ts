// Kernel memory accounting. Every kernel object and every capability-table slot costs a fixed,
// documented amount charged to the process that creates it, against a limit set by that process's
// creator. Accounts form a tree: creating a child account reserves its whole limit from the
// parent, so the sum of all quotas never exceeds the root's and one process exhausting its quota
// affects nobody else.
import { ErrorCode } from "../../abi/errors.ts";
import { countAlloc, countFree, Pool } from "./counters.ts";
import { heapBytesTotal, heapBytesUsed, heapReserve, panic, release } from "../../lang/core.ts";
import type { KernelObject } from "./object.ts";

/**
 * Bytes charged per item: what the kernel heap really spends on it (blocks of power-of-two
 * classes, 16-byte headers included), measured in the compiled kernel by the `charge` self-test
 * (kernel/object/selftest.ts), which fails when a structure outgrows its charge.
 */
export const enum Cost {
  /** KernelObject, the header every object has. */
  ObjectHeader = 256,
  /** A table slot (its share of the table's arrays, rounded up to their classes) and the
   *  Capability record that fills it. */
  CapSlot = 168,
  TableHeader = 192,
  /** A queue slot: the Message with its arrays, its place in the ring, and the Capability records
   *  it can hold in flight (MSG_CAPS and a reply capability). */
  Message = 1040,
  Endpoint = 320,
  Notification = 128,
  WaitSet = 128,
  WaitSetMember = 64,
  Reply = 48,
  Account = 64,
  IrqLine = 64,
  IoPortRange = 64,
  /** A process's I/O permission bitmap (8 KiB and its header), made when it first enables ports. */
  IoMap = 8208,
  Timer = 128,
  /** A Thread object's record (kernel/object/thread.ts). */
  ThreadObject = 64,
  /**
   * A running thread's kernel-heap records: the scheduler's Thread, its waiter with its message,
   * and its place in the process's tables. Its kernel stack is charged apart (frames).
   */
  ThreadRecord = 1024,
}

export class Account {
  limit: number;
  used = 0;
  parent: Account | null;
  /** Child accounts alive: an account can be closed only when it has none and `used` is 0. */
  children = 0;
  /** Objects charged to this account (KernelObject.nextOwned list). */
  firstOwned: KernelObject | null = null;

  constructor(limit: number, parent: Account | null) {
    this.limit = limit;
    this.parent = parent;
  }
}

/** The root account holds the kernel memory budget for every process. */
export function accountCreateRoot(limit: number): Account {
  countAlloc(Pool.Account);
  return new Account(limit, null);
}

/** A child account with `limit`, reserved from `parent`; null when the parent cannot cover it. */
export function accountCreate(parent: Account, limit: number): Account | null {
  if (limit < 0 || accountCharge(parent, Cost.Account) !== ErrorCode.Ok) return null;
  // The child's limit moves from the parent's; kernel memory is reserved only when spent.
  if (quotaMove(parent, limit) !== ErrorCode.Ok) {
    accountRefund(parent, Cost.Account);
    return null;
  }
  parent.children++;
  countAlloc(Pool.Account);
  return new Account(limit, parent);
}

/** Closes an account whose charges have all been refunded; returns its reservation to the parent. */
export function accountDestroy(a: Account): ErrorCode {
  if (a.used !== 0 || a.children !== 0) return ErrorCode.InvalidArgument;
  const p = a.parent;
  if (p !== null) {
    accountRefund(p, a.limit + Cost.Account);
    p.children--;
  }
  countFree(Pool.Account);
  release(a);
  return ErrorCode.Ok;
}

/**
 * Charges `amount` bytes of kernel memory about to be allocated to `a`, or fails with
 * QuotaExceeded leaving the account unchanged: when the quota cannot cover it, and when the kernel
 * heap cannot (no free frames left to grow into), which is logged. Quotas may add up to more than
 * the machine has, so the second check is what keeps the allocation that follows from failing.
 */
export function accountCharge(a: Account, amount: number): ErrorCode {
  if (quotaMove(a, amount) !== ErrorCode.Ok) return ErrorCode.QuotaExceeded;
  if (!heapReserve(amount)) {
    a.used -= amount;
    heapExhausted(amount);
    return ErrorCode.QuotaExceeded;
  }
  if (heapWarning.logged) heapWarning.logged = false;
  return ErrorCode.Ok;
}

/** Charges `amount` bytes of memory that is not the kernel heap's (frames), so nothing is reserved. */
export function accountChargeOutside(a: Account, amount: number): ErrorCode {
  return quotaMove(a, amount);
}

/** Moves `amount` of `a`'s limit into use without allocating (a child account's reservation). */
function quotaMove(a: Account, amount: number): ErrorCode {
  if (amount < 0 || a.used + amount > a.limit) return ErrorCode.QuotaExceeded;
  a.used += amount;
  return ErrorCode.Ok;
}

class HeapWarning {
  /** Charges refused because the kernel heap could not grow; the first of a run is logged. */
  refused = 0;
  logged = false;
}
const heapWarning = new HeapWarning();

function heapExhausted(amount: number): void {
  heapWarning.refused++;
  if (heapWarning.logged) return;
  heapWarning.logged = true;
  // console.log, not the kernel log: this layer runs on its own in the native self-test.
  console.log(`warning: quota: kernel heap exhausted: ${amount} bytes refused (${heapBytesUsed()} of ${heapBytesTotal()} in use, no free frames to grow)`);
}

/** Charges refused because the kernel heap was exhausted (statistics and tests). */
export function heapRefusals(): number {
  return heapWarning.refused;
}

export function accountRefund(a: Account, amount: number): void {
  if (amount < 0 || amount > a.used) panic(`quota refund of ${amount} exceeds ${a.used} charged`);
  a.used -= amount;
}

export function accountAvailable(a: Account): number {
  return a.limit - a.used;
}
