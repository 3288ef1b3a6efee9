// Host-only: the simulated heap figures behind core.ts's heapBytesUsed, heapBytesTotal and
// heapReserve. Under Node the garbage collector owns memory, so there is nothing to measure; tests
// that need the kernel to meet an exhausted heap set `room` (bytes that can still be reserved;
// negative means unlimited) and put it back afterwards.
export class HostHeap {
  used = 0;
  total = 0;
  room = -1;
}

export const hostHeap = new HostHeap();
