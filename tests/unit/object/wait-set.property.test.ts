// Property-based test of wait-set membership: random adds, removes, signals, sends, receives and
// destruction of sources and sets; the two membership lists (per set, per source) must always
// agree, readiness must match the sources' state, and nothing may be left behind.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ErrorCode } from "../../../abi/errors.ts";
import { CapTable, lookupCap, lookupError } from "../../../kernel/cap/cap-table.ts";
import { accountReclaim, capDelete, tableDestroy } from "../../../kernel/cap/cdt.ts";
import { KernelObject } from "../../../kernel/cap/object.ts";
import { liveCount, Pool } from "../../../kernel/cap/counters.ts";
import { endpointCreate, endpointReceive, endpointSend } from "../../../kernel/object/endpoint.ts";
import { Message } from "../../../kernel/cap/message.ts";
import { notificationCreate, notificationSignal, notificationWait } from "../../../kernel/object/notification.ts";
import { Ready, waitSetAdd, waitSetCreate, waitSetPoll, waitSetRemove, waitSetWait } from "../../../kernel/object/wait-set.ts";
import { cancelWaiter, NO_WAIT, setWakeHook, Waiter, WaitState } from "../../../kernel/cap/waiter.ts";
import { makeProc, makeRoot, noWake, snapshotCounts } from "./fixture.ts";
import { ObjectType } from "../../../abi/object-type.ts";

type Op =
  | { k: "newSet" | "newEndpoint" | "newNotification" }
  | { k: "add"; s: number; src: number; key: number }
  | { k: "remove"; s: number; key: number }
  | { k: "signal" | "send" | "receive" | "consume" | "destroySource"; src: number }
  | { k: "wait" | "destroySet"; s: number };

const n = fc.nat(50);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constantFrom("newSet" as const, "newEndpoint" as const, "newNotification" as const) }),
  fc.record({ k: fc.constant("add" as const), s: n, src: n, key: fc.nat(5) }),
  fc.record({ k: fc.constant("add" as const), s: n, src: n, key: fc.nat(5) }),
  fc.record({ k: fc.constant("remove" as const), s: n, key: fc.nat(5) }),
  fc.record({ k: fc.constantFrom("signal" as const, "send" as const, "receive" as const, "consume" as const), src: n }),
  fc.record({ k: fc.constant("destroySource" as const), src: n }),
  fc.record({ k: fc.constantFrom("wait" as const, "destroySet" as const), s: n }),
);


function live(t: CapTable, hs: number[]): number[] {
  return hs.filter((h) => lookupError(t, h, ObjectType.Any, 0) === ErrorCode.Ok);
}

function checkMembership(t: CapTable, sets: number[], sources: number[]): number {
  let total = 0;
  const srcObjs: KernelObject[] = live(t, sources).map((h) => lookupCap(t, h).object);
  for (const h of live(t, sets)) {
    const ws = lookupCap(t, h).object.waitSet!;
    let count = 0;
    for (let m = ws.first; m !== null; m = m.nextInSet) {
      count++;
      expect(m.set).toBe(ws);
      expect(m.source.alive).toBe(true);
      expect(srcObjs).toContain(m.source);
      let found = false;
      for (let x = m.source.members; x !== null; x = x.nextInSource) if (x === m) found = true;
      expect(found).toBe(true);
    }
    expect(count).toBe(ws.count);
    total += count;
  }
  for (const obj of srcObjs) {
    for (let m = obj.members; m !== null; m = m.nextInSource) {
      expect(m.source).toBe(obj);
      expect(m.set.obj.alive).toBe(true);
    }
    // Readiness reflects the source's state.
    if (obj.notification !== null) expect((obj.readiness & Ready.Signalled) !== 0).toBe(obj.notification.word !== 0n);
    if (obj.endpoint !== null) expect((obj.readiness & Ready.Readable) !== 0).toBe(obj.endpoint.count > 0);
  }
  return total;
}

describe("wait sets (property-based)", () => {
  it("keep membership lists consistent through destruction and leave nothing behind", () => {
    setWakeHook(noWake);
    // Outcomes the generator must reach for the property to mean anything.
    const seen = { members: 0, wokenOk: 0, destroyedWithMembers: 0 };
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 20, maxLength: 100 }), (ops) => {
        const baseline = snapshotCounts();
        const baseMembers = liveCount(Pool.WaitSetMember);
        const p = makeProc(makeRoot(), 64);
        const t = p.table;
        const sets: number[] = [];
        const sources: number[] = [];
        const waiters: Waiter[] = [];
        const pickSet = (i: number) => (sets.length > 0 ? sets[i % sets.length]! : 1);
        const pickSrc = (i: number) => (sources.length > 0 ? sources[i % sources.length]! : 1);
        for (const op of ops) {
          const membersBefore = liveCount(Pool.WaitSetMember);
          switch (op.k) {
            case "newSet": {
              const h = waitSetCreate(t, 3);
              if (h > 0) sets.push(h);
              break;
            }
            case "newEndpoint":
            case "newNotification": {
              const h = op.k === "newEndpoint" ? endpointCreate(t, 2) : notificationCreate(t);
              if (h > 0) sources.push(h);
              break;
            }
            case "add":
              waitSetAdd(t, pickSet(op.s), pickSrc(op.src), op.key);
              break;
            case "remove":
              waitSetRemove(t, pickSet(op.s), op.key);
              break;
            case "signal":
              notificationSignal(t, pickSrc(op.src), 1n);
              break;
            case "send":
              endpointSend(t, pickSrc(op.src), new Message());
              break;
            case "receive":
              endpointReceive(t, pickSrc(op.src), new Message());
              break;
            case "consume": {
              const w = new Waiter(0);
              w.deadline = NO_WAIT;
              notificationWait(t, pickSrc(op.src), w);
              break;
            }
            case "destroySource":
              capDelete(t, pickSrc(op.src));
              break;
            case "destroySet":
              capDelete(t, pickSet(op.s));
              break;
            case "wait": {
              const h = pickSet(op.s);
              const w = new Waiter(1);
              const r = waitSetWait(t, h, w);
              if (r === ErrorCode.WouldBlock) waiters.push(w);
              if (r === ErrorCode.Ok) {
                const keys = new Int32Array(4);
                const ready = new Int32Array(4);
                expect(waitSetPoll(t, h, keys, ready)).toBeGreaterThan(0);
              }
              break;
            }
          }
          // A woken wait-set waiter must see something ready, or its set be gone.
          for (const w of waiters) {
            if (w.state === WaitState.Done && w.result === ErrorCode.Ok) {
              expect(waitSetPoll(t, w.handle, new Int32Array(4), new Int32Array(4))).not.toBe(0);
            }
          }
          const members = checkMembership(t, sets, sources);
          if (members > 0) seen.members++;
          // A destruction that took memberships with it.
          if (op.k.startsWith("destroy") && liveCount(Pool.WaitSetMember) < membersBefore) seen.destroyedWithMembers++;
          for (const w of waiters) if (w.state === WaitState.Done && w.result === ErrorCode.Ok) seen.wokenOk++;
          expect(liveCount(Pool.WaitSetMember) - baseMembers).toBe(members);
          // Only check each completed waiter once.
          for (let i = waiters.length - 1; i >= 0; i--) if (waiters[i]!.state === WaitState.Done) waiters.splice(i, 1);
        }
        for (const w of waiters) cancelWaiter(w);
        tableDestroy(t);
        accountReclaim(p.account);
        expect(snapshotCounts()).toEqual(baseline);
      }),
      { numRuns: 200 },
    );
    for (const [what, k] of Object.entries(seen)) expect(k, what).toBeGreaterThan(0);
  }, 120_000);
});
