import { describe, expect, it } from "vitest";
import { ErrorCode, errorMessage, errorKnown } from "../../../abi/errors.ts";
import { lookupError, MAX_SLOTS, GEN_LIMIT, tableCreate, lookupCap } from "../../../kernel/cap/cap-table.ts";
import { capCopy, capDelete, capRevoke, capMove, capMint } from "../../../kernel/cap/cdt.ts";
import { Right, RIGHTS_ALL, rightsSubset, rightsHave, rightsValid } from "../../../abi/rights.ts";
import { endpointCreate } from "../../../kernel/object/endpoint.ts";
import { notificationCreate } from "../../../kernel/object/notification.ts";
import { makeProc, makeRoot } from "./harness.ts";
import { ObjectType } from "../../../abi/object-type.ts";

describe("rights", () => {
  it("subset and have", () => {
    expect(rightsSubset(Right.Read, Right.Read | Right.Write)).toBe(true);
    expect(rightsSubset(Right.Read | Right.Grant, Right.Read | Right.Write)).toBe(false);
    expect(rightsSubset(0, 0)).toBe(true);
    expect(rightsHave(Right.Read | Right.Write, Right.Write)).toBe(true);
    expect(rightsHave(Right.Read, Right.Read | Right.Write)).toBe(false);
    expect(rightsValid(RIGHTS_ALL)).toBe(true);
    expect(rightsValid(RIGHTS_ALL + 1)).toBe(false);
    expect(rightsValid(-1)).toBe(false);
  });
});

describe("errors", () => {
  it("every code has its own message", () => {
    const seen = new Set<string>();
    let known = 0;
    for (let e = 1; e < 192; e++) {
      const m = errorMessage(e as ErrorCode);
      expect(m === "unknown error").toBe(!errorKnown(e));
      if (errorKnown(e)) {
        known++;
        seen.add(m);
      }
    }
    expect(known).toBe(38);
    expect(seen.size).toBe(known);
  });
});

describe("capability table lookup", () => {
  it("reports invalid handles", () => {
    const p = makeProc(makeRoot(), 8);
    expect(lookupError(p.table, 0, ObjectType.Any, 0)).toBe(ErrorCode.InvalidHandle);
    expect(lookupError(p.table, -5, ObjectType.Any, 0)).toBe(ErrorCode.InvalidHandle);
    expect(lookupError(p.table, MAX_SLOTS + 3, ObjectType.Any, 0)).toBe(ErrorCode.InvalidHandle); // never used
    expect(lookupError(p.table, MAX_SLOTS + 9, ObjectType.Any, 0)).toBe(ErrorCode.InvalidHandle); // out of range
    expect(lookupError(p.table, GEN_LIMIT * MAX_SLOTS, ObjectType.Any, 0)).toBe(ErrorCode.InvalidHandle);
    const h = endpointCreate(p.table, 4);
    expect(h).toBeGreaterThan(0);
    expect(capDelete(p.table, h)).toBe(ErrorCode.Ok);
    expect(lookupError(p.table, h, ObjectType.Any, 0)).toBe(ErrorCode.InvalidHandle);
    expect(capDelete(p.table, h)).toBe(ErrorCode.InvalidHandle);
  });

  it("detects a stale generation after the slot is reused", () => {
    const p = makeProc(makeRoot(), 1);
    const h1 = endpointCreate(p.table, 1);
    expect(capDelete(p.table, h1)).toBe(ErrorCode.Ok);
    const h2 = notificationCreate(p.table);
    expect(h2).toBeGreaterThan(0);
    expect(h2 % MAX_SLOTS).toBe(h1 % MAX_SLOTS);
    expect(h2).not.toBe(h1);
    expect(lookupError(p.table, h1, ObjectType.Any, 0)).toBe(ErrorCode.StaleHandle);
    expect(lookupError(p.table, h2, ObjectType.Notification, 0)).toBe(ErrorCode.Ok);
  });

  it("reports wrong type and missing rights", () => {
    const p = makeProc(makeRoot(), 8);
    const ep = endpointCreate(p.table, 4);
    expect(lookupError(p.table, ep, ObjectType.Notification, 0)).toBe(ErrorCode.WrongType);
    const ro = capCopy(p.table, ep, p.table, Right.Read);
    expect(lookupError(p.table, ro, ObjectType.Endpoint, Right.Read)).toBe(ErrorCode.Ok);
    expect(lookupError(p.table, ro, ObjectType.Endpoint, Right.Write)).toBe(ErrorCode.MissingRights);
    // No Duplicate: cannot derive from it.
    expect(capCopy(p.table, ro, p.table, Right.Read)).toBe(-ErrorCode.MissingRights);
    // No Grant: cannot leave the table.
    const q = makeProc(makeRoot(), 8);
    const dupOnly = capCopy(p.table, ep, p.table, Right.Read | Right.Duplicate);
    expect(capCopy(p.table, dupOnly, q.table, Right.Read)).toBe(-ErrorCode.MissingRights);
    expect(capMove(p.table, dupOnly, q.table)).toBe(-ErrorCode.MissingRights);
  });

  it("reports revoked handles until the slot is reused", () => {
    const p = makeProc(makeRoot(), 4);
    const ep = endpointCreate(p.table, 4);
    const child = capCopy(p.table, ep, p.table, Right.Read);
    expect(capRevoke(p.table, ep)).toBe(ErrorCode.Ok);
    expect(lookupError(p.table, child, ObjectType.Any, 0)).toBe(ErrorCode.Revoked);
    expect(capDelete(p.table, child)).toBe(ErrorCode.Revoked);
    expect(lookupError(p.table, ep, ObjectType.Endpoint, RIGHTS_ALL)).toBe(ErrorCode.Ok);
  });

  it("reports a full table without losing anything", () => {
    const p = makeProc(makeRoot(), 2);
    const ep = endpointCreate(p.table, 4);
    const c = capCopy(p.table, ep, p.table, Right.Read);
    expect(c).toBeGreaterThan(0);
    expect(capCopy(p.table, ep, p.table, Right.Read)).toBe(-ErrorCode.TableFull);
    expect(capMint(p.table, ep, p.table, Right.Read, 5n)).toBe(-ErrorCode.TableFull);
    expect(endpointCreate(p.table, 4)).toBe(-ErrorCode.TableFull);
    expect(lookupCap(p.table, ep).object.capCount).toBe(2);
  });

  it("reuses freed slots last, so old handles keep their precise error longer", () => {
    const p = makeProc(makeRoot(), 3);
    const x = notificationCreate(p.table);
    const y = notificationCreate(p.table);
    expect(capDelete(p.table, x)).toBe(ErrorCode.Ok);
    const z = notificationCreate(p.table);
    expect(z % MAX_SLOTS).toBe(2);
    expect(lookupError(p.table, x, ObjectType.Any, 0)).toBe(ErrorCode.InvalidHandle);
    expect(capDelete(p.table, y)).toBe(ErrorCode.Ok);
    const w = notificationCreate(p.table);
    expect(w % MAX_SLOTS).toBe(x % MAX_SLOTS);
    expect(lookupError(p.table, x, ObjectType.Any, 0)).toBe(ErrorCode.StaleHandle);
    const v = notificationCreate(p.table);
    expect(v % MAX_SLOTS).toBe(y % MAX_SLOTS);
    expect(notificationCreate(p.table)).toBe(-ErrorCode.TableFull);
  });

  it("rejects tables of invalid size", () => {
    const root = makeRoot();
    expect(tableCreate(root, 0)).toBeNull();
    expect(tableCreate(root, MAX_SLOTS + 1)).toBeNull();
  });
});
