// The FPU, SSE and AVX state of user threads. fpuInit turns the units on (CR0, CR4, XCR0) and
// picks how a thread's registers are kept: XSAVEOPT/XSAVE into an XSAVE area when the CPU has
// XSAVE, FXSAVE into a 512-byte area otherwise. The scheduler saves the outgoing user thread's
// registers and restores the incoming one's at every switch (eager switching, docs/architecture.md
// "FPU state"); a new thread's area holds the architectural initial state, so a program never
// sees another one's registers.
//
// The kernel itself is compiled with -mgeneral-regs-only: nothing saves these registers on kernel
// entry (interrupts, system calls), so kernel code must never touch them, and a user thread's
// values stay live in the registers until the next switch saves them.
import { store16, store32 } from "../../../lang/mem.ts";
import { cpuid, readCr, writeCr } from "./cpu.ts";
import { setExceptionHandler } from "./exceptions.ts";
import { fakeCpu } from "./host/machine.ts";

/** How thread state is saved. */
export const enum FpuMode {
  /** No FXSAVE: user programs get no FPU or SSE (never on x86-64, which requires SSE2). */
  None = 0,
  Fxsave = 1,
  Xsave = 2,
  /** XSAVE areas, saved with XSAVEOPT (skips components in their initial or unmodified state). */
  Xsaveopt = 3,
}

/** keel.fpu=lazy: the plan's save instruction, switched lazily (CR0.TS and #NM), for comparison. */
export const FPU_FORCE_LAZY = 4;
const VECTOR_NM = 7;

/** XCR0 bits (state components), Intel SDM vol. 1, 13.1. */
export const enum Xcr0 {
  X87 = 1,
  Sse = 2,
  Avx = 4,
  Opmask = 0x20,
  ZmmHi256 = 0x40,
  Hi16Zmm = 0x80,
  /** AVX-512: the three components are enabled together or not at all. */
  Avx512 = 0xe0,
}

const CR0_MP = 0x2n;
// EM (emulate x87) and TS (task switched: #NM on first use) stay clear: see CR0_KEEP.
const CR0_NE = 0x20n;
/** Every CR0 bit but EM and TS. */
const CR0_KEEP = 0xfffffffffffffff3n;
const CR0_TS = 0x8n;
const CR0_NO_TS = 0xfffffffffffffff7n;
const CR4_OSFXSR = 0x200n;
const CR4_OSXMMEXCPT = 0x400n;
const CR4_OSXSAVE = 0x40000n;

/** Size of the FXSAVE area, and of the XSAVE area's legacy region plus header. */
export const FXSAVE_AREA = 512;
export const XSAVE_HEADER_END = 576;
/** Save areas are 64-byte aligned (XSAVE requires it; FXSAVE needs 16). */
export const FPU_AREA_ALIGN = 64;
/** Initial x87 control word (FNINIT) and MXCSR (all SIMD exceptions masked, round to nearest). */
export const FCW_DEFAULT = 0x37f;
export const MXCSR_DEFAULT = 0x1f80;

/** A CPUID read (leaf, subleaf, register 0 eax .. 3 edx) as a uint32: the CPU's, or a test's. */
export type CpuidFn = (leaf: number, subleaf: number, reg: number) => number;

/** What fpuInit does, decided from CPUID alone (so that tests can decide it for any CPU). */
export class FpuPlan {
  mode: number = FpuMode.None;
  /** State components to enable in XCR0 (0 without XSAVE). */
  xcr0 = 0;
  /** Bytes of a thread's save area. */
  areaSize = 0;
  avx = false;
  avx512 = false;
  /**
   * Lazy switching (keel.fpu=lazy, kept to measure it against the default): a switch only sets
   * CR0.TS; the thread's first FPU/SSE instruction raises #NM, whose handler saves the owner's
   * registers and loads the thread's. Eager is the default: docs/benchmarks.md has the figures.
   */
  lazy = false;
}

/**
 * Decides the mode, XCR0 and area size. XCR0 gets x87 and SSE, AVX where CPUID leaf 1 says AVX
 * and leaf 0xD lists it, and AVX-512's three components when all are listed; nothing else (MPX,
 * PKRU and supervisor states are not used). The area size is the end of the furthest enabled
 * component (leaf 0xD subleaf i: size in eax, offset in ebx), at least the legacy region and
 * header: the size CPUID 0xD.0 ebx reports once XCR0 holds exactly these bits.
 */
export function planFpu(read: CpuidFn): FpuPlan {
  const plan = new FpuPlan();
  const maxLeaf = read(0, 0, 0) >>> 0;
  if (maxLeaf < 1) return plan;
  const ecx1 = read(1, 0, 2) >>> 0;
  const edx1 = read(1, 0, 3) >>> 0;
  const fxsr = ((edx1 >>> 24) & 1) !== 0;
  const xsave = ((ecx1 >>> 26) & 1) !== 0 && maxLeaf >= 0xd;
  if (!fxsr) return plan;
  plan.mode = FpuMode.Fxsave;
  plan.areaSize = FXSAVE_AREA;
  if (!xsave) return plan;
  const supported = read(0xd, 0, 0) >>> 0;
  // XSAVE without x87 and SSE listed would be a broken CPUID; FXSAVE still works there.
  if ((supported & (Xcr0.X87 | Xcr0.Sse)) !== (Xcr0.X87 | Xcr0.Sse)) return plan;
  let xcr0 = Xcr0.X87 | Xcr0.Sse;
  if (((ecx1 >>> 28) & 1) !== 0 && (supported & Xcr0.Avx) !== 0) {
    xcr0 |= Xcr0.Avx;
    plan.avx = true;
    if ((supported & Xcr0.Avx512) === Xcr0.Avx512) {
      xcr0 |= Xcr0.Avx512;
      plan.avx512 = true;
    }
  }
  plan.mode = ((read(0xd, 1, 0) >>> 0) & 1) !== 0 ? FpuMode.Xsaveopt : FpuMode.Xsave;
  plan.xcr0 = xcr0;
  plan.areaSize = xsaveAreaSize(read, xcr0);
  return plan;
}

/** Bytes of a standard-format XSAVE area holding the components of `xcr0`. */
export function xsaveAreaSize(read: CpuidFn, xcr0: number): number {
  let end = XSAVE_HEADER_END;
  for (let i = 2; i < 32; i++) {
    if (((xcr0 >>> i) & 1) === 0) continue;
    const size = read(0xd, i, 0) >>> 0;
    const offset = read(0xd, i, 1) >>> 0;
    end = Math.max(end, offset + size);
  }
  return roundUp(end, FPU_AREA_ALIGN);
}

function roundUp(n: number, align: number): number {
  return Math.floor((n + align - 1) / align) * align;
}

/** Names of the enabled state components, for the boot summary. */
export function fpuModeName(mode: number): string {
  switch (mode) {
    case FpuMode.Fxsave: return "fxsave";
    case FpuMode.Xsave: return "xsave";
    case FpuMode.Xsaveopt: return "xsaveopt";
    default: return "none";
  }
}

function cpuCpuid(leaf: number, subleaf: number, reg: number): number {
  return cpuid(leaf, subleaf, reg);
}

let active: FpuPlan = new FpuPlan();
/** The save area whose contents are in the registers now (0: none known), see fpuSwitch. */
let loadedArea = 0;
/** Lazy switching: the running user thread's area (0 for a kernel thread), and whether TS is set. */
let currentArea = 0;
let tsSet = false;
/**
 * Eager switching with XSAVEOPT (the default on CPUs with XSAVE): the switch between two user
 * threads saves and restores in one call (fpuSwap), without going through the mode tests.
 */
let eagerXsaveopt = false;

/** The plan fpuInit applied (mode None before it ran). */
export function fpuPlan(): FpuPlan {
  return active;
}

/** Bytes to reserve for a thread's save area: a safe default before fpuInit has run. */
export function fpuAreaSize(): number {
  return active.areaSize === 0 ? FXSAVE_AREA : active.areaSize;
}

/**
 * Turns the FPU and SIMD units on as `plan` says and makes it the active plan. `forceMode` (a
 * FpuMode below the plan's, or -1) selects a simpler way of saving, to measure or test it.
 * CR0: MP (wait honours TS), NE (native #MF reporting, not the PC's IRQ 13), EM and TS clear:
 * switching is eager, so no #NM is ever expected. CR4: OSFXSR (SSE instructions and FXSAVE),
 * OSXMMEXCPT (unmasked SIMD exceptions raise #XM, not #UD), OSXSAVE with XSAVE, then XCR0.
 */
export function fpuInitWith(plan: FpuPlan, forceMode: number): void {
  if (forceMode === FPU_FORCE_LAZY) {
    plan.lazy = true;
  } else if (forceMode >= 0 && forceMode < plan.mode) {
    plan.mode = forceMode;
    if (forceMode === FpuMode.Fxsave) {
      // FXSAVE keeps no AVX state, so AVX stays off (XSAVE and XCR0 are not enabled at all).
      plan.areaSize = FXSAVE_AREA;
      plan.xcr0 = 0;
      plan.avx = false;
      plan.avx512 = false;
    }
  }
  if (plan.mode === FpuMode.None) {
    active = plan;
    eagerXsaveopt = false;
    return;
  }
  writeCr(0, (readCr(0) | CR0_MP | CR0_NE) & CR0_KEEP);
  let cr4 = readCr(4) | CR4_OSFXSR | CR4_OSXMMEXCPT;
  if (plan.xcr0 !== 0) cr4 = cr4 | CR4_OSXSAVE;
  writeCr(4, cr4);
  if (plan.xcr0 !== 0) {
    xsetbv(0, BigInt(plan.xcr0));
    // With XCR0 loaded, CPUID reports the size it needs: trust whichever is larger.
    plan.areaSize = Math.max(plan.areaSize, roundUp(cpuid(0xd, 0, 1) >>> 0, FPU_AREA_ALIGN));
  }
  fninit();
  active = plan;
  loadedArea = 0;
  currentArea = 0;
  tsSet = false;
  eagerXsaveopt = plan.mode === FpuMode.Xsaveopt && !plan.lazy;
  if (plan.lazy) setExceptionHandler(VECTOR_NM, onDeviceNotAvailable);
}

export function fpuInit(forceMode: number): FpuPlan {
  const plan = planFpu(cpuCpuid);
  fpuInitWith(plan, forceMode);
  return active;
}

/**
 * Writes the initial state into a new save area (`size` bytes at a 64-byte aligned `area`):
 * FNINIT's control word, all x87 registers empty, MXCSR 0x1F80, every register zero, and an
 * XSAVE header with no component in use, so that XRSTOR puts each component in its initial state.
 * The same bytes are a valid FXSAVE image. The caller zeroes the area first or passes fresh pages.
 */
export function fpuInitArea(area: number, size: number): void {
  for (let off = 0; off < size; off += 4) store32(area + off, 0);
  store16(area, FCW_DEFAULT);
  store32(area + 24, MXCSR_DEFAULT);
  // MXCSR_MASK is written by the CPU on save; XRSTOR and FXRSTOR ignore it on restore.
}

/**
 * The context switch's FPU work: saves the registers into `saveArea` (0: the outgoing thread has
 * none, or is dead) and loads them from `loadArea` (0: the incoming thread has none). A kernel
 * thread touches none of these registers, so when the registers already hold `loadArea`'s
 * contents (a user thread switched to a kernel thread and back) the restore is skipped.
 * @inline
 */
export function fpuSwitch(saveArea: number, loadArea: number): void {
  // The switch between two user threads (every IPC round trip makes two): save, then restore,
  // which the registers never hold already (they hold saveArea's contents).
  if (eagerXsaveopt && saveArea !== 0 && loadArea !== 0 && loadArea !== saveArea) {
    fpuSwap(saveArea, loadArea);
    loadedArea = loadArea;
    return;
  }
  fpuSwitchOther(saveArea, loadArea);
}

/** fpuSwitch's other cases: a kernel thread on either side, lazy switching, XSAVE or FXSAVE. */
function fpuSwitchOther(saveArea: number, loadArea: number): void {
  const mode = active.mode;
  if (mode === FpuMode.None) return;
  if (active.lazy) {
    lazySwitch(loadArea);
    return;
  }
  if (saveArea !== 0) {
    saveTo(saveArea);
    loadedArea = saveArea;
  }
  if (loadArea !== 0 && loadArea !== loadedArea) {
    if (mode === FpuMode.Fxsave) fxrstor(loadArea);
    else xrstor(loadArea);
    loadedArea = loadArea;
  }
}

/** Lazy: TS set unless the incoming user thread's registers are loaded already. */
function lazySwitch(loadArea: number): void {
  currentArea = loadArea;
  if (loadArea === 0) return;
  const want = loadArea !== loadedArea;
  if (want !== tsSet) {
    writeCr(0, want ? readCr(0) | CR0_TS : readCr(0) & CR0_NO_TS);
    tsSet = want;
  }
}

/** Lazy: a user thread's first FPU/SSE instruction since it was switched in. */
function onDeviceNotAvailable(frame: number, vector: number): boolean {
  void frame;
  void vector;
  if (!active.lazy || !tsSet || currentArea === 0) return false;
  writeCr(0, readCr(0) & CR0_NO_TS);
  tsSet = false;
  if (loadedArea !== 0) saveTo(loadedArea);
  if (active.mode === FpuMode.Fxsave) fxrstor(currentArea);
  else xrstor(currentArea);
  loadedArea = currentArea;
  return true;
}

function saveTo(area: number): void {
  const mode = active.mode;
  if (mode === FpuMode.Xsaveopt) xsaveopt(area);
  else if (mode === FpuMode.Xsave) xsave(area);
  else fxsave(area);
}

/** Forgets which area the registers hold (its thread ended; the memory may be reused). */
export function fpuForget(area: number): void {
  if (loadedArea === area) loadedArea = 0;
  if (currentArea === area) currentArea = 0;
}

/** MXCSR (bits 0-31) and the x87 status word (bits 32-47) of the registers as they are now. */
/** @extern keel_fpu_status */
export function fpuStatus(): bigint {
  return fakeCpu.fpuStatus;
}

/** `  <what> 0x<value>, flagged: <the exceptions of its low six bits>`. */
function printFlagged(what: string, value: number): void {
  const f = value & 0x3f;
  console.log(
    `  ${what} 0x${value.toString(16)}, flagged:${(f & 1) !== 0 ? " invalid-operation" : ""}${(f & 2) !== 0 ? " denormal" : ""}${(f & 4) !== 0 ? " divide-by-zero" : ""}${(f & 8) !== 0 ? " overflow" : ""}${(f & 16) !== 0 ? " underflow" : ""}${(f & 32) !== 0 ? " precision" : ""}`,
  );
}

/**
 * For the report of a #XM or #MF from user mode: the MXCSR or x87 status word and the exceptions
 * flagged in it. The faulting thread's registers are the live ones (it just used them).
 */
export function printFpuFault(vector: number): void {
  if (active.mode === FpuMode.None || tsSet) return;
  const st = fpuStatus();
  if (vector === 19) {
    printFlagged("MXCSR", Number(st & 0xffffffffn));
  } else if (vector === 16) {
    printFlagged("x87 status word", Number((st >> 32n) & 0xffffn));
  }
}

/** @extern keel_xsetbv */
export function xsetbv(index: number, value: bigint): void {
  fakeCpu.xcr.set(index, value);
}
/** FNINIT and LDMXCSR 0x1F80: the initial x87 and SSE control state. */
/** @extern keel_fninit */
export function fninit(): void {
  fakeCpu.fpuLog.push(["fninit", 0]);
}
/** XSAVE/XSAVEOPT/XRSTOR with every component XCR0 enables (edx:eax all ones). */
/** @extern keel_xsave */
export function xsave(area: number): void {
  fakeCpu.fpuLog.push(["save", area]);
}
/** @extern keel_xsaveopt */
export function xsaveopt(area: number): void {
  fakeCpu.fpuLog.push(["save", area]);
}
/** XSAVEOPT into `save`, then XRSTOR from `load`: a whole eager switch in one call. */
/** @extern keel_fpu_swap */
export function fpuSwap(save: number, load: number): void {
  fakeCpu.fpuLog.push(["save", save]);
  fakeCpu.fpuLog.push(["restore", load]);
}
/** @extern keel_xrstor */
export function xrstor(area: number): void {
  fakeCpu.fpuLog.push(["restore", area]);
}
/** @extern keel_fxsave */
export function fxsave(area: number): void {
  fakeCpu.fpuLog.push(["save", area]);
}
/** @extern keel_fxrstor */
export function fxrstor(area: number): void {
  fakeCpu.fpuLog.push(["restore", area]);
}
