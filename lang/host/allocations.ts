// Host-only: live allocations per type under Node, as the hosted C runtime counts them
// (keel_type_live in toolchain/runtime/keel_rt.c). Node's garbage collector reclaims what the
// kernel forgets to release, so without this count a missing `release` shows only in C.
//
// The unit tests' transform (tests/unit/allocations-plugin.ts) wraps every allocation in kernel
// code (`new C(...)`, `new Array<T>(n)`, typed arrays, array literals) in `hostAllocated`;
// `release` (lang/core.ts) calls `hostReleased`. Objects made elsewhere (test code) are
// not counted, and releasing them is ignored.

const live = new Map<string, number>();
const typeOf = new WeakMap<object, string>();
let doubleReleases = 0;

/** Records `obj`, just allocated, as a live object of type `type`; returns it. */
export function hostAllocated<T>(obj: T, type: string): T {
  if (typeof obj === "object" && obj !== null) {
    typeOf.set(obj, type);
    live.set(type, (live.get(type) ?? 0) + 1);
  }
  return obj;
}

/** Records the release of `obj`. A second release of the same object is counted as an error. */
export function hostReleased(obj: object): void {
  const type = typeOf.get(obj);
  if (type === undefined) return;
  if (type === "") {
    doubleReleases++;
    return;
  }
  typeOf.set(obj, "");
  live.set(type, live.get(type)! - 1);
}

/** Live allocations per type (types with none left out), and double releases seen so far. */
export function liveAllocations(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [t, n] of [...live].sort(([a], [b]) => (a < b ? -1 : 1))) if (n !== 0) out[t] = n;
  return out;
}

export function doubleReleaseCount(): number {
  return doubleReleases;
}

/** What changed between two `liveAllocations` snapshots: type -> after - before, nonzero only. */
export function allocationDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const d = (after[t] ?? 0) - (before[t] ?? 0);
    if (d !== 0) out[t] = d;
  }
  return out;
}
