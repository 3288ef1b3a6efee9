// The records of one kind of kernel object, by slot: a kernel object keeps its record's slot in
// its `index`. The table doubles when every slot is taken and halves again once its upper half is
// empty and at most a quarter of it is in use, never below the size it started with, so the
// kernel heap returns to where it was when the objects are gone (the leak checks of the tests and
// the fuzzer count its bytes). A record never moves: shrinking waits for the upper half to empty.
import { release } from "../../lang/core.ts";

export class RecordTable<T> {
  slots: Array<T | null>;
  used = 0;
  initial: number;

  constructor(initial: number) {
    this.initial = initial;
    this.slots = new Array<T | null>(initial).fill(null);
  }
}

/** The record in `slot`, or null for an empty or out-of-range slot. */
export function recordAt<T>(table: RecordTable<T>, slot: number): T | null {
  if (slot < 0 || slot >= table.slots.length) return null;
  return table.slots[slot]!;
}

/** Puts `r` in the first free slot (doubling the table when there is none) and returns the slot. */
export function recordAdd<T>(table: RecordTable<T>, r: T): number {
  const old = table.slots;
  let slot = -1;
  for (let i = 0; i < old.length && slot < 0; i++) if (old[i]! === null) slot = i;
  if (slot < 0) {
    const grown = new Array<T | null>(old.length * 2).fill(null);
    for (let i = 0; i < old.length; i++) grown[i] = old[i]!;
    table.slots = grown;
    release(old);
    slot = old.length;
  }
  table.slots[slot] = r;
  table.used++;
  return slot;
}

/** Empties `slot` (the caller releases the record), shrinking the table when it can. */
export function recordRemove<T>(table: RecordTable<T>, slot: number): void {
  if (slot < 0 || slot >= table.slots.length || table.slots[slot]! === null) return;
  table.slots[slot] = null;
  table.used--;
  for (;;) {
    const len = table.slots.length;
    const half = len >> 1;
    if (len <= table.initial || table.used * 4 > len) return;
    for (let i = half; i < len; i++) if (table.slots[i]! !== null) return;
    const shrunk = new Array<T | null>(half).fill(null);
    for (let i = 0; i < half; i++) shrunk[i] = table.slots[i]!;
    release(table.slots);
    table.slots = shrunk;
  }
}
