// FPU set-up from CPUID alone: the mode, XCR0 and save-area size for several CPUs, the control
// register bits fpuInit writes, the initial area image, and the switch's save/restore order.
import { beforeEach, describe, expect, test } from "vitest";
import { attachMemory, detachAllMemory } from "../../../lang/host/memory.ts";
import { load16, load32, load8 } from "../../../lang/mem.ts";
import { resetFakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { handleException, setUserFaultHook } from "../../../kernel/arch/x86_64/exceptions.ts";
import { vi } from "vitest";
import { clearExceptionHandler } from "../../../kernel/arch/x86_64/exceptions.ts";
import { Frame } from "../../../kernel/arch/x86_64/frame.ts";
import { store64 } from "../../../lang/mem.ts";
import {
  FPU_FORCE_LAZY, FpuMode, FpuPlan, fpuForget, printFpuFault, fpuInitArea, fpuInitWith, fpuModeName, fpuSwitch, planFpu, xsaveAreaSize,
} from "../../../kernel/arch/x86_64/fpu.ts";

type Regs = [number, number, number, number];
/** A CPUID of leaves "leaf:subleaf" -> [eax, ebx, ecx, edx]; anything else reads as zeros. */
function cpu(leaves: Record<string, Regs>): (leaf: number, sub: number, reg: number) => number {
  return (leaf, sub, reg) => (leaves[`${leaf}:${sub}`] ?? [0, 0, 0, 0])[reg]! >>> 0;
}

const FXSR = 1 << 24;
const XSAVE = 1 << 26;
const AVX = 1 << 28;

/** A CPU with XSAVE listing components `xcr0` (AVX at 576 + 256; AVX-512 parts at 832, 896, 1408). */
function xsaveCpu(ecx1: number, supported: number, xsaveopt: boolean): (leaf: number, sub: number, reg: number) => number {
  return cpu({
    "0:0": [0xd, 0, 0, 0],
    "1:0": [0, 0, ecx1, FXSR],
    "13:0": [supported, 0, 0, 0],
    "13:1": [xsaveopt ? 1 : 0, 0, 0, 0],
    "13:2": [256, 576, 0, 0],
    "13:5": [64, 1088, 0, 0],
    "13:6": [512, 1152, 0, 0],
    "13:7": [1024, 1664, 0, 0],
  });
}

describe("planFpu", () => {
  test("no CPUID leaf 1 or no FXSR: no FPU for user programs", () => {
    expect(planFpu(cpu({})).mode).toBe(FpuMode.None);
    expect(planFpu(cpu({ "0:0": [1, 0, 0, 0], "1:0": [0, 0, 0, 0] })).mode).toBe(FpuMode.None);
  });

  test("FXSR without XSAVE: FXSAVE and a 512-byte area", () => {
    const p = planFpu(cpu({ "0:0": [0xd, 0, 0, 0], "1:0": [0, 0, 0, FXSR] }));
    expect(p.mode).toBe(FpuMode.Fxsave);
    expect(p.areaSize).toBe(512);
    expect(p.xcr0).toBe(0);
  });

  test("XSAVE listed but leaf 0xD missing: FXSAVE", () => {
    const p = planFpu(cpu({ "0:0": [0xb, 0, 0, 0], "1:0": [0, 0, XSAVE, FXSR] }));
    expect(p.mode).toBe(FpuMode.Fxsave);
  });

  test("XSAVE with SSE only: x87|SSE, the legacy region and header", () => {
    const p = planFpu(xsaveCpu(XSAVE, 0x3, false));
    expect(p.mode).toBe(FpuMode.Xsave);
    expect(p.xcr0).toBe(3);
    expect(p.areaSize).toBe(576);
    expect(p.avx).toBe(false);
  });

  test("AVX: x87|SSE|AVX, 832 bytes, XSAVEOPT when leaf 0xD.1 says so", () => {
    const p = planFpu(xsaveCpu(XSAVE | AVX, 0x7, true));
    expect(p.mode).toBe(FpuMode.Xsaveopt);
    expect(p.xcr0).toBe(7);
    expect(p.areaSize).toBe(832);
    expect(fpuModeName(p.mode)).toBe("xsaveopt");
  });

  test("AVX state listed but leaf 1 without AVX: AVX stays off", () => {
    const p = planFpu(xsaveCpu(XSAVE, 0x7, false));
    expect(p.xcr0).toBe(3);
  });

  test("AVX-512: all three components, the area up to Hi16_ZMM's end", () => {
    const p = planFpu(xsaveCpu(XSAVE | AVX, 0xe7, true));
    expect(p.xcr0).toBe(0xe7);
    expect(p.avx512).toBe(true);
    expect(p.areaSize).toBe(1664 + 1024);
  });

  test("AVX-512 partly listed, MPX and PKRU: none of them enabled", () => {
    expect(planFpu(xsaveCpu(XSAVE | AVX, 0x67, true)).xcr0).toBe(7);
    expect(planFpu(xsaveCpu(XSAVE | AVX, 0x21f, true)).xcr0).toBe(7);
  });

  test("area size is rounded up to 64 bytes", () => {
    const read = cpu({ "13:2": [250, 576, 0, 0] });
    expect(xsaveAreaSize(read, 7)).toBe(832);
    expect(xsaveAreaSize(read, 3)).toBe(576);
  });
});

describe("fpuInitWith", () => {
  beforeEach(() => resetFakeCpu());

  test("sets CR0.MP and NE, clears EM and TS, sets CR4.OSFXSR, OSXMMEXCPT, OSXSAVE and XCR0", () => {
    const fake = resetFakeCpu();
    fake.cr[0] = 0x8000000dn; // PG, EM, TS, PE
    fake.cpuidSub.set("13:0", [0, 832, 0, 0]);
    fpuInitWith(planFpu(xsaveCpu(XSAVE | AVX, 0x7, true)), -1);
    expect(fake.cr[0]).toBe(0x80000023n);
    expect(fake.cr[4]).toBe(0x40600n);
    expect(fake.xcr.get(0)).toBe(7n);
    expect(fake.fpuLog).toEqual([["fninit", 0]]);
  });

  test("the area grows to what CPUID reports once XCR0 is loaded", () => {
    const fake = resetFakeCpu();
    fake.cpuidSub.set("13:0", [0, 1000, 0, 0]);
    const p = planFpu(xsaveCpu(XSAVE | AVX, 0x7, true));
    fpuInitWith(p, -1);
    expect(p.areaSize).toBe(1024);
  });

  test("keel.fpu=fxsave: no XSAVE, no AVX, a 512-byte area", () => {
    const fake = resetFakeCpu();
    const p = planFpu(xsaveCpu(XSAVE | AVX, 0x7, true));
    fpuInitWith(p, FpuMode.Fxsave);
    expect(p.mode).toBe(FpuMode.Fxsave);
    expect(p.areaSize).toBe(512);
    expect(p.avx).toBe(false);
    expect(fake.cr[4]).toBe(0x600n);
    expect(fake.xcr.size).toBe(0);
  });
});

describe("save areas", () => {
  beforeEach(() => {
    detachAllMemory();
    attachMemory(0x10000, 0x4000);
  });

  test("a new area holds FNINIT's control word, MXCSR 0x1F80 and zeros", () => {
    fpuInitArea(0x10000, 832);
    expect(load16(0x10000)).toBe(0x37f);
    expect(load32(0x10000 + 24)).toBe(0x1f80);
    let nonZero = 0;
    for (let i = 0; i < 832; i++) if (i >= 2 && !(i >= 24 && i < 28) && load8(0x10000 + i) !== 0) nonZero++;
    expect(nonZero).toBe(0);
    // The XSAVE header's XSTATE_BV and XCOMP_BV are zero: every component in its initial state.
    expect(load32(0x10000 + 512)).toBe(0);
    expect(load32(0x10000 + 520)).toBe(0);
  });

  test("switching saves the outgoing user thread and restores the incoming one, skipping a restore the registers already hold", () => {
    const fake = resetFakeCpu();
    fake.cpuidSub.set("13:0", [0, 832, 0, 0]);
    fpuInitWith(planFpu(xsaveCpu(XSAVE | AVX, 0x7, true)), -1);
    fake.fpuLog = [];
    fpuSwitch(0, 0x1000); // kernel thread -> user A
    fpuSwitch(0x1000, 0); // A -> kernel thread: A saved
    fpuSwitch(0, 0x1000); // back to A: its registers are still loaded
    fpuSwitch(0x1000, 0x2000); // A -> B
    expect(fake.fpuLog).toEqual([["restore", 0x1000], ["save", 0x1000], ["save", 0x1000], ["restore", 0x2000]]);
  });

  test("an area forgotten (its thread ended) is restored when reused", () => {
    const fake = resetFakeCpu();
    fpuInitWith(planFpu(cpu({ "0:0": [1, 0, 0, 0], "1:0": [0, 0, 0, FXSR] })), -1);
    fake.fpuLog = [];
    fpuSwitch(0, 0x1000);
    fpuForget(0x1000);
    fpuSwitch(0, 0x1000);
    expect(fake.fpuLog).toEqual([["restore", 0x1000], ["restore", 0x1000]]);
  });

  test("without an FPU plan nothing is saved or restored", () => {
    const fake = resetFakeCpu();
    fpuInitWith(new FpuPlan(), -1);
    fpuSwitch(0x1000, 0x2000);
    expect(fake.fpuLog).toEqual([]);
  });
});

describe("lazy switching (keel.fpu=lazy)", () => {
  beforeEach(() => {
    detachAllMemory();
    attachMemory(0x20000, 0x1000);
  });

  /** An exception frame from ring 3 for #NM. */
  function userFrame(): number {
    const f = 0x20000;
    store64(f + Frame.CS, 0x23n);
    store64(f + Frame.VECTOR, 7n);
    return f;
  }

  test("a switch sets TS; #NM saves the owner's registers and loads the thread's; switching back to the owner clears TS", () => {
    const fake = resetFakeCpu();
    fake.cr[0] = 0x80000011n;
    fake.cpuidSub.set("13:0", [0, 832, 0, 0]);
    fpuInitWith(planFpu(xsaveCpu(XSAVE | AVX, 0x7, true)), FPU_FORCE_LAZY);
    fake.fpuLog = [];
    fpuSwitch(0, 0x1000); // to user A: nothing loaded yet, TS set
    expect(fake.cr[0] & 8n).toBe(8n);
    expect(fake.fpuLog).toEqual([]);
    handleException(userFrame(), 7); // A's first SSE instruction
    expect(fake.cr[0] & 8n).toBe(0n);
    expect(fake.fpuLog).toEqual([["restore", 0x1000]]);
    fpuSwitch(0x1000, 0x2000); // A -> B: nothing saved yet
    expect(fake.cr[0] & 8n).toBe(8n);
    handleException(userFrame(), 7);
    expect(fake.fpuLog).toEqual([["restore", 0x1000], ["save", 0x1000], ["restore", 0x2000]]);
    fpuSwitch(0x2000, 0x1000); // B -> A: A's registers were saved, TS set again
    expect(fake.cr[0] & 8n).toBe(8n);
    fpuSwitch(0x1000, 0x2000); // A -> B without A using the FPU: B's registers are loaded, TS clear
    expect(fake.cr[0] & 8n).toBe(0n);
    clearExceptionHandler(7);
  });
});

describe("FPU exceptions", () => {
  beforeEach(() => {
    detachAllMemory();
    attachMemory(0x20000, 0x1000);
  });

  test("#NM, #MF and #XM from ring 3 with eager switching go to the user-fault hook (the process is killed)", () => {
    const fake = resetFakeCpu();
    fpuInitWith(planFpu(cpu({ "0:0": [1, 0, 0, 0], "1:0": [0, 0, 0, FXSR] })), -1);
    const seen: number[] = [];
    setUserFaultHook((frame, vector) => {
      void frame;
      seen.push(vector);
    });
    store64(0x20000 + Frame.CS, 0x23n);
    for (const v of [7, 16, 19]) handleException(0x20000, v);
    expect(seen).toEqual([7, 16, 19]);
    expect(fake.fpuLog).toEqual([["fninit", 0]]);
  });

  test("the report names the flagged exceptions of MXCSR or the x87 status word", () => {
    const fake = resetFakeCpu();
    fpuInitWith(planFpu(cpu({ "0:0": [1, 0, 0, 0], "1:0": [0, 0, 0, FXSR] })), -1);
    fake.fpuStatus = (0x3884n << 32n) | 0x1d84n;
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    printFpuFault(19);
    printFpuFault(16);
    expect(log.mock.calls.map((c) => c[0])).toEqual([
      "  MXCSR 0x1d84, flagged: divide-by-zero",
      "  x87 status word 0x3884, flagged: divide-by-zero",
    ]);
    log.mockRestore();
    fake.fpuStatus = 0x1fbfn;
    const all = vi.spyOn(console, "log").mockImplementation(() => {});
    printFpuFault(19);
    expect(all.mock.calls[0]![0]).toBe("  MXCSR 0x1fbf, flagged: invalid-operation denormal divide-by-zero overflow underflow precision");
    all.mockRestore();
  });
});
