// In-kernel suite `paging` (keel.test=paging): the kernel address space built by memoryInit and the
// paging API, exercised on the live page tables.
import { kernelSection, rdmsr, readCr } from "../../arch/x86_64/cpu.ts";
import { load32, store32 } from "../../../lang/mem.ts";
import { allocFrame, freeFrame } from "../../mm/frame-allocator.ts";
import { KERNEL_BASE, physToVirt } from "../../arch/x86_64/layout.ts";
import { kernelAddressSpace, kernelFrames, mapDeviceMemory } from "../../mm/mm.ts";
import {
  MapResult, PageFlags, createAddressSpace, destroyAddressSpace, isCurrent, map, pageFlags, protect, shareKernelHalf,
  translate, unmap,
} from "../../arch/x86_64/paging.ts";
import { TestRunner } from "../runner.ts";

/** A kernel-half address nothing else uses: 1 GiB below the image, in the image's PDPT. */
const SCRATCH = KERNEL_BASE - 0x40000000;
const RW = PageFlags.Writable | PageFlags.NoExecute;

export function runPagingSuite(t: TestRunner): void {
  t.begin("paging");
  const space = kernelAddressSpace();
  const fa = kernelFrames();

  t.expect("cr3-is-kernel-space", isCurrent(space), `cr3 0x${readCr(3).toString(16)}`);
  t.expect("cr0-wp", (readCr(0) & 0x10000n) !== 0n, "CR0.WP is clear");
  t.expect("efer-nxe", (rdmsr(0xc0000080) & 0x800n) !== 0n, "EFER.NXE is clear");
  t.expectEqual("direct-map", translate(space, physToVirt(0x123456)), 0x123456);
  const text = kernelSection(0);
  t.expectEqual("text-rx", pageFlags(space, text) & (PageFlags.Writable | PageFlags.NoExecute), 0);
  t.expectEqual("rodata-r", pageFlags(space, kernelSection(2) - 1) & (PageFlags.Writable | PageFlags.NoExecute),
    PageFlags.NoExecute);
  t.expectEqual("data-rw-nx", pageFlags(space, kernelSection(4) - 1) & RW, RW);

  let freeBefore = fa.freeFrames;
  const frame = allocFrame(fa);
  t.expectEqual("map", map(space, SCRATCH, frame, RW), MapResult.Ok);
  t.expectEqual("translate", translate(space, SCRATCH + 0x44), frame + 0x44);
  store32(SCRATCH + 0x44, 0xc0ffee);
  t.expectEqual("write-through-mapping-read-direct", load32(physToVirt(frame) + 0x44), 0xc0ffee);
  store32(physToVirt(frame) + 0x48, 0xbeef);
  t.expectEqual("write-direct-read-mapping", load32(SCRATCH + 0x48), 0xbeef);
  t.expectEqual("map-twice-refused", map(space, SCRATCH, frame, RW), MapResult.AlreadyMapped);
  t.expectEqual("wx-refused", map(space, SCRATCH + 0x1000, frame, PageFlags.Writable), MapResult.WriteExecute);
  t.expectEqual("protect-read-only", protect(space, SCRATCH, PageFlags.NoExecute), MapResult.Ok);
  t.expectEqual("read-only-flags", pageFlags(space, SCRATCH), PageFlags.NoExecute);
  t.expectEqual("read-only-still-readable", load32(SCRATCH + 0x44), 0xc0ffee);
  t.expectEqual("wx-protect-refused", protect(space, SCRATCH, PageFlags.Writable), MapResult.WriteExecute);
  t.expectEqual("unmap", unmap(space, SCRATCH), frame);
  t.expectEqual("translate-after-unmap", translate(space, SCRATCH), -1);
  freeFrame(fa, frame);
  t.expectEqual("tables-freed", fa.freeFrames, freeBefore);

  // The local APIC's page, made uncacheable (what the interrupt code wants anyway).
  const apic = mapDeviceMemory(0xfee00000, 0x400);
  t.expectEqual("device-translate", translate(space, apic), 0xfee00000);
  t.expectEqual("device-uncached", pageFlags(space, apic) & (PageFlags.CacheDisable | PageFlags.WriteThrough),
    PageFlags.CacheDisable | PageFlags.WriteThrough);
  t.expectEqual("device-neighbour-cached", pageFlags(space, apic + 0x1000) & PageFlags.CacheDisable, 0);

  // A second address space sharing the kernel half, with one user page.
  freeBefore = fa.freeFrames;
  const user = createAddressSpace(fa);
  t.expect("create-space", user !== null, "no frame for a PML4");
  if (user !== null) {
    shareKernelHalf(user, space);
    t.expectEqual("shared-kernel-half", translate(user, text), translate(space, text));
    const f = allocFrame(fa);
    t.expectEqual("map-user", map(user, 0x400000, f, RW | PageFlags.User), MapResult.Ok);
    t.expectEqual("user-not-in-kernel-space", translate(space, 0x400000), -1);
    destroyAddressSpace(user);
    freeFrame(fa, f);
    t.expectEqual("space-destroyed", fa.freeFrames, freeBefore);
  }
}
