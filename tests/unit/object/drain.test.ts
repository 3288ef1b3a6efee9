// Dropping a queue when an endpoint's last receiver goes frees the capabilities in flight in it,
// which can drop further queues and come back to the first endpoint: its hook runs again, and
// its last capability can go, while the outer drop is still walking its queue. `release` poisons
// what it frees here (tests/unit/released.ts), so a use after free throws.
import { describe, expect, it, vi } from "vitest";
import { ErrorCode } from "../../../abi/errors.ts";
import { CapTable, lookupCap } from "../../../kernel/cap/cap-table.ts";
import { accountReclaim, capCopy, capDelete, tableDestroy } from "../../../kernel/cap/cdt.ts";
import { liveCount, Pool } from "../../../kernel/cap/counters.ts";
import { Right } from "../../../abi/rights.ts";
import { endpointCreate, endpointSend } from "../../../kernel/object/endpoint.ts";
import { Message } from "../../../kernel/cap/message.ts";
import { checkInvariants, makeProc, makeRoot, snapshotCounts } from "./fixture.ts";
import { ObjectType } from "../../../abi/object-type.ts";

vi.mock("../../../lang/core.ts", async (original) => (await import("../released.ts")).poisonedCore(original));

/** Sends one message on `ep` carrying `cap` (moved). */
function sendCap(t: CapTable, ep: number, cap: number): ErrorCode {
  const m = new Message();
  m.capCount = 1;
  m.handles[0] = cap;
  return endpointSend(t, ep, m);
}

/**
 * Endpoints e and f: f's queue holds `inF` (a Write-only capability to e), e's queue holds f's
 * only capability (so e's queue drop takes f's last receiver and drops f's queue in turn).
 */
function crossedQueues(t: CapTable) {
  const e = endpointCreate(t, 2);
  const f = endpointCreate(t, 2);
  const inF = capCopy(t, e, t, Right.Write | Right.Grant);
  expect(sendCap(t, f, inF)).toBe(ErrorCode.Ok);
  expect(sendCap(t, e, f)).toBe(ErrorCode.Ok);
  return { e, ep: lookupCap(t, e).object.endpoint! };
}

describe("queue drop when the last receiver goes", () => {
  it("a drop that comes back to the endpoint leaves its queue consistent", () => {
    const p = makeProc(makeRoot());
    const before = snapshotCounts();
    const { e, ep } = crossedQueues(p.table);
    const keep = capCopy(p.table, e, p.table, Right.Write); // e outlives the drop
    expect(capDelete(p.table, e)).toBe(ErrorCode.Ok);
    expect(ep.obj.alive).toBe(true);
    expect(ep.count).toBe(0);
    expect(checkInvariants([p.table])).toHaveLength(1);
    const m = new Message();
    expect(endpointSend(p.table, keep, m)).toBe(ErrorCode.PeerClosed);
    expect(liveCount(ObjectType.Endpoint)).toBe(before[ObjectType.Endpoint]! + 1);
    expect(capDelete(p.table, keep)).toBe(ErrorCode.Ok);
    expect(snapshotCounts()).toEqual(before);
  });

  it("an endpoint whose last capability goes during its own queue drop is freed after it", () => {
    const p = makeProc(makeRoot());
    const before = snapshotCounts();
    const { e } = crossedQueues(p.table);
    // e's last receiver goes: its queue drops f, f's drops e's last capability.
    expect(capDelete(p.table, e)).toBe(ErrorCode.Ok);
    expect(checkInvariants([p.table])).toHaveLength(0);
    expect(snapshotCounts()).toEqual(before);
  });

  it("reclaim survives an object destroyed by the queue drops its own revocation starts", () => {
    const root = makeRoot();
    const p = makeProc(root);
    const before = snapshotCounts();
    const f = endpointCreate(p.table, 2);
    const e = endpointCreate(p.table, 2);
    const inF = capCopy(p.table, e, p.table, Right.Write | Right.Grant);
    const reader = capCopy(p.table, e, p.table, Right.Read); // newest: reclaim frees it first
    expect(sendCap(p.table, f, inF)).toBe(ErrorCode.Ok);
    expect(sendCap(p.table, e, f)).toBe(ErrorCode.Ok);
    expect(capDelete(p.table, e)).toBe(ErrorCode.Ok); // e: `reader` in the table, `inF` in f's queue
    expect(lookupCap(p.table, reader).object.capCount).toBe(2);
    accountReclaim(p.account);
    expect(p.account.firstOwned).toBeNull();
    expect(p.account.used).toBe(p.table.charged);
    tableDestroy(p.table);
    expect(liveCount(Pool.Capability)).toBe(before[Pool.Capability]!);
    expect(liveCount(ObjectType.Endpoint)).toBe(before[ObjectType.Endpoint]!);
  });
});
