// Tearing down chains of objects must not recurse once per link: a kernel stack holds a few
// frames of it, not thousands. The kernel counts how deeply teardown calls nest (capability hooks,
// posted work, destroy hooks: objectNestingMax), and these tests require that depth to stay at
// a small constant for chains of 1, 10, 1000 and 5000 links, whatever the shape: a chain of
// queues destroyed from its head, queues dropped (their last receiver gone) while their endpoints
// live on, a ring that only reclaim can break, a process's end, a deep derivation tree revoked.
// The check is on the counter, not on Node's stack, so a recursive teardown fails here however
// warm the engine is. `release` poisons what it frees, so deferred work touching a freed object
// throws.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ErrorCode } from "../../../abi/errors.ts";
import { CapTable, lookupCap } from "../../../kernel/cap/cap-table.ts";
import { accountReclaim, capCopy, capDelete, capRevoke, tableDestroy } from "../../../kernel/cap/cdt.ts";
import { objectNestingMax, objectNestingReset } from "../../../kernel/cap/object.ts";
import { liveCount } from "../../../kernel/cap/counters.ts";
import { Right } from "../../../abi/rights.ts";
import { endpointCreate, endpointQueued, endpointSend } from "../../../kernel/object/endpoint.ts";
import { Message } from "../../../kernel/cap/message.ts";
import { waitSetAdd, waitSetCreate } from "../../../kernel/object/wait-set.ts";
import { makeProc, makeRoot, snapshotCounts } from "./fixture.ts";
import { ObjectType } from "../../../abi/object-type.ts";

vi.mock("../../../lang/core.ts", async (original) => (await import("../released.ts")).poisonedCore(original));

/** Deepest nesting allowed: one capability removal, the work it runs, the removals that runs. */
const MAX_NESTING = 3;
const LENGTHS = [1, 10, 1000, 5000];

beforeEach(() => objectNestingReset());

/** Sends one message on `ep` carrying `caps` (moved). */
function sendCaps(t: CapTable, ep: number, ...caps: number[]): ErrorCode {
  const m = new Message();
  m.capCount = caps.length;
  caps.forEach((h, i) => (m.handles[i] = h));
  return endpointSend(t, ep, m);
}

/** A process big enough for 5000 endpoints. */
function bigProc() {
  return makeProc(makeRoot(1 << 30), 64, 1 << 28);
}

/**
 * ep_0 .. ep_n: the queue of ep_k holds a capability to ep_{k+1} with `rights` (the only one with
 * Read); `keep(h)` is offered every other capability to each endpoint before the table loses it.
 * Returns ep_0's handle (all rights) and the handle still open to ep_n.
 */
function chain(t: CapTable, n: number, rights: number, keep: (h: number) => void): { head: number; tail: number } {
  const head = endpointCreate(t, 1);
  expect(head).toBeGreaterThan(0);
  let cur = head;
  for (let k = 0; k < n; k++) {
    const next = endpointCreate(t, 1);
    expect(next).toBeGreaterThan(0);
    const inFlight = capCopy(t, next, t, rights | Right.Grant);
    const send = capCopy(t, next, t, Right.Write | Right.Grant);
    expect(sendCaps(t, cur, inFlight)).toBe(ErrorCode.Ok);
    if (cur !== head) keep(cur);
    // The root goes: `inFlight` (in ep_k's queue) and `send` remain.
    expect(capDelete(t, next)).toBe(ErrorCode.Ok);
    cur = send;
  }
  return { head, tail: cur };
}

describe("teardown nests to a constant depth", () => {
  for (const n of LENGTHS) {
    it(`a chain of ${n} queues, each holding the last capability to the next, freed from its head`, () => {
      const p = bigProc();
      const before = snapshotCounts();
      const { head, tail } = chain(p.table, n, Right.Read | Right.Write, (h) => expect(capDelete(p.table, h)).toBe(ErrorCode.Ok));
      expect(capDelete(p.table, tail)).toBe(ErrorCode.Ok);
      expect(liveCount(ObjectType.Endpoint)).toBe(before[ObjectType.Endpoint]! + n + 1);
      objectNestingReset();
      expect(capDelete(p.table, head)).toBe(ErrorCode.Ok);
      expect(objectNestingMax()).toBeLessThanOrEqual(MAX_NESTING);
      expect(snapshotCounts()).toEqual(before);
      expect(p.account.used).toBe(p.table.charged);
    });

    it(`${n} queues dropped in a chain while their endpoints live on`, () => {
      const p = bigProc();
      const before = snapshotCounts();
      // Holders keep a Write capability to every endpoint, four to a message, so the endpoints
      // outlive the drop: only their queues go, link by link.
      const holders: number[] = [];
      const pending: number[] = [];
      const flush = () => {
        if (holders.length === 0 || endpointQueued(lookupCap(p.table, holders[holders.length - 1]!).object) === 256) {
          holders.push(endpointCreate(p.table, 256));
        }
        expect(sendCaps(p.table, holders[holders.length - 1]!, ...pending)).toBe(ErrorCode.Ok);
        pending.length = 0;
      };
      const keep = (h: number) => {
        pending.push(h);
        if (pending.length === 4) flush();
      };
      const { head, tail } = chain(p.table, n, Right.Read, keep);
      keep(tail);
      const headObj = lookupCap(p.table, head).object;
      keep(capCopy(p.table, head, p.table, Right.Write | Right.Grant));
      if (pending.length > 0) flush();
      const endpoints = before[ObjectType.Endpoint]! + n + 1 + holders.length;
      expect(liveCount(ObjectType.Endpoint)).toBe(endpoints);
      objectNestingReset();
      // ep_0's only receiver goes: its queue drops the only receiver of ep_1, whose queue...
      expect(capDelete(p.table, head)).toBe(ErrorCode.Ok);
      expect(objectNestingMax()).toBeLessThanOrEqual(MAX_NESTING);
      expect(liveCount(ObjectType.Endpoint)).toBe(endpoints);
      expect(headObj.alive).toBe(true);
      expect(endpointQueued(headObj)).toBe(0);
      for (const h of holders) expect(capDelete(p.table, h)).toBe(ErrorCode.Ok);
      expect(objectNestingMax()).toBeLessThanOrEqual(MAX_NESTING);
      expect(snapshotCounts()).toEqual(before);
    });

    it(`a ring of ${n + 1} queues holding each other's last capabilities, reclaimed with its process`, () => {
      const root = makeRoot(1 << 30);
      const p = makeProc(root, 64, 1 << 28);
      const before = snapshotCounts();
      const { head, tail } = chain(p.table, n, Right.Read | Right.Write, (h) => expect(capDelete(p.table, h)).toBe(ErrorCode.Ok));
      // Close the ring: ep_n's queue holds ep_0's last capability. No table reaches it any more.
      const ws = waitSetCreate(p.table, 64);
      expect(waitSetAdd(p.table, ws, head, 1)).toBe(ErrorCode.Ok);
      expect(sendCaps(p.table, tail, head)).toBe(ErrorCode.Ok);
      expect(capDelete(p.table, tail)).toBe(ErrorCode.Ok);
      expect(liveCount(ObjectType.Endpoint)).toBe(before[ObjectType.Endpoint]! + n + 1);
      objectNestingReset();
      // The process ends: its table goes, then everything its account paid for.
      tableDestroy(p.table);
      accountReclaim(p.account);
      expect(objectNestingMax()).toBeLessThanOrEqual(MAX_NESTING);
      expect(p.account.used).toBe(0);
      expect(snapshotCounts()[ObjectType.Endpoint]).toBe(before[ObjectType.Endpoint]);
    });
  }

  it("revoking a derivation tree 4000 deep", () => {
    const p = makeProc(makeRoot(1 << 30), 4096, 1 << 28);
    const before = snapshotCounts();
    const ep = endpointCreate(p.table, 1);
    let h = ep;
    for (let i = 0; i < 4000; i++) h = capCopy(p.table, h, p.table, Right.Read | Right.Write | Right.Duplicate | Right.Grant);
    // A copy in flight at the bottom of the tree, in another endpoint's queue.
    const other = endpointCreate(p.table, 1);
    expect(sendCaps(p.table, other, h)).toBe(ErrorCode.Ok);
    objectNestingReset();
    expect(capRevoke(p.table, ep)).toBe(ErrorCode.Ok);
    expect(objectNestingMax()).toBeLessThanOrEqual(MAX_NESTING);
    expect(p.table.used).toBe(2);
    expect(capDelete(p.table, other)).toBe(ErrorCode.Ok);
    expect(capDelete(p.table, ep)).toBe(ErrorCode.Ok);
    expect(snapshotCounts()).toEqual(before);
  });
});
