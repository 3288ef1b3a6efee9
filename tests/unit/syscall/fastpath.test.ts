// The IPC fast path (kernel/syscall/fastpath.ts) against the general path (ipc-regs.ts): the same
// random sequence of register calls and reply_waits runs twice from the same start, once through
// the fast path with the general one behind it (as the system-call entry does) and once through
// the general path alone; results, thread switches and the kernel state afterwards must match.
//
// Three threads with their own saved registers: a client (the boot thread), a server and a second
// client. Each time a thread runs, the next number of the sequence picks what it does: a call or a
// reply_wait with a timeout of forever, a short one or a poll, a bad label or handle, or a plain
// send that queues a message (so the fast path must step aside). The idle thread lets time pass,
// so timeouts fire. The scheduler runs with a fake context switch: the thread switched to plays its
// next steps, and a switch back to a thread whose call is still on the JavaScript stack unwinds to
// it (as in ipc-regs.test.ts). The run ends when the sequence does.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import { attachMemory, detachAllMemory } from "../../../lang/host/memory.ts";
import { load64, store64 } from "../../../lang/mem.ts";
import { fakeCpu, resetFakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { Frame } from "../../../kernel/arch/x86_64/frame.ts";
import { clockInit } from "../../../kernel/time/clock.ts";
import { Priority } from "../../../kernel/sched/run-queue.ts";
import {
  currentThread, schedulerInitWith, schedulerInterruptReturn, schedulerTick, spawnKernelThread, thisCpu, threadById,
} from "../../../kernel/sched/scheduler.ts";
import { STACK_PAGES } from "../../../kernel/sched/thread.ts";
import { NO_TIMER } from "../../../kernel/sched/timer-queue.ts";
import { capHandle, lookupCap } from "../../../kernel/cap/cap-table.ts";
import { NO_CAP } from "../../../kernel/cap/capability.ts";
import { capMint, tableDestroy } from "../../../kernel/cap/cdt.ts";
import { Right } from "../../../abi/rights.ts";
import { endpointCreate, endpointSend } from "../../../kernel/object/endpoint.ts";
import { Message } from "../../../kernel/cap/message.ts";
import { dropReplySlot } from "../../../kernel/object/reply.ts";
import { cancelWaiter, setWakeHook, Waiter } from "../../../kernel/cap/waiter.ts";
import { registerWaitEnd, sysCallRegisters, sysReplyWait } from "../../../kernel/syscall/ipc-regs.ts";
import { fastCall, fastReplyWait, NOT_FAST, storeResult } from "../../../kernel/syscall/fastpath.ts";
import { Sys } from "../../../abi/numbers.ts";
import { makeProc, makeRoot, snapshotCounts } from "../cap/harness.ts";
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
const WORD_REGS = [Frame.RDX, Frame.R10, Frame.R8, Frame.R9, Frame.R12, Frame.R13];

class Resume {
  constructor(readonly to: number) {}
}
/** The sequence is used up: the run ends wherever it is. */
class Stop {}

type Mode = "fast" | "general";

/** One run's machinery and record. */
class Run {
  switches: Array<[number, number]> = [];
  parked: number[] = [];
  results: string[] = [];
  next = 0;
  fastTaken = 0;
  /** Fast-path calls answered by the partner's fast path, which returned to user mode on their Frame. */
  direct = 0;
  /** Inside fastCall or fastReplyWait: a switch there means the fast path took the call. */
  inFast = false;
  roles = new Map<number, { pc: ProcCaps; waiter: Waiter; frame: number; server: boolean; handle: number }>();
  constructor(readonly mode: Mode, readonly seq: number[]) {}

  draw(): number {
    if (this.next >= this.seq.length) throw new Stop();
    return this.seq[this.next++]!;
  }
}

let run: Run;

function fakeSwitch(saveSpAddr: number, newSp: number): void {
  void newSp;
  const from = (saveSpAddr - SP_TABLE) / 8;
  const to = currentThread().id;
  run.switches.push([from, to]);
  if (run.inFast) {
    run.fastTaken++;
    run.inFast = false;
  }
  if (run.parked.includes(to)) throw new Resume(to);
  run.parked.push(from);
  try {
    finishLostCall(to);
    for (;;) step(to);
  } catch (e) {
    if (e instanceof Resume && e.to === from) return;
    throw e;
  } finally {
    run.parked.pop();
  }
}

/**
 * A thread switched to whose call is no longer on the JavaScript stack (unwound past by a Resume to
 * a thread below it) finishes that call first, as it would on the machine: the end of the general
 * path after its switch, or keel_fast_resume, which are the same registerWaitEnd. A call a
 * partner's fast path finished already has its answer in rax instead of its number.
 */
function finishLostCall(t: number): void {
  const role = run.roles.get(t);
  if (role === undefined) return;
  const number = role.server ? Sys.ReplyWait : Sys.CallRegs;
  if (load64(role.frame + Frame.RAX) !== BigInt(number)) return;
  role.pc.waiter = role.waiter;
  storeResult(role.frame, registerWaitEnd(role.waiter, role.frame, role.server));
}

function u64(v: number | bigint): bigint {
  return BigInt.asUintN(64, BigInt(v));
}

function setRegs(f: number, handle: number | bigint, label: number | bigint, base: number, timeoutNs: number): void {
  store64(f + Frame.RDI, u64(handle));
  store64(f + Frame.RSI, u64(label));
  WORD_REGS.forEach((r, i) => store64(f + r, u64(base * 16 + i)));
  store64(f + Frame.R14, u64(timeoutNs));
}

/** What the entry does in each mode: the fast path first and the general one behind it, or the general one alone. */
function callRegs(pc: ProcCaps, f: number): number {
  if (run.mode === "fast") {
    run.inFast = true;
    const r = fastCall(pc, f);
    run.inFast = false;
    if (r !== NOT_FAST) {
      if (load64(f + Frame.RAX) !== BigInt(Sys.CallRegs)) run.direct++;
      return r + 0;
    }
  }
  return sysCallRegisters(pc, f) + 0;
}

function replyWait(pc: ProcCaps, f: number): number {
  if (run.mode === "fast") {
    run.inFast = true;
    const r = fastReplyWait(pc, f);
    run.inFast = false;
    if (r !== NOT_FAST) {
      if (load64(f + Frame.RAX) !== BigInt(Sys.ReplyWait)) run.direct++;
      return r + 0;
    }
  }
  return sysReplyWait(pc, f) + 0;
}

/** Thread `t` does the next thing the sequence says. */
function step(t: number): void {
  const c = run.draw();
  if (t === IDLE) {
    fakeCpu.tsc += BigInt(1 + (c % 4)) * BigInt(MS);
    schedulerTick(0);
    schedulerInterruptReturn();
    return;
  }
  const role = run.roles.get(t);
  if (role === undefined) throw new Error(`thread ${t} has no role`);
  const f = role.frame;
  const k = c % 10;
  const timeout = k === 5 ? 3 * MS : k === 6 ? 0 : -1;
  const label = k === 7 ? 0x80000000 : c % 1000;
  const handle = k === 8 ? role.handle + 4096 : role.handle;
  if (k === 9) {
    const m = new Message();
    m.label = c % 1000;
    m.words[0] = BigInt(c);
    const e = endpointSend(role.pc.table, role.handle, m);
    run.results.push(`${t} send ${e}`);
    return;
  }
  setRegs(f, handle, label, c, timeout);
  // As the system-call entry does (procCapsUse): the process's context waits with the caller's waiter.
  role.pc.waiter = role.waiter;
  // rax holds the call's number until the call ends, and its answer after, as the entry leaves it.
  store64(f + Frame.RAX, BigInt(role.server ? Sys.ReplyWait : Sys.CallRegs));
  const r = role.server ? replyWait(role.pc, f) : callRegs(role.pc, f);
  storeResult(f, r);
  run.results.push(`${t} ${role.server ? "replyWait" : "call"} ${r}`);
}

function resetMachine(): void {
  detachAllMemory();
  resetFakeCpu();
  attachMemory(SP_TABLE, 4096);
  attachMemory(FRAMES, 0xf000);
  attachMemory(STACKS, STACK_BYTES * THREADS);
  clockInit(1_000_000_000n);
  let nextStack = 0;
  schedulerInitWith(SP_TABLE, fakeSwitch, () => (nextStack < THREADS ? STACKS + STACK_BYTES * nextStack++ : 0), () => {});
}

function noEntry(arg: number): void {
  void arg;
}

/** Everything the two paths could leave differently, as plain data. */
function kernelState(pcs: ProcCaps[], waiters: Waiter[], frames: number[], ep: number): unknown {
  const who = (w: Waiter | null): number => (w === null ? -1 : waiters.indexOf(w));
  const server = pcs[0]!;
  const e = lookupCap(server.table, ep).object.endpoint!;
  const list = (head: Waiter | null): number[] => {
    const out: number[] = [];
    for (let w = head; w !== null; w = w.next) out.push(who(w));
    return out;
  };
  return {
    waiters: waiters.map((w) => ({
      state: w.state, kind: w.kind, result: w.result, handle: w.handle, deadline: w.deadline, noCaps: w.noCaps,
      filled: w.filled, frame: w.frame, replyTo: who(w.replyTo), replyHolder: who(w.replyHolder),
      queue: w.queue === e.recvWaiters ? "recv" : w.queue === e.sendWaiters ? "send" : w.queue === null ? "none" : "other",
      table: pcs.findIndex((pc) => pc.table === w.table), cap: w.cap === null ? 0 : capHandle(w.cap),
      reply: w.reply !== null, msgLabel: w.msg.label, msgWords: [...w.msg.words], msgBadge: w.msg.badge,
      msgReply: w.msg.replyCap !== NO_CAP,
    })),
    endpoint: { count: e.count, senders: e.senders, receivers: e.receivers, recv: list(e.recvWaiters.head), send: list(e.sendWaiters.head) },
    tables: pcs.map((pc) => ({ blocked: pc.table.blocked, used: pc.table.used })),
    threads: [BOOT, IDLE, 2, 3].map((id) => {
      const th = threadById(id)!;
      return { state: th.state, wake: th.wakeReason, timer: th.timer !== NO_TIMER, switches: th.switches, slice: th.sliceLeft };
    }),
    cpu: { current: thisCpu().current.id, switches: thisCpu().switches, ready: thisCpu().runQueue.total },
    frames: frames.map((f) => {
      const words: bigint[] = [];
      for (let off = 0; off < Frame.SIZE; off += 8) words.push(load64(f + off));
      return words;
    }),
  };
}

/**
 * Runs `seq` in `mode` from a fresh machine; the record of what happened and the state it left.
 * `shared`: the two clients are two threads of one process (one table and context, a waiter each).
 */
function play(mode: Mode, seq: number[], shared = false): {
  results: string[]; switches: Array<[number, number]>; state: unknown; objects: number[]; fast: number; direct: number;
} {
  resetMachine();
  run = new Run(mode, seq);
  const before = snapshotCounts();
  const root = makeRoot();
  const s = makeProc(root);
  const a = makeProc(root);
  const b = makeProc(root);
  const serverThread = spawnKernelThread("server", noEntry, 0, Priority.Application)!.id;
  const otherThread = spawnKernelThread("client", noEntry, 0, Priority.Application)!.id;
  const waiters = [new Waiter(serverThread), new Waiter(BOOT), new Waiter(otherThread)];
  const pcs = [
    new ProcCaps(1, s.table, s.account, waiters[0]!),
    new ProcCaps(2, a.table, a.account, waiters[1]!),
    new ProcCaps(3, b.table, b.account, waiters[2]!),
  ];
  if (shared) pcs[2] = pcs[1]!;
  // As proc-caps.ts does for a process's thread: the waiter knows it, so a partner needs no lookup.
  waiters[0]!.thread = threadById(serverThread);
  waiters[1]!.thread = threadById(BOOT);
  waiters[2]!.thread = threadById(otherThread);
  const ep = endpointCreate(s.table, 2);
  const sendA = capMint(s.table, ep, a.table, Right.Write, 0xan);
  const sendB = shared ? capMint(s.table, ep, a.table, Right.Write, 0xbn) : capMint(s.table, ep, b.table, Right.Write, 0xbn);
  const frames = [FRAMES, FRAMES + Frame.SIZE, FRAMES + 2 * Frame.SIZE];
  frames.forEach((f) => {
    for (let off = 0; off < Frame.SIZE; off += 8) store64(f + off, 0x5a5a0000n + BigInt(off));
  });
  run.roles.set(serverThread, { pc: pcs[0]!, waiter: waiters[0]!, frame: frames[0]!, server: true, handle: ep });
  run.roles.set(BOOT, { pc: pcs[1]!, waiter: waiters[1]!, frame: frames[1]!, server: false, handle: sendA });
  run.roles.set(otherThread, { pc: pcs[2]!, waiter: waiters[2]!, frame: frames[2]!, server: false, handle: sendB });
  try {
    for (;;) step(BOOT);
  } catch (e) {
    if (!(e instanceof Stop) && !(e instanceof Resume)) throw e;
  }
  const state = kernelState(pcs, waiters, frames, ep);
  const fast = run.fastTaken;
  const { results, switches, direct } = run;
  for (const w of waiters) {
    cancelWaiter(w);
    dropReplySlot(w);
  }
  tableDestroy(a.table);
  tableDestroy(b.table);
  tableDestroy(s.table);
  const objects = snapshotCounts().map((n, i) => n - before[i]!);
  return { results, switches, state, objects, fast, direct };
}

beforeEach(() => {
  setWakeHook(wakeWaiterThread);
  vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
  detachAllMemory();
});

describe("fast path against the general path", () => {
  it("gives the same results, switches and kernel state on random sequences", () => {
    let fastTaken = 0;
    let direct = 0;
    // Two numbers in three are plain calls and reply_waits (k = 0), the case the fast path is for.
    const action = fc.nat(1 << 20).map((n) => (n % 3 === 0 ? n : n - (n % 10)));
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 120 }), (seq) => {
        const fast = play("fast", seq);
        const general = play("general", seq);
        expect(general.fast).toBe(0);
        expect(fast.results).toEqual(general.results);
        expect(fast.switches).toEqual(general.switches);
        expect(fast.state).toEqual(general.state);
        expect(fast.objects).toEqual(general.objects);
        fastTaken += fast.fast;
        direct += fast.direct;
      }),
      { numRuns: 300 },
    );
    // The sequences must really go through the fast path, not only around it, and the partner's
    // fast path must often be the one that returns a thread to user mode.
    expect(fastTaken).toBeGreaterThan(300);
    expect(direct).toBeGreaterThan(100);
  });

  it("gives the same results with the two clients as two threads of one process", () => {
    let fastTaken = 0;
    const action = fc.nat(1 << 20).map((n) => (n % 3 === 0 ? n : n - (n % 10)));
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 120 }), (seq) => {
        const fast = play("fast", seq, true);
        const general = play("general", seq, true);
        expect(general.fast).toBe(0);
        expect(fast.results).toEqual(general.results);
        expect(fast.switches).toEqual(general.switches);
        expect(fast.state).toEqual(general.state);
        expect(fast.objects).toEqual(general.objects);
        fastTaken += fast.fast;
      }),
      { numRuns: 200 },
    );
    expect(fastTaken).toBeGreaterThan(200);
  });

  it("takes the fast path for a plain call to a waiting server and for its reply_wait", () => {
    // Server waits (general path: nothing in its slot), the client calls (fast), the server
    // answers and waits again (fast), the client calls again (fast): the steps below drive it.
    // Sequence numbers: k = n % 10 picks the action (0 plain, forever).
    const seq = [10, 20, 30, 40, 50, 60, 70];
    const fast = play("fast", seq);
    const general = play("general", seq);
    expect(fast.fast).toBeGreaterThanOrEqual(3);
    // The client's second call ends on the server's fast path, which returns to it directly.
    expect(fast.direct).toBeGreaterThanOrEqual(1);
    expect(fast.results).toEqual(general.results);
    expect(fast.state).toEqual(general.state);
  });
});
