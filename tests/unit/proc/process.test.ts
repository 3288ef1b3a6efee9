// Processes on the simulated machine: creation from a boot module (address space, startup block,
// thread), exit and wait with the status the parent sees, kills, orphans, and that every frame a
// process took comes back. Threads are stood in for by the starter/waiter hooks.
import { beforeEach, describe, expect, it } from "vitest";
import { readBytes } from "../../../lang/host/memory.ts";
import { PAGE_SIZE, physToVirt } from "../../../kernel/arch/x86_64/layout.ts";
import { translate } from "../../../kernel/arch/x86_64/paging.ts";
import { ExitHow, Process, ProcState, Startup, STARTUP_MAY_SPAWN, processByPid, processCount, processExit, processInit, processOfThread, processWait, spawnModule } from "../../../kernel/proc/process.ts";
import { ErrorCode } from "../../../abi/errors.ts";
import { Machine, makeMachine } from "./harness.ts";
import { MAX_PROCESSES } from "../../../kernel/proc/limits.ts";

let m: Machine;
let started: number[];
let nextTid: number;
/** What the fake waiter does when a parent would block: usually let a child exit. */
let onBlock: (parent: Process) => void;
let woken: number[];

function starter(pid: number): number {
  started.push(pid);
  return nextTid++;
}

beforeEach(() => {
  m = makeMachine();
  started = [];
  nextTid = 10;
  woken = [];
  onBlock = () => {
    throw new Error("unexpected block");
  };
  processInit(m.frames, m.kernel, m.info, starter, (p) => onBlock(p), (p) => woken.push(p.pid));
});

function userWord(p: Process, addr: number): bigint {
  const phys = translate(p.space!, addr);
  expect(phys).toBeGreaterThanOrEqual(0);
  return new DataView(readBytes(physToVirt(phys), 8).slice().buffer).getBigInt64(0, true);
}

function userBytes(p: Process, addr: number, len: number): string {
  let s = "";
  for (let i = 0; i < len; i++) s += String.fromCharCode(readBytes(physToVirt(translate(p.space!, addr + i)), 1)[0]!);
  return s;
}

describe("spawn", () => {
  it("loads the module into a fresh space, fills the startup block and starts a thread", () => {
    const pid = spawnModule(0, 0, true);
    expect(pid).toBeGreaterThan(0);
    expect(started).toEqual([pid]);
    const p = processByPid(pid)!;
    expect(p.state).toBe(ProcState.Running);
    expect(processOfThread(10)).toBe(p);
    expect(p.space!.root).not.toBe(m.kernel.root);
    const sb = p.plan.startupInfo;
    expect(userWord(p, sb + Startup.Pid)).toBe(BigInt(pid));
    expect(userWord(p, sb + Startup.ParentPid)).toBe(0n);
    expect(userWord(p, sb + Startup.Flags)).toBe(BigInt(STARTUP_MAY_SPAWN));
    expect(userWord(p, sb + Startup.ModuleIndex)).toBe(0n);
    expect(userWord(p, sb + Startup.NameLength)).toBe(4n);
    expect(userBytes(p, sb + Startup.Name, 4)).toBe("init");
    // The entry point is mapped in the new space and nowhere in the kernel's.
    expect(translate(p.space!, p.plan.entry)).toBeGreaterThanOrEqual(0);
    expect(translate(m.kernel, p.plan.entry)).toBe(-1);
  });

  it("refuses a module that is not a program, and an index out of range, leaking nothing", () => {
    expect(spawnModule(2, 0, false)).toBe(-ErrorCode.BadExecutable);
    expect(spawnModule(3, 0, false)).toBe(-ErrorCode.NotFound);
    expect(spawnModule(-1, 0, false)).toBe(-ErrorCode.NotFound);
    expect(started).toEqual([]);
    expect(processCount()).toBe(0);
    expect(m.frames.freeFrames).toBe(m.baseline);
  });

  it("gives everything back when the thread cannot start", () => {
    processInit(m.frames, m.kernel, m.info, () => -1, () => {}, () => {});
    expect(spawnModule(1, 0, false)).toBe(-ErrorCode.NoMemory);
    expect(processCount()).toBe(0);
    expect(m.frames.freeFrames).toBe(m.baseline);
  });

  it("runs out of process slots cleanly", () => {
    const pids: number[] = [];
    for (let i = 0; i < MAX_PROCESSES; i++) pids.push(spawnModule(1, 0, false));
    expect(pids.every((p) => p > 0)).toBe(true);
    expect(new Set(pids).size).toBe(MAX_PROCESSES);
    expect(spawnModule(1, 0, false)).toBe(-ErrorCode.NoMemory);
    for (const pid of pids) processExit(processByPid(pid)!, 0, ExitHow.Exited);
    expect(processCount()).toBe(0);
    expect(m.frames.freeFrames).toBe(m.baseline);
  });
});

describe("exit and wait", () => {
  it("the parent sees the child's status, and every frame comes back once it is reaped", () => {
    const parent = processByPid(spawnModule(0, 0, true))!;
    const child = processByPid(spawnModule(1, parent.pid, false))!;
    const status = parent.plan.stackTop - 4096; // inside the parent's stack
    processExit(child, 42, ExitHow.Exited);
    expect(child.state).toBe(ProcState.Zombie);
    expect(child.space).toBe(null);
    expect(woken).toEqual([parent.pid]);
    expect(processWait(parent, -1, status)).toBe(child.pid);
    expect(userWord(parent, status)).toBe(42n);
    expect(userWord(parent, status + 8)).toBe(BigInt(ExitHow.Exited));
    expect(processByPid(child.pid)).toBe(null);
    expect(processWait(parent, -1, status)).toBe(-ErrorCode.NoChild);
    processExit(parent, 0, ExitHow.Exited);
    expect(processCount()).toBe(0);
    expect(m.frames.freeFrames).toBe(m.baseline);
  });

  it("blocks while the child runs and reports a kill with its vector", () => {
    const parent = processByPid(spawnModule(0, 0, true))!;
    const a = spawnModule(1, parent.pid, false);
    const b = spawnModule(1, parent.pid, false);
    const status = parent.plan.stackTop - 4096;
    let blocks = 0;
    onBlock = (p) => {
      expect(p).toBe(parent);
      blocks++;
      processExit(processByPid(b)!, 14, ExitHow.Killed);
    };
    expect(processWait(parent, b, status)).toBe(b);
    expect(blocks).toBe(1);
    expect(userWord(parent, status)).toBe(14n);
    expect(userWord(parent, status + 8)).toBe(BigInt(ExitHow.Killed));
    expect(processByPid(a)!.state).toBe(ProcState.Running);
    expect(processWait(parent, 999, status)).toBe(-ErrorCode.NoChild);
  });

  it("refuses a status pointer outside the user half before anything else", () => {
    const parent = processByPid(spawnModule(0, 0, true))!;
    spawnModule(1, parent.pid, false);
    expect(processWait(parent, -1, -0x80000000)).toBe(-ErrorCode.BadAddress);
    expect(processWait(parent, -1, 8)).toBe(-ErrorCode.BadAddress);
  });

  it("frees an orphan's slot when it exits and a parentless process at once", () => {
    const parent = processByPid(spawnModule(0, 0, true))!;
    const child = processByPid(spawnModule(1, parent.pid, false))!;
    const zombie = processByPid(spawnModule(1, parent.pid, false))!;
    processExit(zombie, 1, ExitHow.Exited);
    processExit(parent, 0, ExitHow.Exited);
    expect(processByPid(parent.pid)).toBe(null); // no parent of its own: nobody to collect it
    expect(processByPid(zombie.pid)).toBe(null); // its parent is gone: reaped with it
    expect(child.parent).toBe(0);
    processExit(child, 3, ExitHow.Exited);
    expect(processCount()).toBe(0);
    expect(m.frames.freeFrames).toBe(m.baseline);
  });

  it("releases the page tables and loaded pages of the space", () => {
    const p = processByPid(spawnModule(1, 0, false))!;
    const pages = p.plan.pages;
    expect(m.baseline - m.frames.freeFrames).toBeGreaterThanOrEqual(pages + 4);
    expect(translate(p.space!, p.plan.stackTop - PAGE_SIZE)).toBeGreaterThanOrEqual(0);
    processExit(p, 0, ExitHow.Exited);
    expect(m.frames.freeFrames).toBe(m.baseline);
  });
});
