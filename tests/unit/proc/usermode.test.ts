// The x86-64 side of user mode on the fake CPU: the syscall MSRs, decoding of system call
// arguments from a saved frame, and the rewrite that sends a faulting user thread to the kill
// trampoline in ring 0.
import { beforeEach, describe, expect, it } from "vitest";
import { attachMemory, detachAllMemory } from "../../../lang/host/memory.ts";
import { load64, store64 } from "../../../lang/mem.ts";
import { fakeCpu, resetFakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { Frame } from "../../../kernel/arch/x86_64/frame.ts";
import { Selector, Tss } from "../../../kernel/arch/x86_64/gdt.ts";
import {
  MSR_EFER, MSR_FMASK, MSR_KERNEL_GS_BASE, MSR_LSTAR, MSR_STAR, frameArg, frameFromUser, redirectToKill, setFrameResult,
  syscallEntryAddr, syscallInit, userKillTrampolineAddr,
} from "../../../kernel/arch/x86_64/usermode.ts";

const FRAME = -0x7ff000; // a kernel-half address, as a thread's stack would be
const U64 = (v: number): bigint => BigInt.asUintN(64, BigInt(v));

beforeEach(() => {
  detachAllMemory();
  resetFakeCpu();
  attachMemory(FRAME, 4096);
});

describe("syscall MSRs", () => {
  it("program STAR, LSTAR, FMASK, the kernel GS base at TSS.rsp0 and EFER.SCE", () => {
    fakeCpu.msrs.set(MSR_EFER, 0xd00n); // LME, LMA, NXE as the boot left them
    const tss = -0x7fe000;
    syscallInit(tss);
    const star = fakeCpu.msrs.get(MSR_STAR)!;
    expect(star >> 48n).toBe(0x1bn); // sysret: SS = 0x1b + 8 = 0x23, CS = 0x1b + 16 = 0x2b
    expect((star >> 48n) + 8n).toBe(BigInt(Selector.UserData));
    expect((star >> 48n) + 16n).toBe(BigInt(Selector.UserCode));
    expect((star >> 32n) & 0xffffn).toBe(BigInt(Selector.KernelCode));
    expect(fakeCpu.msrs.get(MSR_LSTAR)).toBe(U64(syscallEntryAddr()));
    const fmask = fakeCpu.msrs.get(MSR_FMASK)!;
    for (const bit of [0x100n, 0x200n, 0x400n, 0x4000n, 0x40000n]) expect(fmask & bit).toBe(bit); // TF IF DF NT AC
    expect(fakeCpu.msrs.get(MSR_KERNEL_GS_BASE)).toBe(U64(tss + Tss.Rsp0));
    expect(fakeCpu.msrs.get(MSR_EFER)).toBe(0xd01n);
  });
});

describe("frames", () => {
  it("read arguments as two's complement numbers, and out-of-range words as an invalid value", () => {
    store64(FRAME + Frame.RDI, 42n);
    store64(FRAME + Frame.RSI, 0xffffffffffffffffn);
    store64(FRAME + Frame.RDX, 0xffffffff80000000n);
    store64(FRAME + Frame.R10, 0x8000000000000000n);
    store64(FRAME + Frame.R8, 0x1fffffffffffffn);
    expect(frameArg(FRAME, Frame.RDI)).toBe(42);
    expect(frameArg(FRAME, Frame.RSI)).toBe(-1);
    expect(frameArg(FRAME, Frame.RDX)).toBe(-0x80000000);
    expect(frameArg(FRAME, Frame.R10)).toBe(2 ** 53 - 1);
    expect(frameArg(FRAME, Frame.R8)).toBe(2 ** 53 - 1);
    setFrameResult(FRAME, -64);
    expect(load64(FRAME + Frame.RAX)).toBe(U64(-64));
  });

  it("send a faulting user thread to the kill trampoline in ring 0, below its frame", () => {
    store64(FRAME + Frame.CS, BigInt(Selector.UserCode));
    store64(FRAME + Frame.SS, BigInt(Selector.UserData));
    store64(FRAME + Frame.RIP, 0x401000n);
    store64(FRAME + Frame.RSP, 0x7ffffffef000n);
    store64(FRAME + Frame.RFLAGS, 0x202n);
    expect(frameFromUser(FRAME)).toBe(true);
    redirectToKill(FRAME);
    expect(frameFromUser(FRAME)).toBe(false);
    expect(load64(FRAME + Frame.RIP)).toBe(U64(userKillTrampolineAddr()));
    expect(load64(FRAME + Frame.CS)).toBe(BigInt(Selector.KernelCode));
    expect(load64(FRAME + Frame.SS)).toBe(BigInt(Selector.KernelData));
    expect(load64(FRAME + Frame.RSP)).toBe(U64(FRAME));
    expect(load64(FRAME + Frame.RFLAGS) & 0x200n).toBe(0n); // interrupts stay off
  });
});
