// Notification, wait-set, invoke, batch, memory-object, spawn_caps and accounting system calls
// through syscallDispatch, with real processes' address spaces.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hostHeap } from "../../../lang/host/heap.ts";
import { ErrorCode } from "../../../abi/errors.ts";
import { Right, RIGHTS_ALL } from "../../../abi/rights.ts";
import { PAGE_SIZE } from "../../../kernel/arch/x86_64/layout.ts";
import { pageFlags, PageFlags, translate } from "../../../kernel/arch/x86_64/paging.ts";
import { allocFrame, freeFrame } from "../../../kernel/mm/frame-allocator.ts";
import { ExitHow, processByPid, processCount, processExit, spawnModule } from "../../../kernel/proc/process.ts";
import { Sys } from "../../../abi/numbers.ts";
import { SPAWN_CLASS_SHIFT, SpawnFlag, spawnClassFlags } from "../../../abi/process.ts";
import { PriorityClass } from "../../../abi/message.ts";
import { Priority } from "../../../kernel/sched/run-queue.ts";
import {
  adopt, HEAP, liveObjects, peek64, poke64, readMsg, SCRATCH, sim, spawnWith, startProcess, sys, TICK_NS, useSim, whileBlocked, writeMsg,
} from "./machine.ts";
import { ObjectType } from "../../../abi/object-type.ts";

useSim({ beforeEach, afterEach });

const FIRST = 4096;
const OUT = HEAP + 512;
const identify = (type: number, rights: number) => type * 256 + rights;

describe("notifications", () => {
  it("signal ORs bits (or the badge), wait takes and clears them, polling finds QueueEmpty", () => {
    const p = startProcess();
    const n = sys(p, Sys.NotificationCreate);
    expect(sys(p, Sys.CapIdentify, n)).toBe(identify(ObjectType.Notification, RIGHTS_ALL));
    expect(sys(p, Sys.Signal, n, 0b0101)).toBe(0);
    expect(sys(p, Sys.Signal, n, 0b0011)).toBe(0);
    expect(sys(p, Sys.NotificationWait, n, 0)).toBe(0b0111);
    expect(sys(p, Sys.NotificationWait, n, 0)).toBe(-ErrorCode.QueueEmpty);
    const badged = sys(p, Sys.CapMint, n, Right.Signal, 0x100);
    expect(sys(p, Sys.Signal, badged, 1)).toBe(0);
    expect(sys(p, Sys.Signal, n, 2 ** 48 - 1)).toBe(0);
    expect(sys(p, Sys.NotificationWait, n, 0)).toBe(2 ** 48 - 1);
    expect(sys(p, Sys.Signal, badged, 1)).toBe(0);
    expect(sys(p, Sys.NotificationWait, n, -1)).toBe(0x100);
  });

  it("a waiter blocks until a signal from another process, or times out", () => {
    const p = startProcess(1, true);
    const n = sys(p, Sys.NotificationCreate);
    const sig = sys(p, Sys.CapCopy, n, Right.Signal | Right.Grant | Right.Duplicate);
    const other = spawnWith(p, [sig]);
    expect(sys(p, Sys.NotificationWait, n, 4 * TICK_NS)).toBe(-ErrorCode.TimedOut);
    whileBlocked(() => expect(sys(other, Sys.Signal, FIRST, 0x40)).toBe(0));
    expect(sys(p, Sys.NotificationWait, n, -1)).toBe(0x40);
    expect(sim.timedOutBlocks).toBe(1);
    // Waiting needs Read: the signaller's copy has only Signal.
    expect(sys(other, Sys.NotificationWait, FIRST, 0)).toBe(-ErrorCode.MissingRights);
  });

  it("a bound endpoint signals its bits when a message arrives and when its peer closes", () => {
    const p = startProcess(1, true);
    const ep = sys(p, Sys.EndpointCreate, 4);
    const n = sys(p, Sys.NotificationCreate);
    expect(sys(p, Sys.NotificationBind, ep, n, 0x8)).toBe(0);
    expect(sys(p, Sys.NotificationBind, ep, n, 0x8)).toBe(-ErrorCode.AlreadyExists);
    const send = sys(p, Sys.CapCopy, ep, Right.Write | Right.Grant | Right.Duplicate);
    const client = spawnWith(p, [send]);
    const recv = sys(p, Sys.CapCopy, ep, Right.Read);
    expect(sys(p, Sys.CapDelete, send)).toBe(0);
    expect(sys(p, Sys.CapDelete, ep)).toBe(0);
    whileBlocked(() => {
      writeMsg(client, HEAP, { label: 1 });
      expect(sys(client, Sys.Send, FIRST, HEAP, 0)).toBe(0);
    });
    expect(sys(p, Sys.NotificationWait, n, -1)).toBe(0x8);
    expect(sys(p, Sys.Receive, recv, OUT, 0)).toBe(0);
    expect(sys(p, Sys.NotificationWait, n, 0)).toBe(-ErrorCode.QueueEmpty);
    processExit(client, 0, ExitHow.Exited);
    expect(sys(p, Sys.NotificationWait, n, 0)).toBe(0x8);
    expect(sys(p, Sys.Receive, recv, OUT, 0)).toBe(-ErrorCode.PeerClosed);
  });

  it("binding needs Read and Manage on the endpoint and Signal on the notification", () => {
    const p = startProcess();
    const ep = sys(p, Sys.EndpointCreate, 1);
    const n = sys(p, Sys.NotificationCreate);
    const epRead = sys(p, Sys.CapCopy, ep, Right.Read);
    const nRead = sys(p, Sys.CapCopy, n, Right.Read);
    expect(sys(p, Sys.NotificationBind, epRead, n, 1)).toBe(-ErrorCode.MissingRights);
    expect(sys(p, Sys.NotificationBind, ep, nRead, 1)).toBe(-ErrorCode.MissingRights);
    expect(sys(p, Sys.NotificationBind, n, ep, 1)).toBe(-ErrorCode.WrongType);
  });
});

describe("wait sets", () => {
  function pairs(p: Parameters<typeof peek64>[0], count: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let i = 0; i < count; i++) out.push([Number(peek64(p, SCRATCH + 16 * i)), Number(peek64(p, SCRATCH + 16 * i + 8))]);
    return out.sort((a, b) => a[0] - b[0]);
  }

  it("report ready members as (key, readiness) pairs, level-triggered, up to max", () => {
    const p = startProcess();
    const ws = sys(p, Sys.WaitSetCreate, 4);
    expect(sys(p, Sys.CapIdentify, ws)).toBe(identify(ObjectType.WaitSet, RIGHTS_ALL));
    const ep = sys(p, Sys.EndpointCreate, 2);
    const n = sys(p, Sys.NotificationCreate);
    expect(sys(p, Sys.WaitSetAdd, ws, ep, 10, 0)).toBe(0);
    expect(sys(p, Sys.WaitSetAdd, ws, n, 20, 0)).toBe(0);
    expect(sys(p, Sys.WaitSetAdd, ws, n, 21, 0)).toBe(-ErrorCode.AlreadyExists);
    // Mask 0 leaves Writable out, so an endpoint with room is not "ready".
    expect(sys(p, Sys.WaitSetWait, ws, 0, SCRATCH, 4)).toBe(-ErrorCode.QueueEmpty);
    writeMsg(p, HEAP, { label: 1 });
    expect(sys(p, Sys.Send, ep, HEAP, 0)).toBe(0);
    expect(sys(p, Sys.Signal, n, 1)).toBe(0);
    expect(sys(p, Sys.WaitSetWait, ws, 0, SCRATCH, 4)).toBe(2);
    expect(pairs(p, 2)).toEqual([[10, 1], [20, 8]]);
    expect(sys(p, Sys.WaitSetWait, ws, 0, SCRATCH, 1)).toBe(1);
    expect(sys(p, Sys.WaitSetRemove, ws, 20)).toBe(0);
    expect(sys(p, Sys.WaitSetRemove, ws, 20)).toBe(-ErrorCode.NotFound);
    expect(sys(p, Sys.WaitSetWait, ws, 0, SCRATCH, 4)).toBe(1);
    expect(pairs(p, 1)).toEqual([[10, 1]]);
    // A member watching Writable only.
    expect(sys(p, Sys.WaitSetAdd, ws, n, 30, 2)).toBe(0);
    expect(sys(p, Sys.Receive, ep, OUT, 0)).toBe(0);
    expect(sys(p, Sys.WaitSetWait, ws, 0, SCRATCH, 4)).toBe(-ErrorCode.QueueEmpty);
  });

  it("a thread blocked in wait_set_wait wakes when a member becomes ready, or times out", () => {
    const p = startProcess(1, true);
    const ws = sys(p, Sys.WaitSetCreate, 2);
    const n = sys(p, Sys.NotificationCreate);
    expect(sys(p, Sys.WaitSetAdd, ws, n, 5, 8)).toBe(0);
    expect(sys(p, Sys.WaitSetWait, ws, 3 * TICK_NS, SCRATCH, 2)).toBe(-ErrorCode.TimedOut);
    const other = spawnWith(p, [sys(p, Sys.CapCopy, n, Right.Signal | Right.Grant | Right.Duplicate)]);
    whileBlocked(() => expect(sys(other, Sys.Signal, FIRST, 2)).toBe(0));
    expect(sys(p, Sys.WaitSetWait, ws, -1, SCRATCH, 2)).toBe(1);
    expect(pairs(p, 1)).toEqual([[5, 8]]);
    expect(sim.timedOutBlocks).toBe(1);
  });

  it("is full at its capacity, needs Manage on the set and Read on the source", () => {
    const p = startProcess();
    const ws = sys(p, Sys.WaitSetCreate, 1);
    const a = sys(p, Sys.NotificationCreate);
    const b = sys(p, Sys.NotificationCreate);
    expect(sys(p, Sys.WaitSetAdd, ws, a, 1, 0)).toBe(0);
    expect(sys(p, Sys.WaitSetAdd, ws, b, 2, 0)).toBe(-ErrorCode.SetFull);
    const wsRead = sys(p, Sys.CapCopy, ws, Right.Read);
    expect(sys(p, Sys.WaitSetAdd, wsRead, b, 2, 0)).toBe(-ErrorCode.MissingRights);
    const ws2 = sys(p, Sys.WaitSetCreate, 2);
    const bSig = sys(p, Sys.CapCopy, b, Right.Signal);
    expect(sys(p, Sys.WaitSetAdd, ws2, bSig, 2, 0)).toBe(-ErrorCode.MissingRights);
    expect(sys(p, Sys.WaitSetAdd, ws2, ws, 2, 0)).toBe(-ErrorCode.WrongType);
  });
});

describe("invoke on kernel objects", () => {
  it("runs every method with the status in the label and results in the words", () => {
    const p = startProcess();
    const n = sys(p, Sys.NotificationCreate);
    const inv = (h: number, label: number, ...words: number[]) => {
      writeMsg(p, HEAP, { label, words });
      const r = sys(p, Sys.Invoke, h, HEAP);
      const m = readMsg(p, HEAP);
      expect(m.label).toBe(r === 0 ? 0 : -r);
      expect(m.capCount).toBe(0);
      expect(m.handles).toEqual([0, 0, 0, 0]);
      return { r, m };
    };
    // Identify
    let { r, m } = inv(n, 1);
    expect(r).toBe(0);
    expect(m.words.slice(0, 2)).toEqual([BigInt(identify(ObjectType.Notification, RIGHTS_ALL)), 0n]);
    // Copy
    ({ r, m } = inv(n, 2, Right.Read | Right.Signal | Right.Duplicate));
    expect(r).toBe(0);
    const copy = Number(m.words[0]);
    expect(sys(p, Sys.CapIdentify, copy)).toBe(identify(ObjectType.Notification, Right.Read | Right.Signal | Right.Duplicate));
    expect(inv(copy, 2, RIGHTS_ALL).r).toBe(-ErrorCode.RightsEscalation);
    expect(inv(n, 2, 256).r).toBe(-ErrorCode.InvalidArgument);
    // Mint
    ({ r, m } = inv(copy, 3, Right.Signal | Right.Duplicate, 0xbeef));
    expect(r).toBe(0);
    const minted = Number(m.words[0]);
    ({ m } = inv(minted, 1));
    expect(m.words[1]).toBe(0xbeefn);
    expect(inv(minted, 3, Right.Signal, 1).r).toBe(-ErrorCode.AlreadyBadged);
    expect(Number(inv(minted, 2, Right.Signal).m.words[0])).toBeGreaterThan(0);
    expect(inv(n, 3, Right.Signal, 0).r).toBe(-ErrorCode.InvalidArgument);
    expect(inv(n, 3, Right.Signal, 2 ** 48).r).toBe(-ErrorCode.InvalidArgument);
    // Signal and Poll
    expect(inv(n, 16, 0x30).r).toBe(0);
    ({ r, m } = inv(n, 17));
    expect(r).toBe(0);
    expect(m.words[0]).toBe(0x30n);
    expect(inv(n, 17).r).toBe(-ErrorCode.QueueEmpty);
    expect(inv(minted, 17).r).toBe(-ErrorCode.MissingRights);
    expect(inv(n, 16, 2 ** 48).r).toBe(-ErrorCode.InvalidArgument);
    // MemorySize
    const mem = sys(p, Sys.MemoryCreate, 3);
    ({ r, m } = inv(mem, 32));
    expect(r).toBe(0);
    expect(m.words[0]).toBe(3n);
    expect(inv(n, 32).r).toBe(-ErrorCode.WrongType);
    expect(inv(mem, 16, 1).r).toBe(-ErrorCode.WrongType);
    // Unknown method
    expect(inv(n, 6).r).toBe(-ErrorCode.InvalidArgument);
    expect(inv(n, 0).r).toBe(-ErrorCode.InvalidArgument);
    // Revoke, then Delete
    expect(inv(copy, 5).r).toBe(0);
    expect(sys(p, Sys.CapIdentify, minted)).toBe(-ErrorCode.Revoked);
    expect(sys(p, Sys.CapIdentify, copy)).toBeGreaterThan(0);
    expect(inv(copy, 4).r).toBe(0);
    expect(sys(p, Sys.CapIdentify, copy)).toBe(-ErrorCode.InvalidHandle);
    expect(inv(copy, 1).r).toBe(-ErrorCode.InvalidHandle);
  });

  it("on an endpoint is a call whose reply label is the status, so a server can stand in", () => {
    const server = startProcess(1, true);
    const ep = sys(server, Sys.EndpointCreate, 2);
    const client = spawnWith(server, [sys(server, Sys.CapCopy, ep, Right.Write | Right.Grant | Right.Duplicate)]);
    whileBlocked(() => {
      expect(sys(server, Sys.Receive, ep, OUT, 0)).toBe(0);
      const req = readMsg(server, OUT);
      expect(req.label).toBe(1);
      writeMsg(server, HEAP, { label: 0, words: [0x606] });
      expect(sys(server, Sys.Reply, req.replyHandle, HEAP)).toBe(0);
    });
    writeMsg(client, HEAP, { label: 1 });
    expect(sys(client, Sys.Invoke, FIRST, HEAP, 0)).toBe(0);
    expect(readMsg(client, HEAP).words[0]).toBe(0x606n);
    whileBlocked(() => {
      expect(sys(server, Sys.Receive, ep, OUT, 0)).toBe(0);
      writeMsg(server, HEAP, { label: ErrorCode.MissingRights });
      expect(sys(server, Sys.Reply, readMsg(server, OUT).replyHandle, HEAP)).toBe(0);
    });
    writeMsg(client, HEAP, { label: 16, words: [1] });
    expect(sys(client, Sys.Invoke, FIRST, HEAP, 0)).toBe(-ErrorCode.MissingRights);
  });
});

describe("batch", () => {
  const ENTRY = 128;
  function entry(p: Parameters<typeof poke64>[0], i: number, h: number, label: number, ...words: number[]): void {
    poke64(p, SCRATCH + i * ENTRY, BigInt(h));
    writeMsg(p, SCRATCH + i * ENTRY + 8, { label, words });
  }

  it("runs entries in order, writes each answer back, and stops at the first failure", () => {
    const p = startProcess();
    const n = sys(p, Sys.NotificationCreate);
    const ep = sys(p, Sys.EndpointCreate, 1);
    entry(p, 0, n, 16, 0x5);
    entry(p, 1, n, 2, Right.Read | Right.Signal);
    entry(p, 2, ep, 7, 11);
    entry(p, 3, ep, 8, 12);
    entry(p, 4, n, 16, 0x100);
    expect(sys(p, Sys.Batch, SCRATCH, 5)).toBe(3);
    expect(readMsg(p, SCRATCH + 8).label).toBe(0);
    const copy = Number(readMsg(p, SCRATCH + ENTRY + 8).words[0]);
    expect(sys(p, Sys.CapIdentify, copy)).toBe(identify(ObjectType.Notification, Right.Read | Right.Signal));
    expect(readMsg(p, SCRATCH + 2 * ENTRY + 8).label).toBe(0);
    // Entry 3 found the queue full; entry 4 did not run.
    expect(readMsg(p, SCRATCH + 3 * ENTRY + 8).label).toBe(ErrorCode.QueueFull);
    expect(readMsg(p, SCRATCH + 4 * ENTRY + 8).label).toBe(16);
    expect(sys(p, Sys.NotificationWait, n, 0)).toBe(0x5);
    expect(sys(p, Sys.Receive, ep, OUT, 0)).toBe(0);
    expect(readMsg(p, OUT)).toMatchObject({ label: 7, words: [11n, 0n, 0n, 0n, 0n, 0n] });
    // All succeed: the count.
    entry(p, 0, n, 16, 0x1);
    entry(p, 1, n, 17);
    expect(sys(p, Sys.Batch, SCRATCH, 2)).toBe(2);
    expect(readMsg(p, SCRATCH + ENTRY + 8).words[0]).toBe(1n);
    // A bad handle in the first entry: zero succeeded, its label holds the error.
    entry(p, 0, 0x7fff, 1);
    expect(sys(p, Sys.Batch, SCRATCH, 1)).toBe(0);
    expect(readMsg(p, SCRATCH + 8).label).toBe(ErrorCode.InvalidHandle);
  });

  it("a malformed message in an entry fails that entry with InvalidArgument", () => {
    const p = startProcess();
    const n = sys(p, Sys.NotificationCreate);
    entry(p, 0, n, 16, 1);
    entry(p, 1, n, 16, 1);
    poke64(p, SCRATCH + ENTRY + 8 + 8, 5n); // five capabilities
    expect(sys(p, Sys.Batch, SCRATCH, 2)).toBe(1);
    expect(readMsg(p, SCRATCH + ENTRY + 8).label).toBe(ErrorCode.InvalidArgument);
  });
});

describe("memory objects", () => {
  const AT = 0x20000000;

  it("map the same frames into two processes with per-mapping rights, and unmap", () => {
    const a = startProcess(1, true);
    const mem = sys(a, Sys.MemoryCreate, 2);
    expect(sys(a, Sys.CapIdentify, mem)).toBe(identify(ObjectType.MemoryObject, RIGHTS_ALL));
    const ro = sys(a, Sys.CapCopy, mem, Right.Read | Right.Map | Right.Grant | Right.Duplicate);
    const b = spawnWith(a, [ro]);
    expect(sys(a, Sys.MemoryMap, mem, AT, 3)).toBe(0);
    expect(pageFlags(a.space!, AT + PAGE_SIZE)).toBe(PageFlags.User | PageFlags.Writable | PageFlags.NoExecute);
    // A read-only capability cannot make a writable mapping.
    expect(sys(b, Sys.MemoryMap, FIRST, AT, 3)).toBe(-ErrorCode.MissingRights);
    expect(sys(b, Sys.MemoryMap, FIRST, AT, 5)).toBe(-ErrorCode.MissingRights);
    expect(sys(b, Sys.MemoryMap, FIRST, AT, 1)).toBe(0);
    expect(pageFlags(b.space!, AT)).toBe(PageFlags.User | PageFlags.NoExecute);
    expect(translate(b.space!, AT + PAGE_SIZE)).toBe(translate(a.space!, AT + PAGE_SIZE));
    poke64(a, AT + PAGE_SIZE + 8, 0x1234n);
    expect(peek64(b, AT + PAGE_SIZE + 8)).toBe(0x1234n);
    // Over a range already mapped (here by itself): InvalidArgument, as for map.
    expect(sys(a, Sys.MemoryMap, mem, AT, 3)).toBe(-ErrorCode.InvalidArgument);
    expect(sys(a, Sys.MemoryMap, mem, AT + PAGE_SIZE, 1)).toBe(-ErrorCode.InvalidArgument);
    // The frames outlive the capabilities while mapped.
    expect(sys(a, Sys.CapDelete, mem)).toBe(0);
    expect(sys(a, Sys.CapIdentify, ro)).toBe(identify(ObjectType.MemoryObject, Right.Read | Right.Map | Right.Grant | Right.Duplicate));
    expect(sys(a, Sys.CapDelete, ro)).toBe(0);
    expect(sys(b, Sys.CapDelete, FIRST)).toBe(0);
    expect(peek64(b, AT + PAGE_SIZE + 8)).toBe(0x1234n);
    expect(sys(a, Sys.MemoryUnmap, AT)).toBe(0);
    expect(translate(a.space!, AT)).toBe(-1);
    expect(sys(a, Sys.MemoryUnmap, AT)).toBe(-ErrorCode.NotFound);
    expect(sys(b, Sys.MemoryUnmap, AT)).toBe(0);
  });

  it("are bounded by the creator's quota, not by a system-wide table one process could fill", () => {
    const hog = startProcess();
    const other = startProcess();
    const handles: number[] = [];
    for (;;) {
      const h = sys(hog, Sys.MemoryCreate, 1);
      if (h < 0) {
        expect(h).toBe(-ErrorCode.QuotaExceeded);
        break;
      }
      handles.push(h);
    }
    // The hog's 1 MiB quota ran out (about 245 one-page objects), not a table of 128.
    expect(handles.length).toBeGreaterThan(200);
    expect(sys(hog, Sys.AccountInfo, 1)).toBeGreaterThan(sys(hog, Sys.AccountInfo, 0) - 4096 - 256);
    const mine = sys(other, Sys.MemoryCreate, 1);
    expect(mine).toBeGreaterThan(0);
    expect(sys(other, Sys.MemoryMap, mine, AT, 3)).toBe(0);
    for (const h of handles) expect(sys(hog, Sys.CapDelete, h)).toBe(0);
  });

  it("refuses bad sizes, rights, addresses and types", () => {
    const p = startProcess();
    for (const pages of [0, 257, -1]) expect(sys(p, Sys.MemoryCreate, pages)).toBe(-ErrorCode.InvalidArgument);
    const mem = sys(p, Sys.MemoryCreate, 1);
    expect(sys(p, Sys.MemoryMap, mem, AT, 0)).toBe(-ErrorCode.InvalidArgument);
    expect(sys(p, Sys.MemoryMap, mem, AT, 2)).toBe(-ErrorCode.InvalidArgument);
    expect(sys(p, Sys.MemoryMap, mem, AT, 7)).toBe(-ErrorCode.InvalidArgument);
    expect(sys(p, Sys.MemoryMap, mem, AT, 9)).toBe(-ErrorCode.InvalidArgument);
    expect(sys(p, Sys.MemoryMap, mem, AT + 8, 1)).toBe(-ErrorCode.InvalidArgument);
    expect(sys(p, Sys.MemoryMap, mem, 0, 1)).toBe(-ErrorCode.InvalidArgument);
    expect(sys(p, Sys.MemoryMap, mem, p.plan.guardBase, 1)).toBe(-ErrorCode.InvalidArgument);
    expect(sys(p, Sys.MemoryMap, mem, HEAP, 1)).toBe(-ErrorCode.InvalidArgument);
    const noMap = sys(p, Sys.CapCopy, mem, Right.Read | Right.Write);
    expect(sys(p, Sys.MemoryMap, noMap, AT, 1)).toBe(-ErrorCode.MissingRights);
    const n = sys(p, Sys.NotificationCreate);
    expect(sys(p, Sys.MemoryMap, n, AT, 1)).toBe(-ErrorCode.WrongType);
    expect(sys(p, Sys.MemoryUnmap, HEAP)).toBe(-ErrorCode.NotFound);
  });

  it("a process's mappings and objects go when it ends", () => {
    const p = startProcess();
    const mem = sys(p, Sys.MemoryCreate, 4);
    expect(sys(p, Sys.MemoryMap, mem, AT, 3)).toBe(0);
    expect(sys(p, Sys.AccountInfo, 1)).toBeGreaterThanOrEqual(4 * (PAGE_SIZE + 8));
    processExit(p, 0, ExitHow.Exited);
    expect(sim.frames.freeFrames).toBe(sim.baseline);
  });
});

describe("spawn_caps", () => {
  it("starts the child in the class it is given, more urgent than the caller's only with the right to start programs", () => {
    // A process with the right to start programs (init) may give any class but the background's.
    const init = startProcess(1, true);
    expect(spawnWith(init, [], SpawnFlag.Move).priority).toBe(Priority.Application);
    const driver = spawnWith(init, [], spawnClassFlags(PriorityClass.Driver));
    expect(driver.priority).toBe(Priority.Driver);
    const server = spawnWith(init, [], spawnClassFlags(PriorityClass.Server) | SpawnFlag.Move);
    expect(server.priority).toBe(Priority.Server);
    // Without that right, nothing more urgent than itself; the background class is the idle thread's.
    const app = startProcess(1, false);
    expect(sys(app, Sys.SpawnCaps, 1, SCRATCH, 0 | (spawnClassFlags(PriorityClass.Server) << 8), 4096, 0)).toBe(-ErrorCode.PermissionDenied);
    expect(sys(app, Sys.SpawnCaps, 1, SCRATCH, 0 | (spawnClassFlags(PriorityClass.Background) << 8), 4096, 0)).toBe(-ErrorCode.InvalidArgument);
    // Class bits without SpawnFlag.Class are undefined.
    expect(sys(app, Sys.SpawnCaps, 1, SCRATCH, 0 | ((PriorityClass.Server << SPAWN_CLASS_SHIFT) << 8), 4096, 0)).toBe(-ErrorCode.InvalidArgument);
    expect(spawnWith(app, [], spawnClassFlags(PriorityClass.Application)).priority).toBe(Priority.Application);
  });

  it("copies or moves the listed capabilities to 4096.. in order, with the quota named", () => {
    const p = startProcess(1, true);
    const n = sys(p, Sys.NotificationCreate);
    const ep = sys(p, Sys.EndpointCreate, 1);
    const quota = 1 << 17;
    const before = sys(p, Sys.AccountInfo, 1);
    const c = spawnWith(p, [n, ep], 0, quota);
    expect(sys(p, Sys.AccountInfo, 1)).toBeGreaterThanOrEqual(before + quota);
    expect(sys(c, Sys.AccountInfo, 0)).toBe(quota);
    expect(sys(c, Sys.CapIdentify, FIRST)).toBe(identify(ObjectType.Notification, RIGHTS_ALL));
    expect(sys(c, Sys.CapIdentify, FIRST + 1)).toBe(identify(ObjectType.Endpoint, RIGHTS_ALL));
    expect(sys(c, Sys.CapIdentify, FIRST + 2)).toBe(-ErrorCode.InvalidHandle);
    // Copies: the parent keeps its own and can revoke the child's.
    expect(sys(p, Sys.CapRevoke, n)).toBe(0);
    expect(sys(c, Sys.CapIdentify, FIRST)).toBe(-ErrorCode.Revoked);
    const moved = spawnWith(p, [n], 1);
    expect(sys(p, Sys.CapIdentify, n)).toBe(-ErrorCode.InvalidHandle);
    expect(sys(moved, Sys.CapIdentify, FIRST)).toBe(identify(ObjectType.Notification, RIGHTS_ALL));
  });

  it("signals the exit notification with bit 0 when the child ends, and returns the quota", () => {
    const p = startProcess(1, true);
    const n = sys(p, Sys.NotificationCreate);
    const used = sys(p, Sys.AccountInfo, 1);
    const c = spawnWith(p, [], 0, 1 << 16, n);
    expect(sys(c, Sys.CapIdentify, FIRST)).toBe(identify(ObjectType.Notification, Right.Signal));
    expect(sys(p, Sys.NotificationWait, n, 0)).toBe(-ErrorCode.QueueEmpty);
    expect(sys(c, Sys.Exit, 3)).toBe(0);
    expect(sim.exits).toContainEqual([c.pid, 3]);
    expect(sys(p, Sys.NotificationWait, n, 0)).toBe(1);
    expect(sys(p, Sys.AccountInfo, 1)).toBe(used);
  });

  it("signals the exit notification through a badged copy with its badge, as signal would", () => {
    const p = startProcess(1, true);
    const n = sys(p, Sys.NotificationCreate);
    const all = Right.Signal | Right.Grant | Right.Duplicate;
    const first = sys(p, Sys.CapMint, n, all, 1 << 3);
    const second = sys(p, Sys.CapMint, n, all, 1 << 5);
    const a = spawnWith(p, [], 0, 1 << 16, first);
    const b = spawnWith(p, [], 0, 1 << 16, second);
    expect(sys(a, Sys.Exit, 0)).toBe(0);
    expect(sys(p, Sys.NotificationWait, n, 0)).toBe(1 << 3);
    expect(sys(b, Sys.Exit, 0)).toBe(0);
    expect(sys(p, Sys.NotificationWait, n, 0)).toBe(1 << 5);
  });

  it("checks the right to start modules, the count, flags, quota, handles and the notification", () => {
    const p = startProcess(1, true);
    const plain = startProcess(1, false);
    const n = sys(p, Sys.NotificationCreate);
    const put = (q: typeof p, hs: number[]) => hs.forEach((h, i) => poke64(q, SCRATCH + i * 8, BigInt(h)));
    // Any process may start its own program; only one allowed to may start another module.
    expect(sys(plain, Sys.SpawnCaps, 0, SCRATCH, 0, 4096, 0)).toBe(-68);
    put(p, [n]);
    expect(sys(p, Sys.SpawnCaps, 1, SCRATCH, 9, 4096, 0)).toBe(-ErrorCode.InvalidArgument);
    expect(sys(p, Sys.SpawnCaps, 1, SCRATCH, 1 | (16 << 8), 4096, 0)).toBe(-ErrorCode.InvalidArgument);
    expect(sys(p, Sys.SpawnCaps, 1, SCRATCH, 1, 0, 0)).toBe(-ErrorCode.InvalidArgument);
    expect(sys(p, Sys.SpawnCaps, 1, SCRATCH, 1, sys(p, Sys.AccountInfo, 0) + 1, 0)).toBe(-ErrorCode.InvalidArgument);
    expect(sys(p, Sys.SpawnCaps, 1, 0x30000000, 1, 4096, 0)).toBe(-64);
    expect(sys(p, Sys.SpawnCaps, 1, SCRATCH + 4, 1, 4096, 0)).toBe(-64);
    put(p, [n, n]);
    expect(sys(p, Sys.SpawnCaps, 1, SCRATCH, 2, 4096, 0)).toBe(-ErrorCode.InvalidArgument);
    const noGrant = sys(p, Sys.CapCopy, n, Right.Signal | Right.Duplicate);
    const noDup = sys(p, Sys.CapCopy, n, Right.Signal | Right.Grant);
    put(p, [noGrant]);
    expect(sys(p, Sys.SpawnCaps, 1, SCRATCH, 1, 4096, 0)).toBe(-ErrorCode.MissingRights);
    put(p, [noDup]);
    expect(sys(p, Sys.SpawnCaps, 1, SCRATCH, 1, 4096, 0)).toBe(-ErrorCode.MissingRights);
    put(p, [12345]);
    expect(sys(p, Sys.SpawnCaps, 1, SCRATCH, 1, 4096, 0)).toBe(-ErrorCode.InvalidHandle);
    const ep = sys(p, Sys.EndpointCreate, 1);
    expect(sys(p, Sys.SpawnCaps, 1, SCRATCH, 0, 4096, ep)).toBe(-ErrorCode.WrongType);
    expect(sys(p, Sys.SpawnCaps, 1, SCRATCH, 0, 4096, noDup)).toBe(-ErrorCode.MissingRights);
    // (A quota that holds the child's table: the table and quota are taken before the module loads.)
    expect(sys(p, Sys.SpawnCaps, 2, SCRATCH, 0, 1 << 16, 0)).toBe(-69);
    expect(sys(p, Sys.SpawnCaps, 9, SCRATCH, 0, 1 << 16, 0)).toBe(-21);
    expect(sys(p, Sys.SpawnCaps, 1, SCRATCH, 0, 4096, 0)).toBe(-ErrorCode.QuotaExceeded);
    // Nothing was started by any refused call, and nothing moved.
    expect(sys(p, Sys.CapIdentify, noDup)).toBeGreaterThan(0);
  });

  it("a refused spawn leaves nothing behind: no process, slot, quota, objects or frames", () => {
    const p = startProcess(1, true);
    const n = sys(p, Sys.NotificationCreate);
    poke64(p, SCRATCH, BigInt(n));
    const OUT_WORD = SCRATCH + 64;
    const processes = processCount();
    const objects = liveObjects();
    const frames = sim.frames.freeFrames;
    const used = sys(p, Sys.AccountInfo, 1);
    const nothingLeft = (what: string) => {
      // (First the count: wait would block on a child left running.)
      expect([what, processCount()]).toEqual([what, processes]);
      expect([what, sys(p, Sys.Wait, -1, 0)]).toEqual([what, -ErrorCode.NoChild]);
      expect([what, liveObjects()]).toEqual([what, objects]);
      expect([what, sim.frames.freeFrames]).toEqual([what, frames]);
      expect([what, sys(p, Sys.AccountInfo, 1)]).toEqual([what, used]);
      expect([what, peek64(p, OUT_WORD)]).toEqual([what, 0xa5n]);
      expect([what, sys(p, Sys.CapIdentify, n)]).toEqual([what, identify(ObjectType.Notification, RIGHTS_ALL)]);
    };
    const attempts: Array<[string, number, number, number, number]> = [
      // [what, module, count | flags << 8, quota, error]
      ["a quota too small for the child's table", 1, 1, 100, -ErrorCode.QuotaExceeded],
      ["a quota too small, capabilities moved", 1, 1 | (1 << 8), 100, -ErrorCode.QuotaExceeded],
      ["a module that is not a program", 2, 1, 1 << 16, -ErrorCode.BadExecutable],
      ["no such module", 9, 1, 1 << 16, -ErrorCode.NotFound],
    ];
    for (const [what, module, count, quota, error] of attempts) {
      for (const out of [0, OUT_WORD]) {
        poke64(p, OUT_WORD, 0xa5n);
        expect([what, out, sys(p, Sys.SpawnCaps, module, SCRATCH, count, quota, n, out)]).toEqual([what, out, error]);
        nothingLeft(what);
      }
    }
  });

  it("a spawn the kernel heap has no room for is refused and leaves nothing behind", () => {
    const p = startProcess(1, true);
    const processes = processCount();
    const objects = liveObjects();
    const used = sys(p, Sys.AccountInfo, 1);
    const frames = sim.frames.freeFrames;
    try {
      // Room for the child's capability table but not for the process's own records: NoMemory.
      hostHeap.room = 50_000;
      expect(sys(p, Sys.Spawn, 1)).toBe(-ErrorCode.NoMemory);
      expect(sys(p, Sys.SpawnCaps, 1, SCRATCH, 0, 1 << 16, 0, 0)).toBe(-ErrorCode.NoMemory);
      // Not even room for the table: the charge for it is refused.
      hostHeap.room = 1024;
      expect(sys(p, Sys.SpawnCaps, 1, SCRATCH, 0, 1 << 16, 0, 0)).toBe(-ErrorCode.QuotaExceeded);
    } finally {
      hostHeap.room = -1;
    }
    expect(processCount()).toBe(processes);
    expect(sim.frames.freeFrames).toBe(frames);
    expect(liveObjects()).toBe(objects);
    expect(sys(p, Sys.AccountInfo, 1)).toBe(used);
    // With room again, the same spawn works.
    expect(spawnWith(p, [], 0, 1 << 16).pid).toBeGreaterThan(0);
  });

  it("a spawn refused for want of process slots or frames is NoMemory and leaves nothing behind", () => {
    const p = startProcess(1, true);
    const processes = processCount();
    const objects = liveObjects();
    const used = sys(p, Sys.AccountInfo, 1);
    // Every process slot taken.
    const others: number[] = [];
    for (let pid = spawnModule(1, 0, false); pid > 0; pid = spawnModule(1, 0, false)) others.push(pid);
    const frames = sim.frames.freeFrames;
    expect(sys(p, Sys.SpawnCaps, 1, SCRATCH, 0, 1 << 16, 0, SCRATCH)).toBe(-ErrorCode.NoMemory);
    expect(sys(p, Sys.Spawn, 1)).toBe(-ErrorCode.NoMemory);
    expect(sim.frames.freeFrames).toBe(frames);
    for (const pid of others) processExit(processByPid(pid)!, 0, ExitHow.Exited);
    expect(processCount()).toBe(processes);
    // Every frame in use: the loader runs out of memory, which is not a bad executable.
    const taken: number[] = [];
    for (let f = allocFrame(sim.frames); f >= 0; f = allocFrame(sim.frames)) taken.push(f);
    expect(sys(p, Sys.SpawnCaps, 1, SCRATCH, 0, 1 << 16, 0, SCRATCH)).toBe(-ErrorCode.NoMemory);
    expect(sys(p, Sys.Spawn, 1)).toBe(-ErrorCode.NoMemory);
    expect(sim.frames.freeFrames).toBe(0);
    for (const f of taken) freeFrame(sim.frames, f);
    expect(processCount()).toBe(processes);
    expect(sys(p, Sys.Wait, -1, 0)).toBe(-ErrorCode.NoChild);
    expect(liveObjects()).toBe(objects);
    expect(sys(p, Sys.AccountInfo, 1)).toBe(used);
    // With memory back, the same spawn works, and its quota comes from the creator's account.
    const child = spawnWith(p, [], 0, 1 << 16);
    expect(sys(child, Sys.AccountInfo, 0)).toBe(1 << 16);
    expect(sys(p, Sys.AccountInfo, 1)).toBeGreaterThanOrEqual(used + (1 << 16));
  });
});

describe("kernel_objects and account_info", () => {
  it("count what processes create and return to the baseline when they end", () => {
    const p = startProcess();
    const base = sys(p, Sys.KernelObjects);
    const used = sys(p, Sys.AccountInfo, 1);
    expect(sys(p, Sys.AccountInfo, 0)).toBe(1 << 20);
    const ep = sys(p, Sys.EndpointCreate, 4);
    // The object, its capability and four message slots.
    expect(sys(p, Sys.KernelObjects)).toBe(base + 6);
    expect(sys(p, Sys.AccountInfo, 1)).toBeGreaterThan(used);
    sys(p, Sys.MemoryCreate, 2);
    // The object, its capability and two frames.
    expect(sys(p, Sys.KernelObjects)).toBe(base + 10);
    expect(sys(p, Sys.CapDelete, ep)).toBe(0);
    expect(sys(p, Sys.KernelObjects)).toBe(base + 4);
    // The heap figures come from the runtime (lang/host/heap.ts under Node).
    expect(sys(p, Sys.AccountInfo, 2)).toBe(hostHeap.used);
    expect(sys(p, Sys.AccountInfo, 3)).toBe(hostHeap.total);
    expect(sys(p, Sys.AccountInfo, 4)).toBe(-ErrorCode.InvalidArgument);
    expect(sys(p, Sys.AccountInfo, -1)).toBe(-ErrorCode.InvalidArgument);
  });
});
