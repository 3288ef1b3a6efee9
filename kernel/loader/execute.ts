// Executes a LoadPlan in the kernel: for every page of every mapping, takes a fresh frame, zeroes
// it through the direct map, copies the file bytes that fall into it, and maps it into the target
// address space. The frame allocator and the paging call are passed in, so this file depends only
// on the plan and the direct map; the address space type is whatever the paging code uses, and
// paging.ts's `map(space, virt, phys, flags): MapResult` fits the `map` parameter as it is.
import { load8, load64, store8, store64 } from "../../lang/mem.ts";
import { PAGE_SIZE, physToVirt } from "../arch/x86_64/layout.ts";
import { LoadPlan } from "./load-plan.ts";

/**
 * Loads `plan` from the ELF image at address `image` (the same bytes the plan was built from) into
 * `space`. `allocFrame(space)` returns a physical frame address or -1 when memory is exhausted;
 * `freeFrame(space, phys)` takes back a frame that could not be mapped; `map(space, virt, phys,
 * flags)` maps one page with MapFlag flags and returns 0 on success, anything else on failure.
 * Returns false at the first failure: the pages mapped so far belong to `space`, and the caller
 * destroys it.
 */
export function executeLoadPlan<S>(
  plan: LoadPlan,
  image: number,
  space: S,
  allocFrame: (space: S) => number,
  freeFrame: (space: S, phys: number) => void,
  map: (space: S, virt: number, phys: number, flags: number) => number,
): boolean {
  for (let m = 0; m < plan.count; m++) {
    const virt = plan.virt[m]!;
    const end = virt + plan.size[m]!;
    for (let page = virt; page < end; page += PAGE_SIZE) {
      const phys = allocFrame(space);
      if (phys < 0) return false;
      const dst = physToVirt(phys);
      zeroPage(dst);
      copyIntoPage(plan, m, image, page, dst);
      if (map(space, page, phys, plan.flags[m]!) !== 0) {
        freeFrame(space, phys);
        return false;
      }
    }
  }
  return true;
}

function zeroPage(addr: number): void {
  for (let off = 0; off < PAGE_SIZE; off += 8) store64(addr + off, 0n);
}

/** Copies the part of mapping m's file bytes that lands in the page at user address `page`. */
function copyIntoPage(plan: LoadPlan, m: number, image: number, page: number, dst: number): void {
  const copyStart = plan.copyTo[m]!;
  const copyEnd = copyStart + plan.copyLength[m]!;
  const from = Math.max(page, copyStart);
  const to = Math.min(page + PAGE_SIZE, copyEnd);
  if (from >= to) return;
  copyBytes(dst + (from - page), image + plan.fileOffset[m]! + (from - copyStart), to - from);
}

/** Copies n bytes, eight at a time where the destination allows. */
function copyBytes(dst: number, src: number, n: number): void {
  let i = 0;
  while (i < n && (dst + i) % 8 !== 0) {
    store8(dst + i, load8(src + i));
    i++;
  }
  while (i + 8 <= n) {
    store64(dst + i, load64(src + i));
    i += 8;
  }
  while (i < n) {
    store8(dst + i, load8(src + i));
    i++;
  }
}
