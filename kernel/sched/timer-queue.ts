// Pending timeouts of one CPU: a binary min-heap of deadlines (nanoseconds on the monotonic clock)
// with O(log n) insert, cancel and pop. Pure data so it can be tested on the host.
//
// A handle names one armed timer. It carries a generation so that cancelling a timer that already
// fired (and whose slot was reused) is a harmless no-op instead of cancelling someone else's timer.
import { panic } from "../../lang/core.ts";

export const NO_TIMER = -1;

export class TimerQueue {
  readonly capacity: number;
  heap: Int32Array; // slots, heap-ordered by (deadline, seq)
  size = 0;
  pos: Int32Array; // pos[slot] = index in heap, or -1 when the slot is free
  deadline: number[];
  seq: number[]; // insertion order: equal deadlines fire first-armed first
  value: number[];
  gen: number[];
  freeNext: Int32Array;
  freeHead = 0;
  nextSeq = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.heap = new Int32Array(capacity);
    this.pos = new Int32Array(capacity);
    this.freeNext = new Int32Array(capacity);
    this.deadline = new Array<number>(capacity).fill(0);
    this.seq = new Array<number>(capacity).fill(0);
    this.value = new Array<number>(capacity).fill(0);
    this.gen = new Array<number>(capacity).fill(0);
    for (let i = 0; i < capacity; i++) {
      this.pos[i] = -1;
      this.freeNext[i] = i + 1 < capacity ? i + 1 : -1;
    }
    this.freeHead = capacity > 0 ? 0 : -1;
  }

  /** Arms a timer that fires at `deadline` carrying `value`; returns its handle, NO_TIMER if full. */
  add(deadline: number, value: number): number {
    const slot = this.freeHead;
    if (slot < 0) return NO_TIMER;
    this.freeHead = this.freeNext[slot]!;
    this.deadline[slot] = deadline;
    this.seq[slot] = this.nextSeq++;
    this.value[slot] = value;
    const i = this.size++;
    this.heap[i] = slot;
    this.pos[slot] = i;
    this.siftUp(i);
    return this.gen[slot]! * this.capacity + slot;
  }

  /** Disarms a timer; false when it already fired or was cancelled. */
  cancel(handle: number): boolean {
    const slot = this.slotOf(handle);
    if (slot < 0) return false;
    this.removeAt(this.pos[slot]!);
    return true;
  }

  /** Whether `handle` names a timer that is still armed. */
  armed(handle: number): boolean {
    return this.slotOf(handle) >= 0;
  }

  /** Earliest deadline, or -1 when no timer is armed. */
  peekDeadline(): number {
    if (this.size === 0) return -1;
    return this.deadline[this.heap[0]!]!;
  }

  /** Removes the earliest timer if its deadline is <= now and returns its value, else -1. */
  popExpired(now: number): number {
    if (this.size === 0) return -1;
    const slot = this.heap[0]!;
    if (this.deadline[slot]! > now) return -1;
    const v = this.value[slot]!;
    this.removeAt(0);
    return v;
  }

  count(): number {
    return this.size;
  }

  private slotOf(handle: number): number {
    if (handle < 0) return -1;
    const slot = handle % this.capacity;
    const g = Math.floor(handle / this.capacity);
    if (this.pos[slot]! < 0 || this.gen[slot]! !== g) return -1;
    return slot;
  }

  private removeAt(i: number): void {
    if (i < 0 || i >= this.size) panic("timer queue: bad heap index");
    const slot = this.heap[i]!;
    const last = --this.size;
    if (i !== last) {
      const moved = this.heap[last]!;
      this.heap[i] = moved;
      this.pos[moved] = i;
      this.siftDown(i);
      this.siftUp(this.pos[moved]!);
    }
    this.pos[slot] = -1;
    this.gen[slot] = this.gen[slot]! + 1;
    this.freeNext[slot] = this.freeHead;
    this.freeHead = slot;
  }

  private less(a: number, b: number): boolean {
    const da = this.deadline[a]!;
    const db = this.deadline[b]!;
    if (da !== db) return da < db;
    return this.seq[a]! < this.seq[b]!;
  }

  private swap(i: number, j: number): void {
    const a = this.heap[i]!;
    const b = this.heap[j]!;
    this.heap[i] = b;
    this.heap[j] = a;
    this.pos[b] = i;
    this.pos[a] = j;
  }

  private siftUp(start: number): void {
    let i = start;
    while (i > 0) {
      const parent = Math.floor((i - 1) / 2);
      if (!this.less(this.heap[i]!, this.heap[parent]!)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(start: number): void {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < this.size && this.less(this.heap[l]!, this.heap[best]!)) best = l;
      if (r < this.size && this.less(this.heap[r]!, this.heap[best]!)) best = r;
      if (best === i) break;
      this.swap(i, best);
      i = best;
    }
  }
}
