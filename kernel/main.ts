// Kernel entry. keelc turns the top-level code of every module into keel_main(), which the
// assembly entry stub calls on the boot stack once the CPU is in 64-bit mode in the higher half.
// This module's top-level code is therefore the kernel's boot sequence.
import {
  bootInfoPhys,
  bootMagic,
  entryTsc,
  qemuExit,
  rdtsc,
  waitForInterrupt,
} from "./arch/x86_64/cpu.ts";
import { type BootInfo, physBytesEqual } from "./boot/bootinfo.ts";
import { parseBootInfo } from "./boot/multiboot2.ts";
import { runBootSuite } from "./test/boot-suite.ts";
import { ExitCode, TestRunner, TestSuite } from "./test/runner.ts";

export const KEEL_VERSION = "0.1.0";

/** Whether the kernel command line contains `word` as a whole space-separated word. */
function cmdlineHas(info: BootInfo, word: string): boolean {
  const len = word.length;
  for (let i = 0; i + len <= info.cmdlineLength; i++) {
    if (physBytesEqual(info.cmdlineAddr + i, len, word)) {
      const before = i === 0 || physBytesEqual(info.cmdlineAddr + i - 1, 1, " ");
      const after = i + len === info.cmdlineLength || physBytesEqual(info.cmdlineAddr + i + len, 1, " ");
      if (before && after) return true;
    }
  }
  return false;
}

/** Suites selected by keel.test=. */
function selectedSuites(info: BootInfo): number {
  if (cmdlineHas(info, "keel.test=all")) return TestSuite.All;
  if (cmdlineHas(info, "keel.test=fault")) return TestSuite.Fault;
  if (cmdlineHas(info, "keel.test=boot")) return TestSuite.Boot;
  return TestSuite.None;
}

function runTests(suites: number, info: BootInfo): void {
  const t = new TestRunner();
  if ((suites & TestSuite.Boot) !== 0) runBootSuite(t, info);
  qemuExit(t.finish());
}

function idle(): never {
  for (;;) waitForInterrupt();
}

console.log(`Keel ${KEEL_VERSION} (x86-64)`);
const bannerTsc = rdtsc();
const bootInfo = parseBootInfo(bootMagic(), bootInfoPhys());
console.log(`boot: ${bootInfo.memoryCount} memory regions, ${bootInfo.moduleCount} modules`);
const initTsc = rdtsc();

if (cmdlineHas(bootInfo, "keel.bench=boot")) {
  const entry = entryTsc();
  const banner = BigInt.asUintN(64, bannerTsc - entry);
  const init = BigInt.asUintN(64, initTsc - entry);
  console.log(`BOOT-TSC banner=${banner} init=${init}`);
  qemuExit(ExitCode.Passed);
}
console.log(`boot: initialisation done`);
const suites = selectedSuites(bootInfo);
if (suites !== TestSuite.None) runTests(suites, bootInfo);
idle();
