// Typed object pools: every kind of kernel object (thread, process, capability table...) comes
// from a Pool that counts live, peak and total objects and refuses to grow past its capacity, so
// a leak shows as a live count that does not return to its baseline and a runaway as an
// exhaustion report instead of the kernel running out of memory. Objects are created with `new`
// and given back with `release` (the runtime allocator; lang/core.ts) by two top-level
// functions the pool's owner supplies, e.g. `function makeThread(): Thread { return new Thread(); }`
// and `function releaseThread(t: Thread): void { release(t); }`.
import { panic } from "../../../lang/core.ts";
import { kwarn } from "../../console/log.ts";

export const MAX_POOLS = 32;

export class PoolStats {
  name: string;
  capacity: number;
  /** Approximate bytes per object, for the memory report. */
  objectSize: number;
  live = 0;
  peak = 0;
  total = 0;
  /** Allocations refused because the pool was full. */
  failures = 0;

  constructor(name: string, capacity: number, objectSize: number) {
    this.name = name;
    this.capacity = capacity;
    this.objectSize = objectSize;
  }
}

class Registry {
  pools: PoolStats[] = new Array<PoolStats>(MAX_POOLS).fill(new PoolStats("", 0, 0));
  count = 0;
}

const registry = new Registry();

function register(stats: PoolStats): void {
  if (registry.count >= MAX_POOLS) panic(`pool: more than ${MAX_POOLS} pools (registering ${stats.name})`);
  registry.pools[registry.count] = stats;
  registry.count++;
}

export class Pool<T> {
  stats: PoolStats;
  make: () => T;
  destroy: (obj: T) => void;
  /** Exhaustion is reported once until an object comes back. */
  reported = false;

  /** `make` builds a fresh object, `destroy` releases one; both are top-level functions. */
  constructor(name: string, capacity: number, objectSize: number, make: () => T, destroy: (obj: T) => void) {
    this.stats = new PoolStats(name, capacity, objectSize);
    this.make = make;
    this.destroy = destroy;
    register(this.stats);
  }

  /** A new object, or null when the pool is at capacity (reported once per exhaustion). */
  alloc(): T | null {
    const s = this.stats;
    if (s.live >= s.capacity) {
      if (!this.reported) kwarn(`pool ${s.name}: exhausted at ${s.capacity} objects`);
      this.reported = true;
      s.failures++;
      return null;
    }
    s.live++;
    s.total++;
    if (s.live > s.peak) s.peak = s.live;
    return this.make();
  }

  /** Returns an object obtained from alloc(); more frees than allocations is a bug. */
  free(obj: T): void {
    const s = this.stats;
    if (s.live <= 0) panic(`pool ${s.name}: free with no live object (double free?)`);
    s.live--;
    this.reported = false;
    this.destroy(obj);
  }
}

/** Number of registered pools. */
export function poolCount(): number {
  return registry.count;
}

/** Statistics of the i-th registered pool. */
export function poolStats(i: number): PoolStats {
  return registry.pools[i]!;
}

/** Index of the pool named `name`, or -1. */
export function findPool(name: string): number {
  for (let i = 0; i < registry.count; i++) {
    if (registry.pools[i]!.name === name) return i;
  }
  return -1;
}

/** One line per pool: `pool <name>: <live> live, <peak> peak, <total> total, <failures> refused, <bytes> bytes`. */
export function printPools(): void {
  for (let i = 0; i < registry.count; i++) {
    const s = registry.pools[i]!;
    console.log(`pool ${s.name}: ${s.live} live, ${s.peak} peak, ${s.total} total, ${s.failures} refused, ${s.live * s.objectSize} bytes of ${s.capacity * s.objectSize}`);
  }
}
