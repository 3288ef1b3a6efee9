import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { NO_TIMER, TimerQueue } from "../../../kernel/sched/timer-queue.ts";

function drain(q: TimerQueue, now: number): number[] {
  const out: number[] = [];
  for (let v = q.popExpired(now); v !== -1; v = q.popExpired(now)) out.push(v);
  return out;
}

describe("TimerQueue", () => {
  it("fires in deadline order, equal deadlines in arming order", () => {
    const q = new TimerQueue(16);
    q.add(300, 1);
    q.add(100, 2);
    q.add(200, 3);
    q.add(100, 4);
    expect(q.peekDeadline()).toBe(100);
    expect(drain(q, 99)).toEqual([]);
    expect(drain(q, 100)).toEqual([2, 4]);
    expect(drain(q, 1000)).toEqual([3, 1]);
    expect(q.peekDeadline()).toBe(-1);
  });

  it("cancels armed timers and ignores stale handles", () => {
    const q = new TimerQueue(4);
    const a = q.add(10, 1);
    const b = q.add(20, 2);
    expect(q.cancel(a)).toBe(true);
    expect(q.cancel(a)).toBe(false);
    expect(drain(q, 15)).toEqual([]);
    expect(drain(q, 25)).toEqual([2]);
    // b fired; its slot may be reused by c, and cancelling b must not touch c.
    const c = q.add(30, 3);
    expect(q.armed(b)).toBe(false);
    expect(q.cancel(b)).toBe(false);
    expect(q.armed(c)).toBe(true);
    expect(drain(q, 30)).toEqual([3]);
  });

  it("reports full and recovers slots", () => {
    const q = new TimerQueue(3);
    expect(q.add(1, 1)).not.toBe(NO_TIMER);
    expect(q.add(2, 2)).not.toBe(NO_TIMER);
    expect(q.add(3, 3)).not.toBe(NO_TIMER);
    expect(q.add(4, 4)).toBe(NO_TIMER);
    expect(drain(q, 1)).toEqual([1]);
    expect(q.add(4, 4)).not.toBe(NO_TIMER);
    expect(q.count()).toBe(3);
  });

  it("handles many timers", () => {
    const q = new TimerQueue(4096);
    const deadlines: number[] = [];
    for (let i = 0; i < 4096; i++) {
      const d = (i * 7919) % 10007;
      deadlines.push(d);
      q.add(d, i);
    }
    let last = -1;
    let n = 0;
    for (let v = q.popExpired(1e9); v !== -1; v = q.popExpired(1e9)) {
      expect(deadlines[v]!).toBeGreaterThanOrEqual(last);
      last = deadlines[v]!;
      n++;
    }
    expect(n).toBe(4096);
  });

  it("matches a sorted-list model under random add/cancel/pop (property)", () => {
    // Adds outweigh pops, and a pop takes at most a few expired timers, so that heaps of 8 to 16
    // entries are common: cancelling inside such a heap is what needs both sifts of removeAt.
    const op = fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant("add" as const), d: fc.integer({ min: 0, max: 1000 }) }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant("cancel" as const), k: fc.nat() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("pop" as const), now: fc.integer({ min: 0, max: 1000 }), n: fc.integer({ min: 1, max: 3 }) }) },
    );
    let largest = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 20, maxLength: 300 }), (ops) => {
        const q = new TimerQueue(16);
        // Model entries: [deadline, seq, value, handle], kept sorted by (deadline, seq).
        let model: Array<[number, number, number, number]> = [];
        const handles: number[] = [];
        let seq = 0;
        for (const o of ops) {
          if (o.kind === "add") {
            const v = seq;
            const h = q.add(o.d, v);
            if (model.length === 16) {
              expect(h).toBe(NO_TIMER);
              continue;
            }
            expect(h).not.toBe(NO_TIMER);
            model.push([o.d, seq++, v, h]);
            handles.push(h);
            model.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
          } else if (o.kind === "cancel") {
            if (handles.length === 0) continue;
            // Mostly an armed timer (anywhere in the heap), sometimes any handle ever given out.
            const h = model.length > 0 && o.k % 4 !== 0 ? model[Math.floor(o.k / 4) % model.length]![3] : handles[o.k % handles.length]!;
            const live = model.some((m) => m[3] === h);
            expect(q.cancel(h)).toBe(live);
            model = model.filter((m) => m[3] !== h);
          } else {
            for (let i = 0; i < o.n; i++) {
              const expected = model.length > 0 && model[0]![0] <= o.now ? model.shift()![2] : -1;
              expect(q.popExpired(o.now)).toBe(expected);
            }
          }
          largest = Math.max(largest, model.length);
          expect(q.count()).toBe(model.length);
          expect(q.peekDeadline()).toBe(model.length > 0 ? model[0]![0] : -1);
        }
      }),
      { numRuns: 300 },
    );
    expect(largest).toBe(16);
  });
});
