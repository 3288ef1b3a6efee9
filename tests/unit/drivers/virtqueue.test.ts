// The virtio-blk driver's split-virtqueue arithmetic (userland/virtio-blk/virtqueue.ts): the legacy
// layout for QEMU's queue sizes and the 16-bit free-running ring indices.
import { describe, expect, it } from "vitest";
import {
  alignUp, availEntryOffset, availOffset, queueBytes, ringNext, ringPending, ringSlot, usedEntryOffset, usedOffset,
  validQueueSize,
} from "../../../userland/virtio-blk/virtqueue.ts";

describe("legacy queue layout", () => {
  it("places a 256-entry queue (QEMU's virtio-blk) in three pages", () => {
    expect(availOffset(256)).toBe(4096);
    expect(availEntryOffset(256, 0)).toBe(4100);
    expect(availEntryOffset(256, 255)).toBe(4100 + 510);
    expect(usedOffset(256)).toBe(8192);
    expect(usedEntryOffset(256, 1)).toBe(8192 + 4 + 8);
    expect(queueBytes(256)).toBe(12288);
  });
  it("places small queues on page boundaries too", () => {
    expect(usedOffset(8)).toBe(4096);
    expect(queueBytes(8)).toBe(8192);
    expect(usedOffset(128)).toBe(4096);
    expect(queueBytes(1024)).toBe(16384 + 4096 + 12288);
  });
  it("accepts only powers of two up to 32768", () => {
    expect([1, 2, 256, 32768].every(validQueueSize)).toBe(true);
    expect([0, 3, 100, 65536, -4].some(validQueueSize)).toBe(false);
  });
  it("aligns up", () => {
    expect(alignUp(0, 4096)).toBe(0);
    expect(alignUp(1, 4096)).toBe(4096);
    expect(alignUp(4096, 4096)).toBe(4096);
  });
});

describe("ring indices", () => {
  it("wrap at 16 bits and map onto slots", () => {
    expect(ringNext(0)).toBe(1);
    expect(ringNext(0xffff)).toBe(0);
    expect(ringSlot(257, 256)).toBe(1);
    expect(ringSlot(0xffff, 256)).toBe(255);
  });
  it("count pending used entries across the wrap", () => {
    expect(ringPending(5, 5)).toBe(0);
    expect(ringPending(6, 5)).toBe(1);
    expect(ringPending(1, 0xffff)).toBe(2);
    expect(ringPending(0, 0xfff0)).toBe(16);
  });
});
