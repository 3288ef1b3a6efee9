// Threads of one process through the system calls: thread_create and thread_exit, the Thread
// object's methods (join by a bound notification, info, priority), bad input of every kind, the
// thread limit and the quota, revocation of Thread capabilities, IPC from a second thread while
// the first waits, and kills of a process whose threads are blocked in IPC, notification,
// wait-set and timed waits. The fixture's leak checks (objects, frames, every kernel allocation)
// run after each test.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ErrorCode } from "../../../abi/errors.ts";
import { Right, RIGHTS_ALL } from "../../../abi/rights.ts";
import { Sys } from "../../../abi/numbers.ts";
import { ObjectType } from "../../../abi/object-type.ts";
import { Method, PriorityClass } from "../../../abi/message.ts";
import { Process, processByPid, processKill, processOfThread, setThreadKiller } from "../../../kernel/proc/process.ts";
import { procCapsIfAny } from "../../../kernel/proc/proc-caps.ts";
import { MAX_THREADS_PER_PROCESS } from "../../../kernel/proc/limits.ts";
import { THREAD_HEAP_CHARGE, THREAD_STACK_CHARGE } from "../../../kernel/proc/user-thread.ts";
import { killThread, setThreadPriority, threadById } from "../../../kernel/sched/scheduler.ts";
import { Priority } from "../../../kernel/sched/run-queue.ts";
import {
  HEAP, KERNEL_PTR, NEVER_RETURNED, peek64, readMsg, RO_PAGE, sim, startProcess, sys, sysOn, TICK_NS, UNMAPPED, useSim,
  whileBlocked, writeMsg,
} from "./machine.ts";

useSim({ beforeEach, afterEach });

beforeEach(() => {
  // As the kernel installs it: a kill ends the victim's threads in the scheduler too.
  setThreadKiller((tid) => {
    killThread(tid);
  });
});
afterEach(() => {
  setThreadKiller(() => {});
  vi.restoreAllMocks();
});

const TID_OUT = HEAP + 0x800;
const MSG = HEAP + 0x1000;
const STACK = HEAP + 0x3000;
const identify = (type: number, rights: number) => type * 256 + rights;

function entryOf(p: Process): number {
  return p.plan.entry;
}

/** thread_create with a valid entry and stack; the handle and the thread id. */
function create(p: Process, arg = 0): { h: number; tid: number } {
  const h = sys(p, Sys.ThreadCreate, entryOf(p), STACK, arg, TID_OUT);
  if (h <= 0) throw new Error(`thread_create failed: ${h}`);
  return { h, tid: Number(peek64(p, TID_OUT)) };
}

/** invoke(h, label, words) as thread `tid` of p: the result and the answer's words. */
function invoke(p: Process, h: number, label: number, words: number[] = [], tid = p.threadId): { r: number; words: bigint[] } {
  writeMsg(p, MSG, { label, words });
  const r = sysOn(tid, p, Sys.Invoke, h, MSG);
  return { r, words: readMsg(p, MSG).words };
}

function used(p: Process): number {
  return sys(p, Sys.AccountInfo, 1);
}

describe("thread_create", () => {
  it("starts a thread of the same process with a Thread capability and its id", () => {
    const p = startProcess();
    const before = used(p);
    const { h, tid } = create(p, 42);
    expect(sys(p, Sys.CapIdentify, h)).toBe(identify(ObjectType.Thread, RIGHTS_ALL));
    expect(tid).toBeGreaterThan(0);
    expect(tid).not.toBe(p.threadId);
    expect(processOfThread(tid)).toBe(p);
    const t = threadById(tid)!;
    expect(t.spaceRoot).toBe(p.space!.root);
    expect(t.priority).toBe(Priority.Application);
    expect(p.threadCount).toBe(2);
    // Its kernel stack and records, and the object, are charged to the process.
    expect(used(p) - before).toBeGreaterThanOrEqual(THREAD_HEAP_CHARGE + THREAD_STACK_CHARGE);
    const info = invoke(p, h, Method.ThreadInfo);
    expect(info.r).toBe(0);
    expect(info.words.slice(0, 4)).toEqual([BigInt(tid), 0n, 0n, BigInt(Priority.Application)]);
    // The new thread makes calls of its own in the same table.
    expect(sysOn(tid, p, Sys.GetPid)).toBe(p.pid);
    expect(sysOn(tid, p, Sys.CapIdentify, h)).toBe(identify(ObjectType.Thread, RIGHTS_ALL));
  });

  it("refuses bad entries, stacks and id pointers with nothing made", () => {
    const p = startProcess();
    const objects = sys(p, Sys.KernelObjects);
    const before = used(p);
    const e = entryOf(p);
    const bad: Array<[number, number, number, ErrorCode]> = [
      [0, STACK, 0, ErrorCode.BadAddress],
      [KERNEL_PTR, STACK, 0, ErrorCode.BadAddress],
      [UNMAPPED, STACK, 0, ErrorCode.BadAddress],
      [HEAP, STACK, 0, ErrorCode.BadAddress], // writable data, not executable
      [RO_PAGE, STACK, 0, ErrorCode.BadAddress], // mapped no-execute
      [-1, STACK, 0, ErrorCode.BadAddress],
      [2 ** 47, STACK, 0, ErrorCode.BadAddress],
      [e, STACK + 4, 0, ErrorCode.InvalidArgument],
      [e, KERNEL_PTR + 0x1000, 0, ErrorCode.BadAddress],
      [e, UNMAPPED + 0x1000, 0, ErrorCode.BadAddress],
      [e, RO_PAGE + 0x1000, 0, ErrorCode.BadAddress], // the word below is read-only
      [e, 0, 0, ErrorCode.BadAddress],
      [e, STACK, KERNEL_PTR, ErrorCode.BadAddress],
      [e, STACK, TID_OUT + 4, ErrorCode.BadAddress],
      [e, STACK, RO_PAGE, ErrorCode.BadAddress],
      [e, STACK, UNMAPPED, ErrorCode.BadAddress],
    ];
    for (const [entry, stack, out, err] of bad) {
      expect(sys(p, Sys.ThreadCreate, entry, stack, 0, out), `${entry.toString(16)} ${stack.toString(16)} ${out}`).toBe(-err);
    }
    expect(p.threadCount).toBe(1);
    expect(used(p)).toBe(before);
    expect(sys(p, Sys.KernelObjects)).toBe(objects);
  });

  it("stops at MAX_THREADS_PER_PROCESS with NoMemory and names the limit", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const p = startProcess();
    for (let i = 1; i < MAX_THREADS_PER_PROCESS; i++) create(p);
    expect(p.threadCount).toBe(MAX_THREADS_PER_PROCESS);
    const before = used(p);
    expect(sys(p, Sys.ThreadCreate, entryOf(p), STACK, 0, 0)).toBe(-ErrorCode.NoMemory);
    expect(used(p)).toBe(before);
    expect(log.mock.calls.map((c) => String(c[0])).join("\n")).toContain("MAX_THREADS_PER_PROCESS (16)");
  });

  it("is QuotaExceeded when the quota cannot cover the thread, with nothing charged", () => {
    const p = startProcess();
    const pc = procCapsIfAny(p) ?? (sys(p, Sys.AccountInfo, 0), procCapsIfAny(p)!);
    const objects = sys(p, Sys.KernelObjects);
    // Room for the records but not the stack, then for neither.
    pc.account.limit = pc.account.used + THREAD_HEAP_CHARGE + 100;
    expect(sys(p, Sys.ThreadCreate, entryOf(p), STACK, 0, TID_OUT)).toBe(-ErrorCode.QuotaExceeded);
    pc.account.limit = pc.account.used + 100;
    expect(sys(p, Sys.ThreadCreate, entryOf(p), STACK, 0, TID_OUT)).toBe(-ErrorCode.QuotaExceeded);
    // Room for the thread but not its object.
    pc.account.limit = pc.account.used + THREAD_HEAP_CHARGE + THREAD_STACK_CHARGE + 100;
    expect(sys(p, Sys.ThreadCreate, entryOf(p), STACK, 0, TID_OUT)).toBe(-ErrorCode.QuotaExceeded);
    expect(pc.account.used + THREAD_HEAP_CHARGE + THREAD_STACK_CHARGE + 100).toBe(pc.account.limit);
    expect(p.threadCount).toBe(1);
    expect(sys(p, Sys.KernelObjects)).toBe(objects);
    pc.account.limit = 1 << 20;
  });
});

describe("thread_exit and join", () => {
  it("signals the bound notification, keeps the status, and refunds the thread", () => {
    const p = startProcess();
    const n = sys(p, Sys.NotificationCreate);
    const before = used(p);
    const { h, tid } = create(p);
    expect(invoke(p, h, Method.ThreadBind, [n, 4]).r).toBe(0);
    expect(sysOn(tid, p, Sys.ThreadExit, 7)).toBe(0);
    expect(processOfThread(tid)).toBe(null);
    expect(p.threadCount).toBe(1);
    expect(sys(p, Sys.NotificationWait, n, 0)).toBe(4);
    const info = invoke(p, h, Method.ThreadInfo);
    expect(info.words.slice(0, 3)).toEqual([0n, 1n, 7n]);
    // Only the object is left charged; deleting it refunds the rest.
    expect(sys(p, Sys.CapDelete, h)).toBe(0);
    expect(used(p)).toBe(before);
    expect(processByPid(p.pid)).toBe(p);
  });

  it("a join bound after the end is signalled at once; the creator blocks until the end", () => {
    const p = startProcess();
    const n = sys(p, Sys.NotificationCreate);
    const a = create(p);
    sysOn(a.tid, p, Sys.ThreadExit, 3);
    expect(invoke(p, a.h, Method.ThreadBind, [n, 1]).r).toBe(0);
    expect(sys(p, Sys.NotificationWait, n, 0)).toBe(1);
    const b = create(p);
    expect(invoke(p, b.h, Method.ThreadBind, [n, 2]).r).toBe(0);
    whileBlocked(() => {
      expect(sysOn(b.tid, p, Sys.ThreadExit, 5)).toBe(0);
    });
    expect(sys(p, Sys.NotificationWait, n, -1)).toBe(2);
  });

  it("the last thread's exit ends the process, whichever thread it is", () => {
    const p = startProcess();
    const { tid } = create(p);
    const first = p.threadId;
    expect(sysOn(first, p, Sys.ThreadExit, 11)).toBe(0);
    expect(p.threadId).toBe(tid);
    expect(processByPid(p.pid)).toBe(p);
    // The one thread left waits with its own waiter (the entry no longer repoints it).
    expect(procCapsIfAny(p)!.waiter.threadId).toBe(tid);
    const n = sysOn(tid, p, Sys.NotificationCreate);
    expect(sysOn(tid, p, Sys.NotificationWait, n, 3 * TICK_NS)).toBe(-ErrorCode.TimedOut);
    expect(sysOn(tid, p, Sys.ThreadExit, 12)).toBe(0);
    expect(sim.exits).toContainEqual([p.pid, 12]);
    expect(processByPid(p.pid)).toBe(null);
  });

  it("exit from any thread ends every thread of the process", () => {
    const p = startProcess();
    const n = sys(p, Sys.NotificationCreate);
    const a = create(p);
    const b = create(p);
    expect(invoke(p, a.h, Method.ThreadBind, [n, 1]).r).toBe(0);
    expect(sysOn(b.tid, p, Sys.Exit, 9)).toBe(0);
    expect(sim.exits).toContainEqual([p.pid, 9]);
    for (const tid of [a.tid, p.threadId]) expect(processOfThread(tid)).toBe(null);
    expect(threadById(a.tid)).toBe(null);
  });

  it("thread_exit of a process that never made a capability call is its exit", () => {
    const p = startProcess();
    expect(sys(p, Sys.ThreadExit, 4)).toBe(0);
    expect(sim.exits).toContainEqual([p.pid, 4]);
  });
});

describe("leaks", () => {
  it("threads made and ended over and over give back every heap byte, object and charge", () => {
    const p = startProcess();
    const n = sys(p, Sys.NotificationCreate);
    const heap0 = sys(p, Sys.AccountInfo, 2);
    const objects0 = sys(p, Sys.KernelObjects);
    const used0 = used(p);
    for (let round = 0; round < 40; round++) {
      const made = [create(p), create(p), create(p)];
      for (const [i, t] of made.entries()) expect(invoke(p, t.h, Method.ThreadBind, [n, 1 << i]).r).toBe(0);
      // Ended by thread_exit, one detached first, one after its capability is gone.
      expect(sys(p, Sys.CapDelete, made[0]!.h)).toBe(0);
      for (const t of made) expect(sysOn(t.tid, p, Sys.ThreadExit, round)).toBe(0);
      expect(sys(p, Sys.NotificationWait, n, 0)).toBe(0b110);
      expect(sys(p, Sys.CapDelete, made[1]!.h)).toBe(0);
      expect(sys(p, Sys.CapDelete, made[2]!.h)).toBe(0);
      expect(sys(p, Sys.AccountInfo, 2)).toBe(heap0);
      expect(sys(p, Sys.KernelObjects)).toBe(objects0);
      expect(used(p)).toBe(used0);
    }
  });

  it("a process killed with its threads at the limit, all blocked, leaves the heap as it was", () => {
    const q = startProcess();
    const heap0 = sys(q, Sys.AccountInfo, 2);
    const objects0 = sys(q, Sys.KernelObjects);
    const p = startProcess();
    const n = sys(p, Sys.NotificationCreate);
    const made: Array<{ h: number; tid: number }> = [];
    for (let i = 1; i < MAX_THREADS_PER_PROCESS; i++) made.push(create(p));
    // Each thread blocks in turn (nested: each block runs the next thread), the last one kills p.
    const results: number[] = [];
    const blockNext = (i: number): void => {
      if (i === made.length) {
        processKill(p, 5, q.pid);
        return;
      }
      whileBlocked(() => blockNext(i + 1));
      results.push(sysOn(made[i]!.tid, p, Sys.NotificationWait, n, i % 2 === 0 ? -1 : 1000 * TICK_NS));
    };
    whileBlocked(() => blockNext(0));
    results.push(sys(p, Sys.NotificationWait, n, -1));
    expect(results.every((r) => Number.isNaN(r))).toBe(true);
    expect(results.length).toBe(MAX_THREADS_PER_PROCESS);
    for (const t of made) expect(threadById(t.tid)).toBe(null);
    expect(sys(q, Sys.KernelObjects)).toBe(objects0);
    expect(sys(q, Sys.AccountInfo, 2)).toBe(heap0);
  });
});

describe("Thread methods", () => {
  it("answer bad handles, wrong types, missing rights and bad arguments with their errors", () => {
    const p = startProcess();
    const n = sys(p, Sys.NotificationCreate);
    const ep = sys(p, Sys.EndpointCreate, 1);
    const { h } = create(p);
    const readOnly = sys(p, Sys.CapCopy, h, Right.Read);
    const noRead = sys(p, Sys.CapCopy, h, Right.Manage);
    const sigless = sys(p, Sys.CapCopy, n, Right.Read);
    const cases: Array<[number, number, number[], ErrorCode]> = [
      [h + 7, Method.ThreadInfo, [], ErrorCode.InvalidHandle],
      [h + 4096, Method.ThreadInfo, [], ErrorCode.StaleHandle],
      [n, Method.ThreadInfo, [], ErrorCode.WrongType],
      [n, Method.ThreadSetPriority, [2], ErrorCode.WrongType],
      [h, Method.TimerSet, [0, 0], ErrorCode.WrongType],
      [h, 999, [], ErrorCode.InvalidArgument],
      [noRead, Method.ThreadInfo, [], ErrorCode.MissingRights],
      [readOnly, Method.ThreadSetPriority, [2], ErrorCode.MissingRights],
      [readOnly, Method.ThreadBind, [n, 1], ErrorCode.MissingRights],
      [h, Method.ThreadBind, [ep, 1], ErrorCode.WrongType],
      [h, Method.ThreadBind, [sigless, 1], ErrorCode.MissingRights],
      [h, Method.ThreadBind, [n + 99, 1], ErrorCode.InvalidHandle],
      [h, Method.ThreadBind, [n, 0], ErrorCode.InvalidArgument],
      [h, Method.ThreadBind, [n, 2 ** 48], ErrorCode.InvalidArgument],
      [h, Method.ThreadSetPriority, [4], ErrorCode.InvalidArgument],
      [h, Method.ThreadSetPriority, [-1], ErrorCode.InvalidArgument],
      [h, Method.ThreadSetPriority, [PriorityClass.Driver], ErrorCode.PermissionDenied],
      [h, Method.ThreadSetPriority, [PriorityClass.Server], ErrorCode.PermissionDenied],
    ];
    for (const [target, label, words, err] of cases) expect(invoke(p, target, label, words).r, `${label} ${words}`).toBe(-err);
  });

  it("priority stays within the process's class: down and back up to it, never above", () => {
    const p = startProcess();
    // A server process: its first thread runs in its class (the host scheduler then picks it, as
    // the class it is, over the application threads of the fixture).
    p.priority = Priority.Server;
    setThreadPriority(p.threadId, Priority.Server);
    const { h, tid } = create(p);
    const t = threadById(tid)!;
    expect(t.priority).toBe(Priority.Server);
    expect(invoke(p, h, Method.ThreadSetPriority, [PriorityClass.Driver]).r).toBe(-ErrorCode.PermissionDenied);
    // The thread itself holds its capability's copy in the same table: no more than its creator.
    expect(invoke(p, h, Method.ThreadSetPriority, [PriorityClass.Driver], tid).r).toBe(-ErrorCode.PermissionDenied);
    expect(invoke(p, h, Method.ThreadSetPriority, [PriorityClass.Background]).r).toBe(0);
    expect(t.priority).toBe(Priority.Idle);
    expect(invoke(p, h, Method.ThreadInfo).words[3]).toBe(BigInt(PriorityClass.Background));
    expect(invoke(p, h, Method.ThreadSetPriority, [PriorityClass.Server]).r).toBe(0);
    expect(t.priority).toBe(Priority.Server);
    sysOn(tid, p, Sys.ThreadExit, 0);
    expect(invoke(p, h, Method.ThreadSetPriority, [PriorityClass.Application]).r).toBe(-ErrorCode.ProcessExited);
    // The host keeps an exited thread's scheduler thread until the teardown: back to the fixture's class.
    setThreadPriority(tid, Priority.Application);
    setThreadPriority(p.threadId, Priority.Application);
  });

  it("revoking a Thread capability leaves copies Revoked and the thread running; the last one going detaches it", () => {
    const p = startProcess();
    const { h, tid } = create(p);
    const copy = sys(p, Sys.CapCopy, h, RIGHTS_ALL);
    expect(sys(p, Sys.CapRevoke, h)).toBe(0);
    expect(invoke(p, copy, Method.ThreadInfo).r).toBe(-ErrorCode.Revoked);
    expect(invoke(p, h, Method.ThreadInfo).r).toBe(0);
    expect(sys(p, Sys.CapDelete, h)).toBe(0);
    expect(processOfThread(tid)).toBe(p);
    expect(sysOn(tid, p, Sys.GetPid)).toBe(p.pid);
    expect(sysOn(tid, p, Sys.ThreadExit, 1)).toBe(0);
    expect(p.threadCount).toBe(1);
  });

  it("a Thread capability held by another process reports Revoked once the thread's process is gone", () => {
    const p = startProcess();
    const q = startProcess();
    sys(q, Sys.AccountInfo, 0);
    const { h } = create(p);
    const held = capCopyAcross(procCapsIfAny(p)!, h, procCapsIfAny(q)!);
    expect(invoke(q, held, Method.ThreadInfo).r).toBe(0);
    processKill(p, 3, q.pid);
    expect(processByPid(p.pid)).toBe(null);
    // The object was paid for by p: its reclaim destroys it wherever its capabilities are.
    expect(invoke(q, held, Method.ThreadInfo).r).toBe(-ErrorCode.Revoked);
  });
});

describe("IPC and kills with several threads", () => {
  it("a call from thread B is answered while thread A waits on a notification", () => {
    const s = startProcess();
    const p = startProcess();
    const ep = sys(s, Sys.EndpointCreate, 4);
    sys(p, Sys.AccountInfo, 0);
    const client = capCopyAcross(procCapsIfAny(s)!, ep, procCapsIfAny(p)!);
    const n = sys(p, Sys.NotificationCreate);
    const b = create(p);
    let callResult = -1;
    whileBlocked(() => {
      // A waits in notification_wait; B calls the server.
      writeMsg(p, MSG, { label: 5, words: [21] });
      whileBlocked(() => {
        expect(sys(s, Sys.Receive, ep, HEAP, 0)).toBe(0);
        const got = readMsg(s, HEAP);
        expect(got.label).toBe(5);
        expect(got.words[0]).toBe(21n);
        writeMsg(s, HEAP + 0x200, { label: 0, words: [42] });
        expect(sys(s, Sys.Reply, got.replyHandle, HEAP + 0x200)).toBe(0);
      });
      callResult = sysOn(b.tid, p, Sys.Call, client, MSG, -1);
      expect(readMsg(p, MSG).words[0]).toBe(42n);
      expect(sysOn(b.tid, p, Sys.Signal, n, 8)).toBe(0);
    });
    expect(sys(p, Sys.NotificationWait, n, -1)).toBe(8);
    expect(callResult).toBe(0);
  });

  it("a kill ends threads blocked in a notification, a timed receive, a wait set and a call", () => {
    const p = startProcess();
    const s = startProcess();
    const sep = sys(s, Sys.EndpointCreate, 2);
    const objects0 = sys(s, Sys.KernelObjects);
    const sBefore = sys(s, Sys.AccountInfo, 1);
    const n = sys(p, Sys.NotificationCreate);
    const ep = sys(p, Sys.EndpointCreate, 2);
    const ws = sys(p, Sys.WaitSetCreate, 4);
    expect(sys(p, Sys.WaitSetAdd, ws, n, 1, 0)).toBe(0);
    const client = capCopyAcross(procCapsIfAny(s)!, sep, procCapsIfAny(p)!);
    const a = create(p);
    const b = create(p);
    const c = create(p);
    const tids = [p.threadId, a.tid, b.tid, c.tid];
    const results: number[] = [];
    whileBlocked(() => {
      whileBlocked(() => {
        whileBlocked(() => {
          // Every thread of p is blocked (the first one too, in its notification wait): kill p.
          processKill(p, 77, s.pid);
        });
        writeMsg(p, MSG + 0x200, { label: 1 });
        results.push(sysOn(c.tid, p, Sys.Call, client, MSG + 0x200, -1));
      });
      results.push(sysOn(b.tid, p, Sys.WaitSetWait, ws, -1, HEAP + 0x600, 4));
    });
    whileBlocked(() => {
      results.push(sysOn(a.tid, p, Sys.Receive, ep, MSG, 5 * TICK_NS * 1000));
    });
    results.push(sys(p, Sys.NotificationWait, n, -1));
    expect(results).toEqual([NEVER_RETURNED, NEVER_RETURNED, NEVER_RETURNED, NEVER_RETURNED]);
    expect(processByPid(p.pid)).toBe(null);
    for (const tid of tids) {
      expect(processOfThread(tid)).toBe(null);
      expect(threadById(tid)).toBe(null);
    }
    // p's call stays queued without its reply capability (the reply object was p's); then s has
    // what it had.
    expect(sys(s, Sys.Receive, sep, HEAP, 0)).toBe(0);
    expect(readMsg(s, HEAP).replyHandle).toBe(0);
    expect(sys(s, Sys.KernelObjects)).toBe(objects0);
    expect(sys(s, Sys.AccountInfo, 1)).toBe(sBefore);

  });
});

import { capCopy } from "../../../kernel/cap/cdt.ts";
import type { ProcCaps } from "../../../kernel/proc/proc-caps.ts";

/** A copy of `h` in `from`'s table into `to`'s (as a message transfer or spawn_caps would put it). */
function capCopyAcross(from: ProcCaps, h: number, to: ProcCaps): number {
  const r = capCopy(from.table, h, to.table, RIGHTS_ALL);
  if (r <= 0) throw new Error(`copy failed: ${r}`);
  return r;
}
