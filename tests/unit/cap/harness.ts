// Test harness for the capability and IPC layer: builds processes (account + table) and checks the
// global invariants of the capability derivation tree by walking every table and every queued
// message it can reach.
import { Account, accountCreate, accountCreateRoot } from "../../../kernel/cap/quota.ts";
import { CapTable, tableCreate } from "../../../kernel/cap/cap-table.ts";
import { Capability, CapPlace, capPlace, NO_CAP } from "../../../kernel/cap/capability.ts";
import { KernelObject } from "../../../kernel/cap/object.ts";
import { liveCount, Pool, POOL_COUNT } from "../../../kernel/cap/counters.ts";
import { rightsSubset } from "../../../abi/rights.ts";
// Loading the IPC modules registers their object destructors.
import "../../../kernel/object/endpoint.ts";
import "../../../kernel/object/notification.ts";
import "../../../kernel/object/wait-set.ts";
import "../../../kernel/object/reply.ts";
import { MSG_CAPS } from "../../../abi/message.ts";

export class Proc {
  constructor(
    public account: Account,
    public table: CapTable,
  ) {}
}

export function makeRoot(limit = 1 << 24): Account {
  return accountCreateRoot(limit);
}

export function makeProc(root: Account, slots = 64, quota = 1 << 20): Proc {
  const account = accountCreate(root, quota);
  if (account === null) throw new Error("root account exhausted");
  const table = tableCreate(account, slots);
  if (table === null) throw new Error("process account exhausted");
  return new Proc(account, table);
}

/**
 * Live counts indexed by pool (object types first, then Pool), to compare against a baseline.
 * Accounts are left out (0): tests make processes, and so accounts, after taking a baseline.
 */
export function snapshotCounts(): number[] {
  const out: number[] = [];
  for (let i = 0; i < POOL_COUNT; i++) out.push(i === Pool.Account ? 0 : liveCount(i));
  return out;
}

/** Every capability reachable from `tables` and from the queues of the endpoints they reach. */
export function collectCaps(tables: CapTable[]): Capability[] {
  return walkCaps(tables, false);
}

/**
 * Every live capability record the kernel holds for `tables`: those reachable from them, plus
 * those in flight in the queues of endpoints their accounts paid for. The second part matters:
 * queues can hold each other's last capabilities (A's queue holds B, B's holds A) with no table
 * reaching either; those records are alive, not leaked, until accountReclaim breaks the cycle.
 */
export function collectLiveCaps(tables: CapTable[]): Capability[] {
  return walkCaps(tables, true);
}

function walkCaps(tables: CapTable[], owned: boolean): Capability[] {
  const seen = new Set<Capability>();
  const objects = new Set<KernelObject>();
  const todo: Capability[] = [];
  const add = (c: Capability) => {
    if (c === NO_CAP || seen.has(c)) return;
    seen.add(c);
    todo.push(c);
  };
  const visit = (obj: KernelObject) => {
    if (objects.has(obj)) return;
    objects.add(obj);
    const ep = obj.endpoint;
    if (ep !== null) {
      for (const m of ep.ring) {
        for (const x of m.caps) add(x);
        add(m.replyCap);
      }
    }
  };
  for (const t of tables) for (const c of t.slots) add(c);
  if (owned) {
    const accounts = new Set(tables.map((t) => t.account));
    for (const a of accounts) for (let o = a.firstOwned; o !== null; o = o.nextOwned) visit(o);
  }
  while (todo.length > 0) visit(todo.pop()!.object);
  return [...seen];
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`invariant violated: ${what}`);
}

/**
 * Checks the derivation tree, placement and reference counts of every live capability
 * (collectLiveCaps) and the queues holding them; returns those capabilities.
 */
export function checkInvariants(tables: CapTable[]): Capability[] {
  const caps = collectLiveCaps(tables);
  const all = new Set(caps);
  const refs = new Map<KernelObject, number>();
  for (const c of caps) {
    check(c.object.alive, "capability names a destroyed object");
    refs.set(c.object, (refs.get(c.object) ?? 0) + 1);
    if (c.parent !== null) {
      check(all.has(c.parent), "parent is not a live capability");
      check(c.parent.object === c.object, "parent names another object");
      check(rightsSubset(c.rights, c.parent.rights), "rights grew from parent to child");
      if (c.parent.badge !== 0n) check(c.badge === c.parent.badge, "badge changed from parent to child");
    }
    let prev: Capability | null = null;
    for (let k = c.firstChild; k !== null; k = k.nextSibling) {
      check(k.parent === c, "child's parent link is wrong");
      check(k.prevSibling === prev, "sibling back link is wrong");
      check(all.has(k), "child is not a live capability");
      prev = k;
    }
    if (capPlace(c) === CapPlace.Table) {
      check(c.table!.slots[c.slot] === c, "table slot does not hold the capability");
    } else {
      check(capPlace(c) === CapPlace.InFlight, "capability is neither in a table nor in flight");
      const m = c.message!;
      check((c.index === MSG_CAPS ? m.replyCap : m.caps[c.index]) === c, "message does not hold the capability");
    }
  }
  for (const [obj, n] of refs) {
    check(obj.capCount === n, "object capability count differs from the capabilities naming it");
    let listed = 0;
    for (let k = obj.firstCap; k !== null; k = k.nextOfObject) {
      check(all.has(k), "object lists a capability that is not live");
      listed++;
    }
    check(listed === n, "object's capability list differs from the capabilities naming it");
  }
  for (const t of tables) {
    check(t.slots.filter((c) => c !== NO_CAP).length === t.used, "table used count is wrong");
  }
  // Queues: the count stays within the ring, and only queued messages hold capabilities.
  for (const obj of refs.keys()) {
    const ep = obj.endpoint;
    if (ep === null) continue;
    check(ep.count >= 0 && ep.count <= ep.capacity, "endpoint queue count out of range");
    check(ep.head >= 0 && ep.head < ep.capacity, "endpoint queue head out of range");
    for (let i = ep.count; i < ep.capacity; i++) {
      const m = ep.ring[(ep.head + i) % ep.capacity]!;
      check(m.caps.every((c) => c === NO_CAP) && m.replyCap === NO_CAP, "a free queue slot holds capabilities");
    }
  }
  return caps;
}
