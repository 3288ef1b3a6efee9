// Kernel entry. keelc turns the top-level code of every module into keel_main(), which the
// assembly entry stub calls on the boot stack once the CPU is in 64-bit mode in the higher half.
// This module's top-level code is therefore the kernel's boot sequence.
import { heapBytesTotal, heapBytesUsed, panic } from "../lang/core.ts";
import { bootInfoPhys, bootMagic, entryTsc, qemuExit, rdtsc, saveDisableInterrupts, waitForInterrupt } from "./arch/x86_64/cpu.ts";
import { interruptsInit, IST_PAGES, SCRATCH_BYTES, SCRATCH_OFFSET, TABLE_PAGES } from "./arch/x86_64/interrupts.ts";
import { allocGuardedStack, allocKernelPages, usePageAllocator } from "./mm/pages.ts";
import { ReferenceClocks, timerCalibrate, timerStart } from "./arch/x86_64/timer.ts";
import { clockInit } from "./time/clock.ts";
import { type BootInfo, findModule } from "./boot/bootinfo.ts";
import { Bench, type KernelOptions, kernelOptionsFromBootInfo, printOptionWarnings, Shutdown, TestSuite } from "./boot/cmdline.ts";
import { acpiInit, acpiIoapicAddress } from "./acpi/acpi.ts";
import type { AcpiInfo } from "./acpi/tables.ts";
import { acpiPowerOff, acpiReboot } from "./acpi/power.ts";
import { powerInstall } from "./object/power.ts";
import { printHardwareSummary } from "./acpi/summary.ts";
import { fpuInit } from "./arch/x86_64/fpu.ts";
import { parseBootInfo } from "./boot/multiboot2.ts";
import { reportBootInfo } from "./boot/report.ts";
import { framebufferInit } from "./console/framebuffer.ts";
import { setLogLevel } from "./console/log.ts";
import { type Psf2Font, psf2Open } from "./console/psf2.ts";
import { debugconSetEnabled, serialInit, serialSetEnabled } from "./console/serial.ts";
import { physToVirt } from "./arch/x86_64/layout.ts";
import { patInit } from "./arch/x86_64/paging.ts";
import { kernelAddressSpace, kernelFrames, memoryInit } from "./mm/mm.ts";
import { logRingInit } from "./console/log-ring.ts";
import { shmInit } from "./object/memory.ts";
import { objectLayerInit } from "./object/object-type.ts";
import { panicSetExitCode, panicSetScratch } from "./panic.ts";
import { runBootSuite } from "./test/boot-suite.ts";
import { runFaultSuite } from "./test/suites/fault.ts";
import { runInterruptsSuite } from "./test/suites/interrupts.ts";
import { runMemorySuite } from "./test/suites/memory.ts";
import { runPagingSuite } from "./test/suites/paging.ts";
import { runSchedulerSuite } from "./test/suites/scheduler.ts";
import { schedulerInit, schedulerStart } from "./sched/scheduler.ts";
import { startInit, userModeInit } from "./proc/user-thread.ts";
import { syscallsInit } from "./syscall/entry.ts";
import { ExitCode, TestRunner } from "./test/runner.ts";

export const KEEL_VERSION = "0.1.0";

/** Serial as the command line says, then the framebuffer console with the `font` boot module. */
function consolesInit(info: BootInfo, opts: KernelOptions): void {
  // A machine without COM1 (most new PCs) gets no writes to its ports: the log goes to the screen.
  const serial = opts.serial && serialInit();
  serialSetEnabled(serial);
  debugconSetEnabled(opts.debugcon);
  setLogLevel(opts.logLevel);
  if (opts.framebuffer) framebufferConsoleInit(info);
  if (opts.serial && !serial) {
    console.log("console: no UART at COM1 (its scratch register does not hold a value); the log goes to the screen only");
  }
}

/** The framebuffer console, with the `font` boot module when there is one. */
function framebufferConsoleInit(info: BootInfo): void {
  let font: Psf2Font | null = null;
  const m = findModule(info, "font");
  if (m >= 0) {
    const mod = info.modules[m]!;
    font = psf2Open(physToVirt(mod.start), mod.end - mod.start);
  }
  framebufferInit(info.framebuffer, physToVirt(info.framebuffer.address), font);
}

function runTests(suites: number, info: BootInfo): never {
  const t = new TestRunner();
  if ((suites & TestSuite.Boot) !== 0) runBootSuite(t, info);
  if ((suites & TestSuite.Memory) !== 0) runMemorySuite(t);
  if ((suites & TestSuite.Paging) !== 0) runPagingSuite(t);
  if ((suites & TestSuite.Interrupts) !== 0) runInterruptsSuite(t);
  if ((suites & TestSuite.Scheduler) !== 0) runSchedulerSuite(t);
  // Last: it ends the run with a panic.
  if ((suites & TestSuite.Fault) !== 0) runFaultSuite(t);
  return qemuExit(t.finish());
}

/**
 * The descriptor tables and IST stacks from the kernel's pages, then the interrupt hardware; the
 * rest of the descriptor-table page is the panic path's scratch memory.
 */
function interruptsStart(ioapicPhys: number): void {
  const tables = allocKernelPages(TABLE_PAGES);
  const idt = allocKernelPages(1);
  const df = allocGuardedStack(IST_PAGES);
  const nmi = allocGuardedStack(IST_PAGES);
  const mc = allocGuardedStack(IST_PAGES);
  if (df === 0 || nmi === 0 || mc === 0) panic("interrupts: no memory for the IST stacks");
  panicSetScratch(tables + SCRATCH_OFFSET, SCRATCH_BYTES);
  interruptsInit(tables, idt, df, nmi, mc, ioapicPhys);
}

/** The HPET and the PM timer ACPI describes, for the timer's calibration. */
function referenceClocks(a: AcpiInfo): ReferenceClocks {
  const r = new ReferenceClocks();
  if (a.hpetFound) r.hpetPhys = a.hpetAddr;
  r.pmTimerPort = a.pmTimerPort;
  r.pmTimer32 = a.pmTimer32;
  return r;
}

function idle(): never {
  for (;;) waitForInterrupt();
}

console.log(`Keel ${KEEL_VERSION} (x86-64)`);
const bannerTsc = rdtsc();
const bootInfo = parseBootInfo(bootMagic(), bootInfoPhys());
const options = kernelOptionsFromBootInfo(bootInfo);
consolesInit(bootInfo, options);
printOptionWarnings(options);
// Every problem the parser found, by name (a limit it hit, an entry it ignored), before anything
// relies on the boot information; a fatal one stops the boot here with its reason.
reportBootInfo(bootInfo);
console.log(`boot: ${bootInfo.memoryCount} memory regions, ${bootInfo.moduleCount} modules`);
// A panic in a test boot ends the run with its own status instead of halting until the timeout.
if (options.tests !== TestSuite.None) panicSetExitCode(ExitCode.Panicked);
memoryInit(bootInfo);
// The log ring's buffer needs the heap memoryInit lets grow.
logRingInit();
patInit();
objectLayerInit();
usePageAllocator(kernelFrames(), kernelAddressSpace());
// Memory objects (plain, DMA, device) take their frames from the kernel's allocator.
shmInit(kernelFrames());
// After memoryInit: its direct map covers RAM above 4 GiB, where tables may lie.
const acpi = acpiInit(bootInfo);
// Before any thread exists: their save areas are sized by it.
fpuInit(options.fpuMode);
printHardwareSummary(bootInfo, acpi);
interruptsStart(acpiIoapicAddress());
clockInit(timerCalibrate(referenceClocks(acpi)).tscHz);
timerStart();
schedulerInit();
userModeInit(kernelFrames(), bootInfo);
syscallsInit();
const initTsc = rdtsc();
console.log(`boot: initialisation done, kernel heap ${heapBytesUsed() >> 10} KiB in use of ${heapBytesTotal() >> 10} KiB`);

if (options.bench === Bench.Boot) {
  const entry = entryTsc();
  const banner = BigInt.asUintN(64, bannerTsc - entry);
  const init = BigInt.asUintN(64, initTsc - entry);
  console.log(`BOOT-TSC banner=${banner} init=${init}`);
  qemuExit(ExitCode.Passed);
}
if (options.tests !== TestSuite.None) runTests(options.tests, bootInfo);
if (options.shutdown === Shutdown.PowerOff) {
  // Returns only when the machine is still on (and says why): then it stays halted.
  if (!acpiPowerOff()) idle();
}
if (options.shutdown === Shutdown.Reboot) acpiReboot();
powerInstall(acpiPowerOff, acpiReboot);
// User mode: init starts the other boot modules; the boot thread leaves the CPU to the threads.
// Interrupts stay off until the boot thread has exited: no tick may run init before (schedulerStart).
saveDisableInterrupts();
startInit(bootInfo);
schedulerStart();
idle();
