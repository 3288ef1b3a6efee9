import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../../abi/errors.ts";
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
import { endpointCreate, MAX_QUEUE } from "../../../kernel/object/endpoint.ts";
import { notificationCreate } from "../../../kernel/object/notification.ts";
import { waitSetCreate } from "../../../kernel/object/wait-set.ts";
import { heapRefusals } from "../../../kernel/cap/quota.ts";
import { hostHeap } from "../../../lang/host/heap.ts";

describe("quota", () => {
  it("a child account reserves its limit from its parent", () => {
    const root = accountCreateRoot(10000);
    const a = accountCreate(root, 6000)!;
    expect(a).not.toBeNull();
    expect(root.used).toBe(6000 + Cost.Account);
    expect(accountCreate(root, 6000)).toBeNull();
    expect(root.used).toBe(6000 + Cost.Account);
    expect(accountCreate(root, -1)).toBeNull();
    expect(accountDestroy(root)).toBe(ErrorCode.InvalidArgument);
    expect(accountCharge(a, 10)).toBe(ErrorCode.Ok);
    expect(accountDestroy(a)).toBe(ErrorCode.InvalidArgument);
    accountRefund(a, 10);
    expect(accountDestroy(a)).toBe(ErrorCode.Ok);
    expect(root.used).toBe(0);
  });

  it("charges objects and slots to the creating process and refunds on destroy", () => {
    const root = accountCreateRoot(1 << 20);
    const acct = accountCreate(root, 16384)!;
    const t = tableCreate(acct, 8)!;
    expect(acct.used).toBe(Cost.TableHeader + 8 * Cost.CapSlot);
    const base = acct.used;
    const ep = endpointCreate(t, 4);
    expect(acct.used).toBe(base + Cost.ObjectHeader + Cost.Endpoint + 4 * Cost.Message);
    const n = notificationCreate(t);
    expect(acct.used).toBe(base + 2 * Cost.ObjectHeader + Cost.Endpoint + 4 * Cost.Message + Cost.Notification);
    expect(capDelete(t, ep)).toBe(ErrorCode.Ok);
    expect(capDelete(t, n)).toBe(ErrorCode.Ok);
    expect(acct.used).toBe(base);
    tableFree(t);
    expect(acct.used).toBe(0);
  });

  it("exceeding the quota fails for that process only", () => {
    const root = accountCreateRoot(1 << 20);
    const small = accountCreate(root, 6000)!;
    const other = accountCreate(root, 1 << 16)!;
    const ts = tableCreate(small, 16)!;
    const to = tableCreate(other, 4)!;
    expect(tableCreate(small, 64)).toBeNull();
    expect(small.used).toBe(Cost.TableHeader + 16 * Cost.CapSlot);
    expect(endpointCreate(ts, MAX_QUEUE)).toBe(-ErrorCode.QuotaExceeded);
    const usedBefore = small.used;
    let made = 0;
    while (notificationCreate(ts) > 0) made++;
    expect(made).toBeGreaterThan(0);
    expect(made).toBe(Math.floor((6000 - usedBefore) / (Cost.ObjectHeader + Cost.Notification)));
    expect(ts.used).toBe(made);
    expect(notificationCreate(ts)).toBe(-ErrorCode.QuotaExceeded);
    expect(accountAvailable(small)).toBeLessThan(Cost.ObjectHeader + Cost.Notification);
    expect(waitSetCreate(ts, 4)).toBe(-ErrorCode.QuotaExceeded);
    // The other process is unaffected.
    expect(endpointCreate(to, 8)).toBeGreaterThan(0);
  });
});

describe("quota backed by the kernel heap", () => {
  it("a charge the heap cannot back fails with QuotaExceeded, leaves the account as it was, and is logged once", () => {
    const root = accountCreateRoot(1 << 20);
    const a = accountCreate(root, 1 << 16)!;
    const t = tableCreate(a, 8)!;
    const used = a.used;
    const refusals = heapRefusals();
    const lines: string[] = [];
    const log = console.log;
    console.log = (s: string) => void lines.push(s);
    hostHeap.room = Cost.ObjectHeader; // less than a notification needs
    try {
      expect(notificationCreate(t)).toBe(-ErrorCode.QuotaExceeded);
      expect(endpointCreate(t, 1)).toBe(-ErrorCode.QuotaExceeded);
      expect(accountCharge(a, Cost.ObjectHeader + 1)).toBe(ErrorCode.QuotaExceeded);
      // Quota moves allocate nothing: a child account still fits.
      const child = accountCreate(a, 1024);
      expect(child).not.toBeNull();
      expect(accountDestroy(child!)).toBe(ErrorCode.Ok);
    } finally {
      hostHeap.room = -1;
      console.log = log;
    }
    expect(a.used).toBe(used);
    expect(heapRefusals() - refusals).toBe(3);
    expect(lines.filter((l) => l.startsWith("warning: quota: kernel heap exhausted"))).toHaveLength(1);
    // Room again: the same call succeeds.
    expect(notificationCreate(t)).toBeGreaterThan(0);
  });
});
