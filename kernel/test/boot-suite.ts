// In-kernel suite `boot` (keel.test=boot): checks what the assembly entry path promised the rest of
// the kernel: the Multiboot2 handoff, the image layout, the CPU mode, the boot mappings and the
// interrupt stubs. Runs on the machine itself, so it catches what host tests cannot.
import {
  bootMagic,
  entryTsc,
  interruptStubAddr,
  kernelSection,
  rdmsr,
  rdtsc,
  readCr,
  readRbp,
  threadTrampolineAddr,
} from "../arch/x86_64/cpu.ts";
import { type BootInfo, findModule } from "../boot/bootinfo.ts";
import { DIRECT_MAP_BASE, KERNEL_BASE, KERNEL_PHYS_LOAD, PAGE_SIZE, physToVirt } from "../arch/x86_64/layout.ts";
import { load32 } from "../../lang/mem.ts";
import type { TestRunner } from "./runner.ts";

const MULTIBOOT2_BOOT_MAGIC = 0x36d76289;
const MULTIBOOT2_HEADER_MAGIC = 0xe85250d6;
const MSR_EFER = 0xc0000080;

function pageAligned(addr: number): boolean {
  return addr % PAGE_SIZE === 0;
}

function bit(value: bigint, n: bigint): boolean {
  return ((value >> n) & 1n) === 1n;
}

export function runBootSuite(t: TestRunner, info: BootInfo): void {
  t.begin("boot");

  t.expectEqual("multiboot2-magic", bootMagic(), MULTIBOOT2_BOOT_MAGIC);
  t.expect("memory-map", info.memoryCount > 0, "the boot information has no memory map");
  t.expect("font-module", findModule(info, "font") >= 0, "no boot module named font");

  const start = kernelSection(0);
  const textEnd = kernelSection(1);
  const rodataEnd = kernelSection(2);
  const dataEnd = kernelSection(3);
  const bssEnd = kernelSection(4);
  const stackTop = kernelSection(5);
  t.expectEqual("image-start", start, KERNEL_BASE + KERNEL_PHYS_LOAD);
  t.expect(
    "sections-page-aligned",
    pageAligned(textEnd) && pageAligned(rodataEnd) && pageAligned(dataEnd) && pageAligned(bssEnd),
    `section bounds ${textEnd.toString(16)} ${rodataEnd.toString(16)} ${dataEnd.toString(16)} ${bssEnd.toString(16)}`,
  );
  t.expect(
    "sections-ordered",
    start < textEnd && textEnd <= rodataEnd && rodataEnd <= dataEnd && dataEnd <= bssEnd,
    "section bounds out of order",
  );
  t.expect("boot-stack-in-bss", stackTop > dataEnd && stackTop <= bssEnd, `stack top ${stackTop.toString(16)}`);
  const rbp = readRbp();
  t.expect("frame-pointer-in-kernel", rbp >= start && rbp < bssEnd, `rbp ${rbp.toString(16)}`);

  const cr0 = readCr(0);
  t.expect("cr0-paging-protected", bit(cr0, 31n) && bit(cr0, 0n), `cr0 ${cr0.toString(16)}`);
  t.expect("cr0-write-protect", bit(cr0, 16n), `cr0 ${cr0.toString(16)}`);
  const cr4 = readCr(4);
  t.expect("cr4-pae", bit(cr4, 5n), `cr4 ${cr4.toString(16)}`);
  const efer = rdmsr(MSR_EFER);
  t.expect("efer-long-mode-active", bit(efer, 10n), `efer ${efer.toString(16)}`);
  t.expect("efer-nx-enabled", bit(efer, 11n), `efer ${efer.toString(16)}`);

  const entry = entryTsc();
  const now = rdtsc();
  t.expect("entry-tsc", entry > 0n && entry < now, `entry ${entry} now ${now}`);

  // The image is reachable through both the higher-half mapping and the direct map.
  t.expectEqual("higher-half-header", load32(start), MULTIBOOT2_HEADER_MAGIC);
  t.expectEqual("direct-map-header", load32(physToVirt(KERNEL_PHYS_LOAD)), MULTIBOOT2_HEADER_MAGIC);
  t.expect("direct-map-base", physToVirt(0) === DIRECT_MAP_BASE, "direct map base");

  let stubsInText = true;
  let stubsOrdered = true;
  for (let i = 0; i < 256; i++) {
    const a = interruptStubAddr(i);
    if (a < start || a >= textEnd) stubsInText = false;
    if (i > 0 && a <= interruptStubAddr(i - 1)) stubsOrdered = false;
  }
  t.expect("interrupt-stubs-in-text", stubsInText, "a stub address lies outside .text");
  t.expect("interrupt-stubs-distinct", stubsOrdered, "stub addresses not increasing");
  t.expectEqual("interrupt-stub-out-of-range", interruptStubAddr(256), 0);
  const tramp = threadTrampolineAddr();
  t.expect("thread-trampoline-in-text", tramp >= start && tramp < textEnd, `trampoline ${tramp.toString(16)}`);
}
