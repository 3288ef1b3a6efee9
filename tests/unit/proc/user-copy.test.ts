// Checked access to user memory: bounds, page presence, the user bit and write permission, and
// copies that cross page boundaries, against a reference model of the mapped pages.
import { beforeEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { readBytes, writeBytes } from "../../../lang/host/memory.ts";
import { PAGE_SIZE, USER_TOP, physToVirt } from "../../../kernel/arch/x86_64/layout.ts";
import { allocFrame } from "../../../kernel/mm/frame-allocator.ts";
import { AddressSpace, PageFlags, createAddressSpace, map } from "../../../kernel/arch/x86_64/paging.ts";
import {
  copyFromUser, copyToUser, userRangeAccessible, userRangeInBounds, writeUserNumber,
} from "../../../kernel/proc/user-copy.ts";
import { Machine, makeMachine } from "./harness.ts";

const BASE = 0x400000;
const USER_RW = PageFlags.User | PageFlags.Writable | PageFlags.NoExecute;
const USER_RO = PageFlags.User | PageFlags.NoExecute;
const KERNEL_RW = PageFlags.Writable | PageFlags.NoExecute;

let m: Machine;
let space: AddressSpace;
/** Page index (from BASE) -> flags, the reference model. */
let model: Map<number, number>;
/** A kernel buffer: a frame of its own, reached through the direct map. */
let kbuf: number;

function mapPage(index: number, flags: number): void {
  const f = allocFrame(m.frames);
  expect(map(space, BASE + index * PAGE_SIZE, f, flags)).toBe(0);
  model.set(index, flags);
}

beforeEach(() => {
  m = makeMachine();
  space = createAddressSpace(m.frames)!;
  model = new Map();
  // Pages 0-2 user RW, 3 user read-only, 4 unmapped, 5 kernel-only, 6 user RW.
  mapPage(0, USER_RW);
  mapPage(1, USER_RW);
  mapPage(2, USER_RW);
  mapPage(3, USER_RO);
  mapPage(5, KERNEL_RW);
  mapPage(6, USER_RW);
  kbuf = physToVirt(allocFrame(m.frames));
});

describe("user range bounds", () => {
  it("refuses the null page, the kernel half, negative lengths and ranges past the user half", () => {
    expect(userRangeInBounds(0, 1)).toBe(false);
    expect(userRangeInBounds(PAGE_SIZE - 1, 1)).toBe(false);
    expect(userRangeInBounds(PAGE_SIZE, 1)).toBe(true);
    expect(userRangeInBounds(-0x80000000, 16)).toBe(false);
    expect(userRangeInBounds(BASE, -1)).toBe(false);
    expect(userRangeInBounds(USER_TOP - 16, 16)).toBe(true);
    expect(userRangeInBounds(USER_TOP - 16, 17)).toBe(false);
    expect(userRangeInBounds(USER_TOP, 0)).toBe(false);
    expect(userRangeInBounds(2 ** 53 - 1, 1)).toBe(false);
  });
});

describe("user range access", () => {
  it("follows the page tables: presence, the user bit, and write permission for writes", () => {
    expect(userRangeAccessible(space, BASE + 100, 3 * PAGE_SIZE, false)).toBe(true);
    expect(userRangeAccessible(space, BASE + 100, 3 * PAGE_SIZE, true)).toBe(false); // reaches page 3 (RO)
    expect(userRangeAccessible(space, BASE + 3 * PAGE_SIZE, PAGE_SIZE + 1, false)).toBe(false); // page 4 unmapped
    expect(userRangeAccessible(space, BASE + 5 * PAGE_SIZE, 8, false)).toBe(false); // supervisor page
    expect(userRangeAccessible(space, BASE + 6 * PAGE_SIZE, 0, true)).toBe(true);
  });

  it("agrees with a model of the mapped pages for any range", () => {
    fc.assert(fc.property(
      fc.integer({ min: -PAGE_SIZE, max: 8 * PAGE_SIZE }), fc.integer({ min: 0, max: 4 * PAGE_SIZE }), fc.boolean(),
      (off, len, write) => {
        const addr = BASE + off;
        let expected = addr >= PAGE_SIZE;
        if (len > 0) {
          for (let p = Math.floor(off / PAGE_SIZE); p <= Math.floor((off + len - 1) / PAGE_SIZE); p++) {
            const f = model.get(p);
            if (f === undefined || (f & PageFlags.User) === 0 || (write && (f & PageFlags.Writable) === 0)) expected = false;
          }
        }
        expect(userRangeAccessible(space, addr, len, write)).toBe(expected);
      },
    ));
  });
});

describe("copies", () => {
  it("round-trip bytes across page boundaries through the space's own frames", () => {
    const data = new Uint8Array(3000).map((_, i) => (i * 7 + 3) & 0xff);
    writeBytes(kbuf, data);
    const dst = BASE + 2 * PAGE_SIZE - 1000; // straddles pages 1 and 2
    expect(copyToUser(space, dst, kbuf, data.length)).toBe(true);
    writeBytes(kbuf, new Uint8Array(data.length));
    expect(copyFromUser(space, kbuf, dst, data.length)).toBe(true);
    expect(readBytes(kbuf, data.length)).toEqual(data);
  });

  it("move nothing when any page is refused", () => {
    writeBytes(kbuf, new Uint8Array(64).fill(0x77));
    const dst = BASE + 4 * PAGE_SIZE - 32; // page 3 is read-only
    expect(copyToUser(space, dst, kbuf, 64)).toBe(false);
    writeBytes(kbuf, new Uint8Array(64).fill(0x11));
    expect(copyFromUser(space, kbuf, dst, 32)).toBe(true); // reading page 3 is fine
    expect(Array.from(readBytes(kbuf, 32))).toEqual(new Array(32).fill(0));
    expect(copyFromUser(space, kbuf, BASE + 5 * PAGE_SIZE, 8)).toBe(false); // supervisor page
    expect(copyFromUser(space, kbuf, -0x80000000, 8)).toBe(false);
  });

  it("writes numbers as 64-bit two's complement words", () => {
    expect(writeUserNumber(space, BASE + 8, -2)).toBe(true);
    expect(writeUserNumber(space, BASE + 16, 0x123456789a)).toBe(true);
    expect(copyFromUser(space, kbuf, BASE + 8, 16)).toBe(true);
    const v = new DataView(readBytes(kbuf, 16).buffer);
    expect(v.getBigInt64(0, true)).toBe(-2n);
    expect(v.getBigUint64(8, true)).toBe(0x123456789an);
    expect(writeUserNumber(space, BASE + 3 * PAGE_SIZE, 1)).toBe(false);
  });
});
