// Host-only: a fake CPU for unit tests of kernel code that touches ports, MSRs and control
// registers. Devices register port handlers; everything else is recorded so tests can assert on it.

export type PortRead = (port: number, size: number) => number;
export type PortWrite = (port: number, size: number, value: number) => void;

export class FakeCpu {
  portReaders = new Map<number, PortRead>();
  portWriters = new Map<number, PortWrite>();
  portLog: Array<[number, number, number]> = [];
  msrs = new Map<number, bigint>();
  cr = [0n, 0n, 0n, 0n, 0n];
  interruptsEnabled = false;
  invalidated: number[] = [];
  tsc = 0n;
  /** CPUID results by leaf (subleaf 0): [eax, ebx, ecx, edx]; missing leaves read as zeros. */
  cpuid = new Map<number, number[]>();
  /** CPUID results of leaves with subleaves, keyed "leaf:subleaf"; consulted before `cpuid`. */
  cpuidSub = new Map<string, number[]>();
  /** Extended control registers written by xsetbv (XCR0). */
  xcr = new Map<number, bigint>();
  /** FPU save areas saved and restored, in order (fpu.ts). */
  fpuLog: Array<[string, number]> = [];
  /** What keel_fpu_status reads: MXCSR, and the x87 status word in bits 32-47. */
  fpuStatus = 0x1f80n;
  bootMagic = 0;
  bootInfo = 0;
  sections = [0, 0, 0, 0, 0, 0];
}

export let fakeCpu = new FakeCpu();

/** Starts every test from a clean fake CPU. */
export function resetFakeCpu(): FakeCpu {
  fakeCpu = new FakeCpu();
  return fakeCpu;
}
