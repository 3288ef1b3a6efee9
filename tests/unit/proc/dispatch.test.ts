// System call dispatch for a process on the simulated machine: unknown numbers, checked pointers,
// console output, memory mapping, module names and the right to start programs.
import { beforeEach, describe, expect, it } from "vitest";
import { readBytes, writeBytes } from "../../../lang/host/memory.ts";
import { PAGE_SIZE, physToVirt } from "../../../kernel/arch/x86_64/layout.ts";
import { PageFlags, pageFlags, translate } from "../../../kernel/arch/x86_64/paging.ts";
import { ExitHow, Process, processByPid, processExit, processInit, spawnModule } from "../../../kernel/proc/process.ts";
import { ErrorCode } from "../../../abi/errors.ts";
import { Sys } from "../../../abi/numbers.ts";
import { Machine, makeMachine, takeSerial } from "./harness.ts";
import { setSyscallHooks } from "../../../kernel/syscall/process-calls.ts";
import { syscallDispatch } from "../../../kernel/syscall/entry.ts";

let m: Machine;
let init: Process;
let exits: Array<[number, number]>;
let yields: number;

function call(p: Process, n: number, a0 = 0, a1 = 0, a2 = 0): number {
  return syscallDispatch(p, n, a0, a1, a2, 0, 0, 0);
}

function call4(p: Process, n: number, a0: number, a1: number, a2: number, a3: number): number {
  return syscallDispatch(p, n, a0, a1, a2, a3, 0, 0);
}

/** Writes bytes into the process's memory through its page tables. */
function poke(p: Process, addr: number, bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length; i++) writeBytes(physToVirt(translate(p.space!, addr + i)), bytes.subarray(i, i + 1));
}

function peek(p: Process, addr: number, len: number): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = readBytes(physToVirt(translate(p.space!, addr + i)), 1)[0]!;
  return out;
}

beforeEach(() => {
  m = makeMachine();
  let tid = 1;
  processInit(m.frames, m.kernel, m.info, () => tid++, () => {}, () => {});
  exits = [];
  yields = 0;
  setSyscallHooks((p, status) => exits.push([p.pid, status]), () => yields++);
  init = processByPid(spawnModule(0, 0, true))!;
  takeSerial();
});

describe("numbers", () => {
  it("refuses numbers the kernel does not know, without side effects", () => {
    for (const n of [-1, 11, 999, 2 ** 53 - 1]) expect(call(init, n)).toBe(-ErrorCode.UnknownSyscall);
    expect(call(init, Sys.Null)).toBe(0);
    expect(call(init, Sys.GetPid)).toBe(init.pid);
    expect(call(init, Sys.Yield)).toBe(0);
    expect(yields).toBe(1);
    call(init, Sys.Exit, 5);
    expect(exits).toEqual([[init.pid, 5]]);
    expect(takeSerial()).toBe("");
  });
});

describe("write", () => {
  it("prints the caller's bytes, across pages", () => {
    const at = init.plan.stackTop - PAGE_SIZE - 3; // straddles two stack pages
    poke(init, at, new TextEncoder().encode("hello, world\n"));
    expect(call(init, Sys.Write, at, 13)).toBe(13);
    expect(takeSerial()).toBe("hello, world\n");
  });

  it("returns -BadAddress for kernel, null, unmapped and wrapping pointers and prints nothing", () => {
    for (const [buf, len] of [[-0x80000000, 16], [0, 8], [0x20000000, 8], [0x7ffffffffff0, 64], [init.plan.stackTop - 8, -1]]) {
      expect(call(init, Sys.Write, buf!, len!)).toBe(-ErrorCode.BadAddress);
    }
    expect(takeSerial()).toBe("");
  });
});

describe("map and unmap", () => {
  const HEAP = 0x10000000;

  it("maps zeroed user memory with the asked permissions and gives the frames back", () => {
    const before = m.frames.freeFrames;
    expect(call(init, Sys.Map, HEAP, 3 * PAGE_SIZE, 1)).toBe(0);
    expect(pageFlags(init.space!, HEAP + PAGE_SIZE)).toBe(PageFlags.User | PageFlags.Writable | PageFlags.NoExecute);
    expect(Array.from(peek(init, HEAP, 64))).toEqual(new Array(64).fill(0));
    expect(call(init, Sys.Map, HEAP + 8 * PAGE_SIZE, PAGE_SIZE, 2)).toBe(0);
    expect(pageFlags(init.space!, HEAP + 8 * PAGE_SIZE)).toBe(PageFlags.User);
    expect(call(init, Sys.Unmap, HEAP, 3 * PAGE_SIZE)).toBe(0);
    expect(translate(init.space!, HEAP)).toBe(-1);
    expect(call(init, Sys.Unmap, HEAP, 3 * PAGE_SIZE)).toBe(-ErrorCode.NotFound);
    expect(call(init, Sys.Unmap, HEAP + 8 * PAGE_SIZE, PAGE_SIZE)).toBe(0);
    expect(m.frames.freeFrames).toBe(before);
  });

  it("refuses W+X, misalignment, overlaps, the stack guard and the kernel half", () => {
    expect(call(init, Sys.Map, HEAP, PAGE_SIZE, 3)).toBe(-ErrorCode.InvalidArgument);
    expect(call(init, Sys.Map, HEAP + 1, PAGE_SIZE, 1)).toBe(-ErrorCode.InvalidArgument);
    expect(call(init, Sys.Map, HEAP, 100, 1)).toBe(-ErrorCode.InvalidArgument);
    expect(call(init, Sys.Map, HEAP, PAGE_SIZE, 8)).toBe(-ErrorCode.InvalidArgument);
    expect(call(init, Sys.Map, init.plan.entry - (init.plan.entry % PAGE_SIZE), PAGE_SIZE, 1)).toBe(-ErrorCode.InvalidArgument);
    expect(call(init, Sys.Map, init.plan.guardBase, PAGE_SIZE, 1)).toBe(-ErrorCode.BadAddress);
    expect(call(init, Sys.Map, -0x80000000, PAGE_SIZE, 1)).toBe(-ErrorCode.BadAddress);
    expect(call(init, Sys.Map, 0, PAGE_SIZE, 1)).toBe(-ErrorCode.BadAddress);
  });

  it("releases mapped regions when the process exits", () => {
    expect(call(init, Sys.Map, HEAP, 16 * PAGE_SIZE, 1)).toBe(0);
    processExit(init, 0, ExitHow.Exited);
    expect(m.frames.freeFrames).toBe(m.baseline);
  });
});

describe("modules and spawn", () => {
  it("counts modules and copies names, truncated to the buffer", () => {
    const buf = init.plan.stackTop - 2 * PAGE_SIZE;
    expect(call(init, Sys.ModuleCount)).toBe(3);
    expect(call(init, Sys.ModuleName, 1, buf, 64)).toBe(4);
    expect(new TextDecoder().decode(peek(init, buf, 4))).toBe("prog");
    poke(init, buf, new Uint8Array(4));
    expect(call(init, Sys.ModuleName, 0, buf, 2)).toBe(4);
    expect(new TextDecoder().decode(peek(init, buf, 4))).toBe("in\0\0");
    expect(call(init, Sys.ModuleName, 3, buf, 64)).toBe(-ErrorCode.NotFound);
    expect(call(init, Sys.ModuleName, 0, -0x80000000, 64)).toBe(-ErrorCode.BadAddress);
  });

  it("lets init read a module's bytes (the console font it hands on), and its children not", () => {
    const buf = init.plan.stackTop - 2 * PAGE_SIZE;
    // Module 2 is 4096 bytes of 0x42; a length of 0 asks for the size alone.
    expect(call4(init, Sys.ModuleRead, 2, 0, 0, 0)).toBe(4096);
    expect(call4(init, Sys.ModuleRead, 2, 4090, buf, 64)).toBe(4096);
    expect(Array.from(peek(init, buf, 8))).toEqual([0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0, 0]);
    expect(call4(init, Sys.ModuleRead, 2, 5000, buf, 64)).toBe(4096);
    expect(call4(init, Sys.ModuleRead, 1, 0, buf, 4)).toBeGreaterThan(4);
    expect(new TextDecoder().decode(peek(init, buf + 1, 3))).toBe("ELF");
    expect(call4(init, Sys.ModuleRead, 3, 0, buf, 4)).toBe(-ErrorCode.NotFound);
    expect(call4(init, Sys.ModuleRead, -1, 0, buf, 4)).toBe(-ErrorCode.NotFound);
    expect(call4(init, Sys.ModuleRead, 2, -1, buf, 4)).toBe(-ErrorCode.InvalidArgument);
    expect(call4(init, Sys.ModuleRead, 2, 0, buf, -4)).toBe(-ErrorCode.InvalidArgument);
    expect(call4(init, Sys.ModuleRead, 2, 0, -0x80000000, 64)).toBe(-ErrorCode.BadAddress);
    expect(call4(init, Sys.ModuleRead, 2, 0, init.plan.stackTop - 16, 64)).toBe(-ErrorCode.BadAddress);
    const child = processByPid(call(init, Sys.Spawn, 1))!;
    expect(call4(child, Sys.ModuleRead, 2, 0, 0, 0)).toBe(-ErrorCode.PermissionDenied);
  });

  it("lets init start programs, and its children not", () => {
    const pid = call(init, Sys.Spawn, 1);
    expect(pid).toBeGreaterThan(init.pid);
    const child = processByPid(pid)!;
    expect(child.parent).toBe(init.pid);
    expect(call(child, Sys.Spawn, 1)).toBe(-ErrorCode.PermissionDenied);
    expect(call(init, Sys.Spawn, 2)).toBe(-ErrorCode.BadExecutable);
  });
});
