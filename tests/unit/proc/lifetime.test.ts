// Many short-lived processes, spawned and reaped through the system calls, each using what a
// process typically uses (a capability table, endpoints, a call and its reply, notifications, a
// wait set, a memory object mapped in two spaces, anonymous memory), some exiting, some killed,
// some never started. Afterwards every kind of kernel allocation (objects, arrays, typed arrays,
// counted per type as the hosted C runtime counts them: lang/host/allocations.ts) must
// be back at its baseline: under Node a missing `release` is otherwise invisible, and in the
// kernel it is memory lost for good with every process.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { allocationDelta, liveAllocations } from "../../../lang/host/allocations.ts";
import { Right } from "../../../abi/rights.ts";
import { ExitHow } from "../../../abi/process.ts";
import { processByPid, processCount } from "../../../kernel/proc/process.ts";
import { ErrorCode } from "../../../abi/errors.ts";
import { Sys } from "../../../abi/numbers.ts";
import {
  exitAll, HEAP, liveObjects, peek64, readMsg, SCRATCH, sim, spawnWith, startProcess, sys, useSim, whileBlocked, writeMsg,
} from "../syscall/machine.ts";

useSim({ beforeEach, afterEach });

const FIRST = 4096;
const OUT = HEAP + 512;
const STATUS = HEAP + 1024;
const PROC_OUT = HEAP + 1040;
const SHARED = 0x20000000;
const ANON = 0x30000000;
const ROUNDS = 120;

describe("process lifetime", () => {
  it(`${ROUNDS} processes spawned and reaped leave every kind of allocation at its baseline`, () => {
    const init = startProcess(1, true);
    const ep = sys(init, Sys.EndpointCreate, 4);
    const send = sys(init, Sys.CapCopy, ep, Right.Write | Right.Grant | Right.Duplicate);
    const exitNote = sys(init, Sys.NotificationCreate);
    // The first round creates what lives on in module state (init's table, pools); count after it.
    let before: Record<string, number> = {};
    for (let round = 0; round <= ROUNDS; round++) {
      if (round === 1) before = liveAllocations();
      const mem = sys(init, Sys.MemoryCreate, 2);
      const child = spawnWith(init, [send, mem], 0, 1 << 18, exitNote);
      // The child's own objects, and a wait set watching them.
      const n = sys(child, Sys.NotificationCreate);
      const own = sys(child, Sys.EndpointCreate, 2);
      const ws = sys(child, Sys.WaitSetCreate, 4);
      expect(sys(child, Sys.WaitSetAdd, ws, n, 1, 0)).toBe(0);
      expect(sys(child, Sys.WaitSetAdd, ws, own, 2, 0)).toBe(0);
      expect(sys(child, Sys.Signal, n, 1)).toBe(0);
      expect(sys(child, Sys.WaitSetWait, ws, 0, SCRATCH, 4)).toBe(1);
      expect(sys(child, Sys.CapMint, own, Right.Write, round + 1)).toBeGreaterThan(0);
      // Shared and anonymous memory.
      expect(sys(child, Sys.MemoryMap, FIRST + 1, SHARED, 3)).toBe(0);
      expect(sys(child, Sys.Map, ANON, 2 * 4096, 1)).toBe(0);
      // A call to init carrying a capability, answered with a reply.
      whileBlocked(() => {
        expect(sys(init, Sys.Receive, ep, OUT, 0)).toBe(0);
        const req = readMsg(init, OUT);
        expect(req.capCount).toBe(1);
        expect(sys(init, Sys.CapDelete, req.handles[0]!)).toBe(0);
        writeMsg(init, HEAP, { label: 0, words: [round] });
        expect(sys(init, Sys.Reply, req.replyHandle, HEAP)).toBe(0);
      });
      writeMsg(child, HEAP, { label: 7, handles: [n] });
      expect(sys(child, Sys.Call, FIRST, HEAP, -1)).toBe(0);
      expect(readMsg(child, HEAP).words[0]).toBe(BigInt(round));
      // A message left queued on the child's endpoint, with a capability in flight.
      writeMsg(child, HEAP, { label: 1, handles: [ws] });
      expect(sys(child, Sys.Send, own, HEAP, 0)).toBe(0);
      // Exits, or is killed by its parent; the parent reaps it either way.
      if (round % 3 === 2) {
        const victim = spawnWith(init, [], 0, 1 << 16);
        expect(sys(init, Sys.SpawnCaps, 1, SCRATCH, 0, 1 << 16, 0, PROC_OUT)).toBeGreaterThan(0);
        const handle = Number(peek64(init, PROC_OUT));
        expect(sys(init, Sys.ProcessKill, handle, 9)).toBe(0);
        expect(sys(init, Sys.CapDelete, handle)).toBe(0);
        expect(sys(init, Sys.Wait, -1, STATUS)).toBeGreaterThan(0);
        expect(peek64(init, STATUS + 8)).toBe(BigInt(ExitHow.Killed));
        sys(victim, Sys.Exit, 0);
        expect(sys(init, Sys.Wait, victim.pid, STATUS)).toBe(victim.pid);
      }
      sys(child, Sys.Exit, round);
      expect(processByPid(child.pid)).not.toBeNull();
      expect(sys(init, Sys.Wait, child.pid, STATUS)).toBe(child.pid);
      expect(peek64(init, STATUS)).toBe(BigInt(round));
      expect(sys(init, Sys.NotificationWait, exitNote, 0)).toBe(1);
      expect(sys(init, Sys.CapDelete, mem)).toBe(0);
      // A module that is not a program: refused, nothing kept.
      expect(sys(init, Sys.Spawn, 2)).toBe(-ErrorCode.BadExecutable);
      sim.procs = sim.procs.filter((p) => processByPid(p.pid) === p);
      liveObjects(); // ends the threads of the processes that ended
    }
    expect(processCount()).toBe(1);
    expect(allocationDelta(before, liveAllocations())).toEqual({});
    exitAll();
  });
});
