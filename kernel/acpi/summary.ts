// The hardware summary printed at boot: a few compact lines saying what the kernel found (CPU,
// firmware, framebuffer, ACPI tables, APICs), so that a report from a real machine (a photo of
// the screen will do) tells what happened. Memory is on the `memory:` line of memoryInit.
import { CpuFeature, cpuBrandByte, cpuFeatureName, cpuHas, cpuSignature, cpuVendorByte } from "../arch/x86_64/cpu-info.ts";
import { physToVirt } from "../arch/x86_64/layout.ts";
import { FpuMode, fpuModeName, fpuPlan } from "../arch/x86_64/fpu.ts";
import { BootInfo } from "../boot/bootinfo.ts";
import { FramebufferType } from "../console/framebuffer.ts";
import { consoleWrite, consoleWriteByte, consoleWriteString, logLevel } from "../console/log.ts";
import { LogLevel } from "../../abi/log.ts";
import { AcpiInfo } from "./tables.ts";

/** A printable byte, or '?'. */
function printable(b: number): number {
  return b >= 0x20 && b < 0x7f ? b : 0x3f;
}

function writeCpuLine(): void {
  consoleWriteString("cpu: ");
  for (let i = 0; i < 12; i++) consoleWriteByte(printable(cpuVendorByte(i)));
  // The brand string is NUL-padded and often starts with spaces.
  let started = false;
  for (let i = 0; i < 48; i++) {
    const b = cpuBrandByte(i);
    if (b === 0) break;
    if (!started && b === 0x20) continue;
    if (!started) consoleWriteString(" \"");
    started = true;
    consoleWriteByte(printable(b));
  }
  if (started) consoleWriteByte(0x22);
  consoleWriteString(`, family ${cpuSignature(0)} model ${cpuSignature(1)} stepping ${cpuSignature(2)}; features:`);
  for (let f = 0; f < CpuFeature.Count; f++) {
    if (cpuHas(f)) consoleWriteString(` ${cpuFeatureName(f)}`);
  }
  consoleWriteByte(10);
}

/** `fpu: xsaveopt, xcr0 0x7 (x87 sse avx), 832-byte areas, eager`: how user FPU state is kept. */
function writeFpuLine(): void {
  const plan = fpuPlan();
  consoleWriteString(`fpu: ${fpuModeName(plan.mode)}`);
  if (plan.mode === FpuMode.Xsave || plan.mode === FpuMode.Xsaveopt) {
    consoleWriteString(`, xcr0 0x${plan.xcr0.toString(16)} (x87 sse${plan.avx ? " avx" : ""}${plan.avx512 ? " avx512" : ""})`);
  }
  if (plan.mode !== FpuMode.None) consoleWriteString(`, ${plan.areaSize}-byte areas, ${plan.lazy ? "lazy" : "eager"} switch`);
  consoleWriteByte(10);
}

function writeFirmwareLine(boot: BootInfo): void {
  const uefi = boot.efiSystemTable !== 0 || boot.efiMemoryMapPresent;
  consoleWriteString(uefi ? "firmware: UEFI" : "firmware: BIOS");
  if (boot.loaderNameLength > 0) {
    consoleWriteString(", loaded by ");
    consoleWrite(physToVirt(boot.loaderNameAddr), Math.min(boot.loaderNameLength, 64));
  }
  const fb = boot.framebuffer;
  if (fb.type === FramebufferType.Rgb) {
    consoleWriteString(`; framebuffer ${fb.width}x${fb.height}x${fb.bpp} at 0x${fb.address.toString(16)}, pitch ${fb.pitch}`);
  } else if (fb.type === FramebufferType.EgaText) {
    consoleWriteString(`; EGA text ${fb.width}x${fb.height}`);
  } else {
    consoleWriteString("; no framebuffer");
  }
  consoleWriteByte(10);
}

function writeTablesLine(a: AcpiInfo): void {
  if (a.rootAddr === 0) {
    consoleWriteString("acpi: no tables\n");
    return;
  }
  consoleWriteString(`acpi: RSDP revision ${a.rsdpRevision}, ${a.rootIsXsdt ? "XSDT" : "RSDT"} at 0x${a.rootAddr.toString(16)}:`);
  for (let i = 0; i < a.tableCount; i++) {
    consoleWriteByte(0x20);
    const s = a.tableSig[i]!;
    for (let k = 0; k < 4; k++) consoleWriteByte(printable(Math.floor(s / (k === 0 ? 1 : k === 1 ? 0x100 : k === 2 ? 0x10000 : 0x1000000)) & 0xff));
  }
  if (a.dsdtAddr !== 0) consoleWriteString(" (DSDT)");
  if (a.s5Found) consoleWriteString(`; S5 ${a.slpTypA}/${a.slpTypB}`);
  else consoleWriteString("; no S5");
  if (a.resetSupported) consoleWriteString(`; reset register 0x${a.resetAddr.toString(16)}`);
  consoleWriteByte(10);
}

function writeApicLine(a: AcpiInfo): void {
  if (!a.madtFound) {
    consoleWriteString("apic: no MADT; the PC defaults apply\n");
    return;
  }
  consoleWriteString(`apic: ${a.cpuCount} CPUs, local APIC IDs`);
  // A processor that is present but not enabled (can be brought online) in parentheses.
  for (let i = 0; i < a.cpuCount; i++) {
    if (a.cpuEnabled[i]!) consoleWriteString(` ${a.cpuApicId[i]}`);
    else consoleWriteString(` (${a.cpuApicId[i]})`);
  }
  for (let i = 0; i < a.ioapicCount; i++) {
    consoleWriteString(`; I/O APIC ${a.ioapicId[i]} at 0x${a.ioapicAddr[i]!.toString(16)} from GSI ${a.ioapicGsiBase[i]}`);
  }
  consoleWriteString(`; ${a.overrideCount} ISA overrides`);
  for (let i = 0; i < a.overrideCount; i++) {
    const f = a.overrideFlags[i]!;
    // IRQ>GSI, then "L" when level-triggered and "-" when active low.
    consoleWriteString(` ${a.overrideIrq[i]}>${a.overrideGsi[i]}`);
    if ((f & 12) === 12) consoleWriteString("L");
    if ((f & 3) === 3) consoleWriteString("-");
  }
  consoleWriteByte(10);
  consoleWriteString("timers:");
  if (a.hpetFound) consoleWriteString(` HPET at 0x${a.hpetAddr.toString(16)}`);
  else consoleWriteString(" no HPET");
  if (a.pmTimerPort !== 0) consoleWriteString(`, PM timer port 0x${a.pmTimerPort.toString(16)} (${a.pmTimer32 ? 32 : 24} bits)`);
  else consoleWriteString(", no PM timer");
  for (let i = 0; i < a.mcfgCount; i++) {
    consoleWriteString(`; ECAM segment ${a.mcfgSegment[i]} buses ${a.mcfgStartBus[i]}-${a.mcfgEndBus[i]} at 0x${a.mcfgBase[i]!.toString(16)}`);
  }
  consoleWriteByte(10);
}

/** Prints the summary at info level (keel.log=warn and below leave it out). */
export function printHardwareSummary(boot: BootInfo, a: AcpiInfo): void {
  if (logLevel() < LogLevel.Info) return;
  writeCpuLine();
  writeFpuLine();
  writeFirmwareLine(boot);
  writeTablesLine(a);
  writeApicLine(a);
}
