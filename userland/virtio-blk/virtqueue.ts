// The split virtqueue of legacy virtio (virtio 1.x spec, 2.7 and 4.1.5 "legacy interfaces"), the
// pure part: where the descriptor table, the available ring and the used ring lie in one
// physically contiguous area for a queue of `size` entries, and the 16-bit ring index arithmetic.
// Host tests: tests/unit/drivers/virtqueue.test.ts.

export const PAGE = 4096;
/**
 * The driver's DMA memory (init creates it, of DMA_PAGES pages): the queue (up to 256 entries) in
 * the first QUEUE_PAGES, then a page for the request header and status byte, then the data.
 */
export const QUEUE_PAGES = 4;
export const DATA_PAGES = 8;
export const DMA_PAGES = QUEUE_PAGES + 1 + DATA_PAGES;

/** Bytes of one descriptor: address (8), length (4), flags (2), next (2). */
export const DESC_BYTES = 16;
/** Bytes of one used-ring element: id (4), length (4). */
export const USED_ELEM_BYTES = 8;

/** Descriptor flags. */
export const enum Desc {
  Next = 1,
  /** The device writes the buffer (a read request's data and every status byte). */
  Write = 2,
}

export function alignUp(n: number, to: number): number {
  return Math.floor((n + to - 1) / to) * to;
}

/** Offset of the available ring: right after the descriptors. */
export function availOffset(size: number): number {
  return size * DESC_BYTES;
}
/** Offset of the available ring's entry `slot` (after its flags and index words). */
export function availEntryOffset(size: number, slot: number): number {
  return availOffset(size) + 4 + slot * 2;
}
/** Offset of the used ring: the legacy layout puts it on the next page boundary after the
 * available ring (flags, index, `size` entries, used_event). */
export function usedOffset(size: number): number {
  return alignUp(availOffset(size) + 6 + size * 2, PAGE);
}
export function usedEntryOffset(size: number, slot: number): number {
  return usedOffset(size) + 4 + slot * USED_ELEM_BYTES;
}
/** Bytes the whole queue takes: the used ring (flags, index, entries, avail_event) page-aligned. */
export function queueBytes(size: number): number {
  return usedOffset(size) + alignUp(6 + size * USED_ELEM_BYTES, PAGE);
}
/** A legacy queue size is a power of two up to 32768. */
export function validQueueSize(size: number): boolean {
  return size > 0 && size <= 32768 && (size & (size - 1)) === 0;
}

/** The ring indices are free-running 16-bit counters. */
export function ringNext(idx: number): number {
  return (idx + 1) & 0xffff;
}
/** Slot of index `idx` in a ring of `size` entries. */
export function ringSlot(idx: number, size: number): number {
  return idx & (size - 1);
}
/** Entries the device has used since `seen` (its used index is `used`), across the 16-bit wrap. */
export function ringPending(used: number, seen: number): number {
  return (used - seen) & 0xffff;
}
