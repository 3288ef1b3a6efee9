import { describe, expect, it } from "vitest";
import { CapError } from "../../../kernel/cap/errors.ts";
import {
  accountAvailable,
  accountCharge,
  accountCreate,
  accountCreateRoot,
  accountDestroy,
  accountRefund,
  Cost,
} from "../../../kernel/cap/quota.ts";
import { tableCreate, tableFree } from "../../../kernel/cap/cap-table.ts";
import { capDelete } from "../../../kernel/cap/cdt.ts";
import { endpointCreate, MAX_QUEUE } from "../../../kernel/ipc/endpoint.ts";
import { notificationCreate } from "../../../kernel/ipc/notification.ts";
import { waitSetCreate } from "../../../kernel/ipc/wait-set.ts";

describe("quota", () => {
  it("a child account reserves its limit from its parent", () => {
    const root = accountCreateRoot(10000);
    const a = accountCreate(root, 6000)!;
    expect(a).not.toBeNull();
    expect(root.used).toBe(6000 + Cost.Account);
    expect(accountCreate(root, 6000)).toBeNull();
    expect(root.used).toBe(6000 + Cost.Account);
    expect(accountCreate(root, -1)).toBeNull();
    expect(accountDestroy(root)).toBe(CapError.InvalidArgument);
    expect(accountCharge(a, 10)).toBe(CapError.Ok);
    expect(accountDestroy(a)).toBe(CapError.InvalidArgument);
    accountRefund(a, 10);
    expect(accountDestroy(a)).toBe(CapError.Ok);
    expect(root.used).toBe(0);
  });

  it("charges objects and slots to the creating process and refunds on destroy", () => {
    const root = accountCreateRoot(1 << 20);
    const acct = accountCreate(root, 4096)!;
    const t = tableCreate(acct, 8)!;
    expect(acct.used).toBe(Cost.TableHeader + 8 * Cost.CapSlot);
    const base = acct.used;
    const ep = endpointCreate(t, 4);
    expect(acct.used).toBe(base + Cost.ObjectHeader + Cost.Endpoint + 4 * Cost.Message);
    const n = notificationCreate(t);
    expect(acct.used).toBe(base + 2 * Cost.ObjectHeader + Cost.Endpoint + 4 * Cost.Message + Cost.Notification);
    expect(capDelete(t, ep)).toBe(CapError.Ok);
    expect(capDelete(t, n)).toBe(CapError.Ok);
    expect(acct.used).toBe(base);
    tableFree(t);
    expect(acct.used).toBe(0);
  });

  it("exceeding the quota fails for that process only", () => {
    const root = accountCreateRoot(1 << 20);
    const small = accountCreate(root, 2000)!;
    const other = accountCreate(root, 1 << 16)!;
    const ts = tableCreate(small, 16)!;
    const to = tableCreate(other, 4)!;
    expect(tableCreate(small, 64)).toBeNull();
    expect(small.used).toBe(Cost.TableHeader + 16 * Cost.CapSlot);
    expect(endpointCreate(ts, MAX_QUEUE)).toBe(-CapError.QuotaExceeded);
    const usedBefore = small.used;
    let made = 0;
    while (notificationCreate(ts) > 0) made++;
    expect(made).toBeGreaterThan(0);
    expect(made).toBe(Math.floor((2000 - usedBefore) / (Cost.ObjectHeader + Cost.Notification)));
    expect(ts.used).toBe(made);
    expect(notificationCreate(ts)).toBe(-CapError.QuotaExceeded);
    expect(accountAvailable(small)).toBeLessThan(Cost.ObjectHeader + Cost.Notification);
    expect(waitSetCreate(ts, 4)).toBe(-CapError.QuotaExceeded);
    // The other process is unaffected.
    expect(endpointCreate(to, 8)).toBeGreaterThan(0);
  });
});
