import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { NONE, Priority, RunQueue } from "../../../kernel/sched/run-queue.ts";

describe("RunQueue", () => {
  it("returns NONE when empty", () => {
    const q = new RunQueue(8);
    expect(q.dequeue()).toBe(NONE);
    expect(q.highest()).toBe(NONE);
    expect(q.size()).toBe(0);
  });

  it("serves the most urgent class first, FIFO within a class", () => {
    const q = new RunQueue(16);
    q.enqueue(1, Priority.Application);
    q.enqueue(2, Priority.Idle);
    q.enqueue(3, Priority.Server);
    q.enqueue(4, Priority.Driver);
    q.enqueue(5, Priority.Server);
    q.enqueue(6, Priority.Application);
    expect(q.highest()).toBe(Priority.Driver);
    const order: number[] = [];
    for (let id = q.dequeue(); id !== NONE; id = q.dequeue()) order.push(id);
    expect(order).toEqual([4, 3, 5, 1, 6, 2]);
  });

  it("round-robins a class when threads are re-queued after running", () => {
    const q = new RunQueue(8);
    for (const id of [0, 1, 2]) q.enqueue(id, Priority.Application);
    const ran = [0, 0, 0];
    for (let i = 0; i < 300; i++) {
      const id = q.dequeue();
      ran[id]!++;
      q.enqueue(id, Priority.Application);
    }
    expect(ran).toEqual([100, 100, 100]);
  });

  it("puts a preempted thread back at the head of its class", () => {
    const q = new RunQueue(4);
    q.enqueue(1, Priority.Server);
    q.enqueue(2, Priority.Server);
    q.enqueueFront(3, Priority.Server);
    q.enqueueFront(0, Priority.Application);
    expect([q.dequeue(), q.dequeue(), q.dequeue(), q.dequeue(), q.dequeue()]).toEqual([3, 1, 2, 0, NONE]);
    q.enqueueFront(1, Priority.Server);
    expect(() => q.enqueueFront(1, Priority.Server)).toThrow(/already queued/);
  });

  it("rejects double enqueue and out-of-range ids", () => {
    const q = new RunQueue(4);
    q.enqueue(1, Priority.Server);
    expect(() => q.enqueue(1, Priority.Driver)).toThrow(/already queued/);
    expect(() => q.enqueue(4, Priority.Driver)).toThrow(/out of range/);
    expect(() => q.enqueue(2, 7)).toThrow(/priority/);
  });

  it("removes from the middle keeping the order of the rest", () => {
    const q = new RunQueue(8);
    // Rotate the ring first so the removal crosses the wrap-around point.
    for (const id of [0, 1, 2, 3, 4, 5]) q.enqueue(id, Priority.Server);
    for (let i = 0; i < 5; i++) q.dequeue();
    for (const id of [0, 1, 2, 3, 4, 6, 7]) q.enqueue(id, Priority.Server);
    expect(q.remove(2)).toBe(true);
    expect(q.remove(2)).toBe(false);
    expect(q.contains(2)).toBe(false);
    const order: number[] = [];
    for (let id = q.dequeue(); id !== NONE; id = q.dequeue()) order.push(id);
    expect(order).toEqual([5, 0, 1, 3, 4, 6, 7]);
  });

  it("behaves like a model of per-class FIFO lists (property)", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("enq" as const), id: fc.integer({ min: 0, max: 11 }), prio: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant("deq" as const) }),
      fc.record({ kind: fc.constant("front" as const), id: fc.integer({ min: 0, max: 11 }), prio: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant("rm" as const), id: fc.integer({ min: 0, max: 11 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const q = new RunQueue(12);
        const model: number[][] = [[], [], [], []];
        for (const o of ops) {
          if (o.kind === "enq") {
            if (model.some((l) => l.includes(o.id))) continue;
            q.enqueue(o.id, o.prio);
            model[o.prio]!.push(o.id);
          } else if (o.kind === "front") {
            if (model.some((l) => l.includes(o.id))) continue;
            q.enqueueFront(o.id, o.prio);
            model[o.prio]!.unshift(o.id);
          } else if (o.kind === "deq") {
            const l = model.find((m) => m.length > 0);
            expect(q.dequeue()).toBe(l ? l.shift()! : NONE);
          } else {
            const l = model.find((m) => m.includes(o.id));
            expect(q.remove(o.id)).toBe(l !== undefined);
            if (l) l.splice(l.indexOf(o.id), 1);
          }
          expect(q.size()).toBe(model.reduce((a, m) => a + m.length, 0));
          const best = model.findIndex((m) => m.length > 0);
          expect(q.highest()).toBe(best);
        }
      }),
    );
  });
});
