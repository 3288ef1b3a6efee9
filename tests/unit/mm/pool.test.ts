import { describe, it, expect, beforeEach, vi } from "vitest";
import fc from "fast-check";
import { resetFakeCpu, fakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { Pool, poolCount, poolStats, findPool, printPools } from "../../../kernel/test/support/pool.ts";
import { release } from "../../../lang/core.ts";

class Widget {
  id = 0;
}
let made = 0;
let released = 0;
function makeWidget(): Widget {
  made++;
  return new Widget();
}
function releaseWidget(w: Widget): void {
  released++;
  release(w);
}

function serialText(): string {
  return String.fromCharCode(...fakeCpu.portLog.filter(([p]) => p === 0x3f8).map(([, , v]) => v));
}

beforeEach(() => {
  resetFakeCpu();
  made = 0;
  released = 0;
});

describe("pools", () => {
  it("count live, peak and total objects and return to baseline", () => {
    const p = new Pool<Widget>("widget-a", 8, 64, makeWidget, releaseWidget);
    const ws: Widget[] = [];
    for (let i = 0; i < 5; i++) ws.push(p.alloc()!);
    expect(new Set(ws).size).toBe(5);
    expect([p.stats.live, p.stats.peak, p.stats.total]).toEqual([5, 5, 5]);
    for (const w of ws.splice(0, 3)) p.free(w);
    ws.push(p.alloc()!);
    expect([p.stats.live, p.stats.peak, p.stats.total]).toEqual([3, 5, 6]);
    for (const w of ws) p.free(w);
    expect(p.stats.live).toBe(0);
    expect(made).toBe(6);
    expect(released).toBe(6);
  });

  it("report exhaustion once, and refuse until an object comes back", () => {
    const p = new Pool<Widget>("widget-b", 2, 64, makeWidget, releaseWidget);
    const a = p.alloc()!;
    p.alloc();
    expect(p.alloc()).toBeNull();
    expect(p.alloc()).toBeNull();
    expect(p.stats.failures).toBe(2);
    expect(serialText()).toBe("warning: pool widget-b: exhausted at 2 objects\n");
    p.free(a);
    expect(p.alloc()).not.toBeNull();
    expect(p.alloc()).toBeNull();
    expect(serialText().split("\n").filter((l) => l.includes("exhausted"))).toHaveLength(2);
  });

  it("panics on more frees than allocations", () => {
    const p = new Pool<Widget>("widget-c", 2, 64, makeWidget, releaseWidget);
    const w = p.alloc()!;
    p.free(w);
    expect(() => p.free(w)).toThrow(/widget-c: free with no live object/);
  });

  it("are listed in the registry and printed", () => {
    const before = poolCount();
    const p = new Pool<Widget>("widget-d", 4, 100, makeWidget, releaseWidget);
    expect(poolCount()).toBe(before + 1);
    expect(poolStats(findPool("widget-d"))).toBe(p.stats);
    expect(findPool("no-such-pool")).toBe(-1);
    p.alloc();
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    printPools();
    const lines = log.mock.calls.map((c) => String(c[0]));
    log.mockRestore();
    expect(lines).toHaveLength(poolCount());
    expect(lines).toContain("pool widget-d: 1 live, 1 peak, 1 total, 0 refused, 100 bytes of 400");
  });

  it("keep live = allocations - frees and never exceed capacity", () => {
    const p = new Pool<Widget>("widget-e", 10, 8, makeWidget, releaseWidget);
    fc.assert(fc.property(fc.array(fc.boolean(), { maxLength: 100 }), (ops) => {
      const held: Widget[] = [];
      for (const take of ops) {
        if (take) {
          const w = p.alloc();
          if (held.length < 10) held.push(w!);
          else expect(w).toBeNull();
        } else if (held.length > 0) {
          p.free(held.pop()!);
        }
        expect(p.stats.live).toBe(held.length);
        expect(p.stats.peak).toBeLessThanOrEqual(10);
      }
      for (const w of held) p.free(w);
      expect(p.stats.live).toBe(0);
    }));
  });
});
