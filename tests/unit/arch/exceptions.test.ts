import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { attachMemory, detachAllMemory, writeBytes } from "../../../lang/host/memory.ts";
import { store64 } from "../../../lang/mem.ts";
import { Frame } from "../../../kernel/arch/x86_64/frame.ts";
import { resetFakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { HostSymbol, setHostSymbols } from "../../../kernel/arch/x86_64/host/symtab.ts";
import { clearExceptionHandler, exceptionCounts, resetExceptionReporting, exceptionName, hasErrorCode, setExceptionHandler, setUserFaultHook } from "../../../kernel/arch/x86_64/exceptions.ts";
import { interruptCount, onInterrupt, registerIrqHandler, setInterruptReturnHook, spuriousInterrupts } from "../../../kernel/arch/x86_64/interrupts.ts";
import { apicInit, ApicReg } from "../../../kernel/arch/x86_64/apic.ts";
import { printBacktrace } from "../../../kernel/arch/x86_64/backtrace.ts";
import { panicHook, panicSetScratch } from "../../../kernel/panic.ts";
import { addrToWord } from "../../../kernel/arch/x86_64/words.ts";
import { load32 } from "../../../lang/mem.ts";

const FRAME = -0x800000000000 + 0x10000; // direct-map address of a simulated interrupt frame
const STACK = -0x800000000000 + 0x20000;
const APIC = -0x800000000000 + 0xfee00000;
const TEXT = -0x80000000 + 0x200000;

let logs: string[] = [];

beforeEach(() => {
  detachAllMemory();
  attachMemory(FRAME, 0x1000);
  attachMemory(STACK, 0x2000);
  attachMemory(APIC, 0x1000);
  resetFakeCpu();
  logs = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    logs.push(args.join(" "));
  });
  resetExceptionReporting();
  setHostSymbols([
    new HostSymbol(TEXT + 0x100, "kernel_main", "kernel/main.ts", 10),
    new HostSymbol(TEXT + 0x400, "runFaultSuite", "kernel/test/suites/fault.ts", 20),
    new HostSymbol(TEXT + 0x200, "bootSequence", "kernel/main.ts", 30),
  ]);
});
afterEach(() => {
  vi.restoreAllMocks();
  detachAllMemory();
  setHostSymbols([]);
});

function makeFrame(vector: number, error: bigint, rip: number, cs: bigint, rbp: number): void {
  for (let off = 0; off < Frame.SIZE; off += 8) store64(FRAME + off, BigInt(off) * 0x1111n);
  store64(FRAME + Frame.VECTOR, BigInt(vector));
  store64(FRAME + Frame.ERROR, error);
  store64(FRAME + Frame.RIP, addrToWord(rip));
  store64(FRAME + Frame.CS, cs);
  store64(FRAME + Frame.RBP, addrToWord(rbp));
}

describe("exception names", () => {
  it("names all 32 vectors and knows which push an error code", () => {
    expect(exceptionName(0)).toBe("#DE Divide Error");
    expect(exceptionName(14)).toBe("#PF Page Fault");
    expect(exceptionName(21)).toBe("#CP Control Protection Exception");
    for (let v = 0; v < 32; v++) expect(exceptionName(v).length).toBeGreaterThan(3);
    expect([...Array(32).keys()].filter(hasErrorCode)).toEqual([8, 10, 11, 12, 13, 14, 17, 21, 29, 30]);
  });
});

describe("exception reporting", () => {
  it("reports a kernel page fault with CR2, the decoded cause, registers and a symbolised backtrace, then panics", async () => {
    const { fakeCpu } = await import("../../../kernel/arch/x86_64/host/machine.ts");
    fakeCpu.cr[2] = 0xdead0000n;
    // A two-deep rbp chain on the simulated stack: frame0 -> frame1 -> 0.
    const f0 = STACK + 0x100;
    const f1 = STACK + 0x180;
    store64(f0, addrToWord(f1));
    store64(f0 + 8, addrToWord(TEXT + 0x250)); // inside bootSequence
    store64(f1, 0n);
    store64(f1 + 8, addrToWord(TEXT + 0x120)); // inside kernel_main
    makeFrame(14, 0x2n, TEXT + 0x410, 0x08n, f0);
    expect(() => onInterrupt(FRAME)).toThrow("PANIC: #PF Page Fault");
    const out = logs.join("\n");
    expect(out).toContain("EXCEPTION #PF Page Fault (vector 14, error 0x0000000000000002)");
    expect(out).toContain("cr2=0x00000000dead0000");
    expect(out).toContain("cause: not-present page, write, supervisor mode");
    expect(out).toContain("rip=0xffffffff80200410");
    expect(out).toContain(`rax=0x${(BigInt(Frame.RAX) * 0x1111n).toString(16).padStart(16, "0")}`);
    expect(out).toContain(`r15=0x${(BigInt(Frame.R15) * 0x1111n).toString(16).padStart(16, "0")}`);
    expect(out).toMatch(/#0 runFaultSuite \(kernel\/test\/suites\/fault.ts:20\)/);
    expect(out).toMatch(/#1 bootSequence \(kernel\/main.ts:30\)/);
    expect(out).toMatch(/#2 kernel_main \(kernel\/main.ts:10\)/);
    expect(out).not.toMatch(/#3/);
  });

  it("hands faults from ring 3 to the user-fault hook instead of panicking", () => {
    makeFrame(14, 0x15n, 0x401000, 0x2bn, 0);
    let seen = -1;
    setUserFaultHook((frame, vector) => {
      expect(frame).toBe(FRAME);
      seen = vector;
    });
    onInterrupt(FRAME);
    expect(seen).toBe(14);
    expect(logs.join("\n")).not.toContain("PANIC");
  });

  it("decodes a protection violation on an instruction fetch", async () => {
    const { printPageFaultCause } = await import("../../../kernel/arch/x86_64/exceptions.ts");
    printPageFaultCause(0x15);
    printPageFaultCause(0x0c);
    expect(logs).toEqual([
      "  cause: protection violation, instruction fetch, user mode",
      "  cause: not-present page, read, user mode, reserved bit set in a paging entry",
    ]);
  });

  it("resumes when a handler claims the exception", () => {
    let hits = 0;
    setExceptionHandler(3, (frame, vector) => {
      expect(vector).toBe(3);
      expect(frame).toBe(FRAME);
      hits++;
      return true;
    });
    makeFrame(3, 0n, TEXT + 0x130, 0x08n, 0);
    const before = exceptionCounts[3]!;
    onInterrupt(FRAME);
    onInterrupt(FRAME);
    expect(hits).toBe(2);
    expect(exceptionCounts[3]!).toBe(before + 2);
    clearExceptionHandler(3);
    expect(() => onInterrupt(FRAME)).toThrow(/#BP Breakpoint/);
  });

  it("prints the selector error code of a #GP", () => {
    makeFrame(13, 0x1an, TEXT + 0x130, 0x08n, 0);
    expect(() => onInterrupt(FRAME)).toThrow(/#GP/);
    expect(logs.join("\n")).toContain("selector error code: index 3, table 1, external 0");
  });
});

describe("faults while reporting", () => {
  it("stop with a short report instead of recursing", () => {
    makeFrame(13, 0n, TEXT + 0x130, 0x08n, 0);
    expect(() => onInterrupt(FRAME)).toThrow(/#GP/);
    const lines = logs.length;
    makeFrame(14, 0n, TEXT + 0x140, 0x08n, 0);
    expect(() => onInterrupt(FRAME)).toThrow(/#PF/);
    expect(logs.slice(lines)).toEqual(["EXCEPTION #PF Page Fault while reporting an exception, rip=0xffffffff80200140"]);
  });
});

describe("IRQ dispatch", () => {
  it("calls the registered handler, sends EOI, then the return hook", () => {
    apicInit(APIC);
    const order: string[] = [];
    registerIrqHandler(0x40, (vector, frame) => {
      expect(frame).toBe(FRAME);
      order.push(`irq ${vector}`);
      // EOI must not have been written yet: store a marker and check it survives until after.
      expect(load32(APIC + ApicReg.Eoi)).toBe(0x5a5a);
    });
    setInterruptReturnHook(() => {
      order.push(`hook eoi=${load32(APIC + ApicReg.Eoi)}`);
    });
    makeFrame(0x40, 0n, TEXT, 0x08n, 0);
    const before = interruptCount(0x40);
    writeBytes(APIC + ApicReg.Eoi, new Uint8Array([0x5a, 0x5a, 0, 0]));
    onInterrupt(FRAME);
    expect(order).toEqual(["irq 64", "hook eoi=0"]);
    expect(interruptCount(0x40)).toBe(before + 1);
    setInterruptReturnHook(() => {});
  });

  it("drops spurious vectors without EOI or handlers", () => {
    apicInit(APIC);
    writeBytes(APIC + ApicReg.Eoi, new Uint8Array([7, 0, 0, 0]));
    const before = spuriousInterrupts();
    makeFrame(0xff, 0n, TEXT, 0x08n, 0);
    onInterrupt(FRAME);
    makeFrame(0x27, 0n, TEXT, 0x08n, 0);
    onInterrupt(FRAME);
    expect(spuriousInterrupts()).toBe(before + 2);
    expect(load32(APIC + ApicReg.Eoi)).toBe(7);
  });
});

describe("backtrace", () => {
  it("stops at non-increasing, misaligned or user frame pointers and at 32 frames", () => {
    // A loop: f0 -> f1 -> f0 must stop after f1.
    const f0 = STACK + 0x200;
    const f1 = STACK + 0x240;
    store64(f0, addrToWord(f1));
    store64(f0 + 8, addrToWord(TEXT + 0x101));
    store64(f1, addrToWord(f0));
    store64(f1 + 8, addrToWord(TEXT + 0x201));
    expect(printBacktrace(f0, 0)).toBe(2);
    expect(printBacktrace(f0 + 4, 0)).toBe(0);
    expect(printBacktrace(0x1000, TEXT + 0x101)).toBe(1);
    // A long increasing chain is cut at 32.
    for (let i = 0; i < 40; i++) {
      const f = STACK + 0x400 + i * 0x20;
      store64(f, addrToWord(f + 0x20));
      store64(f + 8, addrToWord(TEXT + 0x101));
    }
    expect(printBacktrace(STACK + 0x400, 0)).toBe(32);
  });

  it("folds runs of identical frames", () => {
    for (let i = 0; i < 10; i++) {
      const f = STACK + 0x400 + i * 0x20;
      store64(f, i === 9 ? 0n : addrToWord(f + 0x20));
      store64(f + 8, addrToWord(TEXT + (i < 8 ? 0x411 : 0x121)));
    }
    expect(printBacktrace(STACK + 0x400, TEXT + 0x405)).toBe(11);
    expect(logs).toEqual([
      "  #0 runFaultSuite (kernel/test/suites/fault.ts:20) [0xffffffff80200405 = +0x5]",
      "  #1 runFaultSuite (kernel/test/suites/fault.ts:20) [0xffffffff80200410 = +0x10]",
      "  ... 7 more identical frames",
      "  #9 kernel_main (kernel/main.ts:10) [0xffffffff80200120 = +0x20]",
      "  ... 1 more identical frames",
    ]);
  });

  it("prints addresses without a symbol as such", () => {
    setHostSymbols([]);
    expect(printBacktrace(0, TEXT + 0x10)).toBe(1);
    expect(logs[0]).toBe("  #0 0xffffffff80200010 (no symbol)");
  });
});

describe("panic hook", () => {
  it("prints the message and location from C strings, then halts", () => {
    const msg = STACK + 0x1000;
    const file = STACK + 0x1100;
    writeBytes(msg, new TextEncoder().encode("index 5 out of bounds (length 4)\0"));
    writeBytes(file, new TextEncoder().encode("kernel/sched/scheduler.ts\0"));
    panicSetScratch(STACK + 0x1800, 0x800);
    const chunks: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((c: string | Uint8Array) => {
      chunks.push(typeof c === "string" ? c : new TextDecoder().decode(c));
      return true;
    });
    expect(() => panicHook(msg, file, 123)).toThrow("halted");
    spy.mockRestore();
    expect(chunks.join("")).toBe("PANIC: index 5 out of bounds (length 4)\n  at kernel/sched/scheduler.ts:123\n");
    expect(logs).toContain("backtrace:");
  });
});
