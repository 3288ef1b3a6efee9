// Access to user memory from the kernel. Every pointer and length a process passes is checked
// against that process's own page tables before a single byte moves: the range must lie in the
// user half above the null page, and every page in it must be mapped user-accessible (and
// writable, when the kernel is to write). The bytes are then copied through the direct map of the
// frames the tables name, so the check and the access see the same mapping, a bad pointer becomes
// an error code, and the kernel never takes a fault on behalf of a user pointer (nor depends on
// which address space CR3 holds).
import { load8, store8 } from "../../lang/mem.ts";
import { PAGE_SIZE, USER_TOP, physToVirt } from "../arch/x86_64/layout.ts";
import { AddressSpace, PageFlags, pageFlags, translate } from "../arch/x86_64/paging.ts";

/** Lowest user address a pointer may name: the null page is never mapped. */
export const USER_BOTTOM = PAGE_SIZE;
/** Longest single transfer the kernel accepts from one system call argument. */
export const MAX_USER_TRANSFER = 0x1000000;

/** Whether [addr, addr + len) lies inside the user half, above the null page, without overflow. */
export function userRangeInBounds(addr: number, len: number): boolean {
  if (len < 0 || len > MAX_USER_TRANSFER) return false;
  if (addr < USER_BOTTOM || addr >= USER_TOP) return false;
  return addr + len <= USER_TOP;
}

/**
 * Whether `space` lets user mode read (or, with `write`, write) every byte of [addr, addr + len).
 * An empty range is accepted when its address is in bounds.
 */
export function userRangeAccessible(space: AddressSpace, addr: number, len: number, write: boolean): boolean {
  if (!userRangeInBounds(addr, len)) return false;
  if (len === 0) return true;
  const first = addr - (addr % PAGE_SIZE);
  for (let page = first; page < addr + len; page += PAGE_SIZE) {
    const f = pageFlags(space, page);
    if (f < 0 || (f & PageFlags.User) === 0) return false;
    if (write && (f & PageFlags.Writable) === 0) return false;
  }
  return true;
}

/** Copies `len` bytes from user `src` into kernel memory at `dst`; false (nothing copied) if refused. */
export function copyFromUser(space: AddressSpace, dst: number, src: number, len: number): boolean {
  if (!userRangeAccessible(space, src, len, false)) return false;
  let done = 0;
  while (done < len) {
    const at = src + done;
    const inPage = Math.min(len - done, PAGE_SIZE - (at % PAGE_SIZE));
    const from = physToVirt(translate(space, at));
    for (let i = 0; i < inPage; i++) store8(dst + done + i, load8(from + i));
    done += inPage;
  }
  return true;
}

/** Copies `len` bytes from kernel memory at `src` to user `dst`; false (nothing copied) if refused. */
export function copyToUser(space: AddressSpace, dst: number, src: number, len: number): boolean {
  if (!userRangeAccessible(space, dst, len, true)) return false;
  let done = 0;
  while (done < len) {
    const at = dst + done;
    const inPage = Math.min(len - done, PAGE_SIZE - (at % PAGE_SIZE));
    const to = physToVirt(translate(space, at));
    for (let i = 0; i < inPage; i++) store8(to + i, load8(src + done + i));
    done += inPage;
  }
  return true;
}

/** Writes a number (as a 64-bit two's-complement little-endian word) to user memory. */
export function writeUserNumber(space: AddressSpace, addr: number, value: number): boolean {
  return writeUserWord(space, addr, value >= 0 ? BigInt(value) : BigInt.asUintN(64, 0n - BigInt(-value)));
}

/** Writes the 64-bit word `w` at user `addr` (little-endian); false if refused. */
export function writeUserWord(space: AddressSpace, addr: number, w: bigint): boolean {
  if (!userRangeAccessible(space, addr, 8, true)) return false;
  for (let i = 0; i < 8; i++) store8(physToVirt(translate(space, addr + i)), Number((w >> BigInt(i * 8)) & 0xffn));
  return true;
}
