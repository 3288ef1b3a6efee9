// The user heap (userland/lib/heap.ts) over a fake kernel that implements map and unmap on
// simulated memory and keeps its own record of what is mapped.
import { beforeEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { attachMemory, detachAllMemory, readBytes, writeBytes } from "../../../lang/host/memory.ts";
import { hostKernel } from "../../../userland/lib/host/kernel.ts";
import { CHUNK, HEAP_BASE, Heap, heapAlloc, heapFree } from "../../../userland/lib/heap.ts";
import { Sys, ErrorCode } from "../../../userland/lib/sys.ts";

const PAGE = 4096;
const SPAN = 0x400000;
let mapped: Map<number, number>;
let calls: Array<[number, number, number]>;

beforeEach(() => {
  detachAllMemory();
  // The kernel hands out zeroed pages: start from garbage so a missing clear would show.
  attachMemory(HEAP_BASE, SPAN);
  for (let a = 0; a < SPAN; a += 0x10000) writeBytes(HEAP_BASE + a, new Uint8Array(0x10000).fill(0xee));
  mapped = new Map();
  calls = [];
  hostKernel.syscall = (n, a0, a1) => {
    calls.push([n, a0, a1]);
    if (n === Sys.Map) {
      if (a0 % PAGE !== 0 || a1 % PAGE !== 0 || a0 + a1 > HEAP_BASE + SPAN) return -ErrorCode.NoMemory;
      for (let p = a0; p < a0 + a1; p += PAGE) if (mapped.has(p)) return -ErrorCode.InvalidArgument;
      for (let p = a0; p < a0 + a1; p += PAGE) mapped.set(p, a0);
      writeBytes(a0, new Uint8Array(a1));
      return 0;
    }
    if (n === Sys.Unmap) {
      for (let p = a0; p < a0 + a1; p += PAGE) {
        if (mapped.get(p) !== a0) return -ErrorCode.NotFound;
        mapped.delete(p);
      }
      return 0;
    }
    return -ErrorCode.UnknownSyscall;
  };
});

describe("user heap", () => {
  it("hands out aligned, zeroed, disjoint blocks from mapped chunks", () => {
    const h = new Heap(HEAP_BASE, HEAP_BASE + SPAN);
    const blocks = [1, 16, 17, 100, 4000, 30000].map((n) => [heapAlloc(h, n), n] as const);
    for (const [a, n] of blocks) {
      expect(a % 16).toBe(0);
      expect(mapped.has(a - (a % PAGE))).toBe(true);
      expect(Array.from(readBytes(a, n)).every((b) => b === 0)).toBe(true);
    }
    const sorted = [...blocks].sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]![0]).toBeGreaterThanOrEqual(sorted[i - 1]![0] + sorted[i - 1]![1]);
    expect(h.liveBlocks).toBe(6);
    expect(calls.filter(([n]) => n === Sys.Map).every(([, , len]) => len === CHUNK)).toBe(true);
  });

  it("reuses a freed block of the same class, cleared", () => {
    const h = new Heap(HEAP_BASE, HEAP_BASE + SPAN);
    const a = heapAlloc(h, 48);
    writeBytes(a, new Uint8Array(48).fill(9));
    heapFree(h, a);
    expect(h.liveBlocks).toBe(0);
    const b = heapAlloc(h, 40);
    expect(b).toBe(a);
    expect(Array.from(readBytes(b, 48)).every((x) => x === 0)).toBe(true);
  });

  it("gives large blocks a region of their own and returns it to the kernel", () => {
    const h = new Heap(HEAP_BASE, HEAP_BASE + SPAN);
    const big = heapAlloc(h, 200000);
    expect(big).not.toBe(0);
    expect(h.mappedBytes).toBe(Math.ceil((200000 + 16) / PAGE) * PAGE);
    heapFree(h, big);
    expect(h.mappedBytes).toBe(0);
    expect(mapped.size).toBe(0);
    expect(h.liveBytes).toBe(0);
  });

  it("returns 0 when the kernel refuses more memory", () => {
    const h = new Heap(HEAP_BASE, HEAP_BASE + SPAN);
    expect(heapAlloc(h, SPAN)).toBe(0);
    expect(h.liveBlocks).toBe(0);
  });

  it("keeps live blocks intact through any sequence of allocations and frees", () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 70000 })), { maxLength: 60 }), (ops) => {
      mapped.clear();
      const h = new Heap(HEAP_BASE, HEAP_BASE + SPAN);
      const live: Array<[number, number, number]> = [];
      let tag = 1;
      for (const [alloc, size] of ops) {
        if (alloc || live.length === 0) {
          const a = heapAlloc(h, size);
          if (a === 0) continue;
          writeBytes(a, new Uint8Array(size).fill(tag & 0xff));
          live.push([a, size, tag & 0xff]);
          tag++;
        } else {
          const [a] = live.splice(size % live.length, 1)[0]!;
          heapFree(h, a);
        }
      }
      for (const [a, size, t] of live) expect(Array.from(readBytes(a, size)).every((x) => x === t)).toBe(true);
      expect(h.liveBlocks).toBe(live.length);
      expect(h.liveBytes).toBe(live.reduce((s, [, n]) => s + n, 0));
    }), { numRuns: 40 });
  });
});
