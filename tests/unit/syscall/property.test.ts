// Property-based tests over random system call sequences from three processes: well-formed calls
// on the handles they hold and arbitrary numbers in every argument. Whatever the sequence: no call
// throws (a panic on the host), every result is a success value or a negated documented error,
// the derivation tree stays consistent with rights never growing, a handle's rights never change,
// and once every process has ended the kernel objects and frames are back at the baseline.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { errorKnown } from "../../../abi/errors.ts";
import { rightsSubset } from "../../../abi/rights.ts";
import { ExitHow, Process, processByPid, processExit, ProcState } from "../../../kernel/proc/process.ts";
import { Sys } from "../../../abi/numbers.ts";
import { checkInvariants } from "../object/fixture.ts";
import {
  exitAll, HEAP, HEAP_PAGES, KERNEL_PTR, makeSim, liveObjects, peek64, poke64, RO_PAGE, SCRATCH, sim, spawnWith, startProcess, sys, TICK_NS, UNMAPPED,
  useSim, writeMsg,
} from "./machine.ts";
import { PAGE_SIZE } from "../../../kernel/arch/x86_64/layout.ts";
import { ObjectType } from "../../../abi/object-type.ts";
import { procCapsIfAny } from "../../../kernel/proc/proc-caps.ts";

useSim({ beforeEach, afterEach });

type Op =
  | { k: "create"; p: number; what: number; size: number }
  | { k: "copy" | "mint"; p: number; h: number; rights: number; badge: number }
  | { k: "delete" | "revoke" | "identify"; p: number; h: number }
  | { k: "send"; p: number; h: number; caps: number[]; flags: number; label: number; timeout: number }
  | { k: "receive" | "wait" | "wsWait"; p: number; h: number; timeout: number }
  | { k: "signal"; p: number; h: number; bits: number }
  | { k: "wsAdd"; p: number; h: number; src: number; key: number; mask: number }
  | { k: "invoke"; p: number; h: number; label: number; w0: number; w1: number }
  | { k: "batch"; p: number; hs: number[]; labels: number[] }
  | { k: "map"; p: number; h: number; slot: number; rights: number }
  | { k: "unmap"; p: number; slot: number }
  | { k: "exit"; p: number }
  | { k: "raw"; p: number; n: number; args: number[] };

const P = fc.nat(2);
/** Index into the process's known handles (wrapped), or a raw handle value. */
const H = fc.oneof({ weight: 9, arbitrary: fc.nat(40) }, { weight: 1, arbitrary: fc.constantFrom(-1, 0, 4095, 2 ** 53 - 1) });
const small = fc.oneof(fc.integer({ min: -2, max: 300 }), fc.constantFrom(2 ** 31, 2 ** 48, 2 ** 53 - 1, -(2 ** 53 - 1)));
const ptr = fc.oneof(
  fc.constantFrom(HEAP, HEAP + 4, RO_PAGE, UNMAPPED, KERNEL_PTR, 0, HEAP + HEAP_PAGES * PAGE_SIZE - 64, SCRATCH),
  fc.integer({ min: -(2 ** 48), max: 2 ** 48 }),
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant("create" as const), p: P, what: fc.nat(3), size: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constantFrom("copy" as const, "mint" as const), p: P, h: H, rights: fc.nat(255), badge: fc.integer({ min: 1, max: 1000 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constantFrom("delete" as const, "revoke" as const, "identify" as const), p: P, h: H }) },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant("send" as const), p: P, h: H, caps: fc.array(H, { maxLength: 4 }), flags: fc.nat(1), label: fc.nat(100),
      timeout: fc.constantFrom(0, 0, 0, TICK_NS),
    }),
  },
  { weight: 3, arbitrary: fc.record({ k: fc.constantFrom("receive" as const, "wait" as const, "wsWait" as const), p: P, h: H, timeout: fc.constantFrom(0, 0, 2 * TICK_NS) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("signal" as const), p: P, h: H, bits: fc.integer({ min: 1, max: 255 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("wsAdd" as const), p: P, h: H, src: H, key: fc.nat(5), mask: fc.nat(15) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("invoke" as const), p: P, h: H, label: fc.constantFrom(0, 1, 2, 3, 4, 5, 16, 17, 32, 99), w0: fc.nat(255), w1: fc.nat(1000) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("batch" as const), p: P, hs: fc.array(H, { minLength: 1, maxLength: 4 }), labels: fc.array(fc.constantFrom(1, 2, 16, 17, 32, 7), { minLength: 4, maxLength: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("map" as const), p: P, h: H, slot: fc.nat(1), rights: fc.constantFrom(1, 3, 5, 1, 3, 2, 7) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("unmap" as const), p: P, slot: fc.nat(1) }) },
  // Only the children end early; the first process holds the connection.
  { weight: 1, arbitrary: fc.record({ k: fc.constant("exit" as const), p: fc.integer({ min: 1, max: 2 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      // Not call and invoke: aimed at an endpoint nobody serves, they wait for good.
      k: fc.constant("raw" as const), p: P, n: fc.integer({ min: 32, max: Sys.AccountInfo + 1 }).filter((n) => n !== Sys.Call && n !== Sys.Invoke),
      args: fc.array(fc.oneof(small, ptr, H), { minLength: 5, maxLength: 5 }),
    }),
  },
);

const MAP_BASE = 0x40000000;
/** Successful operations by kind, so the test can require the generator to reach them. */
const seen = new Map<string, number>();
/** A negated error code the kernel defines. */
function documentedError(r: number): boolean {
  return r < 0 && errorKnown(-r);
}

class World {
  procs: Process[];
  /** Handles each process has seen issued to it, with the rights they had then. */
  handles: Array<Map<number, number>>;

  constructor(procs: Process[]) {
    this.procs = procs;
    this.handles = procs.map(() => new Map<number, number>());
    this.types = procs.map(() => new Map<number, number>());
  }

  /** Object type of each known handle, to aim most calls at objects of the right type. */
  types: Array<Map<number, number>>;

  /**
   * Handle number `h` of the process's known handles (of object type `type` when it has some and
   * h is not a multiple of 4; any type otherwise), or `h` itself outside 0..40 (a raw handle value).
   */
  handle(p: number, h: number, type = 0): number {
    if (h < 0 || h > 40) return h;
    let hs = [...this.handles[p]!.keys()];
    const typed = hs.filter((x) => this.types[p]!.get(x) === type);
    if (type !== 0 && h % 4 !== 0 && typed.length > 0) hs = typed;
    return hs.length === 0 ? h : hs[Math.floor(h / 4) % hs.length]!;
  }

  /** Records a handle a call issued: its rights, as cap_identify reports them. */
  learn(p: number, h: number): void {
    if (h <= 0) return;
    const r = sys(this.procs[p]!, Sys.CapIdentify, h);
    if (r > 0) {
      this.handles[p]!.set(h, r & 255);
      this.types[p]!.set(h, r >> 8);
    }
  }
}

/** Still running: a process without a parent frees its slot at once when it ends. */
function alive(p: Process): boolean {
  return processByPid(p.pid) === p && p.state === ProcState.Running;
}

function run(w: World, op: Op): void {
  const pi = op.p;
  const p = w.procs[pi]!;
  if (!alive(p)) return;
  const want: Partial<Record<Op["k"], ObjectType>> = {
    send: ObjectType.Endpoint, receive: ObjectType.Endpoint, signal: ObjectType.Notification, wait: ObjectType.Notification,
    wsAdd: ObjectType.WaitSet, wsWait: ObjectType.WaitSet, map: ObjectType.MemoryObject, invoke: ObjectType.Notification,
  };
  const h = "h" in op ? w.handle(pi, op.h, want[op.k] ?? 0) : 0;
  let r = 0;
  switch (op.k) {
    case "create": {
      const n = [Sys.EndpointCreate, Sys.NotificationCreate, Sys.WaitSetCreate, Sys.MemoryCreate][op.what]!;
      r = sys(p, n, op.size);
      w.learn(pi, r);
      break;
    }
    case "copy": {
      const before = sys(p, Sys.CapIdentify, h);
      r = sys(p, Sys.CapCopy, h, op.rights);
      if (r > 0) {
        // The copy has exactly the rights asked for, which are within the source's.
        expect(sys(p, Sys.CapIdentify, r) & 255).toBe(op.rights);
        expect(rightsSubset(op.rights, before & 255)).toBe(true);
      }
      w.learn(pi, r);
      break;
    }
    case "mint":
      r = sys(p, Sys.CapMint, h, op.rights, op.badge);
      if (r > 0) expect(sys(p, Sys.CapBadge, r)).toBe(op.badge);
      w.learn(pi, r);
      break;
    case "delete":
      r = sys(p, Sys.CapDelete, h);
      break;
    case "revoke":
      r = sys(p, Sys.CapRevoke, h);
      break;
    case "identify":
      r = sys(p, Sys.CapIdentify, h);
      break;
    case "send": {
      const caps = op.caps.map((c) => w.handle(pi, c));
      writeMsg(p, HEAP, { label: op.label, flags: op.flags, handles: caps });
      r = sys(p, Sys.Send, h, HEAP, op.timeout);
      break;
    }
    case "receive": {
      r = sys(p, Sys.Receive, h, HEAP + 256, op.timeout);
      if (r === 0) {
        for (let i = 0; i < 4; i++) w.learn(pi, Number(peekWord(p, HEAP + 256 + (11 + i) * 8)));
        w.learn(pi, Number(peekWord(p, HEAP + 256 + 4 * 8)));
      }
      break;
    }
    case "wait":
      r = sys(p, Sys.NotificationWait, h, op.timeout);
      if (r > 0) r = 0;
      break;
    case "wsWait":
      r = sys(p, Sys.WaitSetWait, h, op.timeout, SCRATCH, 8);
      if (r > 0) {
        expect(r).toBeLessThanOrEqual(8);
        r = 0;
      }
      break;
    case "signal":
      r = sys(p, Sys.Signal, h, op.bits);
      break;
    case "wsAdd":
      r = sys(p, Sys.WaitSetAdd, h, w.handle(pi, op.src, op.src % 4 === 0 ? ObjectType.Endpoint : ObjectType.Notification), op.key, op.mask);
      break;
    case "invoke":
      writeMsg(p, HEAP, { label: op.label, words: [op.w0, op.w1] });
      // On an endpoint an invocation is a call nobody here answers: kernel objects only.
      if (sys(p, Sys.CapIdentify, h) >> 8 === ObjectType.Endpoint) return;
      r = sys(p, Sys.Invoke, h, HEAP, 0);
      if (r === 0 && (op.label === 2 || op.label === 3)) w.learn(pi, Number(peekWord(p, HEAP + 5 * 8)));
      break;
    case "batch":
      op.hs.forEach((x, i) => {
        poke64(p, SCRATCH + i * 128, BigInt(w.handle(pi, x)));
        writeMsg(p, SCRATCH + i * 128 + 8, { label: op.labels[i]!, words: [1, 0] });
      });
      r = sys(p, Sys.Batch, SCRATCH, op.hs.length);
      expect(r).toBeGreaterThanOrEqual(0);
      expect(r).toBeLessThanOrEqual(op.hs.length);
      r = 0;
      break;
    case "map":
      r = sys(p, Sys.MemoryMap, h, MAP_BASE + op.slot * 0x100000, op.rights);
      break;
    case "unmap":
      r = sys(p, Sys.MemoryUnmap, MAP_BASE + op.slot * 0x100000);
      break;
    case "exit":
      processExit(p, 0, ExitHow.Exited);
      return;
    case "raw": {
      const a = op.args.map((x) => (x >= 0 && x <= 40 ? w.handle(pi, x) : x));
      r = sys(p, op.n, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!);
      if (op.n === Sys.SpawnCaps && r > 0) {
        // A child started by a random spawn_caps ends at once; its quota must come back.
        processExit(processByPid(r)!, 0, ExitHow.Exited);
        return;
      }
      if (r > 0 && op.n !== Sys.KernelObjects && op.n !== Sys.AccountInfo) w.learn(pi, r);
      r = Math.min(r, 0);
      break;
    }
  }
  // NaN: the process was killed while blocked for good (a call or invoke nobody answers).
  if (Number.isNaN(r)) {
    expect(alive(p)).toBe(false);
    return;
  }
  expect(Number.isInteger(r)).toBe(true);
  if (r >= 0) seen.set(op.k, (seen.get(op.k) ?? 0) + 1);
  expect(r === 0 || r > 0 || documentedError(r)).toBe(true);
}

/** A handle word the kernel wrote (0 when there is none). */
function peekWord(p: Process, addr: number): bigint {
  const v = peek64(p, addr);
  return v > 0n && v < 2n ** 31n ? v : 0n;
}

/** After a step: the tree is consistent and every handle still held kept its rights. */
function check(w: World): void {
  const tables = w.procs.filter(alive).map((p) => procCapsIfAny(p)).filter((pc) => pc !== null).map((pc) => pc!.table);
  checkInvariants(tables);
  w.procs.forEach((p, i) => {
    if (!alive(p)) return;
    for (const [h, rights] of w.handles[i]!) {
      const r = sys(p, Sys.CapIdentify, h);
      if (r > 0) expect(r & 255).toBe(rights);
    }
  });
}

describe("random system call sequences (property-based)", () => {
  it("never throw, keep rights monotone and the tree consistent, and leave nothing behind", () => {
    let succeeded = 0;
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 20, maxLength: 60 }), (ops) => {
        // A fresh machine per run (threads of ended processes are not reclaimed by the fixture);
        // kernel objects live in module state, so the baseline is taken again.
        exitAll();
        makeSim();
        sim.killDeadlocked = true;
        const baseline = liveObjects();
        const frames = sim.frames.freeFrames;
        // Process 0 may start modules; 1 and 2 are its children holding copies of its endpoint.
        const root = startProcess(1, true);
        const ep = sys(root, Sys.EndpointCreate, 3);
        const a = spawnWith(root, [ep]);
        const b = spawnWith(root, [ep], 0, 1 << 16);
        const w = new World([root, a, b]);
        w.learn(0, ep);
        w.learn(1, 4096);
        w.learn(2, 4096);
        try {
          for (const op of ops) {
            run(w, op);
            check(w);
          }
        } finally {
          exitAll();
        }
        succeeded += ops.length;
        expect(liveObjects()).toBe(baseline);
        expect(sim.frames.freeFrames).toBe(frames);
      }),
      { numRuns: Number(process.env.KEEL_PROPERTY_RUNS ?? 60) },
    );
    expect(succeeded).toBeGreaterThan(0);
    for (const k of ["create", "copy", "mint", "delete", "revoke", "send", "receive", "signal", "wsAdd", "invoke"]) {
      expect([k, (seen.get(k) ?? 0) > 0]).toEqual([k, true]);
    }
  });
});
