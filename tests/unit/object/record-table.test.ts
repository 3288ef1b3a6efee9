// The slot table behind the records of Thread, memory and I/O port objects: records keep their
// slots while they live, the table grows when full and shrinks back to its first size once the
// records are gone (the kernel heap's leak checks depend on it), and never moves a live record.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RecordTable, recordAdd, recordAt, recordRemove } from "../../../kernel/object/record-table.ts";

class Rec {
  constructor(public id: number) {}
}

describe("record table", () => {
  it("takes the first free slot and grows by doubling when full", () => {
    const t = new RecordTable<Rec>(4);
    const slots = [0, 1, 2, 3, 4].map((i) => recordAdd(t, new Rec(i)));
    expect(slots).toEqual([0, 1, 2, 3, 4]);
    expect(t.slots.length).toBe(8);
    recordRemove(t, 1);
    expect(recordAdd(t, new Rec(9))).toBe(1);
    expect(recordAt(t, 1)!.id).toBe(9);
  });

  it("answers null for empty and out-of-range slots", () => {
    const t = new RecordTable<Rec>(4);
    expect(recordAt(t, 0)).toBeNull();
    expect(recordAt(t, -1)).toBeNull();
    expect(recordAt(t, 4)).toBeNull();
    recordRemove(t, 7);
    recordRemove(t, 0);
    expect(t.used).toBe(0);
  });

  it("shrinks back to its first size when the records are gone", () => {
    const t = new RecordTable<Rec>(4);
    for (let i = 0; i < 40; i++) recordAdd(t, new Rec(i));
    expect(t.slots.length).toBe(64);
    for (let i = 0; i < 40; i++) recordRemove(t, i);
    expect(t.slots.length).toBe(4);
    expect(t.used).toBe(0);
  });

  it("does not shrink while a record lives in the upper half", () => {
    const t = new RecordTable<Rec>(4);
    for (let i = 0; i < 16; i++) recordAdd(t, new Rec(i));
    for (let i = 0; i < 15; i++) recordRemove(t, i);
    expect(t.slots.length).toBe(16);
    expect(recordAt(t, 15)!.id).toBe(15);
    recordRemove(t, 15);
    expect(t.slots.length).toBe(4);
  });

  it("keeps every live record at its slot through any sequence of adds and removes", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(100)), { maxLength: 300 }), (ops) => {
        const t = new RecordTable<Rec>(2);
        const live = new Map<number, Rec>();
        let next = 0;
        for (const [add, pick] of ops) {
          if (add || live.size === 0) {
            const r = new Rec(next++);
            const slot = recordAdd(t, r);
            expect(live.has(slot)).toBe(false);
            live.set(slot, r);
          } else {
            const slot = [...live.keys()][pick % live.size]!;
            recordRemove(t, slot);
            live.delete(slot);
          }
          for (const [slot, r] of live) expect(recordAt(t, slot)).toBe(r);
          expect(t.used).toBe(live.size);
          expect(t.slots.length).toBeGreaterThanOrEqual(2);
        }
        for (const slot of [...live.keys()]) recordRemove(t, slot);
        expect(t.slots.length).toBe(2);
      }),
    );
  });
});
