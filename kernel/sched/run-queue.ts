// Ready threads of one CPU, by priority class, round robin within a class. Pure data over thread
// ids (small integers) so it can be tested on the host; the scheduler owns the Thread objects.
import { panic } from "../../lang/core.ts";

/** Priority classes, most urgent first: a ready thread of a lower number always runs first. */
export const enum Priority {
  Driver = 0,
  Server = 1,
  Application = 2,
  Idle = 3,
}

export const PRIORITY_CLASSES = 4;

/** Returned by dequeue() and highest() when nothing is ready. */
export const NONE = -1;

export class RunQueue {
  // One ring buffer per class in a single array: class c owns slots [c*capacity, (c+1)*capacity).
  readonly capacity: number;
  slots: Int32Array;
  heads: Int32Array;
  counts: Int32Array;
  // Class of each queued id, or -1: catches double enqueue and makes remove() cheap to aim.
  classOf: Int8Array;
  total = 0;

  /** `capacity` bounds both the number of queued threads and the ids (0 .. capacity-1). */
  constructor(capacity: number) {
    this.capacity = capacity;
    this.slots = new Int32Array(capacity * PRIORITY_CLASSES);
    this.heads = new Int32Array(PRIORITY_CLASSES);
    this.counts = new Int32Array(PRIORITY_CLASSES);
    this.classOf = new Int8Array(capacity);
    for (let i = 0; i < capacity; i++) this.classOf[i] = -1;
  }

  /** Appends `id` at the tail of its class. */
  enqueue(id: number, prio: number): void {
    if (id < 0 || id >= this.capacity) panic("run queue: thread id out of range");
    if (prio < 0 || prio >= PRIORITY_CLASSES) panic("run queue: bad priority class");
    if (this.classOf[id]! >= 0) panic("run queue: thread already queued");
    const n = this.counts[prio]!;
    const slot = prio * this.capacity + ((this.heads[prio]! + n) % this.capacity);
    this.slots[slot] = id;
    this.counts[prio] = n + 1;
    this.classOf[id] = prio;
    this.total++;
  }

  /** Puts `id` at the head of its class: a thread preempted by a more urgent one keeps its turn. */
  enqueueFront(id: number, prio: number): void {
    if (id < 0 || id >= this.capacity) panic("run queue: thread id out of range");
    if (prio < 0 || prio >= PRIORITY_CLASSES) panic("run queue: bad priority class");
    if (this.classOf[id]! >= 0) panic("run queue: thread already queued");
    const n = this.counts[prio]!;
    if (n >= this.capacity) panic("run queue: full");
    const head = (this.heads[prio]! + this.capacity - 1) % this.capacity;
    this.slots[prio * this.capacity + head] = id;
    this.heads[prio] = head;
    this.counts[prio] = n + 1;
    this.classOf[id] = prio;
    this.total++;
  }

  /** Removes and returns the head of the most urgent non-empty class, or NONE. */
  dequeue(): number {
    const prio = this.highest();
    if (prio === NONE) return NONE;
    const head = this.heads[prio]!;
    const id = this.slots[prio * this.capacity + head]!;
    this.heads[prio] = (head + 1) % this.capacity;
    this.counts[prio] = this.counts[prio]! - 1;
    this.classOf[id] = -1;
    this.total--;
    return id;
  }

  /** The most urgent class with a ready thread, or NONE. */
  highest(): number {
    if (this.total === 0) return NONE;
    for (let p = 0; p < PRIORITY_CLASSES; p++) {
      if (this.counts[p]! > 0) return p;
    }
    return NONE;
  }

  contains(id: number): boolean {
    return id >= 0 && id < this.capacity && this.classOf[id]! >= 0;
  }

  /** Takes `id` out of the queue wherever it is, keeping the order of the others. */
  remove(id: number): boolean {
    if (!this.contains(id)) return false;
    const prio = this.classOf[id]!;
    const base = prio * this.capacity;
    const n = this.counts[prio]!;
    const head = this.heads[prio]!;
    let found = false;
    for (let i = 0; i < n; i++) {
      const at = base + ((head + i) % this.capacity);
      if (found) {
        // Shift the later entries one place towards the head.
        this.slots[base + ((head + i - 1) % this.capacity)] = this.slots[at]!;
      } else if (this.slots[at]! === id) {
        found = true;
      }
    }
    this.counts[prio] = n - 1;
    this.classOf[id] = -1;
    this.total--;
    return true;
  }

  /** Number of ready threads in class `prio`. */
  countOf(prio: number): number {
    return this.counts[prio]!;
  }

  size(): number {
    return this.total;
  }
}
