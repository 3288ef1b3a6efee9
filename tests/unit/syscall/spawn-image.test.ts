// spawn_image (docs/syscalls.md, "Starting programs from memory"): a child from an ELF image in a
// memory object, its name, arguments and environment in the startup block, and every bad argument
// refused with its own error and nothing left behind.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ErrorCode } from "../../../abi/errors.ts";
import { Right, RIGHTS_ALL } from "../../../abi/rights.ts";
import { Sys } from "../../../abi/numbers.ts";
import { ObjectType } from "../../../abi/object-type.ts";
import { PriorityClass } from "../../../abi/message.ts";
import {
  SPAWN_IMAGE_BLOCK_BYTES, SpawnImage, spawnClassFlags, Startup, STARTUP_NAME_MAX, STARTUP_STRINGS_MAX,
} from "../../../abi/process.ts";
import { KERNEL_BASE, PAGE_SIZE } from "../../../kernel/arch/x86_64/layout.ts";
import { allocFrame, freeFrame } from "../../../kernel/mm/frame-allocator.ts";
import { load8 } from "../../../lang/mem.ts";
import { Process, processByPid, processCount } from "../../../kernel/proc/process.ts";
import { fixtureBytes } from "../loader/elf-fixtures.ts";
import {
  adopt, HEAP, liveObjects, peek64, peekBytes, poke64, pokeBytes, RO_PAGE, SCRATCH, sim, spawnWith, startProcess, sys,
  sysWords, UNMAPPED, useSim,
} from "./machine.ts";

useSim({ beforeEach, afterEach });

const FIRST = 4096;
/** Where the image's memory object is mapped in the caller. */
const IMAGE_AT = 0x20000000;
/** The parameter block, the name and the strings, in the caller's heap. */
const PARAMS = HEAP + 1024;
const NAME = HEAP + 2048;
const STRINGS = HEAP + PAGE_SIZE;
const OUT_WORD = SCRATCH + 256;
const identify = (type: number, rights: number) => type * 256 + rights;
const enc = (s: string) => new TextEncoder().encode(s);

/** A memory object of `p` holding `bytes` (mapped at IMAGE_AT to fill it): its handle. */
function imageObject(p: Process, bytes: Uint8Array, at = IMAGE_AT): number {
  const mem = sys(p, Sys.MemoryCreate, Math.ceil(bytes.length / PAGE_SIZE));
  expect(mem).toBeGreaterThan(0);
  expect(sys(p, Sys.MemoryMap, mem, at, Right.Read | Right.Write)).toBe(0);
  pokeBytes(p, at, bytes);
  return mem;
}

/** The strings of argv and env in the startup block's encoding. */
function encodeStrings(argv: string[], env: string[]): Uint8Array {
  return enc([...argv, ...env].map((s) => `${s}\0`).join(""));
}

interface Params {
  memory: number;
  length: number;
  name?: string;
  nameAddr?: number;
  nameLength?: number;
  argv?: string[];
  env?: string[];
  argCount?: number;
  strings?: Uint8Array;
  stringsAddr?: number;
  stringsLength?: number;
  handles?: number[];
  handlesAddr?: number;
  count?: number;
  quota?: number;
  exitNotify?: number;
  procOut?: number;
}

/** Writes a parameter block at PARAMS (name at NAME, strings at STRINGS) and calls spawn_image. */
function spawnImage(p: Process, a: Params): number {
  const name = enc(a.name ?? "echo");
  pokeBytes(p, NAME, name);
  const argv = a.argv ?? ["echo", "hello"];
  const strings = a.strings ?? encodeStrings(argv, a.env ?? ["HOME=/"]);
  if (strings.length > 0) pokeBytes(p, STRINGS, strings);
  const handles = a.handles ?? [];
  handles.forEach((h, i) => poke64(p, SCRATCH + i * 8, BigInt(h)));
  const words: Array<[number, number]> = [
    [SpawnImage.Memory, a.memory],
    [SpawnImage.Length, a.length],
    [SpawnImage.Name, a.nameAddr ?? NAME],
    [SpawnImage.NameLength, a.nameLength ?? name.length],
    [SpawnImage.ArgCount, a.argCount ?? argv.length],
    [SpawnImage.Strings, a.stringsAddr ?? STRINGS],
    [SpawnImage.StringsLength, a.stringsLength ?? strings.length],
    [SpawnImage.Handles, a.handlesAddr ?? SCRATCH],
    [SpawnImage.Count, a.count ?? handles.length],
    [SpawnImage.Quota, a.quota ?? 1 << 16],
    [SpawnImage.ExitNotify, a.exitNotify ?? 0],
    [SpawnImage.ProcessOut, a.procOut ?? 0],
  ];
  for (const [off, v] of words) poke64(p, PARAMS + off, BigInt.asUintN(64, BigInt(v)));
  return sys(p, Sys.SpawnImage, PARAMS);
}

/** The strings of a process's startup block: [argv, env]. */
function startupStrings(c: Process): [string[], string[]] {
  const sb = c.plan.startupInfo;
  const argc = Number(peek64(c, sb + Startup.ArgCount));
  const envc = Number(peek64(c, sb + Startup.EnvCount));
  const len = Number(peek64(c, sb + Startup.StringsLength));
  const all = new TextDecoder().decode(peekBytes(c, sb + Startup.Strings, len)).split("\0");
  expect(all.pop()).toBe("");
  expect(all.length).toBe(argc + envc);
  return [all.slice(0, argc), all.slice(argc)];
}

function nameOf(c: Process): string {
  let s = "";
  for (let i = 0; i < c.nameLength; i++) s += String.fromCharCode(load8(c.nameAddr + i));
  return s;
}

describe("spawn_image", () => {
  it("starts the image with its name, arguments, environment and capabilities", () => {
    const p = startProcess(1, false);
    const mem = imageObject(p, fixtureBytes("minimal"));
    const n = sys(p, Sys.NotificationCreate);
    const used = sys(p, Sys.AccountInfo, 1);
    poke64(p, OUT_WORD, 0n);
    const pid = spawnImage(p, {
      memory: mem, length: fixtureBytes("minimal").length, name: "echo-args", argv: ["echo-args", "one", "", "three"],
      env: ["GREETING=hello there", "EMPTY="], handles: [n], quota: 1 << 17, exitNotify: n, procOut: OUT_WORD,
    });
    expect(pid).toBeGreaterThan(0);
    const c = processByPid(pid)!;
    adopt(c);
    expect(c.parent).toBe(p.pid);
    expect(nameOf(c)).toBe("echo-args");
    const sb = c.plan.startupInfo;
    expect(peek64(c, sb + Startup.ModuleIndex)).toBe(BigInt.asUintN(64, -1n));
    expect(peek64(c, sb + Startup.NameLength)).toBe(9n);
    expect(new TextDecoder().decode(peekBytes(c, sb + Startup.Name, 9))).toBe("echo-args");
    expect(startupStrings(c)).toEqual([["echo-args", "one", "", "three"], ["GREETING=hello there", "EMPTY="]]);
    // The capabilities of spawn_caps: the list at 4096.., the exit notification last, the Process capability.
    expect(sys(c, Sys.CapIdentify, FIRST)).toBe(identify(ObjectType.Notification, RIGHTS_ALL));
    expect(sys(c, Sys.CapIdentify, FIRST + 1)).toBe(identify(ObjectType.Notification, Right.Signal));
    expect(sys(c, Sys.AccountInfo, 0)).toBe(1 << 17);
    const ph = Number(peek64(p, OUT_WORD));
    expect(sys(p, Sys.CapIdentify, ph) >> 8).toBe(ObjectType.Process);
    // The copy of the image was paid for during the call only: the caller holds the child's quota and its Process capability.
    expect(sys(p, Sys.AccountInfo, 1)).toBeLessThan(used + (1 << 17) + PAGE_SIZE);
    // The child ends like any other: exit notification, wait, and its name frame goes with it (useSim counts the frames).
    expect(sys(c, Sys.Exit, 7)).toBe(0);
    expect(sys(p, Sys.NotificationWait, n, 0)).toBe(1);
    poke64(p, SCRATCH, 0n);
    expect(sys(p, Sys.Wait, pid, SCRATCH)).toBe(pid);
    expect(peek64(p, SCRATCH)).toBe(7n);
  });

  it("needs no right to start modules, and gives no class more urgent than the caller's", () => {
    const p = startProcess(1, false);
    const mem = imageObject(p, fixtureBytes("minimal"));
    const len = fixtureBytes("minimal").length;
    expect(spawnImage(p, { memory: mem, length: len, count: spawnClassFlags(PriorityClass.Server) << 8 })).toBe(-ErrorCode.PermissionDenied);
    const pid = spawnImage(p, { memory: mem, length: len, argv: [], env: [], count: spawnClassFlags(PriorityClass.Application) << 8 });
    expect(pid).toBeGreaterThan(0);
    const c = processByPid(pid)!;
    adopt(c);
    expect(startupStrings(c)).toEqual([[], []]);
    // A read-only capability to the image (Read alone, no Map) is enough.
    const ro = sys(p, Sys.CapCopy, mem, Right.Read);
    const again = spawnImage(p, { memory: ro, length: len, name: "x".repeat(STARTUP_NAME_MAX) });
    expect(again).toBeGreaterThan(0);
    adopt(processByPid(again)!);
    expect(nameOf(processByPid(again)!)).toBe("x".repeat(STARTUP_NAME_MAX));
  });

  it("takes strings up to the startup block's limit", () => {
    const p = startProcess(1, false);
    const mem = imageObject(p, fixtureBytes("minimal"));
    const arg = "a".repeat(STARTUP_STRINGS_MAX - "prog\0".length - 1);
    const pid = spawnImage(p, { memory: mem, length: fixtureBytes("minimal").length, argv: ["prog", arg], env: [] });
    expect(pid).toBeGreaterThan(0);
    const c = processByPid(pid)!;
    adopt(c);
    expect(startupStrings(c)).toEqual([["prog", arg], []]);
    expect(spawnImage(p, { memory: mem, length: fixtureBytes("minimal").length, argv: ["prog", `${arg}b`], env: [] }))
      .toBe(-ErrorCode.InvalidArgument);
  });

  it("gives boot modules argc 1, argv[0] their name and no environment", () => {
    const p = startProcess(1, true);
    expect(startupStrings(p)).toEqual([["prog"], []]);
    expect(startupStrings(spawnWith(p, []))).toEqual([["prog"], []]);
  });

  it("refuses every bad argument with its error and leaves nothing behind", () => {
    const p = startProcess(1, false);
    const elf = fixtureBytes("minimal");
    const mem = imageObject(p, elf);
    const blob = imageObject(p, new Uint8Array(2 * PAGE_SIZE).fill(0x42), IMAGE_AT + 0x100000);
    const ep = sys(p, Sys.EndpointCreate, 1);
    const noRead = sys(p, Sys.CapCopy, mem, Right.Map | Right.Grant);
    const n = sys(p, Sys.NotificationCreate);
    const processes = processCount();
    const objects = liveObjects();
    const frames = sim.frames.freeFrames;
    const used = sys(p, Sys.AccountInfo, 1);
    const pages = Math.ceil(elf.length / PAGE_SIZE);
    const cases: Array<[string, Params, number] | [string, Params, number, number]> = [
      ["a misaligned parameter block", { memory: mem, length: elf.length }, -ErrorCode.BadAddress, PARAMS + 4],
      ["an unmapped parameter block", { memory: mem, length: elf.length }, -ErrorCode.BadAddress, UNMAPPED],
      ["a parameter block in the kernel", { memory: mem, length: elf.length }, -ErrorCode.BadAddress, KERNEL_BASE],
      ["a block running off its page", { memory: mem, length: elf.length }, -ErrorCode.BadAddress, RO_PAGE + PAGE_SIZE - SPAWN_IMAGE_BLOCK_BYTES + 8],
      ["no such handle", { memory: 12345, length: elf.length }, -ErrorCode.InvalidHandle],
      ["not a memory object", { memory: ep, length: elf.length }, -ErrorCode.WrongType],
      ["a memory object without Read", { memory: noRead, length: elf.length }, -ErrorCode.MissingRights],
      ["length 0", { memory: mem, length: 0 }, -ErrorCode.InvalidArgument],
      ["a negative length", { memory: mem, length: -1 }, -ErrorCode.InvalidArgument],
      ["a length beyond the object", { memory: mem, length: pages * PAGE_SIZE + 1 }, -ErrorCode.InvalidArgument],
      ["an empty name", { memory: mem, length: elf.length, nameLength: 0 }, -ErrorCode.InvalidArgument],
      ["a name too long", { memory: mem, length: elf.length, nameLength: STARTUP_NAME_MAX + 1 }, -ErrorCode.InvalidArgument],
      ["strings too long", { memory: mem, length: elf.length, stringsLength: STARTUP_STRINGS_MAX + 1 }, -ErrorCode.InvalidArgument],
      ["a negative argument count", { memory: mem, length: elf.length, argCount: -1 }, -ErrorCode.InvalidArgument],
      ["more arguments than strings", { memory: mem, length: elf.length, argv: ["a"], env: [], argCount: 2 }, -ErrorCode.InvalidArgument],
      ["arguments but no strings", { memory: mem, length: elf.length, strings: new Uint8Array(0), argCount: 1 }, -ErrorCode.InvalidArgument],
      ["strings without a final NUL", { memory: mem, length: elf.length, strings: enc("prog\0x"), argCount: 1 }, -ErrorCode.InvalidArgument],
      ["an environment entry without '='", { memory: mem, length: elf.length, argv: ["a"], env: ["HOME"] }, -ErrorCode.InvalidArgument],
      ["an unmapped name", { memory: mem, length: elf.length, nameAddr: UNMAPPED }, -ErrorCode.BadAddress],
      ["a name in the kernel", { memory: mem, length: elf.length, nameAddr: KERNEL_BASE }, -ErrorCode.BadAddress],
      ["unmapped strings", { memory: mem, length: elf.length, stringsAddr: UNMAPPED }, -ErrorCode.BadAddress],
      ["strings running off the heap", { memory: mem, length: elf.length, stringsAddr: RO_PAGE + PAGE_SIZE - 4, stringsLength: 8 }, -ErrorCode.BadAddress],
      ["an unmapped handle list", { memory: mem, length: elf.length, count: 1, handlesAddr: UNMAPPED }, -ErrorCode.BadAddress],
      ["a handle list in the kernel", { memory: mem, length: elf.length, count: 1, handlesAddr: KERNEL_BASE }, -ErrorCode.BadAddress],
      ["a class more urgent than the caller's", { memory: mem, length: elf.length, count: spawnClassFlags(PriorityClass.Driver) << 8 }, -ErrorCode.PermissionDenied],
      ["a bad quota", { memory: mem, length: elf.length, quota: 0 }, -ErrorCode.InvalidArgument],
      ["unknown flags", { memory: mem, length: elf.length, count: 16 << 8 }, -ErrorCode.InvalidArgument],
      ["an exit notification that is not one", { memory: mem, length: elf.length, exitNotify: ep }, -ErrorCode.WrongType],
      ["a misaligned procOut", { memory: mem, length: elf.length, procOut: OUT_WORD + 4 }, -ErrorCode.BadAddress],
      ["not an ELF", { memory: blob, length: 2 * PAGE_SIZE }, -ErrorCode.BadExecutable],
      ["a truncated ELF", { memory: mem, length: 40 }, -ErrorCode.BadExecutable],
      ["an ELF cut short of its segments", { memory: mem, length: 200 }, -ErrorCode.BadExecutable],
      ["a quota too small for the child's table", { memory: mem, length: elf.length, quota: 100 }, -ErrorCode.QuotaExceeded],
    ];
    for (const [what, a, error, params] of cases) {
      poke64(p, OUT_WORD, 0xa5n);
      const r = params === undefined ? spawnImage(p, { procOut: OUT_WORD, exitNotify: n, ...a }) : sys(p, Sys.SpawnImage, params);
      expect([what, r]).toEqual([what, error]);
      expect([what, processCount()]).toEqual([what, processes]);
      expect([what, liveObjects()]).toEqual([what, objects]);
      expect([what, sim.frames.freeFrames]).toEqual([what, frames]);
      expect([what, sys(p, Sys.AccountInfo, 1)]).toEqual([what, used]);
      expect([what, peek64(p, OUT_WORD)]).toEqual([what, 0xa5n]);
    }
    expect(sys(p, Sys.Wait, -1, 0)).toBe(-ErrorCode.NoChild);
  });

  it("charges the copy of the image to the caller: a quota that cannot hold it is QuotaExceeded, and nothing is left", () => {
    const root = startProcess(1, false);
    const elf = new Uint8Array(8 * PAGE_SIZE);
    elf.set(fixtureBytes("minimal"));
    // What a process's table and an eight-page image object cost it.
    const probe = spawnWith(root, [], 0, 1 << 17);
    imageObject(probe, elf);
    const cost = sys(probe, Sys.AccountInfo, 1);
    // A caller with room for a child's quota, but not for the copy's nine pages too.
    const child = 1 << 16;
    const q = spawnWith(root, [], 0, cost + child + 5 * PAGE_SIZE);
    const mem = imageObject(q, elf);
    const objects = liveObjects();
    const frames = sim.frames.freeFrames;
    const used = sys(q, Sys.AccountInfo, 1);
    expect(spawnImage(q, { memory: mem, length: elf.length, quota: child })).toBe(-ErrorCode.QuotaExceeded);
    expect(liveObjects()).toBe(objects);
    expect(sim.frames.freeFrames).toBe(frames);
    expect(sys(q, Sys.AccountInfo, 1)).toBe(used);
    // The same child from a boot module (no copy) fits.
    expect(spawnWith(q, [], 0, child).pid).toBeGreaterThan(0);
    // With the copy's room (the image's eight pages and one for the strings) as well, it starts.
    const r = spawnWith(root, [], 0, cost + child + 9 * PAGE_SIZE + 1024);
    const pid = spawnImage(r, { memory: imageObject(r, elf), length: elf.length, quota: child });
    expect(pid).toBeGreaterThan(0);
    adopt(processByPid(pid)!);
  });

  it("out of frames is NoMemory, and nothing is left", () => {
    const p = startProcess(1, false);
    const elf = fixtureBytes("minimal");
    const mem = imageObject(p, elf);
    const processes = processCount();
    const used = sys(p, Sys.AccountInfo, 1);
    const taken: number[] = [];
    for (let f = allocFrame(sim.frames); f >= 0; f = allocFrame(sim.frames)) taken.push(f);
    expect(spawnImage(p, { memory: mem, length: elf.length })).toBe(-ErrorCode.NoMemory);
    // Frames for the copy, but not for the program's pages.
    for (const f of taken.splice(0, 3)) freeFrame(sim.frames, f);
    expect(spawnImage(p, { memory: mem, length: elf.length })).toBe(-ErrorCode.NoMemory);
    for (const f of taken) freeFrame(sim.frames, f);
    expect(processCount()).toBe(processes);
    expect(sys(p, Sys.AccountInfo, 1)).toBe(used);
  });

  it("takes each word of the block over its whole 64 bits: out of range is its error, never a wrap", () => {
    const p = startProcess(1, false);
    const elf = fixtureBytes("minimal");
    const mem = imageObject(p, elf);
    const used = sys(p, Sys.AccountInfo, 1);
    const processes = processCount();
    const IA = -ErrorCode.InvalidArgument;
    const BA = -ErrorCode.BadAddress;
    const wide = (valid: number): bigint[] => [1n << 31n, 1n << 32n, (1n << 33n) | BigInt(valid), 1n << 52n, 1n << 53n, 1n << 63n, -1n];
    const fields: Array<[string, number, number, number]> = [
      // [field, offset, valid value, error]
      ["length", SpawnImage.Length, elf.length, IA],
      ["name length", SpawnImage.NameLength, 4, IA],
      ["argc", SpawnImage.ArgCount, 2, IA],
      ["strings length", SpawnImage.StringsLength, 8, IA],
      ["count", SpawnImage.Count, 0, IA],
      ["quota", SpawnImage.Quota, 1 << 16, IA],
      ["name", SpawnImage.Name, NAME, BA],
      ["strings", SpawnImage.Strings, STRINGS, BA],
      ["procOut", SpawnImage.ProcessOut, OUT_WORD, BA],
    ];
    for (const [what, off, , error] of fields) {
      for (const v of wide(0)) {
        spawnImage(p, { memory: mem, length: 1 }); // (writes a whole block; the length 1 is refused by the loader)
        poke64(p, PARAMS + SpawnImage.Length, BigInt(elf.length));
        poke64(p, PARAMS + off, BigInt.asUintN(64, v));
        expect([what, v, sys(p, Sys.SpawnImage, PARAMS)]).toEqual([what, v, error]);
      }
    }
    for (const v of wide(mem)) {
      spawnImage(p, { memory: mem, length: 1 });
      poke64(p, PARAMS + SpawnImage.Memory, BigInt.asUintN(64, v));
      const r = sys(p, Sys.SpawnImage, PARAMS);
      expect([v, r >= -5 && r <= -1]).toEqual([v, true]);
    }
    for (const v of wide(PARAMS)) expect([v, sysWords(p, Sys.SpawnImage, [v])]).toEqual([v, BA]);
    expect(processCount()).toBe(processes);
    expect(sys(p, Sys.Wait, -1, 0)).toBe(-ErrorCode.NoChild);
    expect(sys(p, Sys.AccountInfo, 1)).toBe(used);
  });
});
