// The kernel's virtual memory layout. Virtual addresses are written in signed canonical form
// (sign-extended from bit 47) so that they are exact integers in both Node and C.
//
//   0x0000_0000_0000_0000 .. 0x0000_7fff_ffff_ffff   user half (private per address space)
//   0xffff_8000_0000_0000 .. (+ all physical memory)  direct map of physical memory (RW, NX)
//   0xffff_ffff_8000_0000 .. kernel image (linked here, loaded at physical KERNEL_PHYS_LOAD)

export const PAGE_SIZE = 4096;

/** Kernel image virtual base, 0xffffffff80000000 (the top 2 GiB). */
export const KERNEL_BASE = -0x80000000;
/** Physical address where the linker script places the kernel image. */
export const KERNEL_PHYS_LOAD = 0x200000;
/** Direct map of all physical memory, 0xffff800000000000. */
export const DIRECT_MAP_BASE = -0x800000000000;
/** Highest user address + 1 (the canonical lower half). */
export const USER_TOP = 0x800000000000;

/** Virtual address in the direct map of a physical address. */
export function physToVirt(phys: number): number {
  return DIRECT_MAP_BASE + phys;
}

/** Physical address of a direct-map or kernel-image virtual address. */
export function virtToPhys(virt: number): number {
  if (virt >= KERNEL_BASE) return virt - KERNEL_BASE;
  return virt - DIRECT_MAP_BASE;
}
