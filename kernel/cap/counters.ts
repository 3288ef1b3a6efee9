// Live counters for every pool of the capability and IPC layer, so host tests can prove that every
// operation returns to its baseline (no leak) and the kernel can report per-type object counts.
// Allocation itself goes through `new` and `release` (lang/core.ts); when the kernel's
// typed pools land, these counters move there.

export const enum Pool {
  // Indices below 32 are kernel object types (ObjectType, abi/object-type.ts: OBJECT_TYPE_COUNT).
  Capability = 32,
  CapTable = 33,
  WaitSetMember = 34,
  Account = 35,
  Message = 36,
}

export const POOL_COUNT = 40;

class Counters {
  live = new Array<number>(POOL_COUNT).fill(0);
  total = new Array<number>(POOL_COUNT).fill(0);
}

const counters = new Counters();

export function countAlloc(pool: number): void {
  counters.live[pool] = counters.live[pool]! + 1;
  counters.total[pool] = counters.total[pool]! + 1;
}

export function countFree(pool: number): void {
  counters.live[pool] = counters.live[pool]! - 1;
}

/** Objects of this pool currently alive. */
export function liveCount(pool: number): number {
  return counters.live[pool]!;
}
