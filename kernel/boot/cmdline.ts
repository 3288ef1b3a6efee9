// Kernel command line: space-separated `key=value` options and bare flags, e.g.
//   keel.log=debug keel.test=memory,paging keel.serial=1 keel.fb=0
// The bytes are compared in place against literals (the language has no run-time strings).
// Unknown options and bad values are remembered and printed as warnings; none is fatal.
import { load8 } from "../../lang/mem.ts";
import { klogBytes } from "../console/log.ts";
import { LogLevel } from "../../abi/log.ts";
import { physToVirt } from "../arch/x86_64/layout.ts";
import { FPU_FORCE_LAZY, FpuMode } from "../arch/x86_64/fpu.ts";
import { BootInfo } from "./bootinfo.ts";

/** Suites selectable with keel.test= (a bitmask so several can run in one boot). */
export const enum TestSuite {
  None = 0,
  Memory = 1,
  Paging = 2,
  Interrupts = 4,
  Scheduler = 8,
  Fault = 16,
  Boot = 32,
  All = 47, // every suite except Fault, which deliberately crashes the kernel
}

export const enum Bench {
  None = 0,
  Boot = 1,
  Syscall = 2,
  Ipc = 3,
}

/** What to do once initialisation is done instead of starting init (keel.shutdown=). */
export const enum Shutdown {
  None = 0,
  PowerOff = 1,
  Reboot = 2,
}

export const enum OptionProblem {
  UnknownOption = 1,
  BadValue = 2,
}

export const MAX_OPTION_WARNINGS = 8;

export class KernelOptions {
  logLevel = LogLevel.Info;
  /** Bitmask of TestSuite; 0 boots normally. */
  tests = 0;
  bench = Bench.None;
  shutdown = Shutdown.None;
  serial = true;
  framebuffer = true;
  /** Mirror the log to port 0xe9 (QEMU's and Bochs's debug console): for tests of machines without a serial port. */
  debugcon = false;
  /** How user threads' FPU state is saved (keel.fpu=): a FpuMode, or -1 for the best the CPU has. */
  fpuMode = -1;
  /** Problems found: kind, and the offending token as (address, length). */
  warningCount = 0;
  warningKind: Uint8Array = new Uint8Array(MAX_OPTION_WARNINGS);
  warningAddr: number[] = new Array<number>(MAX_OPTION_WARNINGS).fill(0);
  warningLength: number[] = new Array<number>(MAX_OPTION_WARNINGS).fill(0);
}

/** Whether the bytes at `addr` (length `len`) are exactly the literal `s`. */
export function bytesEqual(addr: number, len: number, s: string): boolean {
  if (len !== s.length) return false;
  for (let i = 0; i < len; i++) {
    if (load8(addr + i) !== s.charCodeAt(i)) return false;
  }
  return true;
}

function isSpace(b: number): boolean {
  return b === 32 || b === 9 || b === 10 || b === 13;
}

function warn(opts: KernelOptions, kind: number, addr: number, len: number): void {
  if (opts.warningCount >= MAX_OPTION_WARNINGS) return;
  opts.warningKind[opts.warningCount] = kind;
  opts.warningAddr[opts.warningCount] = addr;
  opts.warningLength[opts.warningCount] = len;
  opts.warningCount++;
}

/** Parses the command line at virtual address `addr`, `len` bytes (a NUL ends it early). */
export function parseKernelOptions(addr: number, len: number): KernelOptions {
  const opts = new KernelOptions();
  let i = 0;
  while (i < len) {
    const b = load8(addr + i);
    if (b === 0) break;
    if (isSpace(b)) {
      i++;
      continue;
    }
    const start = i;
    let eq = -1;
    while (i < len) {
      const c = load8(addr + i);
      if (c === 0 || isSpace(c)) break;
      if (c === 61 && eq < 0) eq = i; // '='
      i++;
    }
    if (eq < 0) {
      applyOption(opts, addr + start, i - start, 0, -1, addr + start, i - start);
    } else {
      applyOption(opts, addr + start, eq - start, addr + eq + 1, i - eq - 1, addr + start, i - start);
    }
  }
  return opts;
}

/** One option; `valueLen` is -1 for a bare flag. The token is kept for warnings. */
function applyOption(
  opts: KernelOptions, key: number, keyLen: number, value: number, valueLen: number, token: number, tokenLen: number,
): void {
  if (bytesEqual(key, keyLen, "keel.log")) {
    const l = parseLogLevel(value, valueLen);
    if (l < 0) warn(opts, OptionProblem.BadValue, token, tokenLen);
    else opts.logLevel = l;
  } else if (bytesEqual(key, keyLen, "keel.test")) {
    const mask = parseSuites(value, valueLen);
    if (mask < 0) warn(opts, OptionProblem.BadValue, token, tokenLen);
    else opts.tests = mask;
  } else if (bytesEqual(key, keyLen, "keel.bench")) {
    const b = parseBench(value, valueLen);
    if (b < 0) warn(opts, OptionProblem.BadValue, token, tokenLen);
    else opts.bench = b;
  } else if (bytesEqual(key, keyLen, "keel.shutdown")) {
    const v = parseShutdown(value, valueLen);
    if (v < 0) warn(opts, OptionProblem.BadValue, token, tokenLen);
    else opts.shutdown = v;
  } else if (bytesEqual(key, keyLen, "keel.serial")) {
    const v = parseSwitch(value, valueLen);
    if (v < 0) warn(opts, OptionProblem.BadValue, token, tokenLen);
    else opts.serial = v === 1;
  } else if (bytesEqual(key, keyLen, "keel.fb")) {
    const v = parseSwitch(value, valueLen);
    if (v < 0) warn(opts, OptionProblem.BadValue, token, tokenLen);
    else opts.framebuffer = v === 1;
  } else if (bytesEqual(key, keyLen, "keel.debugcon")) {
    const v = parseSwitch(value, valueLen);
    if (v < 0) warn(opts, OptionProblem.BadValue, token, tokenLen);
    else opts.debugcon = v === 1;
  } else if (bytesEqual(key, keyLen, "keel.fpu")) {
    const v = parseFpuMode(value, valueLen);
    if (v < -1) warn(opts, OptionProblem.BadValue, token, tokenLen);
    else opts.fpuMode = v;
  } else {
    warn(opts, OptionProblem.UnknownOption, token, tokenLen);
  }
}

function parseLogLevel(v: number, n: number): number {
  if (bytesEqual(v, n, "error")) return LogLevel.Error;
  if (bytesEqual(v, n, "warn")) return LogLevel.Warn;
  if (bytesEqual(v, n, "info")) return LogLevel.Info;
  if (bytesEqual(v, n, "debug")) return LogLevel.Debug;
  return -1;
}

/** `0`/`1` (a bare flag means 1); -1 for anything else. */
function parseSwitch(v: number, n: number): number {
  if (n < 0 || bytesEqual(v, n, "1")) return 1;
  if (bytesEqual(v, n, "0")) return 0;
  return -1;
}

function parseBench(v: number, n: number): number {
  if (bytesEqual(v, n, "none")) return Bench.None;
  if (bytesEqual(v, n, "boot")) return Bench.Boot;
  if (bytesEqual(v, n, "syscall")) return Bench.Syscall;
  if (bytesEqual(v, n, "ipc")) return Bench.Ipc;
  return -1;
}

/** `auto` (-1), `xsaveopt`, `xsave`, `fxsave`, `lazy` (FPU_FORCE_LAZY); -2 for anything else. */
function parseFpuMode(v: number, n: number): number {
  if (bytesEqual(v, n, "auto")) return -1;
  if (bytesEqual(v, n, "xsaveopt")) return FpuMode.Xsaveopt;
  if (bytesEqual(v, n, "xsave")) return FpuMode.Xsave;
  if (bytesEqual(v, n, "fxsave")) return FpuMode.Fxsave;
  if (bytesEqual(v, n, "lazy")) return FPU_FORCE_LAZY;
  return -2;
}

function parseShutdown(v: number, n: number): number {
  if (bytesEqual(v, n, "none")) return Shutdown.None;
  if (bytesEqual(v, n, "poweroff")) return Shutdown.PowerOff;
  if (bytesEqual(v, n, "reboot")) return Shutdown.Reboot;
  return -1;
}

function suiteBit(v: number, n: number): number {
  if (bytesEqual(v, n, "memory")) return TestSuite.Memory;
  if (bytesEqual(v, n, "paging")) return TestSuite.Paging;
  if (bytesEqual(v, n, "interrupts")) return TestSuite.Interrupts;
  if (bytesEqual(v, n, "scheduler")) return TestSuite.Scheduler;
  if (bytesEqual(v, n, "fault")) return TestSuite.Fault;
  if (bytesEqual(v, n, "boot")) return TestSuite.Boot;
  if (bytesEqual(v, n, "all")) return TestSuite.All;
  if (bytesEqual(v, n, "none")) return TestSuite.None;
  return -1;
}

/** Comma-separated suite names to a TestSuite mask; -1 if any name is unknown or empty. */
function parseSuites(v: number, n: number): number {
  if (n <= 0) return -1;
  let mask = 0;
  let start = 0;
  for (let i = 0; i <= n; i++) {
    if (i === n || load8(v + i) === 44) { // ','
      const bit = suiteBit(v + start, i - start);
      if (bit < 0) return -1;
      mask = mask | bit;
      start = i + 1;
    }
  }
  return mask;
}

/** Prints one warning line per problem (at warn level, so keel.log=error silences them). */
export function printOptionWarnings(opts: KernelOptions): void {
  for (let i = 0; i < opts.warningCount; i++) {
    if (opts.warningKind[i] === OptionProblem.UnknownOption) {
      klogBytes(LogLevel.Warn, "cmdline: unknown option '", opts.warningAddr[i]!, opts.warningLength[i]!, "' ignored");
    } else {
      klogBytes(LogLevel.Warn, "cmdline: bad value in '", opts.warningAddr[i]!, opts.warningLength[i]!, "' ignored");
    }
  }
}

/** The options on the command line the boot loader passed (defaults when there is none). */
export function kernelOptionsFromBootInfo(info: BootInfo): KernelOptions {
  if (info.cmdlineLength === 0) return new KernelOptions();
  return parseKernelOptions(physToVirt(info.cmdlineAddr), info.cmdlineLength);
}
