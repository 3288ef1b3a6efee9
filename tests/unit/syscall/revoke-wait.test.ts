// Revocation ends a wait, through the system calls: a child blocked without a timeout in receive,
// send on a full queue, call, notification wait or wait-set wait, on a capability its parent
// gave it, returns Revoked as soon as the parent revokes, before any other event and without its
// timeout (the machine fails a thread blocked forever that nothing wakes). And a process holding
// a chain of endpoints, each queue carrying the only capability to the next, ends without the
// teardown nesting deeper than a constant.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ErrorCode } from "../../../abi/errors.ts";
import { objectNestingMax, objectNestingReset } from "../../../kernel/cap/object.ts";
import { ExitHow, processExit } from "../../../kernel/proc/process.ts";
import { Sys } from "../../../abi/numbers.ts";
import { HEAP, liveObjects, sim, spawnWith, startProcess, SCRATCH, sys, useSim, whileBlocked, writeMsg } from "./machine.ts";

useSim({ beforeEach, afterEach });

const OUT = HEAP + 512;
/** The first handle spawn_caps gives the child. */
const FIRST = 4096;

type Kind = "receive" | "send on a full queue" | "call" | "notification wait" | "wait-set wait";

describe("a parent's revoke ends its child's wait", () => {
  for (const kind of ["receive", "send on a full queue", "call", "notification wait", "wait-set wait"] as Kind[]) {
    it(`${kind}: Revoked at once, no timeout needed`, () => {
      const parent = startProcess(1, true);
      let root: number;
      if (kind === "notification wait") {
        root = sys(parent, Sys.NotificationCreate);
      } else if (kind === "wait-set wait") {
        root = sys(parent, Sys.WaitSetCreate, 4);
        const n = sys(parent, Sys.NotificationCreate);
        expect(sys(parent, Sys.WaitSetAdd, root, n, 1, 0)).toBe(0);
      } else {
        root = sys(parent, Sys.EndpointCreate, 1);
      }
      expect(root).toBeGreaterThan(0);
      const child = spawnWith(parent, [root]);
      const h = FIRST;
      whileBlocked(() => expect(sys(parent, Sys.CapRevoke, root)).toBe(0));
      let r: number;
      switch (kind) {
        case "receive":
          r = sys(child, Sys.Receive, h, OUT, -1);
          break;
        case "send on a full queue":
          writeMsg(child, HEAP, { label: 1 });
          expect(sys(child, Sys.Send, h, HEAP, 0)).toBe(0);
          r = sys(child, Sys.Send, h, HEAP, -1);
          break;
        case "call":
          writeMsg(child, HEAP, { label: 2 });
          r = sys(child, Sys.Call, h, HEAP, -1);
          break;
        case "notification wait":
          r = sys(child, Sys.NotificationWait, h, -1);
          break;
        case "wait-set wait":
          r = sys(child, Sys.WaitSetWait, h, -1, SCRATCH, 1);
          break;
      }
      expect(r).toBe(-ErrorCode.Revoked);
      expect(sim.blocks).toBe(1);
      expect(sim.timedOutBlocks).toBe(0);
      // The handle reports it too, and the object lives on with the parent.
      expect(sys(child, Sys.CapIdentify, h)).toBe(-ErrorCode.Revoked);
      expect(sys(parent, Sys.CapIdentify, root)).toBeGreaterThan(0);
    });
  }
});

describe("process end", () => {
  it("a process holding a chain of endpoints ends with bounded teardown depth and nothing left", () => {
    const before = liveObjects();
    const p = startProcess();
    const first = sys(p, Sys.EndpointCreate, 1);
    expect(first).toBeGreaterThan(0);
    let cur = first;
    let links = 0;
    // As many links as the quota allows: each endpoint's queue carries the only capability to the next.
    for (;;) {
      const next = sys(p, Sys.EndpointCreate, 1);
      if (next < 0) {
        expect(next).toBe(-ErrorCode.QuotaExceeded);
        break;
      }
      const sendNext = sys(p, Sys.CapCopy, next, 2 | 8);
      expect(sendNext).toBeGreaterThan(0);
      writeMsg(p, HEAP, { label: links, handles: [next] });
      expect(sys(p, Sys.Send, cur, HEAP, 0)).toBe(0);
      if (cur !== first) expect(sys(p, Sys.CapDelete, cur)).toBe(0);
      cur = sendNext;
      links++;
    }
    expect(links).toBeGreaterThan(20);
    objectNestingReset();
    processExit(p, 0, ExitHow.Exited);
    expect(objectNestingMax()).toBeLessThanOrEqual(3);
    sim.procs = sim.procs.filter((q) => q !== p);
    expect(liveObjects()).toBe(before);
  });
});
