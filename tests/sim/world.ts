// Deterministic simulation of the real kernel code: the system-call layer, capabilities, IPC
// objects, scheduler, process lifecycle and memory management run in Node on the simulated machine
// of tests/unit/syscall/machine.ts. Processes issue random well-formed and malformed calls; while
// one is blocked, others act (send to it, revoke what it waits on, kill it), and time jumps so
// timeouts fire. After every step the invariants below are checked. Everything comes from one
// seed: an epoch's operations are generated up front, so a failure replays exactly and can be
// shrunk to a short sequence by removing operations.
import { checkInvariants } from "../unit/object/fixture.ts";
import { errorKnown, ErrorCode } from "../../abi/errors.ts";
import { lookupCap, lookupError } from "../../kernel/cap/cap-table.ts";
import { rightsSubset } from "../../abi/rights.ts";
import { ExitHow, Process, processByPid, processExit, processKill, ProcState } from "../../kernel/proc/process.ts";
import { Sys, SYSCALL_COUNT } from "../../abi/numbers.ts";
import { MAX_THREADS, thisCpu, threadById } from "../../kernel/sched/scheduler.ts";
import { ThreadState } from "../../kernel/sched/thread.ts";
import { WaitState } from "../../kernel/cap/waiter.ts";
import { PAGE_SIZE } from "../../kernel/arch/x86_64/layout.ts";
import { schedulerTick } from "../../kernel/sched/scheduler.ts";
import { fakeCpu } from "../../kernel/arch/x86_64/host/machine.ts";
import {
  exitAll, HEAP, HEAP_PAGES, KERNEL_PTR, liveObjects, makeSim, peek64, poke64, RO_PAGE, SCRATCH, sim, spawnWith, startProcess, sys,
  TICK_NS, UNMAPPED, writeMsg,
} from "../unit/syscall/machine.ts";
import { ObjectType } from "../../abi/object-type.ts";
import { procCapsIfAny } from "../../kernel/proc/proc-caps.ts";

/** A small, fast, seeded generator (mulberry32), so a run is a function of its seed. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = (Math.imul(seed | 0, 0x9e3779b1) ^ 0x6d2b79f5) >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

/** One step: process `p` (an index into the world's processes) does `k`; `nested` runs while it is blocked. */
export interface Op {
  k: string;
  p: number;
  a: number[];
  nested: Op[];
}

/** Processes a world keeps at most (the first is the root; the others come and go). */
const PROCS = 6;
/** Spawns per epoch: threads of ended processes are not reclaimed by the machine. */
const MAX_SPAWNS = MAX_THREADS - 32;
const MAP_BASE = 0x40000000;
const KINDS = [
  "create", "create", "create", "copy", "mint", "delete", "revoke", "identify", "send", "send", "send", "receive", "receive",
  "call", "reply", "wait", "signal", "signal", "wsAdd", "wsWait", "invoke", "batch", "map", "unmap", "spawn", "kill", "exit",
  "tick", "raw", "raw",
] as const;
const ODD_VALUES = [-1, 0, 1, 4095, 4096, 2 ** 31, 2 ** 32, 2 ** 48, 2 ** 53 - 1, -(2 ** 53 - 1)];
const ODD_POINTERS = [HEAP, HEAP + 4, RO_PAGE, UNMAPPED, KERNEL_PTR, 0, HEAP + HEAP_PAGES * PAGE_SIZE - 64, SCRATCH, -1, 2 ** 47];

function arg(r: Rng): number {
  switch (r.int(4)) {
    case 0: return r.int(41);
    case 1: return r.pick(ODD_VALUES);
    case 2: return r.pick(ODD_POINTERS);
    default: return r.int(300) - 2;
  }
}

/** Generates one operation; nested ones (run while this one blocks) only at the top level. */
export function genOp(r: Rng, top: boolean): Op {
  const k = r.pick(KINDS);
  const a: number[] = [];
  for (let i = 0; i < 6; i++) a.push(r.int(4) === 0 ? arg(r) : r.int(41));
  const nested: Op[] = [];
  if (top && r.int(3) === 0) {
    const n = 1 + r.int(3);
    for (let i = 0; i < n; i++) nested.push(genOp(r, false));
  }
  return { k, p: r.int(PROCS), a, nested };
}

/** `x` modulo `n` in 0..n-1, negative `x` included (JavaScript's % keeps the sign). */
function mod(x: number, n: number): number {
  return ((x % n) + n) % n;
}

/** A documented result: a success value or a negated error code. */
function documented(r: number): boolean {
  return r >= 0 || errorKnown(-r);
}

export class SimFailure extends Error {
  constructor(readonly step: number, readonly op: Op, readonly why: string) {
    super(`step ${step} (${op.k} by process ${op.p}): ${why}`);
  }
}

/** Figures of a run: steps, calls by number, results by error code. */
export class Coverage {
  steps = 0;
  calls = new Map<number, number>();
  succeeded = new Map<number, number>();
  errors = new Map<number, number>();
  blocks = 0;
  nested = 0;
  kills = 0;
  spawns = 0;
}

export class World {
  procs: Process[] = [];
  handles: Array<Map<number, number>> = [];
  types: Array<Map<number, number>> = [];
  /** Process capabilities the root holds for its children, by process index. */
  procCaps: number[] = [];
  replies: number[][] = [];
  spawns = 0;
  depth = 0;
  baselineObjects = 0;
  baselineFrames = 0;

  constructor(readonly cov: Coverage) {
    if (sim !== undefined) exitAll();
    makeSim();
    sim.killDeadlocked = true;
    this.baselineObjects = liveObjects();
    this.baselineFrames = sim.frames.freeFrames;
    const root = startProcess(1, true);
    this.procs.push(root);
    this.handles.push(new Map());
    this.types.push(new Map());
    this.procCaps.push(0);
    this.replies.push([]);
    const ep = this.sys(0, Sys.EndpointCreate, 4);
    this.learn(0, ep);
    for (let i = 1; i < PROCS; i++) this.spawnChild(i, ep);
  }

  alive(i: number): boolean {
    const p = this.procs[i];
    return p !== undefined && processByPid(p.pid) === p && p.state === ProcState.Running;
  }

  runnable(i: number): boolean {
    if (!this.alive(i)) return false;
    const t = threadById(this.procs[i]!.threadId);
    return t !== null && t.state !== ThreadState.Blocked;
  }

  sys(i: number, n: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0): number {
    this.cov.calls.set(n, (this.cov.calls.get(n) ?? 0) + 1);
    const r = sys(this.procs[i]!, n, a0, a1, a2, a3, a4);
    if (r >= 0) this.cov.succeeded.set(n, (this.cov.succeeded.get(n) ?? 0) + 1);
    else if (!Number.isNaN(r)) this.cov.errors.set(-r, (this.cov.errors.get(-r) ?? 0) + 1);
    return r;
  }

  /** Starts process `i` as a child of the root holding a copy of `ep`, and keeps its Process capability. */
  spawnChild(i: number, ep: number): void {
    if (this.spawns >= MAX_SPAWNS || !this.runnable(0)) return;
    const root = this.procs[0]!;
    poke64(root, SCRATCH + 512, 0n);
    let child: Process;
    try {
      child = spawnWith(root, ep > 0 ? [ep] : [], 0, 1 << 17, 0);
    } catch {
      return;
    }
    this.spawns++;
    this.cov.spawns++;
    this.procs[i] = child;
    this.handles[i] = new Map();
    this.types[i] = new Map();
    this.replies[i] = [];
    if (ep > 0) this.learn(i, 4096);
    this.procCaps[i] = 0;
  }

  learn(i: number, h: number): void {
    if (h <= 0 || !this.alive(i)) return;
    const r = sys(this.procs[i]!, Sys.CapIdentify, h);
    if (r > 0) {
      this.handles[i]!.set(h, r & 255);
      this.types[i]!.set(h, r >> 8);
    }
  }

  /** Handle `h` of process i's known handles, preferably of `type`; raw values outside 0..40 stay as they are. */
  handle(i: number, h: number, type = 0): number {
    if (h < 0 || h > 40) return h;
    let hs = [...this.handles[i]!.keys()];
    const typed = hs.filter((x) => this.types[i]!.get(x) === type);
    if (type !== 0 && h % 4 !== 0 && typed.length > 0) hs = typed;
    return hs.length === 0 ? h : hs[Math.floor(h / 4) % hs.length]!;
  }

  /** Runs one operation (and, if it blocks, its nested ones meanwhile); throws SimFailure on a broken rule. */
  run(step: number, op: Op): void {
    const i = op.p;
    if (op.k === "tick") {
      for (let n = 0; n <= mod(op.a[0]!, 8); n++) {
        fakeCpu.tsc += BigInt(TICK_NS);
        schedulerTick(0);
      }
      return;
    }
    if (!this.runnable(i)) {
      // A dead slot is refilled by the root, as a supervisor restarts what ended.
      if (!this.alive(i) && i !== 0 && op.k === "spawn") this.spawnChild(i, this.handle(0, 0, ObjectType.Endpoint));
      return;
    }
    if (op.nested.length > 0 && this.depth === 0) {
      for (const n of op.nested) {
        sim.pending.push(() => {
          this.cov.nested++;
          this.depth++;
          try {
            this.run(step, n);
          } finally {
            this.depth--;
          }
        });
      }
    }
    const blocksBefore = sim.blocks;
    const r = this.call(i, op);
    if (this.depth === 0) {
      this.cov.blocks += sim.blocks - blocksBefore;
      sim.pending = [];
    }
    if (Number.isNaN(r)) {
      if (this.alive(i)) throw new SimFailure(step, op, "a call never returned, yet its process lives");
      return;
    }
    if (!Number.isInteger(r) || !documented(r)) throw new SimFailure(step, op, `undocumented result ${r}`);
  }

  private call(i: number, op: Op): number {
    const p = this.procs[i]!;
    const a = op.a;
    // A blocking call made while another is blocked must end by itself: a bounded timeout.
    const timeout = this.depth > 0 ? TICK_NS : [0, 0, TICK_NS, 5 * TICK_NS][mod(a[5]!, 4)]!;
    switch (op.k) {
      case "create": {
        const n = [Sys.EndpointCreate, Sys.NotificationCreate, Sys.WaitSetCreate, Sys.MemoryCreate][mod(a[0]!, 4)]!;
        const r = this.sys(i, n, 1 + mod(a[1]!, 4));
        this.learn(i, r);
        return r;
      }
      case "copy":
      case "mint": {
        const h = this.handle(i, a[0]!);
        const before = sys(p, Sys.CapIdentify, h);
        const rights = mod(a[1]! * 7, 256);
        const r = op.k === "copy" ? this.sys(i, Sys.CapCopy, h, rights) : this.sys(i, Sys.CapMint, h, rights, 1 + a[2]!);
        if (r > 0) {
          const got = sys(p, Sys.CapIdentify, r) & 255;
          if (got !== rights || !rightsSubset(rights, before & 255)) {
            throw new SimFailure(0, op, `rights grew: asked ${rights} of ${before & 255}, got ${got}`);
          }
        }
        this.learn(i, r);
        return r;
      }
      case "delete": return this.sys(i, Sys.CapDelete, this.handle(i, a[0]!));
      case "revoke": return this.sys(i, Sys.CapRevoke, this.handle(i, a[0]!));
      case "identify": return this.sys(i, Sys.CapIdentify, this.handle(i, a[0]!));
      case "send": {
        const caps = [a[1]!, a[2]!, a[3]!].slice(0, mod(a[4]!, 4)).map((c) => this.handle(i, c));
        writeMsg(p, HEAP, { label: a[4]!, flags: mod(a[5]!, 2), handles: caps, words: [a[0]!, a[1]!] });
        return this.sys(i, Sys.Send, this.handle(i, a[0]!, ObjectType.Endpoint), HEAP, timeout);
      }
      case "receive": {
        const r = this.sys(i, Sys.Receive, this.handle(i, a[0]!, ObjectType.Endpoint), HEAP + 256, timeout);
        if (r === 0 && this.alive(i)) {
          for (let k = 0; k < 4; k++) this.learn(i, this.word(p, HEAP + 256 + (11 + k) * 8));
          const reply = this.word(p, HEAP + 256 + 4 * 8);
          if (reply > 0) this.replies[i]!.push(reply);
          this.learn(i, reply);
        }
        return r;
      }
      case "call": {
        writeMsg(p, HEAP, { label: a[1]!, words: [a[2]!] });
        return this.sys(i, Sys.Call, this.handle(i, a[0]!, ObjectType.Endpoint), HEAP, this.depth > 0 ? TICK_NS : 3 * TICK_NS);
      }
      case "reply": {
        const rs = this.replies[i]!;
        const h = rs.length > 0 && mod(a[0]!, 4) !== 0 ? rs.splice(mod(a[0]!, rs.length), 1)[0]! : this.handle(i, a[0]!);
        writeMsg(p, HEAP, { label: a[1]!, handles: mod(a[2]!, 3) === 0 ? [this.handle(i, a[3]!)] : [] });
        return this.sys(i, Sys.Reply, h, HEAP);
      }
      case "wait": {
        const r = this.sys(i, Sys.NotificationWait, this.handle(i, a[0]!, ObjectType.Notification), timeout);
        return r > 0 ? 0 : r;
      }
      case "signal": return this.sys(i, Sys.Signal, this.handle(i, a[0]!, ObjectType.Notification), 1 + mod(a[1]!, 255));
      case "wsAdd":
        return this.sys(i, Sys.WaitSetAdd, this.handle(i, a[0]!, ObjectType.WaitSet),
          this.handle(i, a[1]!, mod(a[1]!, 2) === 0 ? ObjectType.Endpoint : ObjectType.Notification), mod(a[2]!, 6), mod(a[3]!, 16));
      case "wsWait": {
        const r = this.sys(i, Sys.WaitSetWait, this.handle(i, a[0]!, ObjectType.WaitSet), timeout, SCRATCH, 8);
        if (r > 8) throw new SimFailure(0, op, `wait_set_wait reported ${r} of at most 8`);
        return r > 0 ? 0 : r;
      }
      case "invoke": {
        const h = this.handle(i, a[0]!, ObjectType.Notification);
        // On an endpoint an invocation is a call: bounded like one only through nested activity.
        if (sys(p, Sys.CapIdentify, h) >> 8 === ObjectType.Endpoint) return 0;
        writeMsg(p, HEAP, { label: [0, 1, 2, 3, 4, 5, 16, 17, 32, 99][mod(a[1]!, 10)]!, words: [a[2]!, a[3]!] });
        const r = this.sys(i, Sys.Invoke, h, HEAP);
        if (r === 0) this.learn(i, this.word(p, HEAP + 5 * 8));
        return r;
      }
      case "batch": {
        const n = 1 + mod(a[0]!, 4);
        for (let k = 0; k < n; k++) {
          poke64(p, SCRATCH + k * 128, BigInt(this.handle(i, a[k + 1]!, ObjectType.Notification)));
          writeMsg(p, SCRATCH + k * 128 + 8, { label: [1, 2, 16, 17, 32, 7][mod(a[k]!, 6)]!, words: [1, 0] });
        }
        const r = this.sys(i, Sys.Batch, SCRATCH, n);
        if (r < 0 && !documented(r)) return r;
        if (r > n) throw new SimFailure(0, op, `batch of ${n} reported ${r}`);
        return Math.min(r, 0);
      }
      case "map": return this.sys(i, Sys.MemoryMap, this.handle(i, a[0]!, ObjectType.MemoryObject), MAP_BASE + mod(a[1]!, 2) * 0x100000, [1, 3, 5, 2, 7][mod(a[2]!, 5)]!);
      case "unmap": return this.sys(i, Sys.MemoryUnmap, MAP_BASE + mod(a[1]!, 2) * 0x100000);
      case "spawn": {
        if (i !== 0) return 0;
        const slot = 1 + mod(a[0]!, PROCS - 1);
        if (this.alive(slot)) return 0;
        this.spawnChild(slot, this.handle(0, a[1]!, ObjectType.Endpoint));
        return 0;
      }
      case "kill": {
        const victim = 1 + mod(a[0]!, PROCS - 1);
        if (!this.alive(victim) || victim === i) return 0;
        this.cov.kills++;
        processKill(this.procs[victim]!, 9, p.pid);
        return 0;
      }
      case "exit":
        if (i === 0) return 0;
        processExit(p, 0, ExitHow.Exited);
        return 0;
      default: {
        // Any call number with arbitrary arguments (bounded: call and invoke on an endpoint
        // nobody serves would wait for good, so they go through "call" and "invoke").
        let n = 32 + mod(a[0]!, SYSCALL_COUNT - 32 + 2);
        if (n === Sys.Call || n === Sys.Invoke || n === Sys.CallRegs || n === Sys.ReplyWait || n === Sys.SpawnCaps || n === Sys.SpawnImage || n === Sys.ProcessKill) n = Sys.CapIdentify;
        const args = a.slice(1).map((x) => (x >= 0 && x <= 40 ? this.handle(i, x) : x));
        const blocking = n === Sys.Receive || n === Sys.Send || n === Sys.NotificationWait || n === Sys.WaitSetWait;
        if (blocking) args[n === Sys.NotificationWait ? 1 : 2] = timeout;
        const r = this.sys(i, n, args[0]!, args[1]!, args[2]!, args[3]!, args[4]!);
        if (r > 0 && n !== Sys.KernelObjects && n !== Sys.AccountInfo) this.learn(i, r);
        return Math.min(r, 0);
      }
    }
  }

  private word(p: Process, addr: number): number {
    const v = peek64(p, addr);
    return v > 0n && v < 2n ** 31n ? Number(v) : 0;
  }

  /** The invariants, after every step. */
  check(step: number, op: Op): void {
    const fail = (why: string): never => {
      throw new SimFailure(step, op, why);
    };
    const live = this.procs.map((_, i) => i).filter((i) => this.alive(i));
    const tables = live.map((i) => procCapsIfAny(this.procs[i]!)).filter((pc) => pc !== null).map((pc) => pc!.table);
    try {
      // The derivation tree is well formed, rights never exceed the parent's, no capability names
      // a destroyed object, counts match (tests/unit/object/fixture.ts).
      checkInvariants(tables);
    } catch (e) {
      fail(`capability invariant: ${(e as Error).message}`);
    }
    for (const i of live) {
      // A handle's rights never change while it names the same capability.
      const pc = procCapsIfAny(this.procs[i]!);
      if (pc !== null) {
        for (const [h, rights] of this.handles[i]!) {
          if (lookupError(pc.table, h, ObjectType.Any, 0) !== ErrorCode.Ok) continue;
          const got = lookupCap(pc.table, h).rights;
          if (got !== rights) fail(`process ${i} handle ${h}: rights ${rights} became ${got}`);
        }
        const acc = pc.account;
        if (acc.used < 0 || acc.used > acc.limit) fail(`process ${i} account: ${acc.used} used of ${acc.limit}`);
        // A thread is blocked exactly when its waiter waits; a waiting waiter is on at most one queue.
        const t = threadById(this.procs[i]!.threadId)!;
        const w = pc.waiter;
        if (w.state === WaitState.Waiting && t.state !== ThreadState.Blocked) fail(`process ${i}: waiter waits, thread ${t.state}`);
        if (w.queue !== null && w.state !== WaitState.Waiting) fail(`process ${i}: waiter on a queue without waiting`);
      }
    }
    // The run queue holds exactly the ready threads, each once.
    const c = thisCpu();
    for (let id = 0; id < MAX_THREADS; id++) {
      const t = threadById(id);
      const queued = c.runQueue.contains(id);
      if (t === null) {
        if (queued) fail(`run queue holds thread ${id}, which does not exist`);
        continue;
      }
      // The idle thread runs when nothing else can and is never queued.
      if (t === c.idle) {
        if (queued) fail("the idle thread is queued");
        continue;
      }
      if (queued !== (t.state === ThreadState.Ready)) fail(`thread ${id} in state ${t.state} ${queued ? "is" : "is not"} queued`);
    }
    if (c.current.state !== ThreadState.Running) fail(`the current thread is in state ${c.current.state}`);
    if (sim.frames.freeFrames > this.baselineFrames) fail(`more frames free (${sim.frames.freeFrames}) than at the start (${this.baselineFrames})`);
  }

  /** Ends every process; everything must be back: objects, capabilities, messages, frames. */
  finish(step: number, op: Op): void {
    exitAll();
    const objects = liveObjects();
    if (objects !== this.baselineObjects) throw new SimFailure(step, op, `kernel objects left: ${objects}, at the start ${this.baselineObjects}`);
    if (sim.frames.freeFrames !== this.baselineFrames) {
      throw new SimFailure(step, op, `frames left in use: ${this.baselineFrames - sim.frames.freeFrames}`);
    }
  }
}

/** Runs `ops` on a fresh world; returns the failure, or null. Coverage accumulates in `cov`. */
export function runEpoch(ops: Op[], cov: Coverage): SimFailure | null {
  let w: World;
  try {
    w = new World(cov);
  } catch (e) {
    return new SimFailure(0, { k: "start", p: 0, a: [], nested: [] }, (e as Error).message);
  }
  let step = 0;
  try {
    for (; step < ops.length; step++) {
      const op = ops[step]!;
      w.run(step, op);
      w.check(step, op);
      cov.steps++;
    }
    w.finish(step, ops[ops.length - 1] ?? { k: "end", p: 0, a: [], nested: [] });
  } catch (e) {
    if (e instanceof SimFailure) return new SimFailure(step, e.op, e.why);
    return new SimFailure(step, ops[step] ?? { k: "end", p: 0, a: [], nested: [] }, `threw: ${(e as Error).stack ?? e}`);
  } finally {
    try {
      if (sim !== undefined) exitAll();
    } catch {
      // A broken machine is replaced by the next epoch's.
    }
  }
  return null;
}

/** The operations of epoch `epoch` of a run with `seed`. */
export function epochOps(seed: number, epoch: number, steps: number): Op[] {
  const r = new Rng(Math.imul(seed, 1_000_003) + epoch);
  const ops: Op[] = [];
  for (let i = 0; i < steps; i++) ops.push(genOp(r, true));
  return ops;
}

/**
 * Shrinks a failing sequence: removes chunks of operations (halves, quarters, ... single ones) and
 * nested operations while the run still fails, so the report is a short sequence.
 */
export function shrink(ops: Op[], budget = 400): Op[] {
  let cur = ops;
  let tries = 0;
  const fails = (xs: Op[]): boolean => {
    tries++;
    return runEpoch(xs, new Coverage()) !== null;
  };
  for (let chunk = Math.max(1, Math.floor(cur.length / 2)); chunk >= 1 && tries < budget; chunk = Math.floor(chunk / 2)) {
    for (let at = 0; at < cur.length && tries < budget; ) {
      const candidate = cur.slice(0, at).concat(cur.slice(at + chunk));
      if (candidate.length > 0 && fails(candidate)) cur = candidate;
      else at += chunk;
    }
  }
  for (let i = 0; i < cur.length && tries < budget; i++) {
    if (cur[i]!.nested.length === 0) continue;
    const candidate = cur.slice();
    candidate[i] = { ...cur[i]!, nested: [] };
    if (fails(candidate)) cur = candidate;
  }
  return cur;
}
