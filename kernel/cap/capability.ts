// A capability: a reference to a kernel object with rights and a badge, and a node of the
// capability derivation tree (CDT). The same record lives in a table slot or, while it travels in
// a queued message, "in flight" in that message, so revocation reaches it wherever it is.
import { KernelObject } from "./object.ts";
import type { CapTable } from "./cap-table.ts";
import type { Message } from "./message.ts";
import type { Waiter } from "./waiter.ts";
import { ObjectType } from "../../abi/object-type.ts";

export const enum CapPlace {
  /** Not yet placed, or freed. */
  Nowhere = 0,
  /** In `table` at `slot`. */
  Table = 1,
  /** Inside queued message `message` at capability index `index` (MSG_CAPS = the reply slot). */
  InFlight = 2,
}

export class Capability {
  object: KernelObject;
  rights: number;
  /** 0n means unbadged; a badge is fixed at mint and delivered to receivers and notifications. */
  badge: bigint;
  // Derivation tree: parent, first child, and a doubly linked list of siblings.
  parent: Capability | null = null;
  firstChild: Capability | null = null;
  nextSibling: Capability | null = null;
  prevSibling: Capability | null = null;
  table: CapTable | null = null;
  slot = -1;
  message: Message | null = null;
  index = -1;
  // All capabilities of one object, so the object can be destroyed by force (reclaim).
  nextOfObject: Capability | null = null;
  prevOfObject: Capability | null = null;
  /**
   * Threads blocked through this capability (linked through Waiter.nextOnCap): when it goes
   * (revoked, deleted, reclaimed), their waits end at once with the error its handle now reports.
   */
  waiters: Waiter | null = null;

  constructor(object: KernelObject, rights: number, badge: bigint) {
    this.object = object;
    this.rights = rights;
    this.badge = badge;
  }
}

/**
 * The empty capability: fills table slots and message capability positions that hold nothing, so
 * arrays of capabilities never contain null. It names a dead object of no type.
 */
export const NO_CAP = new Capability(new KernelObject(ObjectType.Any, 0, null, 0), 0, 0n);
NO_CAP.object.alive = false;

/**
 * Where `c` is: derived from its table and message links, which are set exactly while it sits in
 * one (a field of its own would take the record past 128 bytes, a heap class twice the size).
 */
export function capPlace(c: Capability): CapPlace {
  if (c.table !== null) return CapPlace.Table;
  return c.message !== null ? CapPlace.InFlight : CapPlace.Nowhere;
}
