// Virtual addresses of device registers. The boot page tables' direct map covers the first 4 GiB,
// where the local APIC (0xfee00000) and the I/O APIC (0xfec00000) live. Those mappings are
// write-back cacheable; QEMU ignores that, real hardware gets uncached accesses from the MTRRs that
// firmware sets for the APIC ranges. Once the paging module offers cache-disabled mappings, this is
// the one place to switch over.
import { physToVirt } from "./layout.ts";

/** A virtual address through which `size` bytes of device registers at `phys` can be accessed. */
export function mmioAddress(phys: number, size: number): number {
  void size;
  return physToVirt(phys);
}
