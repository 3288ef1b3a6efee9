// Loads a static ELF executable into a fresh user address space with the kernel's own memory
// management: what the kernel does for `init` and the other boot modules. A module that is
// refused, or that does not fit in memory, is logged and leaves nothing behind.
import { FrameAllocator } from "../mm/frame-allocator.ts";
import { PAGE_SIZE } from "../arch/x86_64/layout.ts";
import { AddressSpace, createAddressSpace, destroyAddressSpace, map, unmap } from "../arch/x86_64/paging.ts";
import { ElfError, ElfImage, logElfError, parseElf } from "./elf.ts";
import { executeLoadPlan } from "./execute.ts";
import { LoadPlan, buildLoadPlan, stackSizeFor } from "./load-plan.ts";

function spaceAlloc(space: AddressSpace): number {
  return space.frames.alloc();
}

function spaceFree(space: AddressSpace, phys: number): void {
  space.frames.free(phys);
}

/**
 * Parses the image of `length` bytes at `image` (a kernel virtual address, normally the direct
 * map of the module), and loads it into a new address space whose frames and tables come from
 * `frames`. Returns the space, with `plan` holding the entry point, initial stack pointer and
 * startup block address; or null after logging why: `elf.error` then names why the image was
 * refused, and is ElfError.None when it was accepted but memory ran out (for the address space or
 * while loading), so a caller can tell a bad file from a full machine. The stack is `stackSize` bytes or what the
 * program asks for through PT_GNU_STACK, whichever is larger. The kernel half is not mapped: the caller
 * shares it (shareKernelHalf) before running the program.
 */
export function loadProgram(
  frames: FrameAllocator,
  image: number,
  length: number,
  name: string,
  maxMemory: number,
  stackTop: number,
  stackSize: number,
  elf: ElfImage,
  plan: LoadPlan,
): AddressSpace | null {
  if (parseElf(image, length, maxMemory, elf) !== ElfError.None || buildLoadPlan(elf, stackTop, stackSizeFor(elf, stackSize), plan) !== ElfError.None) {
    logElfError(name, elf);
    return null;
  }
  const space = createAddressSpace(frames);
  if (space === null) {
    console.log(`elf: ${name}: out of memory for an address space`);
    return null;
  }
  if (!executeLoadPlan(plan, image, space, spaceAlloc, spaceFree, map)) {
    unloadPlan(space, plan);
    destroyAddressSpace(space);
    console.log(`elf: ${name}: out of memory while loading ${plan.pages} pages`);
    return null;
  }
  return space;
}

/** Unmaps every page of `plan` that is mapped in `space` and frees its frame. */
export function unloadPlan(space: AddressSpace, plan: LoadPlan): void {
  for (let m = 0; m < plan.count; m++) {
    const end = plan.virt[m]! + plan.size[m]!;
    for (let page = plan.virt[m]!; page < end; page += PAGE_SIZE) {
      const phys = unmap(space, page);
      if (phys >= 0) space.frames.free(phys);
    }
  }
}
