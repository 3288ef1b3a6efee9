// Every class of bad input to the capability and IPC system calls gets the exact documented error
// (docs/syscalls.md, docs/capabilities.md) and changes nothing: invalid, stale and revoked
// handles, wrong object types, missing rights, bad user pointers (misaligned, null, unmapped,
// kernel, read-only for an output, straddling into an unmapped page), and out-of-range values.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ErrorCode } from "../../../abi/errors.ts";
import { Right, RIGHTS_ALL } from "../../../abi/rights.ts";
import { Frame } from "../../../kernel/arch/x86_64/frame.ts";
import { translate } from "../../../kernel/arch/x86_64/paging.ts";
import { threadById } from "../../../kernel/sched/scheduler.ts";
import { PAGE_SIZE } from "../../../kernel/arch/x86_64/layout.ts";
import { Process } from "../../../kernel/proc/process.ts";
import { Sys, SYSCALL_COUNT } from "../../../abi/numbers.ts";
import {
  fillMarker, HEAP, HEAP_PAGES, isMarker, KERNEL_PTR, liveObjects, peek64, poke64, readMsg, RO_PAGE, SCRATCH, startProcess, sys,
  spawnWith, sysWords, UNMAPPED, useSim, whileBlocked, writeMsg,
} from "./machine.ts";
import { ObjectType } from "../../../abi/object-type.ts";

useSim({ beforeEach, afterEach });

const OUT = HEAP + 512;
/** A message whose last words run into the unmapped page after the heap. */
const STRADDLE = HEAP + HEAP_PAGES * PAGE_SIZE - 64;
/** A message whose last words run from the read-only page into the unmapped one. */
const RO_STRADDLE = RO_PAGE + PAGE_SIZE - 64;

/** One of each kind of object, all rights, in one process. */
function objects(p: Process) {
  const ep = sys(p, Sys.EndpointCreate, 2);
  const n = sys(p, Sys.NotificationCreate);
  const ws = sys(p, Sys.WaitSetCreate, 2);
  const mem = sys(p, Sys.MemoryCreate, 1);
  for (const h of [ep, n, ws, mem]) expect(h).toBeGreaterThan(0);
  return { ep, n, ws, mem };
}

/**
 * Handles that name nothing: never used, generation 0 (never issued, even on a slot in use: 1 and
 * 3), out of range, negative, beyond the safe range.
 */
const NOWHERE = [0, 1, 3, 4095, 4096 + 255, 4096 * 7 + 200, 256, -1, -4096, 2 ** 31, 2 ** 53 - 1, -(2 ** 53 - 1)];

describe("handles", () => {
  it("that were never issued are InvalidHandle for every call that takes one", () => {
    const p = startProcess();
    const { ep } = objects(p);
    writeMsg(p, HEAP, { label: 1 });
    for (const h of NOWHERE) {
      const calls: Array<[string, number]> = [
        ["identify", sys(p, Sys.CapIdentify, h)],
        ["badge", sys(p, Sys.CapBadge, h)],
        ["copy", sys(p, Sys.CapCopy, h, 1)],
        ["mint", sys(p, Sys.CapMint, h, 1, 1)],
        ["delete", sys(p, Sys.CapDelete, h)],
        ["revoke", sys(p, Sys.CapRevoke, h)],
        ["send", sys(p, Sys.Send, h, HEAP, 0)],
        ["receive", sys(p, Sys.Receive, h, OUT, 0)],
        ["call", sys(p, Sys.Call, h, HEAP, 0)],
        ["reply", sys(p, Sys.Reply, h, HEAP)],
        ["signal", sys(p, Sys.Signal, h, 1)],
        ["wait", sys(p, Sys.NotificationWait, h, 0)],
        ["bind ep", sys(p, Sys.NotificationBind, h, h, 1)],
        ["ws add", sys(p, Sys.WaitSetAdd, h, ep, 1, 0)],
        ["ws remove", sys(p, Sys.WaitSetRemove, h, 1)],
        ["ws wait", sys(p, Sys.WaitSetWait, h, 0, SCRATCH, 1)],
        ["map", sys(p, Sys.MemoryMap, h, 0x20000000, 1)],
        ["invoke", sys(p, Sys.Invoke, h, HEAP)],
      ];
      for (const [name, r] of calls) expect([name, h, r]).toEqual([name, h, -ErrorCode.InvalidHandle]);
    }
  });

  it("deleted, reused and revoked handles are InvalidHandle, StaleHandle and Revoked", () => {
    const p = startProcess();
    const n = sys(p, Sys.NotificationCreate);
    const gone = sys(p, Sys.CapCopy, n, RIGHTS_ALL);
    expect(sys(p, Sys.CapDelete, gone)).toBe(0);
    expect(sys(p, Sys.Signal, gone, 1)).toBe(-ErrorCode.InvalidHandle);
    expect(sys(p, Sys.CapDelete, gone)).toBe(-ErrorCode.InvalidHandle);
    // Freed slots are reused last: churn through the table until the slot comes back.
    let reused = -1;
    for (let i = 0; i < 300 && reused < 0; i++) {
      const h = sys(p, Sys.CapCopy, n, RIGHTS_ALL);
      if (h % 4096 === gone % 4096) reused = h;
      else expect(sys(p, Sys.CapDelete, h)).toBe(0);
    }
    expect(reused).toBeGreaterThan(gone);
    expect(sys(p, Sys.Signal, gone, 1)).toBe(-ErrorCode.StaleHandle);
    expect(sys(p, Sys.CapIdentify, gone)).toBe(-ErrorCode.StaleHandle);
    const child = sys(p, Sys.CapCopy, reused, RIGHTS_ALL);
    expect(sys(p, Sys.CapRevoke, reused)).toBe(0);
    expect(sys(p, Sys.Signal, child, 1)).toBe(-ErrorCode.Revoked);
    expect(sys(p, Sys.CapRevoke, child)).toBe(-ErrorCode.Revoked);
  });

  it("of the wrong type are WrongType", () => {
    const p = startProcess();
    const { ep, n, ws, mem } = objects(p);
    writeMsg(p, HEAP, { label: 1 });
    expect(sys(p, Sys.Send, n, HEAP, 0)).toBe(-ErrorCode.WrongType);
    expect(sys(p, Sys.Receive, ws, OUT, 0)).toBe(-ErrorCode.WrongType);
    expect(sys(p, Sys.Call, mem, HEAP, 0)).toBe(-ErrorCode.WrongType);
    expect(sys(p, Sys.Reply, ep, HEAP)).toBe(-ErrorCode.WrongType);
    expect(sys(p, Sys.Signal, ep, 1)).toBe(-ErrorCode.WrongType);
    expect(sys(p, Sys.NotificationWait, ws, 0)).toBe(-ErrorCode.WrongType);
    expect(sys(p, Sys.NotificationBind, ep, ep, 1)).toBe(-ErrorCode.WrongType);
    expect(sys(p, Sys.WaitSetAdd, n, ep, 1, 0)).toBe(-ErrorCode.WrongType);
    expect(sys(p, Sys.WaitSetAdd, ws, mem, 1, 0)).toBe(-ErrorCode.WrongType);
    expect(sys(p, Sys.WaitSetRemove, ep, 1)).toBe(-ErrorCode.WrongType);
    expect(sys(p, Sys.WaitSetWait, n, 0, SCRATCH, 1)).toBe(-ErrorCode.WrongType);
    expect(sys(p, Sys.MemoryMap, ws, 0x20000000, 1)).toBe(-ErrorCode.WrongType);
  });

  it("without the right needed are MissingRights", () => {
    const p = startProcess();
    const { ep, n, ws, mem } = objects(p);
    const only = (h: number, r: number) => sys(p, Sys.CapCopy, h, r);
    writeMsg(p, HEAP, { label: 1 });
    expect(sys(p, Sys.Send, only(ep, RIGHTS_ALL & ~Right.Write), HEAP, 0)).toBe(-ErrorCode.MissingRights);
    expect(sys(p, Sys.Call, only(ep, RIGHTS_ALL & ~Right.Write), HEAP, 0)).toBe(-ErrorCode.MissingRights);
    expect(sys(p, Sys.Receive, only(ep, RIGHTS_ALL & ~Right.Read), OUT, 0)).toBe(-ErrorCode.MissingRights);
    expect(sys(p, Sys.Signal, only(n, RIGHTS_ALL & ~Right.Signal), 1)).toBe(-ErrorCode.MissingRights);
    expect(sys(p, Sys.NotificationWait, only(n, RIGHTS_ALL & ~Right.Read), 0)).toBe(-ErrorCode.MissingRights);
    expect(sys(p, Sys.NotificationBind, only(ep, RIGHTS_ALL & ~Right.Manage), n, 1)).toBe(-ErrorCode.MissingRights);
    expect(sys(p, Sys.WaitSetAdd, only(ws, RIGHTS_ALL & ~Right.Manage), n, 1, 0)).toBe(-ErrorCode.MissingRights);
    expect(sys(p, Sys.WaitSetAdd, ws, only(n, RIGHTS_ALL & ~Right.Read), 1, 0)).toBe(-ErrorCode.MissingRights);
    expect(sys(p, Sys.WaitSetWait, only(ws, RIGHTS_ALL & ~Right.Read), 0, SCRATCH, 1)).toBe(-ErrorCode.MissingRights);
    expect(sys(p, Sys.MemoryMap, only(mem, RIGHTS_ALL & ~Right.Map), 0x20000000, 1)).toBe(-ErrorCode.MissingRights);
    expect(sys(p, Sys.MemoryMap, only(mem, RIGHTS_ALL & ~Right.Write), 0x20000000, 3)).toBe(-ErrorCode.MissingRights);
    expect(sys(p, Sys.MemoryMap, only(mem, RIGHTS_ALL & ~Right.Execute), 0x20000000, 5)).toBe(-ErrorCode.MissingRights);
    const leaf = only(n, RIGHTS_ALL & ~Right.Duplicate);
    expect(sys(p, Sys.CapCopy, leaf, Right.Read)).toBe(-ErrorCode.MissingRights);
    expect(sys(p, Sys.CapMint, leaf, Right.Read, 1)).toBe(-ErrorCode.MissingRights);
    // And nothing was sent or signalled by the refused calls.
    expect(sys(p, Sys.Receive, ep, OUT, 0)).toBe(-ErrorCode.QueueEmpty);
    expect(sys(p, Sys.NotificationWait, n, 0)).toBe(-ErrorCode.QueueEmpty);
  });
});

describe("user pointers", () => {
  const bad: Array<[string, number]> = [
    ["misaligned", HEAP + 4],
    ["null page", 0],
    ["unmapped", UNMAPPED],
    ["kernel", KERNEL_PTR],
    ["straddling into an unmapped page", STRADDLE],
    ["read-only straddling into an unmapped page", RO_STRADDLE],
    ["beyond the user half", 0x800000000000 - 64],
    ["negative", -8],
  ];

  it("as a message to send, call, reply or invoke: BadAddress, and nothing is queued", () => {
    const p = startProcess();
    const { ep, n } = objects(p);
    for (const [what, at] of bad) {
      expect([what, sys(p, Sys.Send, ep, at, 0)]).toEqual([what, -ErrorCode.BadAddress]);
      expect([what, sys(p, Sys.Call, ep, at, 0)]).toEqual([what, -ErrorCode.BadAddress]);
      expect([what, sys(p, Sys.Reply, ep, at)]).toEqual([what, -ErrorCode.BadAddress]);
      expect([what, sys(p, Sys.Invoke, n, at)]).toEqual([what, -ErrorCode.BadAddress]);
      expect([what, sys(p, Sys.Invoke, ep, at)]).toEqual([what, -ErrorCode.BadAddress]);
    }
    expect(sys(p, Sys.Receive, ep, OUT, 0)).toBe(-ErrorCode.QueueEmpty);
  });

  it("a message in a read-only page can be sent, but not received into", () => {
    const p = startProcess();
    const { ep, n } = objects(p);
    writeMsg(p, RO_PAGE, { label: 12 });
    expect(sys(p, Sys.Send, ep, RO_PAGE, 0)).toBe(0);
    fillMarker(p, RO_PAGE);
    expect(sys(p, Sys.Receive, ep, RO_PAGE, 0)).toBe(-ErrorCode.BadAddress);
    // Invoke and call write their answer into the buffer, so it must be writable too.
    writeMsg(p, RO_PAGE, { label: 1 });
    expect(sys(p, Sys.Invoke, n, RO_PAGE)).toBe(-ErrorCode.BadAddress);
    expect(sys(p, Sys.Call, ep, RO_PAGE, 0)).toBe(-ErrorCode.BadAddress);
    // The message was not lost to the bad buffer.
    expect(sys(p, Sys.Receive, ep, OUT, 0)).toBe(0);
    expect(readMsg(p, OUT).label).toBe(12);
  });

  it("as a receive buffer: BadAddress, and the message stays queued", () => {
    const p = startProcess();
    const { ep } = objects(p);
    writeMsg(p, HEAP, { label: 33 });
    expect(sys(p, Sys.Send, ep, HEAP, 0)).toBe(0);
    for (const [what, at] of [...bad, ["read-only", RO_PAGE] as [string, number]]) {
      expect([what, sys(p, Sys.Receive, ep, at, 0)]).toEqual([what, -ErrorCode.BadAddress]);
    }
    fillMarker(p, STRADDLE, 8);
    expect(sys(p, Sys.Receive, ep, STRADDLE, 0)).toBe(-ErrorCode.BadAddress);
    expect(isMarker(p, STRADDLE, 8)).toBe(true);
    expect(sys(p, Sys.Receive, ep, OUT, 0)).toBe(0);
    expect(readMsg(p, OUT).label).toBe(33);
  });

  it("for wait_set_wait output, batch vectors and spawn_caps handle lists: BadAddress", () => {
    const p = startProcess(1, true);
    const { ws, n } = objects(p);
    expect(sys(p, Sys.WaitSetAdd, ws, n, 1, 0)).toBe(0);
    expect(sys(p, Sys.Signal, n, 1)).toBe(0);
    for (const [what, at] of [...bad, ["read-only", RO_PAGE] as [string, number]]) {
      expect([what, sys(p, Sys.WaitSetWait, ws, 0, at, 8)]).toEqual([what, -ErrorCode.BadAddress]);
      expect([what, sys(p, Sys.Batch, at, 1)]).toEqual([what, -ErrorCode.BadAddress]);
    }
    // 4 pairs fit in the last 64 bytes of the heap page; 5 run into the unmapped page.
    const end = HEAP + HEAP_PAGES * PAGE_SIZE - 64;
    expect(sys(p, Sys.WaitSetWait, ws, 0, end, 5)).toBe(-ErrorCode.BadAddress);
    expect(sys(p, Sys.WaitSetWait, ws, 0, end, 4)).toBe(1);
    expect(peek64(p, end)).toBe(1n);
    // A batch vector of two entries whose second runs off the heap.
    expect(sys(p, Sys.Batch, HEAP + HEAP_PAGES * PAGE_SIZE - 128, 2)).toBe(-ErrorCode.BadAddress);
    // The notification is still pending: no call above consumed it.
    expect(sys(p, Sys.NotificationWait, n, 0)).toBe(1);
    for (const [what, at] of bad.filter(([w]) => !w.includes("straddling"))) {
      expect([what, sys(p, Sys.SpawnCaps, 1, at, 1, 4096, 0)]).toEqual([what, -ErrorCode.BadAddress]);
    }
    // A list of two handles whose second word is in the unmapped page.
    poke64(p, HEAP + HEAP_PAGES * PAGE_SIZE - 8, BigInt(n));
    expect(sys(p, Sys.SpawnCaps, 1, HEAP + HEAP_PAGES * PAGE_SIZE - 8, 2, 4096, 0)).toBe(-ErrorCode.BadAddress);
  });
});

describe("out-of-range values", () => {
  it("labels, capability counts and flags in a message are InvalidArgument", () => {
    const p = startProcess();
    const { ep, n } = objects(p);
    const cases: Array<[string, number, bigint]> = [
      ["label 2^31", 0, 2n ** 31n],
      ["label -1", 0, (1n << 64n) - 1n],
      ["5 capabilities", 1, 5n],
      ["count -1", 1, (1n << 64n) - 1n],
      ["flags 2", 2, 2n],
      ["flags 2^63", 2, 1n << 63n],
    ];
    for (const [what, word, value] of cases) {
      writeMsg(p, HEAP, { label: 1 });
      poke64(p, HEAP + word * 8, value);
      expect([what, sys(p, Sys.Send, ep, HEAP, 0)]).toEqual([what, -ErrorCode.InvalidArgument]);
      expect([what, sys(p, Sys.Call, ep, HEAP, 0)]).toEqual([what, -ErrorCode.InvalidArgument]);
      expect([what, sys(p, Sys.Reply, ep, HEAP)]).toEqual([what, -ErrorCode.InvalidArgument]);
      expect([what, sys(p, Sys.Invoke, n, HEAP)]).toEqual([what, -ErrorCode.InvalidArgument]);
    }
    // The largest label and four capabilities are fine.
    writeMsg(p, HEAP, { label: 2 ** 31 - 1 });
    expect(sys(p, Sys.Send, ep, HEAP, 0)).toBe(0);
    expect(sys(p, Sys.Receive, ep, OUT, 0)).toBe(0);
    expect(readMsg(p, OUT).label).toBe(2 ** 31 - 1);
  });

  it("capacities, counts, bits, badges, rights, keys and masks out of range are InvalidArgument", () => {
    const p = startProcess();
    const { ep, n, ws } = objects(p);
    const IA = -ErrorCode.InvalidArgument;
    const checks: Array<[string, number]> = [
      ["endpoint 0", sys(p, Sys.EndpointCreate, 0)],
      ["endpoint 257", sys(p, Sys.EndpointCreate, 257)],
      ["endpoint -1", sys(p, Sys.EndpointCreate, -1)],
      ["endpoint 2^53-1", sys(p, Sys.EndpointCreate, 2 ** 53 - 1)],
      ["wait set 0", sys(p, Sys.WaitSetCreate, 0)],
      ["wait set 65", sys(p, Sys.WaitSetCreate, 65)],
      ["signal 0", sys(p, Sys.Signal, n, 0)],
      ["signal 2^48", sys(p, Sys.Signal, n, 2 ** 48)],
      ["signal -1", sys(p, Sys.Signal, n, -1)],
      ["bind 0", sys(p, Sys.NotificationBind, ep, n, 0)],
      ["bind 2^48", sys(p, Sys.NotificationBind, ep, n, 2 ** 48)],
      ["copy rights 256", sys(p, Sys.CapCopy, n, 256)],
      ["copy rights -1", sys(p, Sys.CapCopy, n, -1)],
      ["mint badge 0", sys(p, Sys.CapMint, n, 1, 0)],
      ["mint badge 2^48", sys(p, Sys.CapMint, n, 1, 2 ** 48)],
      ["mint badge -1", sys(p, Sys.CapMint, n, 1, -1)],
      ["mint rights 512", sys(p, Sys.CapMint, n, 512, 1)],
      ["add key -1", sys(p, Sys.WaitSetAdd, ws, n, -1, 0)],
      ["add key 2^31", sys(p, Sys.WaitSetAdd, ws, n, 2 ** 31, 0)],
      ["add mask 16", sys(p, Sys.WaitSetAdd, ws, n, 1, 16)],
      ["add mask -1", sys(p, Sys.WaitSetAdd, ws, n, 1, -1)],
      ["remove key -1", sys(p, Sys.WaitSetRemove, ws, -1)],
      ["remove key 2^31", sys(p, Sys.WaitSetRemove, ws, 2 ** 31)],
      ["ws wait max 0", sys(p, Sys.WaitSetWait, ws, 0, SCRATCH, 0)],
      ["ws wait max 65", sys(p, Sys.WaitSetWait, ws, 0, SCRATCH, 65)],
      ["batch 0", sys(p, Sys.Batch, SCRATCH, 0)],
      ["batch 17", sys(p, Sys.Batch, SCRATCH, 17)],
      ["batch -1", sys(p, Sys.Batch, SCRATCH, -1)],
      ["memory 0", sys(p, Sys.MemoryCreate, 0)],
      ["memory 257", sys(p, Sys.MemoryCreate, 257)],
      ["account 4", sys(p, Sys.AccountInfo, 4)],
    ];
    for (const [what, r] of checks) expect([what, r]).toEqual([what, IA]);
    expect(sys(p, Sys.CapCopy, sys(p, Sys.CapCopy, n, Right.Read | Right.Duplicate), RIGHTS_ALL)).toBe(-ErrorCode.RightsEscalation);
  });

  it("system call numbers outside the table are UnknownSyscall", () => {
    const p = startProcess();
    for (const num of [11, 31, SYSCALL_COUNT, SYSCALL_COUNT + 1, 1000, -1, 2 ** 53 - 1]) expect(sys(p, num)).toBe(-ErrorCode.UnknownSyscall);
  });

  it("huge and negative timeouts are accepted: a poll still answers at once", () => {
    const p = startProcess();
    const { ep, n } = objects(p);
    writeMsg(p, HEAP, { label: 1 });
    expect(sys(p, Sys.Send, ep, HEAP, 2 ** 53 - 1)).toBe(0);
    expect(sys(p, Sys.Receive, ep, OUT, 2 ** 53 - 1)).toBe(0);
    expect(sys(p, Sys.Signal, n, 3)).toBe(0);
    expect(sys(p, Sys.NotificationWait, n, -(2 ** 53 - 1))).toBe(3);
  });

  it("refused calls create nothing", () => {
    const p = startProcess();
    objects(p);
    const before = liveObjects();
    for (const c of [0, 257, -5]) sys(p, Sys.EndpointCreate, c);
    for (const c of [0, 65]) sys(p, Sys.WaitSetCreate, c);
    for (const c of [0, 257]) sys(p, Sys.MemoryCreate, c);
    expect(liveObjects()).toBe(before);
  });
});

/**
 * Register words no flag word, rights mask, count, key or selector accepts: bits 31, 32, 32 above a
 * `valid` value, 52, 53 and 63 (the last two beyond the safe range, which the entry decodes as
 * 2^53 - 1), and -1 (every bit).
 */
function wide(valid: bigint): Array<[string, bigint]> {
  return [
    ["2^31", 1n << 31n],
    ["2^32", 1n << 32n],
    [`2^33|${valid}`, (1n << 33n) | valid],
    ["2^52", 1n << 52n],
    ["2^53", 1n << 53n],
    ["2^63", 1n << 63n],
    ["-1", -1n],
  ];
}

/** Badges and signal bits: 1 .. 2^48 - 1, so only these of the wide words are out of range. */
const TOO_WIDE_BITS: Array<[string, bigint]> = [
  ["2^48", 1n << 48n],
  ["2^52", 1n << 52n],
  ["2^53", 1n << 53n],
  ["2^63", 1n << 63n],
  ["-1", -1n],
];

describe("arguments over their whole 64-bit register", () => {
  const IA = -ErrorCode.InvalidArgument;
  const AT = 0x20000000;

  it("rights above bit 31 are refused by cap_copy, cap_mint, memory_map and the Copy and Mint methods", () => {
    const p = startProcess();
    const { n, ep, mem } = objects(p);
    const before = liveObjects();
    for (const [what, v] of wide(1n)) {
      expect([what, sysWords(p, Sys.CapCopy, [n, v])]).toEqual([what, IA]);
      expect([what, sysWords(p, Sys.CapCopy, [ep, v])]).toEqual([what, IA]);
      expect([what, sysWords(p, Sys.CapMint, [n, v, 5])]).toEqual([what, IA]);
      expect([what, sysWords(p, Sys.MemoryMap, [mem, AT, v])]).toEqual([what, IA]);
      writeMsg(p, HEAP, { label: 2, words: [v] });
      expect([what, sys(p, Sys.Invoke, n, HEAP)]).toEqual([what, IA]);
      writeMsg(p, HEAP, { label: 3, words: [v, 5] });
      expect([what, sys(p, Sys.Invoke, n, HEAP)]).toEqual([what, IA]);
      poke64(p, SCRATCH, BigInt(n));
      writeMsg(p, SCRATCH + 8, { label: 2, words: [v] });
      expect([what, sys(p, Sys.Batch, SCRATCH, 1)]).toEqual([what, 0]);
      expect([what, readMsg(p, SCRATCH + 8).label]).toEqual([what, ErrorCode.InvalidArgument]);
    }
    // Nothing was derived and nothing was mapped.
    expect(translate(p.space!, AT)).toBe(-1);
    expect(liveObjects()).toBe(before);
    // The same rights without the high bits still work, and never show a bit the parent lacks.
    const copy = sysWords(p, Sys.CapCopy, [ep, 1]);
    expect(copy).toBeGreaterThan(0);
    expect(sys(p, Sys.CapIdentify, copy)).toBe(ObjectType.Endpoint * 256 + 1);
  });

  it("map flags above bit 31 are InvalidArgument and map nothing", () => {
    const p = startProcess();
    for (const [what, v] of wide(1n)) {
      expect([what, sysWords(p, Sys.Map, [AT, PAGE_SIZE, v])]).toEqual([what, IA]);
      expect([what, translate(p.space!, AT)]).toEqual([what, -1]);
    }
    expect(sysWords(p, Sys.Map, [AT, PAGE_SIZE, 1])).toBe(0);
  });

  it("badges and signal bits of 2^48 and beyond are InvalidArgument", () => {
    const p = startProcess();
    const { n, ep } = objects(p);
    for (const [what, v] of TOO_WIDE_BITS) {
      expect([what, sysWords(p, Sys.CapMint, [n, 1, v])]).toEqual([what, IA]);
      expect([what, sysWords(p, Sys.Signal, [n, v])]).toEqual([what, IA]);
      expect([what, sysWords(p, Sys.NotificationBind, [ep, n, v])]).toEqual([what, IA]);
      writeMsg(p, HEAP, { label: 3, words: [1, v] });
      expect([what, sys(p, Sys.Invoke, n, HEAP)]).toEqual([what, IA]);
      writeMsg(p, HEAP, { label: 16, words: [v] });
      expect([what, sys(p, Sys.Invoke, n, HEAP)]).toEqual([what, IA]);
    }
    expect(sys(p, Sys.NotificationWait, n, 0)).toBe(-ErrorCode.QueueEmpty);
    // A badge above bit 32 is a badge like any other.
    const minted = sysWords(p, Sys.CapMint, [n, Right.Read, (1n << 33n) | 1n]);
    expect(sys(p, Sys.CapBadge, minted)).toBe(2 ** 33 + 1);
  });

  it("capacities, counts, keys, masks and selectors beyond their range are InvalidArgument", () => {
    const p = startProcess();
    const { ep, n, ws } = objects(p);
    const before = liveObjects();
    for (const [what, v] of wide(1n)) {
      const checks: Array<[string, number]> = [
        ["endpoint capacity", sysWords(p, Sys.EndpointCreate, [v])],
        ["wait set capacity", sysWords(p, Sys.WaitSetCreate, [v])],
        ["memory pages", sysWords(p, Sys.MemoryCreate, [v])],
        ["batch count", sysWords(p, Sys.Batch, [SCRATCH, v])],
        ["wait-set add key", sysWords(p, Sys.WaitSetAdd, [ws, n, v, 0])],
        ["wait-set add mask", sysWords(p, Sys.WaitSetAdd, [ws, n, 1, v])],
        ["wait-set remove key", sysWords(p, Sys.WaitSetRemove, [ws, v])],
        ["wait-set wait max", sysWords(p, Sys.WaitSetWait, [ws, 0, SCRATCH, v])],
        ["account_info", sysWords(p, Sys.AccountInfo, [v])],
      ];
      for (const [call, r] of checks) expect([call, what, r]).toEqual([call, what, IA]);
    }
    // A key or mask that wraps to a valid one in 32 bits added nothing.
    expect(sys(p, Sys.WaitSetRemove, ws, 1)).toBe(-ErrorCode.NotFound);
    expect(liveObjects()).toBe(before);
    void ep;
  });

  it("labels, counts and flags of messages, and handles of batch entries, are checked as 64-bit words", () => {
    const p = startProcess();
    const { ep, n } = objects(p);
    for (const [what, v] of wide(1n)) {
      for (const field of ["label", "count", "flags"]) {
        writeMsg(p, HEAP, { label: 1 });
        poke64(p, HEAP + ["label", "count", "flags"].indexOf(field) * 8, v);
        expect([field, what, sys(p, Sys.Send, ep, HEAP, 0)]).toEqual([field, what, IA]);
        expect([field, what, sys(p, Sys.Invoke, n, HEAP)]).toEqual([field, what, IA]);
      }
    }
    expect(sys(p, Sys.Receive, ep, OUT, 0)).toBe(-ErrorCode.QueueEmpty);
    // A handle with bits above 31 names nothing, even when its low bits name a capability.
    for (const v of [(1n << 32n) | BigInt(n), (1n << 33n) | BigInt(n), 1n << 53n, 1n << 63n]) {
      poke64(p, SCRATCH, v);
      writeMsg(p, SCRATCH + 8, { label: 16, words: [1] });
      expect(sys(p, Sys.Batch, SCRATCH, 1)).toBe(0);
      expect(readMsg(p, SCRATCH + 8).label).toBe(ErrorCode.InvalidHandle);
      expect(sysWords(p, Sys.CapIdentify, [v])).toBe(-ErrorCode.InvalidHandle);
      expect(sysWords(p, Sys.Signal, [v, 1])).toBe(-ErrorCode.InvalidHandle);
    }
    expect(sys(p, Sys.NotificationWait, n, 0)).toBe(-ErrorCode.QueueEmpty);
  });

  it("spawn and spawn_caps: module indexes, counts with flags and quotas beyond their range", () => {
    const p = startProcess(1, true);
    poke64(p, SCRATCH, 0n);
    const used = sys(p, Sys.AccountInfo, 1);
    for (const [what, v] of wide(1n)) {
      expect([what, sysWords(p, Sys.Spawn, [v])]).toEqual([what, -ErrorCode.NotFound]);
      expect([what, sysWords(p, Sys.ModuleName, [v, HEAP, 8])]).toEqual([what, -ErrorCode.NotFound]);
      expect([what, sysWords(p, Sys.SpawnCaps, [v, SCRATCH, 0, 1 << 16, 0, 0])]).toEqual([what, -ErrorCode.NotFound]);
      expect([what, sysWords(p, Sys.SpawnCaps, [1, SCRATCH, v, 1 << 16, 0, 0])]).toEqual([what, IA]);
      // Flags in bits 8 and up (2^63 shifted out of the register would be a count of 0: skipped).
      const flagged = BigInt.asUintN(64, v << 8n);
      if (flagged !== 0n) expect([what, sysWords(p, Sys.SpawnCaps, [1, SCRATCH, flagged, 1 << 16, 0, 0])]).toEqual([what, IA]);
      expect([what, sysWords(p, Sys.SpawnCaps, [1, SCRATCH, 0, v, 0, 0])]).toEqual([what, IA]);
    }
    expect(sys(p, Sys.Wait, -1, 0)).toBe(-ErrorCode.NoChild);
    expect(sys(p, Sys.AccountInfo, 1)).toBe(used);
  });

  it("system call numbers with bits above 31 are UnknownSyscall", () => {
    const p = startProcess();
    for (const [what, v] of wide(BigInt(Sys.GetPid))) {
      expect([what, sysWords(p, v, [])]).toEqual([what, -ErrorCode.UnknownSyscall]);
    }
    expect(sysWords(p, Sys.GetPid, [])).toBe(p.pid);
  });

  it("timeouts of 2^52 ns or more, or beyond the safe range, wait without limit and arm no timer", () => {
    const p = startProcess(1, true);
    const ep = sys(p, Sys.EndpointCreate, 2);
    const n = sys(p, Sys.NotificationCreate);
    const ws = sys(p, Sys.WaitSetCreate, 2);
    expect(sys(p, Sys.WaitSetAdd, ws, n, 1, 0)).toBe(0);
    // The peer holds the sending side of both, 4096 (ep) and 4097 (n), and a receiving one, 4098.
    const peer = spawnWith(p, [
      sys(p, Sys.CapCopy, ep, Right.Write | Right.Grant | Right.Duplicate),
      sys(p, Sys.CapCopy, n, Right.Signal | Right.Grant | Right.Duplicate),
      sys(p, Sys.CapCopy, ep, Right.Read | Right.Grant | Right.Duplicate),
    ]);
    const thread = threadById(p.threadId)!;
    let timer = 0;
    const peerSends = () => {
      timer = thread.timer;
      writeMsg(peer, HEAP, { label: 7 });
      expect(sys(peer, Sys.Send, 4096, HEAP, 0)).toBe(0);
    };
    const peerSignals = () => {
      timer = thread.timer;
      expect(sys(peer, Sys.Signal, 4097, 1)).toBe(0);
    };
    for (const [what, v] of [["2^52", 1n << 52n], ["2^53", 1n << 53n], ["2^63", 1n << 63n]] as Array<[string, bigint]>) {
      whileBlocked(peerSends);
      expect([what, "receive", sysWords(p, Sys.Receive, [ep, OUT, v]), timer]).toEqual([what, "receive", 0, -1]);
      whileBlocked(peerSignals);
      expect([what, "notification_wait", sysWords(p, Sys.NotificationWait, [n, v]), timer]).toEqual([what, "notification_wait", 1, -1]);
      whileBlocked(peerSignals);
      expect([what, "wait_set_wait", sysWords(p, Sys.WaitSetWait, [ws, v, SCRATCH, 1]), timer]).toEqual([what, "wait_set_wait", 1, -1]);
      expect(sys(p, Sys.NotificationWait, n, 0)).toBe(1);
      // The register form takes its timeout from r14.
      whileBlocked(peerSends);
      expect([what, "reply_wait", sysWords(p, Sys.ReplyWait, [ep, 0], [[Frame.R14, v]]), timer]).toEqual([what, "reply_wait", 0, -1]);
    }
    // A send waiting for room (the queue's 2 slots are full) until the peer receives.
    writeMsg(p, HEAP, { label: 1 });
    expect(sys(p, Sys.Send, ep, HEAP, 0)).toBe(0);
    expect(sys(p, Sys.Send, ep, HEAP, 0)).toBe(0);
    for (const [what, v] of [["2^52", 1n << 52n], ["2^63", 1n << 63n]] as Array<[string, bigint]>) {
      whileBlocked(() => {
        timer = thread.timer;
        expect(sys(peer, Sys.Receive, 4098, OUT, 0)).toBe(0);
      });
      expect([what, "send", sysWords(p, Sys.Send, [ep, HEAP, v]), timer]).toEqual([what, "send", 0, -1]);
    }
  });
});
