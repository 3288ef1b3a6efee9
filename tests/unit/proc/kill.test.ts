// process_kill on the simulated machine: the Process capability spawn_caps hands out, the errors of
// a kill, and a kill of a process blocked in receive, in call, or serving a call, which must leave
// nothing behind. The victim's blocking is the IPC layer's own (its waiter queued on an object);
// the scheduler's side of a kill is tested in tests/unit/sched/scheduler.test.ts.
import { beforeEach, describe, expect, it } from "vitest";
import { load64 } from "../../../lang/mem.ts";
import { physToVirt } from "../../../kernel/arch/x86_64/layout.ts";
import { translate } from "../../../kernel/arch/x86_64/paging.ts";
import { ErrorCode } from "../../../abi/errors.ts";
import { lookupCap } from "../../../kernel/cap/cap-table.ts";
import { capCopy } from "../../../kernel/cap/cdt.ts";
import { Right, RIGHTS_ALL } from "../../../abi/rights.ts";
import { ObjectType } from "../../../abi/object-type.ts";
import { ExitHow } from "../../../abi/process.ts";
import { Timeout, UMsg } from "../../../abi/message.ts";
import { endpointReceive, endpointReceiveWait } from "../../../kernel/object/endpoint.ts";
import { Message } from "../../../kernel/cap/message.ts";
import { endpointCall } from "../../../kernel/object/reply.ts";
import { FOREVER, WaitState } from "../../../kernel/cap/waiter.ts";
import {
  Process, ProcState, processByPid, processCount, processInit, setThreadKiller, spawnModule,
} from "../../../kernel/proc/process.ts";
import { writeUserNumber } from "../../../kernel/proc/user-copy.ts";
import { Sys } from "../../../abi/numbers.ts";
import { Machine, makeMachine, takeSerial } from "./harness.ts";
import { setWakeHook } from "../../../kernel/cap/waiter.ts";
import { wakeWaiterThread } from "../../../kernel/proc/user-thread.ts";
import { ProcCaps, procCapsIfAny } from "../../../kernel/proc/proc-caps.ts";
import { setSyscallHooks } from "../../../kernel/syscall/process-calls.ts";
import { syscallDispatch } from "../../../kernel/syscall/entry.ts";

const HEAP = 0x10000000;
const HANDLES = HEAP;
const PROC_OUT = HEAP + 64;
const STATUS = HEAP + 128;
const MSG = HEAP + 256;
const PROG = 1;
const QUOTA = 65536;

let m: Machine;
let init: Process;
let exits: Array<[number, number, number]>;
let killedThreads: number[];

/** A system call; -0 (a negated Ok on the host) reads as 0, as rax does. */
function sys(p: Process, n: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0): number {
  return syscallDispatch(p, n, a0, a1, a2, a3, a4, a5) + 0;
}

function word(p: Process, addr: number): number {
  return Number(load64(physToVirt(translate(p.space!, addr))));
}

function caps(p: Process): ProcCaps {
  return procCapsIfAny(p)!;
}

class Child {
  constructor(readonly proc: Process, readonly handle: number) {}
}

/** Starts PROG from init with copies of `handles`; the child and init's Process capability. */
function spawnChild(handles: number[]): Child {
  handles.forEach((h, i) => writeUserNumber(init.space!, HANDLES + 8 * i, h));
  const pid = sys(init, Sys.SpawnCaps, PROG, HANDLES, handles.length, QUOTA, 0, PROC_OUT);
  expect(pid).toBeGreaterThan(0);
  return new Child(processByPid(pid)!, word(init, PROC_OUT));
}

function objects(): number {
  return sys(init, Sys.KernelObjects);
}

/** Reaps `pid` from init: [status, how]. */
function reap(pid: number): [number, number] {
  expect(sys(init, Sys.Wait, pid, STATUS)).toBe(pid);
  return [word(init, STATUS), word(init, STATUS + 8)];
}

beforeEach(() => {
  setWakeHook(wakeWaiterThread);
  m = makeMachine();
  let tid = 1;
  processInit(m.frames, m.kernel, m.info, () => tid++, () => {}, () => {});
  exits = [];
  killedThreads = [];
  setSyscallHooks((p, status, how) => exits.push([p.pid, status, how]), () => {});
  setThreadKiller((t) => killedThreads.push(t));
  init = processByPid(spawnModule(0, 0, true))!;
  expect(sys(init, Sys.Map, HEAP, 4096, 1)).toBe(0);
  expect(sys(init, Sys.KernelObjects)).toBeGreaterThanOrEqual(0); // creates init's table
  takeSerial();
});

describe("the Process capability of spawn_caps", () => {
  it("names the child with every right, and only when asked for", () => {
    const c = spawnChild([]);
    expect(sys(init, Sys.CapIdentify, c.handle)).toBe(ObjectType.Process * 256 + RIGHTS_ALL);
    writeUserNumber(init.space!, PROC_OUT, 12345);
    const pid = sys(init, Sys.SpawnCaps, PROG, HANDLES, 0, QUOTA, 0, 0);
    expect(pid).toBeGreaterThan(0);
    expect(word(init, PROC_OUT)).toBe(12345);
  });

  it("refuses a bad output pointer before starting anything", () => {
    const before = processCount();
    const objs = objects();
    for (const bad of [8, HEAP + 4, -0x80000000, 0x7ffffffff000]) {
      expect(sys(init, Sys.SpawnCaps, PROG, HANDLES, 0, QUOTA, 0, bad)).toBe(-ErrorCode.BadAddress);
    }
    expect(processCount()).toBe(before);
    expect(objects()).toBe(objs);
  });

  it("gives nothing back when the spawn itself fails", () => {
    const objs = objects();
    expect(sys(init, Sys.SpawnCaps, 2, HANDLES, 0, QUOTA, 0, PROC_OUT)).toBe(-ErrorCode.BadExecutable);
    expect(objects()).toBe(objs);
  });
});

describe("process_kill errors", () => {
  it("checks the handle, its type and the Manage right, and refuses an ended process", () => {
    const c = spawnChild([]);
    const ep = sys(init, Sys.EndpointCreate, 2);
    const noManage = sys(init, Sys.CapCopy, c.handle, RIGHTS_ALL & ~Right.Manage);
    expect(sys(init, Sys.ProcessKill, 0, 1)).toBe(-ErrorCode.InvalidHandle);
    expect(sys(init, Sys.ProcessKill, 300, 1)).toBe(-ErrorCode.InvalidHandle);
    expect(sys(init, Sys.ProcessKill, c.handle + 4096, 1)).toBe(-ErrorCode.StaleHandle);
    expect(sys(init, Sys.ProcessKill, ep, 1)).toBe(-ErrorCode.WrongType);
    expect(sys(init, Sys.ProcessKill, noManage, 1)).toBe(-ErrorCode.MissingRights);
    expect(c.proc.state).toBe(ProcState.Running);
    expect(killedThreads).toEqual([]);
    // Exited: a zombie, then reaped.
    sys(c.proc, Sys.CapIdentify, 0); // gives the child a table, so its exit has something to release
    expect(sys(init, Sys.ProcessKill, c.handle, 3)).toBe(0);
    expect(sys(init, Sys.ProcessKill, c.handle, 3)).toBe(-ErrorCode.ProcessExited);
    reap(c.proc.pid);
    expect(sys(init, Sys.ProcessKill, c.handle, 3)).toBe(-ErrorCode.ProcessExited);
    expect(sys(init, Sys.ProcessKill, noManage, 3)).toBe(-ErrorCode.MissingRights);
  });

  it("lets a process kill itself, which is its exit reported as a kill", () => {
    const c = spawnChild([]);
    const own = capCopy(caps(init).table, c.handle, caps(c.proc).table, Right.Manage);
    expect(own).toBeGreaterThan(0);
    expect(sys(c.proc, Sys.ProcessKill, own, 9)).toBe(0);
    expect(exits).toEqual([[c.proc.pid, 9, ExitHow.Killed]]);
    expect(killedThreads).toEqual([]);
  });
});

describe("killing a process", () => {
  it("ends a process blocked in receive: thread, wait, capabilities, memory; the parent sees the kill", () => {
    const objs = objects();
    const frames = m.frames.freeFrames;
    const ep = sys(init, Sys.EndpointCreate, 4);
    const sendOnly = sys(init, Sys.CapCopy, ep, Right.Write);
    const c = spawnChild([ep]);
    const cc = caps(c.proc);
    expect(sys(init, Sys.CapDelete, ep)).toBe(0);
    cc.waiter.deadline = FOREVER;
    expect(endpointReceiveWait(cc.table, 4096, cc.waiter)).toBe(ErrorCode.WouldBlock);
    const endpoint = lookupCap(caps(init).table, sendOnly).object.endpoint!;
    expect(endpoint.recvWaiters.count).toBe(1);
    const tid = c.proc.threadId;

    expect(sys(init, Sys.ProcessKill, c.handle, 77)).toBe(0);
    expect(killedThreads).toEqual([tid]);
    expect(endpoint.recvWaiters.count).toBe(0);
    expect(cc.table.blocked).toBe(0);
    expect(procCapsIfAny(c.proc)).toBeNull();
    expect(c.proc.state).toBe(ProcState.Zombie);
    expect(takeSerial()).toContain(`(pid ${c.proc.pid}) killed by pid ${init.pid}, status 77`);
    // Its receive side was the last one: the sender sees the peer closed.
    writeUserNumber(init.space!, MSG + UMsg.Label * 8, 1);
    expect(sys(init, Sys.Send, sendOnly, MSG, Timeout.Poll)).toBe(-ErrorCode.PeerClosed);
    expect(reap(c.proc.pid)).toEqual([77, ExitHow.Killed]);
    expect(sys(init, Sys.CapDelete, sendOnly)).toBe(0);
    expect(sys(init, Sys.CapDelete, c.handle)).toBe(0);
    expect(objects()).toBe(objs);
    expect(m.frames.freeFrames).toBe(frames);
  });

  it("ends a caller whose reply a server holds: the reply capability is revoked with it", () => {
    const objs = objects();
    const ep = sys(init, Sys.EndpointCreate, 4);
    const c = spawnChild([ep]);
    const cc = caps(c.proc);
    const req = new Message();
    req.label = 5;
    cc.waiter.deadline = FOREVER;
    expect(endpointCall(cc.table, 4096, req, cc.waiter)).toBe(ErrorCode.WouldBlock);
    expect(sys(init, Sys.Receive, ep, MSG, Timeout.Poll)).toBe(0);
    const replyHandle = word(init, MSG + UMsg.ReplyHandle * 8);
    expect(sys(init, Sys.CapIdentify, replyHandle) >> 8).toBe(ObjectType.Reply);

    expect(sys(init, Sys.ProcessKill, c.handle, 5)).toBe(0);
    // The reply object was the caller's, paid from its quota: it went with the caller.
    expect(sys(init, Sys.Reply, replyHandle, MSG)).toBe(-ErrorCode.Revoked);
    expect(reap(c.proc.pid)).toEqual([5, ExitHow.Killed]);
    sys(init, Sys.CapDelete, ep);
    sys(init, Sys.CapDelete, c.handle);
    expect(objects()).toBe(objs);
  });

  it("ends a server holding a caller's reply: the caller gets PeerClosed", () => {
    const objs = objects();
    const ep = sys(init, Sys.EndpointCreate, 4);
    const server = spawnChild([ep]);
    const client = spawnChild([ep]);
    const sc = caps(server.proc);
    const cl = caps(client.proc);
    const req = new Message();
    cl.waiter.deadline = FOREVER;
    expect(endpointCall(cl.table, 4096, req, cl.waiter)).toBe(ErrorCode.WouldBlock);
    const got = new Message();
    expect(endpointReceive(sc.table, 4096, got)).toBe(ErrorCode.Ok);
    expect(got.replyHandle).toBeGreaterThan(0);
    sc.waiter.deadline = FOREVER;
    expect(endpointReceiveWait(sc.table, 4096, sc.waiter)).toBe(ErrorCode.WouldBlock);

    expect(sys(init, Sys.ProcessKill, server.handle, 1)).toBe(0);
    expect(cl.waiter.state).toBe(WaitState.Done);
    expect(cl.waiter.result).toBe(ErrorCode.PeerClosed);
    expect(reap(server.proc.pid)).toEqual([1, ExitHow.Killed]);
    expect(sys(init, Sys.ProcessKill, client.handle, 2)).toBe(0);
    expect(reap(client.proc.pid)).toEqual([2, ExitHow.Killed]);
    for (const h of [ep, server.handle, client.handle]) sys(init, Sys.CapDelete, h);
    expect(objects()).toBe(objs);
  });

  it("drains messages queued to it and releases the capabilities in flight", () => {
    const objs = objects();
    const n = sys(init, Sys.NotificationCreate);
    const c = spawnChild([]);
    const own = sys(c.proc, Sys.EndpointCreate, 4);
    const toChild = capCopy(caps(c.proc).table, own, caps(init).table, Right.Write | Right.Grant);
    expect(toChild).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) {
      for (let w = 0; w < UMsg.COUNT; w++) writeUserNumber(init.space!, MSG + w * 8, 0);
      writeUserNumber(init.space!, MSG + UMsg.CapCount * 8, 1);
      writeUserNumber(init.space!, MSG + UMsg.Flags * 8, 1);
      writeUserNumber(init.space!, MSG + UMsg.Handles * 8, n);
      expect(sys(init, Sys.Send, toChild, MSG, Timeout.Poll)).toBe(0);
    }
    const notification = lookupCap(caps(init).table, n).object;
    expect(notification.capCount).toBe(4);

    expect(sys(init, Sys.ProcessKill, c.handle, 0)).toBe(0);
    expect(notification.capCount).toBe(1);
    // The endpoint was the child's: the handle init kept to it is revoked.
    expect(sys(init, Sys.Send, toChild, MSG, Timeout.Poll)).toBe(-ErrorCode.Revoked);
    reap(c.proc.pid);
    sys(init, Sys.CapDelete, n);
    sys(init, Sys.CapDelete, c.handle);
    expect(objects()).toBe(objs);
  });
});
