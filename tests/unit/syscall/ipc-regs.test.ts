// call_regs and reply_wait (kernel/syscall/ipc-regs.ts) on the host: each process's saved user
// registers are a Frame in simulated memory, and the scheduler runs with a fake context switch.
//
// A thread that blocks calls the switch function; the test plays the thread switched to there,
// from a script of steps (each a system call of that thread). When the scheduler switches back to
// a thread whose system call is still on the JavaScript stack below, the switch throws Resume,
// which unwinds the threads above it to that call, which then goes on exactly as after a real
// switch back. A thread unwound that way stays blocked in the kernel, as it would; its system call
// never returns to it here, so its steps after that read what its partner wrote into its saved
// registers (a direct call or reply copies register frame to register frame) and its waiter.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { attachMemory, detachAllMemory } from "../../../lang/host/memory.ts";
import { load64, store64 } from "../../../lang/mem.ts";
import { fakeCpu, resetFakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { Frame } from "../../../kernel/arch/x86_64/frame.ts";
import { clockInit } from "../../../kernel/time/clock.ts";
import { Priority } from "../../../kernel/sched/run-queue.ts";
import {
  currentThread, MAX_THREADS, schedulerInitWith, schedulerInterruptReturn, schedulerTick, spawnKernelThread, threadById,
  yieldNow,
} from "../../../kernel/sched/scheduler.ts";
import { STACK_PAGES, ThreadState } from "../../../kernel/sched/thread.ts";
import { ErrorCode } from "../../../abi/errors.ts";
import { lookupCap } from "../../../kernel/cap/cap-table.ts";
import { NO_CAP } from "../../../kernel/cap/capability.ts";
import { capCopy, capDelete, capMint, capMove, capRevoke, tableDestroy } from "../../../kernel/cap/cdt.ts";
import { Right } from "../../../abi/rights.ts";
import { endpointCreate, endpointReceive, endpointSend } from "../../../kernel/object/endpoint.ts";
import { Message } from "../../../kernel/cap/message.ts";
import { notificationCreate } from "../../../kernel/object/notification.ts";
import { dropReplySlot, endpointCall } from "../../../kernel/object/reply.ts";
import { cancelWaiter, FOREVER, Waiter, WaitState } from "../../../kernel/cap/waiter.ts";
import { RECEIVED_CALL, sysCallRegisters, sysReplyWait } from "../../../kernel/syscall/ipc-regs.ts";
import { makeProc, makeRoot, snapshotCounts } from "../cap/harness.ts";
import { ObjectType } from "../../../abi/object-type.ts";
import { setWakeHook } from "../../../kernel/cap/waiter.ts";
import { wakeWaiterThread } from "../../../kernel/proc/user-thread.ts";
import { ProcCaps } from "../../../kernel/proc/proc-caps.ts";

const BASE = -0x800000000000 + 0x100000;
const SP_TABLE = BASE;
const FRAMES = BASE + 0x1000;
const STACKS = BASE + 0x10000;
const STACK_BYTES = STACK_PAGES * 4096;
const THREADS = 8;
const MS = 1_000_000;
const BOOT = 0;
const IDLE = 1;
/** A sentinel in a register neither call uses: it must come back unchanged. */
const RBX_SENTINEL = 0x1234567890abcdefn;

class Resume {
  constructor(readonly to: number) {}
}

let switches: Array<[number, number]>;
let parked: number[];
const scripts = new Map<number, Array<() => void>>();
let nextStack = 0;

/** The fake context switch: plays the thread switched to, or resumes one parked below. */
function fakeSwitch(saveSpAddr: number, newSp: number): void {
  void newSp;
  const from = (saveSpAddr - SP_TABLE) / 8;
  const to = currentThread().id;
  switches.push([from, to]);
  if (parked.includes(to)) throw new Resume(to);
  parked.push(from);
  try {
    for (;;) {
      const step = scripts.get(to)?.shift();
      if (step === undefined) throw new Error(`thread ${to} runs with nothing left to do`);
      step();
    }
  } catch (e) {
    if (e instanceof Resume && e.to === from) return;
    throw e;
  } finally {
    parked.pop();
  }
}

function script(thread: number, ...steps: Array<() => void>): void {
  scripts.set(thread, steps);
}

/** The idle thread's step: time passes by `ns` and the timer interrupt runs. */
function timePasses(ns: number): () => void {
  return () => {
    fakeCpu.tsc += BigInt(ns);
    schedulerTick(0);
    schedulerInterruptReturn();
  };
}

beforeEach(() => {
  setWakeHook(wakeWaiterThread);
  detachAllMemory();
  resetFakeCpu();
  attachMemory(SP_TABLE, 4096);
  attachMemory(FRAMES, 0xf000);
  attachMemory(STACKS, STACK_BYTES * THREADS);
  switches = [];
  parked = [];
  scripts.clear();
  nextStack = 0;
  clockInit(1_000_000_000n);
  vi.spyOn(console, "log").mockImplementation(() => {});
  schedulerInitWith(SP_TABLE, fakeSwitch, () => (nextStack < THREADS ? STACKS + STACK_BYTES * nextStack++ : 0), () => {});
  expect(MAX_THREADS).toBeGreaterThan(THREADS);
});
afterEach(() => {
  vi.restoreAllMocks();
  detachAllMemory();
});

function noEntry(arg: number): void {
  void arg;
}

/** A user frame for process `i`, with the sentinel in rbx. */
function frameOf(i: number): number {
  const f = FRAMES + i * Frame.SIZE;
  store64(f + Frame.RBX, RBX_SENTINEL);
  return f;
}

const WORD_REGS = [Frame.RDX, Frame.R10, Frame.R8, Frame.R9, Frame.R12, Frame.R13];

function u64(v: number | bigint): bigint {
  return BigInt.asUintN(64, BigInt(v));
}

/** Loads the registers of a call: handle, label, six words, timeout (ns; negative: none). */
function setRegs(f: number, handle: number | bigint, label: number | bigint, words: bigint[], timeoutNs: number): void {
  store64(f + Frame.RDI, u64(handle));
  store64(f + Frame.RSI, u64(label));
  WORD_REGS.forEach((r, i) => store64(f + r, words[i] ?? 0n));
  store64(f + Frame.R14, u64(timeoutNs));
}

class Out {
  constructor(readonly badge: bigint, readonly label: bigint, readonly words: bigint[]) {}
}

function regs(f: number): Out {
  return new Out(load64(f + Frame.RDI), load64(f + Frame.RSI), WORD_REGS.map((r) => load64(f + r)));
}

function words(base: bigint): bigint[] {
  return [base, base + 1n, base + 2n, base + 3n, 0xffffffffffffffffn - base, base << 20n];
}

function msg(label: number, w0 = 0n): Message {
  const m = new Message();
  m.label = label;
  m.words[0] = w0;
  return m;
}

class World {
  constructor(
    readonly server: ProcCaps,
    readonly client: ProcCaps,
    /** The server's endpoint handle (every right); the client's, Write only, badged 0x42. */
    readonly ep: number,
    readonly send: number,
    readonly baseline: number[],
  ) {}

  /** Ends every wait, frees both tables, and checks that nothing is left. */
  close(): void {
    for (const pc of [this.server, this.client]) {
      cancelWaiter(pc.waiter);
      dropReplySlot(pc.waiter);
    }
    tableDestroy(this.client.table);
    tableDestroy(this.server.table);
    expect(snapshotCounts()).toEqual(this.baseline);
  }
}

/** A server and a client process whose waiters belong to threads `serverThread` and `clientThread`. */
function setup(serverThread: number, clientThread: number): World {
  const baseline = snapshotCounts();
  const root = makeRoot();
  const s = makeProc(root);
  const c = makeProc(root);
  const server = new ProcCaps(1, s.table, s.account, new Waiter(serverThread));
  const client = new ProcCaps(2, c.table, c.account, new Waiter(clientThread));
  const ep = endpointCreate(s.table, 4);
  const send = capMint(s.table, ep, c.table, Right.Write, 0x42n);
  expect(send).toBeGreaterThan(0);
  return new World(server, client, ep, send, baseline);
}

function spawnThread(): number {
  const t = spawnKernelThread("t", noEntry, 0, Priority.Application);
  expect(t).not.toBeNull();
  return t!.id;
}

/** A system call's result as rax holds it (-0, a negated Ok, reads as 0). */
function call(pc: ProcCaps, f: number): number {
  return sysCallRegisters(pc, f) + 0;
}
function replyWait(pc: ProcCaps, f: number): number {
  return sysReplyWait(pc, f) + 0;
}

describe("bad input", () => {
  it("refuses a label of 2^31 or more on both calls, changing nothing", () => {
    const w = setup(BOOT, BOOT);
    const f = frameOf(0);
    for (const label of [0x80000000n, 0x100000000n, 0xffffffffffffffffn]) {
      setRegs(f, w.send, label, words(1n), 0);
      expect(call(w.client, f)).toBe(-ErrorCode.InvalidArgument);
      setRegs(f, w.ep, label, words(1n), 0);
      expect(replyWait(w.server, f)).toBe(-ErrorCode.InvalidArgument);
    }
    expect(lookupCap(w.server.table, w.ep).object.endpoint!.count).toBe(0);
    expect(load64(f + Frame.RBX)).toBe(RBX_SENTINEL);
    expect(switches).toEqual([]);
    w.close();
  });

  it("checks the handle, its type and its right", () => {
    const w = setup(BOOT, BOOT);
    const f = frameOf(0);
    const n = notificationCreate(w.server.table);
    const readOnly = capCopy(w.server.table, w.ep, w.server.table, Right.Read);
    const cases: Array<[number | bigint, ErrorCode, ErrorCode]> = [
      [0, ErrorCode.InvalidHandle, ErrorCode.InvalidHandle],
      [300, ErrorCode.InvalidHandle, ErrorCode.InvalidHandle],
      [0x80000000n, ErrorCode.InvalidHandle, ErrorCode.InvalidHandle],
      [-1, ErrorCode.InvalidHandle, ErrorCode.InvalidHandle],
      [w.ep + 4096, ErrorCode.StaleHandle, ErrorCode.StaleHandle],
      [n, ErrorCode.WrongType, ErrorCode.WrongType],
    ];
    for (const [h, callErr, waitErr] of cases) {
      setRegs(f, h, 1, words(0n), 0);
      expect(call(w.server, f)).toBe(-callErr);
      setRegs(f, h, 1, words(0n), 0);
      expect(replyWait(w.server, f)).toBe(-waitErr);
    }
    setRegs(f, readOnly, 1, words(0n), 0);
    expect(call(w.server, f)).toBe(-ErrorCode.MissingRights);
    setRegs(f, w.send, 1, words(0n), 0);
    expect(replyWait(w.client, f)).toBe(-ErrorCode.MissingRights);
    w.close();
  });
});

describe("without blocking", () => {
  it("polls an empty queue (QueueEmpty); a side with no peer left gets PeerClosed at once", () => {
    const w = setup(BOOT, BOOT);
    const f = frameOf(0);
    setRegs(f, w.ep, 0, [], 0);
    expect(replyWait(w.server, f)).toBe(-ErrorCode.QueueEmpty);
    const t = w.server.table;
    const a = endpointCreate(t, 2);
    const rd = capCopy(t, a, t, Right.Read);
    const wr = capCopy(t, a, t, Right.Write);
    capDelete(t, a);
    capDelete(t, wr);
    setRegs(f, rd, 0, [], -1);
    expect(replyWait(w.server, f)).toBe(-ErrorCode.PeerClosed);
    const b = endpointCreate(t, 2);
    const wb = capCopy(t, b, t, Right.Write);
    capDelete(t, b);
    setRegs(f, wb, 0, [], -1);
    expect(call(w.server, f)).toBe(-ErrorCode.PeerClosed);
    expect(switches).toEqual([]);
    w.close();
  });

  it("receives a queued message into registers: badge, label, six words; other registers kept", () => {
    const w = setup(BOOT, BOOT);
    const f = frameOf(0);
    const m = msg(77);
    words(500n).forEach((v, i) => (m.words[i] = v));
    expect(endpointSend(w.client.table, w.send, m)).toBe(ErrorCode.Ok);
    setRegs(f, w.ep, 0, [], 0);
    store64(f + Frame.R14, 0n);
    expect(replyWait(w.server, f)).toBe(0);
    expect(regs(f)).toEqual(new Out(0x42n, 77n, words(500n)));
    expect(load64(f + Frame.RBX)).toBe(RBX_SENTINEL);
    expect(load64(f + Frame.R14)).toBe(0n);
    w.close();
  });

  it("leaves a message carrying capabilities queued (CapsNotAccepted) with its registers untouched", () => {
    const w = setup(BOOT, BOOT);
    const f = frameOf(0);
    const n = notificationCreate(w.client.table);
    const m = msg(5, 55n);
    m.capCount = 1;
    m.handles[0] = n;
    // Sending a capability needs Grant on the endpoint capability.
    const sendGrant = capMint(w.server.table, w.ep, w.client.table, Right.Write | Right.Grant, 0x43n);
    expect(endpointSend(w.client.table, sendGrant, m)).toBe(ErrorCode.Ok);
    setRegs(f, w.ep, 9, words(9n), 0);
    expect(replyWait(w.server, f)).toBe(-ErrorCode.CapsNotAccepted);
    expect(regs(f)).toEqual(new Out(u64(w.ep), 9n, words(9n)));
    const out = new Message();
    expect(endpointReceive(w.server.table, w.ep, out)).toBe(ErrorCode.Ok);
    expect(out.words[0]).toBe(55n);
    expect(out.capCount).toBe(1);
    expect(lookupCap(w.server.table, out.handles[0]!).object.type).toBe(ObjectType.Notification);
    w.close();
  });

  it("takes a queued buffer call into the reply slot and answers it with the next reply_wait", () => {
    const w = setup(BOOT, 99);
    const f = frameOf(0);
    const before = snapshotCounts();
    const cw = w.client.waiter;
    cw.deadline = FOREVER;
    expect(endpointCall(w.client.table, w.send, msg(3, 30n), cw)).toBe(ErrorCode.WouldBlock);
    const used = w.server.table.used;
    setRegs(f, w.ep, 0, [], 0);
    expect(replyWait(w.server, f)).toBe(RECEIVED_CALL);
    expect(regs(f).label).toBe(3n);
    expect(regs(f).words[0]).toBe(30n);
    expect(regs(f).badge).toBe(0x42n);
    expect(w.server.table.used).toBe(used);
    expect(w.server.waiter.msg.replyCap).not.toBe(NO_CAP);
    // The answer goes out whatever becomes of the receive: here a bad handle.
    setRegs(f, 0, 4, words(40n), 0);
    expect(replyWait(w.server, f)).toBe(-ErrorCode.InvalidHandle);
    expect(cw.state).toBe(WaitState.Done);
    expect(cw.result).toBe(ErrorCode.Ok);
    expect(cw.msg.label).toBe(4);
    expect([...cw.msg.words]).toEqual(words(40n));
    expect(cw.msg.badge).toBe(0n);
    expect(w.server.waiter.msg.replyCap).toBe(NO_CAP);
    expect(snapshotCounts()).toEqual(before);
    // Nothing in the slot now: the next reply_wait answers nobody.
    setRegs(f, w.ep, 5, [], 0);
    expect(replyWait(w.server, f)).toBe(-ErrorCode.QueueEmpty);
    w.close();
  });

  it("keeps the call in the slot when the label is bad, and answers it once it is good", () => {
    const w = setup(BOOT, 99);
    const f = frameOf(0);
    const cw = w.client.waiter;
    cw.deadline = FOREVER;
    expect(endpointCall(w.client.table, w.send, msg(3), cw)).toBe(ErrorCode.WouldBlock);
    setRegs(f, w.ep, 0, [], 0);
    expect(replyWait(w.server, f)).toBe(RECEIVED_CALL);
    setRegs(f, w.ep, 0x80000000n, [], 0);
    expect(replyWait(w.server, f)).toBe(-ErrorCode.InvalidArgument);
    expect(cw.state).toBe(WaitState.Waiting);
    setRegs(f, w.ep, 6, [], 0);
    expect(replyWait(w.server, f)).toBe(-ErrorCode.QueueEmpty);
    expect(cw.result).toBe(ErrorCode.Ok);
    expect(cw.msg.label).toBe(6);
    w.close();
  });
});

describe("blocking, with the scheduler", () => {
  it("queues a call for a server that has not run, then goes straight to it once it waits", () => {
    const s = spawnThread();
    const w = setup(s, BOOT);
    const fc = frameOf(0);
    const fs = frameOf(1);
    const objectsAlone = snapshotCounts();
    const seen: string[] = [];
    script(
      s,
      () => {
        // First reply_wait: the call was queued with a reply object; it arrives in registers.
        setRegs(fs, w.ep, 0, [], -1);
        expect(replyWait(w.server, fs)).toBe(RECEIVED_CALL);
        expect(regs(fs)).toEqual(new Out(0x42n, 10n, words(100n)));
        expect(snapshotCounts()).not.toEqual(objectsAlone);
        seen.push("queued call");
        setRegs(fs, w.ep, 11, words(110n), -1);
      },
      () => {
        // Answers, then waits: the caller was woken the usual way, so the scheduler picks it.
        replyWait(w.server, fs);
        throw new Error("reply_wait returned while nothing was sent");
      },
      () => {
        // Back here through the direct switch: the caller wrote the message straight into this
        // thread's registers, and sits in the slot.
        const sw = w.server.waiter;
        expect(sw.state).toBe(WaitState.Done);
        expect(sw.result).toBe(ErrorCode.Ok);
        expect(sw.filled).toBe(true);
        expect(regs(fs)).toEqual(new Out(0x42n, 20n, words(200n)));
        expect(sw.replyTo).toBe(w.client.waiter);
        expect(w.client.waiter.replyHolder).toBe(sw);
        // No reply object this time.
        expect(snapshotCounts()).toEqual(objectsAlone);
        seen.push("direct call");
        setRegs(fs, w.ep, 21, words(210n), -1);
        replyWait(w.server, fs);
        throw new Error("reply_wait returned while nothing was sent");
      },
    );
    setRegs(fc, w.send, 10, words(100n), -1);
    expect(call(w.client, fc)).toBe(0);
    expect(regs(fc)).toEqual(new Out(0n, 11n, words(110n)));
    expect(threadById(s)!.state).toBe(ThreadState.Blocked);
    // A thread ready to run all along: the direct switch passes it by.
    const bystander = spawnThread();
    setRegs(fc, w.send, 20, words(200n), -1);
    expect(call(w.client, fc)).toBe(0);
    expect(regs(fc)).toEqual(new Out(0n, 21n, words(210n)));
    expect(load64(fc + Frame.RBX)).toBe(RBX_SENTINEL);
    expect(seen).toEqual(["queued call", "direct call"]);
    // Through the run queue twice, then straight from caller to server and back.
    expect(switches).toEqual([[BOOT, s], [s, BOOT], [BOOT, s], [s, BOOT]]);
    expect(threadById(bystander)!.state).toBe(ThreadState.Ready);
    expect(w.client.waiter.replyHolder).toBeNull();
    expect(w.server.waiter.replyTo).toBeNull();
    expect(snapshotCounts()).toEqual(objectsAlone);
    w.close();
  });

  for (const [how, handle, want] of [["polling", "ep", ErrorCode.QueueEmpty], ["with a bad handle", "bad", ErrorCode.InvalidHandle]] as const) {
  it(`hands a waiting server the call in registers, and the server's answer back to the caller (last answer ${how})`, () => {
    const c = spawnThread();
    const bystander = spawnThread();
    const w = setup(BOOT, c);
    const fs = frameOf(0);
    const fc = frameOf(1);
    script(
      c,
      () => {
        setRegs(fc, w.send, 30, words(300n), -1);
        call(w.client, fc);
        throw new Error("call_regs returned without an answer");
      },
      () => {
        // The server's answer arrived in this thread's registers (this call's return was
        // unwound); call again.
        expect(w.client.waiter.state).toBe(WaitState.Done);
        expect(w.client.waiter.result).toBe(ErrorCode.Ok);
        expect(w.client.waiter.filled).toBe(true);
        expect(regs(fc)).toEqual(new Out(0n, 31n, words(310n)));
        setRegs(fc, w.send, 40, words(400n), -1);
        call(w.client, fc);
        throw new Error("call_regs returned without an answer");
      },
    );
    setRegs(fs, w.ep, 0, [], -1);
    expect(replyWait(w.server, fs)).toBe(RECEIVED_CALL);
    expect(regs(fs)).toEqual(new Out(0x42n, 30n, words(300n)));
    setRegs(fs, w.ep, 31, words(310n), -1);
    expect(replyWait(w.server, fs)).toBe(RECEIVED_CALL);
    expect(regs(fs)).toEqual(new Out(0x42n, 40n, words(400n)));
    expect(switches).toEqual([[BOOT, c], [c, BOOT], [BOOT, c], [c, BOOT]]);
    expect(threadById(bystander)!.state).toBe(ThreadState.Ready);
    // Answered without waiting (a poll, or a receive that fails at once): the caller is made
    // ready, the server keeps the CPU.
    setRegs(fs, handle === "ep" ? w.ep : 0, 41, words(410n), 0);
    expect(replyWait(w.server, fs)).toBe(-want);
    expect(w.client.waiter.result).toBe(ErrorCode.Ok);
    expect(regs(fc)).toEqual(new Out(0n, 41n, words(410n)));
    expect(threadById(c)!.state).toBe(ThreadState.Ready);
    expect(switches.length).toBe(4);
    w.close();
  });
  }

  it("times out a reply_wait that nothing answers, and takes the waiter off the queue", () => {
    const w = setup(BOOT, BOOT);
    const f = frameOf(0);
    script(IDLE, timePasses(6 * MS));
    setRegs(f, w.ep, 0, [], 5 * MS);
    expect(replyWait(w.server, f)).toBe(-ErrorCode.TimedOut);
    expect(lookupCap(w.server.table, w.ep).object.endpoint!.recvWaiters.count).toBe(0);
    expect(switches).toEqual([[BOOT, IDLE], [IDLE, BOOT]]);
    w.close();
  });

  it("times out a call_regs the server holds unanswered; the server's later answer is dropped", () => {
    const s = spawnThread();
    const w = setup(s, BOOT);
    const fc = frameOf(0);
    const fs = frameOf(1);
    const results: number[] = [];
    script(
      s,
      () => {
        setRegs(fs, w.ep, 0, [], -1);
        replyWait(w.server, fs);
        throw new Error("reply_wait returned while nothing was sent");
      },
      () => {
        // Holding the call; time passes beyond the caller's timeout, then this thread yields.
        expect(w.server.waiter.replyTo).toBe(w.client.waiter);
        fakeCpu.tsc += BigInt(6 * MS);
        schedulerTick(0);
        yieldNow();
      },
      () => {
        setRegs(fs, w.ep, 7, words(70n), 0);
        results.push(replyWait(w.server, fs) + 0);
        yieldNow();
      },
    );
    yieldNow(); // the server runs and waits in reply_wait
    expect(threadById(s)!.state).toBe(ThreadState.Blocked);
    setRegs(fc, w.send, 50, words(500n), 5 * MS);
    expect(call(w.client, fc)).toBe(-ErrorCode.TimedOut);
    expect(regs(fc).label).toBe(50n);
    expect(w.server.waiter.replyTo).toBeNull();
    expect(w.client.waiter.replyHolder).toBeNull();
    yieldNow(); // the server answers nobody and polls
    expect(results).toEqual([-ErrorCode.QueueEmpty]);
    expect(regs(fc).label).toBe(50n);
    w.close();
  });
});

describe("revocation ends a register wait", () => {
  /** A parent holding the endpoint's root; the server a Read copy, the client a Write copy. */
  function family(serverThread: number, clientThread: number) {
    const baseline = snapshotCounts();
    const root = makeRoot();
    const pp = makeProc(root);
    const s = makeProc(root);
    const c = makeProc(root);
    const server = new ProcCaps(1, s.table, s.account, new Waiter(serverThread));
    const client = new ProcCaps(2, c.table, c.account, new Waiter(clientThread));
    const ep = endpointCreate(pp.table, 4);
    const sendCopy = capCopy(pp.table, ep, pp.table, Right.Write | Right.Duplicate | Right.Grant);
    const recv = capCopy(pp.table, ep, s.table, Right.Read | Right.Grant);
    const send = capCopy(pp.table, sendCopy, c.table, Right.Write);
    const close = () => {
      for (const pc of [server, client]) {
        cancelWaiter(pc.waiter);
        dropReplySlot(pc.waiter);
      }
      tableDestroy(c.table);
      tableDestroy(s.table);
      tableDestroy(pp.table);
      expect(snapshotCounts()).toEqual(baseline);
    };
    return { parent: pp.table, ep, sendCopy, server, client, recv, send, close };
  }

  it("a reply_wait blocked on a capability its parent revokes returns Revoked at once", () => {
    const w = family(BOOT, BOOT);
    const f = frameOf(0);
    // While the server waits, the parent revokes; the server is then the thread to run.
    script(IDLE, () => {
      expect(capRevoke(w.parent, w.ep)).toBe(ErrorCode.Ok);
      yieldNow();
    });
    setRegs(f, w.recv, 0, [], -1);
    expect(replyWait(w.server, f)).toBe(-ErrorCode.Revoked);
    expect(lookupCap(w.parent, w.ep).object.endpoint!.recvWaiters.count).toBe(0);
    expect(w.server.table.blocked).toBe(0);
    expect(switches).toEqual([[BOOT, IDLE], [IDLE, BOOT]]);
    w.close();
  });

  it("a reply_wait whose capability leaves its table (moved away) returns InvalidHandle", () => {
    const w = family(BOOT, BOOT);
    const f = frameOf(0);
    const elsewhere = makeProc(makeRoot());
    script(IDLE, () => {
      // Another thread of the server moves the capability away; no call may go straight to the
      // waiter through a handle that names nothing now.
      expect(capMove(w.server.table, w.recv, elsewhere.table)).toBeGreaterThan(0);
      yieldNow();
    });
    setRegs(f, w.recv, 0, [], -1);
    expect(replyWait(w.server, f)).toBe(-ErrorCode.InvalidHandle);
    expect(lookupCap(w.parent, w.ep).object.endpoint!.recvWaiters.count).toBe(0);
    tableDestroy(elsewhere.table);
    w.close();
  });

  it("a call_regs queued for a server that never answers returns Revoked when its capability goes", () => {
    const w = family(BOOT, BOOT);
    const f = frameOf(0);
    script(IDLE, () => {
      expect(capRevoke(w.parent, w.sendCopy)).toBe(ErrorCode.Ok);
      yieldNow();
    });
    setRegs(f, w.send, 5, words(50n), -1);
    expect(call(w.client, f)).toBe(-ErrorCode.Revoked);
    expect(w.client.table.blocked).toBe(0);
    // The call stays queued; the server takes it, and its answer finds nobody.
    const fs = frameOf(1);
    setRegs(fs, w.recv, 0, [], 0);
    expect(replyWait(w.server, fs)).toBe(RECEIVED_CALL);
    setRegs(fs, w.recv, 6, words(60n), 0);
    expect(replyWait(w.server, fs)).toBe(-ErrorCode.QueueEmpty);
    expect(regs(f).label).toBe(5n);
    w.close();
  });

  it("a call_regs held in a server's reply slot returns Revoked when its capability goes", () => {
    const s = spawnThread();
    const w = family(s, BOOT);
    const fc = frameOf(0);
    const fs = frameOf(1);
    script(
      s,
      () => {
        setRegs(fs, w.recv, 0, [], -1);
        replyWait(w.server, fs);
        throw new Error("reply_wait returned while nothing was sent");
      },
      () => {
        // The direct call arrived; the server holds it while the parent revokes the caller's
        // capability. The caller is made ready with Revoked, and the slot is empty.
        expect(w.server.waiter.replyTo).toBe(w.client.waiter);
        expect(capRevoke(w.parent, w.sendCopy)).toBe(ErrorCode.Ok);
        expect(w.server.waiter.replyTo).toBeNull();
        expect(w.client.waiter.state).toBe(WaitState.Done);
        yieldNow();
      },
      () => {
        setRegs(fs, w.recv, 7, words(70n), 0);
        expect(replyWait(w.server, fs) + 0).toBe(-ErrorCode.QueueEmpty);
        yieldNow();
      },
    );
    yieldNow(); // the server runs and waits in reply_wait
    setRegs(fc, w.send, 60, words(600n), -1);
    expect(call(w.client, fc)).toBe(-ErrorCode.Revoked);
    expect(w.client.waiter.replyHolder).toBeNull();
    yieldNow(); // the server answers nobody
    expect(regs(fc).label).toBe(60n);
    w.close();
  });
});
