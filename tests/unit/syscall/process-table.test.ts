// The process table object through the system calls: made from the device control object only,
// it reads every process's record by slot (Read) and kills by pid (Manage). Bad slots, unknown
// pids, the caller itself, missing rights and other objects get their documented errors.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ErrorCode } from "../../../abi/errors.ts";
import { Method } from "../../../abi/message.ts";
import { Sys } from "../../../abi/numbers.ts";
import { OBJECT_TYPE_COUNT, ObjectType } from "../../../abi/object-type.ts";
import { Pool } from "../../../kernel/cap/counters.ts";
import {
  PROC_NAME_BYTES, PROCESS_SLOTS, ProcRunState, ProcWord, procCountsCaps, procCountsState, procCountsThreads,
} from "../../../abi/process-table.ts";
import { Right, RIGHTS_ALL } from "../../../abi/rights.ts";
import { fakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { BootInfo } from "../../../kernel/boot/bootinfo.ts";
import { deviceControlCreate, deviceControlInit } from "../../../kernel/object/device-control.ts";
import { irqLinesInit } from "../../../kernel/object/irq-line.ts";
import { MAX_PROCESSES } from "../../../kernel/proc/limits.ts";
import { type Process, processByPid, ProcState, setThreadKiller } from "../../../kernel/proc/process.ts";
import { procCaps } from "../../../kernel/proc/proc-caps.ts";
import { killThread } from "../../../kernel/sched/scheduler.ts";
import { HEAP, NEVER_RETURNED, readMsg, spawnWith, startProcess, sys, UNMAPPED, useSim, whileBlocked, writeMsg } from "./machine.ts";

useSim({ beforeEach, afterEach });

beforeEach(() => {
  // As the kernel installs it: a kill ends the victim's threads in the scheduler too.
  setThreadKiller((tid) => {
    killThread(tid);
  });
});
afterEach(() => {
  setThreadKiller(() => {});
});

const FIRST = 4096;
const MSG = HEAP + 1024;
const identify = (type: number, rights: number) => type * 256 + rights;

/** Boot information without memory map or framebuffer (made once: not a per-test allocation). */
const INFO = new BootInfo(0, 0);

function startInit(): Process {
  fakeCpu.msrs.set(0x1b, 0xfee00900n);
  deviceControlInit(INFO);
  irqLinesInit(24);
  const p = startProcess(1, true);
  expect(deviceControlCreate(procCaps(p)!.table)).toBe(FIRST);
  return p;
}

function invoke(p: Process, h: number, label: number, ...words: number[]): { r: number; words: bigint[] } {
  writeMsg(p, MSG, { label, words });
  const r = sys(p, Sys.Invoke, h, MSG) + 0;
  return { r, words: readMsg(p, MSG).words };
}

function claim(p: Process, h: number, label: number, ...words: number[]): number {
  const a = invoke(p, h, label, ...words);
  return a.r < 0 ? a.r : Number(a.words[0]!);
}

function nameOf(w0: bigint, w1: bigint): string {
  let s = "";
  for (let i = 0; i < PROC_NAME_BYTES; i++) {
    const b = Number(((i < 8 ? w0 : w1) >> BigInt((i % 8) * 8)) & 0xffn);
    if (b === 0) break;
    s += String.fromCharCode(b);
  }
  return s;
}

class Row {
  constructor(
    public pid: number,
    public name: string,
    public state: number,
    public threads: number,
    public caps: number,
    public used: number,
    public limit: number,
  ) {}
}

/** Every record the holder of `h` reads, slot by slot. */
function records(p: Process, h: number): Row[] {
  const rows: Row[] = [];
  for (let slot = 0; slot < PROCESS_SLOTS; slot++) {
    const a = invoke(p, h, Method.ProcessRecord, slot);
    if (a.r === -ErrorCode.NotFound) continue;
    expect(a.r).toBe(0);
    const w = a.words.map((x) => Number(x));
    const c = w[ProcWord.Counts]!;
    rows.push(new Row(w[ProcWord.Pid]!, nameOf(a.words[ProcWord.Name0]!, a.words[ProcWord.Name1]!),
      procCountsState(c), procCountsThreads(c), procCountsCaps(c), w[ProcWord.MemoryUsed]!, w[ProcWord.MemoryLimit]!));
  }
  return rows;
}

describe("process table capabilities", () => {
  it("are made from the device control object only, with Manage", () => {
    const init = startInit();
    expect(PROCESS_SLOTS).toBe(MAX_PROCESSES);
    // Object types index the live counters below the other pools.
    expect(ObjectType.ProcessTable).toBeLessThan(OBJECT_TYPE_COUNT);
    expect(OBJECT_TYPE_COUNT).toBeLessThanOrEqual(Pool.Capability);
    const pt = claim(init, FIRST, Method.ProcessTableCreate);
    expect(pt).toBeGreaterThan(0);
    expect(sys(init, Sys.CapIdentify, pt)).toBe(identify(ObjectType.ProcessTable, RIGHTS_ALL));
    const weak = sys(init, Sys.CapCopy, FIRST, Right.Read | Right.Write);
    expect(invoke(init, weak, Method.ProcessTableCreate).r).toBe(-ErrorCode.MissingRights);
    const n = sys(init, Sys.NotificationCreate);
    expect(invoke(init, n, Method.ProcessRecord, 0).r).toBe(-ErrorCode.WrongType);
    expect(invoke(init, n, Method.ProcessKillPid, 1, 0).r).toBe(-ErrorCode.WrongType);
    expect(invoke(init, pt, Method.PowerCreate).r).toBe(-ErrorCode.WrongType);
    expect(invoke(init, pt, Method.PowerOff).r).toBe(-ErrorCode.WrongType);
  });

  it("read each process's pid, name, state, threads, capabilities and kernel memory", () => {
    const init = startInit();
    const pt = claim(init, FIRST, Method.ProcessTableCreate);
    const shell = spawnWith(init, [pt], 1, 1 << 18);
    const rows = records(shell, FIRST);
    expect(rows.map((r) => r.pid)).toEqual([init.pid, shell.pid]);
    for (const row of rows) {
      const p = processByPid(row.pid)!;
      const pc = procCaps(p)!;
      expect(row.name).toBe("prog");
      expect(row.state).toBe(ProcRunState.Running);
      expect(row.threads).toBe(1);
      expect(row.caps).toBe(pc.table.used);
      expect(row.used).toBe(pc.account.used);
      expect(row.limit).toBe(pc.account.limit);
      expect(row.used).toBeGreaterThan(0);
    }
    expect(rows[1]!.limit).toBe(1 << 18);
    expect(rows[1]!.caps).toBe(1);
  });

  it("refuse bad slots and missing rights, and report empty slots as NotFound", () => {
    const init = startInit();
    const pt = claim(init, FIRST, Method.ProcessTableCreate);
    for (const bad of [-1, PROCESS_SLOTS, 2 ** 31, 2 ** 53 - 1]) {
      expect(invoke(init, pt, Method.ProcessRecord, bad).r).toBe(-ErrorCode.InvalidArgument);
    }
    expect(invoke(init, pt, Method.ProcessRecord, (init.pid + 5) % PROCESS_SLOTS).r).toBe(-ErrorCode.NotFound);
    const manageOnly = sys(init, Sys.CapCopy, pt, Right.Manage);
    expect(invoke(init, manageOnly, Method.ProcessRecord, 1).r).toBe(-ErrorCode.MissingRights);
    const readOnly = sys(init, Sys.CapCopy, pt, Right.Read);
    expect(invoke(init, readOnly, Method.ProcessRecord, init.pid % PROCESS_SLOTS).r).toBe(0);
    expect(invoke(init, readOnly, Method.ProcessKillPid, 99, 0).r).toBe(-ErrorCode.MissingRights);
    expect(invoke(init, pt, Method.ProcessTableCreate).r).toBe(-ErrorCode.WrongType);
    expect(invoke(init, pt, 999).r).toBe(-ErrorCode.InvalidArgument);
    // A message buffer the caller cannot write, or none at all.
    expect(sys(init, Sys.Invoke, pt, UNMAPPED)).toBe(-ErrorCode.BadAddress);
    expect(sys(init, Sys.Invoke, pt, 0)).toBe(-ErrorCode.BadAddress);
    expect(sys(init, Sys.Invoke, 12345, MSG)).toBe(-ErrorCode.InvalidHandle);
    // Revoked with the rest of what init gave.
    const shell = spawnWith(init, [pt]);
    expect(sys(init, Sys.CapRevoke, pt)).toBe(0);
    expect(invoke(shell, FIRST, Method.ProcessRecord, 0).r).toBe(-ErrorCode.Revoked);
  });

  it("kill by pid: unknown pids, the caller itself and zombies are errors; a kill leaves a zombie for the parent", () => {
    const init = startInit();
    const pt = claim(init, FIRST, Method.ProcessTableCreate);
    const shell = spawnWith(init, [pt]);
    const victim = spawnWith(init, []);
    for (const bad of [0, -1, 99, 2 ** 31, 2 ** 53 - 1]) {
      expect(invoke(shell, FIRST, Method.ProcessKillPid, bad, 0).r).toBe(-ErrorCode.NotFound);
    }
    expect(invoke(shell, FIRST, Method.ProcessKillPid, shell.pid, 0).r).toBe(-ErrorCode.InvalidArgument);
    expect(invoke(shell, FIRST, Method.ProcessKillPid, victim.pid, 9).r).toBe(0);
    expect(victim.state).toBe(ProcState.Zombie);
    const row = records(shell, FIRST).find((r) => r.pid === victim.pid)!;
    expect(row.state).toBe(ProcRunState.Zombie);
    expect(row.threads).toBe(0);
    expect(row.caps).toBe(0);
    expect(invoke(shell, FIRST, Method.ProcessKillPid, victim.pid, 9).r).toBe(-ErrorCode.ProcessExited);
    // init collects the status the killer gave.
    const status = HEAP + 0x800;
    expect(sys(init, Sys.Wait, victim.pid, status)).toBe(victim.pid);
    expect(invoke(shell, FIRST, Method.ProcessKillPid, victim.pid, 9).r).toBe(-ErrorCode.NotFound);
    // The shell may kill init too: the kernel leaves that policy to whoever holds the capability.
    expect(invoke(shell, FIRST, Method.ProcessKillPid, init.pid, 0).r).toBe(0);
    expect(processByPid(init.pid)).toBe(null);
  });

  it("show a process whose every thread waits as blocked, and kill it there", () => {
    const init = startInit();
    const pt = claim(init, FIRST, Method.ProcessTableCreate);
    const victim = spawnWith(init, []);
    const n = sys(victim, Sys.NotificationCreate);
    let seen = -1;
    let killed = -1;
    whileBlocked(() => {
      seen = records(init, pt).find((r) => r.pid === victim.pid)!.state;
      killed = invoke(init, pt, Method.ProcessKillPid, victim.pid, 15).r;
    });
    expect(sys(victim, Sys.NotificationWait, n, -1)).toBe(NEVER_RETURNED);
    expect(seen).toBe(ProcRunState.Blocked);
    expect(killed).toBe(0);
    expect(victim.state).toBe(ProcState.Zombie);
    expect(victim.exitStatus).toBe(15);
    expect(records(init, pt).find((r) => r.pid === init.pid)!.state).toBe(ProcRunState.Running);
  });
});
