// Device capabilities through the system calls: the device control object init receives, the
// interrupt lines, I/O port ranges, device and DMA memory claimed from it, and timer objects.
// Bad calls get their documented errors; a holder that dies or loses its capability gives the
// resource back (a masked line, denied ports, a range claimable again).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { attachMemory } from "../../../lang/host/memory.ts";
import { ErrorCode } from "../../../abi/errors.ts";
import { CacheMode, IrqMode, Method } from "../../../abi/message.ts";
import { Sys } from "../../../abi/numbers.ts";
import { ObjectType } from "../../../abi/object-type.ts";
import { Right, RIGHTS_ALL } from "../../../abi/rights.ts";
import { fakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { allocFrame, freeFrame } from "../../../kernel/mm/frame-allocator.ts";
import { ioBitmapAllows, ioBitmapInit, ioMapAllows } from "../../../kernel/arch/x86_64/io-bitmap.ts";
import { DIRECT_MAP_BASE, PAGE_SIZE } from "../../../kernel/arch/x86_64/layout.ts";
import { pageFlags, PageFlags, translate } from "../../../kernel/arch/x86_64/paging.ts";
import { BootInfo, MemoryType } from "../../../kernel/boot/bootinfo.ts";
import { lookupCap } from "../../../kernel/cap/cap-table.ts";
import { Cost } from "../../../kernel/cap/quota.ts";
import { deviceControlCreate, deviceControlInit } from "../../../kernel/object/device-control.ts";
import { fbField, fbFormatBpp, fbFormatType, FramebufferType, FbWord } from "../../../abi/framebuffer.ts";
import {
  framebufferActive, framebufferDisable, framebufferInit, framebufferReclaim, FramebufferInfo,
} from "../../../kernel/console/framebuffer.ts";
import { irqLineFire, irqLineOf, irqLinesInit, unclaimedInterrupts } from "../../../kernel/object/irq-line.ts";
import { MIN_PERIOD_NS, timerOf, timersExpire } from "../../../kernel/object/timer.ts";
import { ExitHow, type Process, processExit } from "../../../kernel/proc/process.ts";
import { procCaps } from "../../../kernel/proc/proc-caps.ts";
import { threadById } from "../../../kernel/sched/scheduler.ts";
import { nowNs } from "../../../kernel/time/clock.ts";
import { RAM } from "../proc/harness.ts";
import { HEAP, peek64, readMsg, sim, spawnWith, startProcess, sys, TICK_NS, useSim, writeMsg } from "./machine.ts";

useSim({ beforeEach, afterEach });

const FIRST = 4096;
const MSG = HEAP + 1024;
/** A physical range outside the simulated RAM and the interrupt controllers: "device memory". */
const DEVICE_PHYS = 0xfd000000;
/** Where device and DMA memory get mapped in the test processes. */
const MAP_AT = 0x20000000;
const identify = (type: number, rights: number) => type * 256 + rights;

/**
 * Boot information with the simulated RAM as a PC's memory map has it: usable below 639 KiB and
 * from 1 MiB (made once: not a per-test allocation).
 */
const INFO = new BootInfo(2, 0);
INFO.memory[0]!.base = 0;
INFO.memory[0]!.length = 0x9fc00;
INFO.memory[0]!.type = MemoryType.Usable;
INFO.memory[1]!.base = 0x100000;
INFO.memory[1]!.length = RAM - 0x100000;
INFO.memory[1]!.type = MemoryType.Usable;
INFO.memoryCount = 2;

/** A process holding the device control capability at FIRST, as init does after boot. */
function startDriverHost(): Process {
  // IA32_APIC_BASE as firmware leaves it: the local APIC at its usual address, enabled.
  fakeCpu.msrs.set(0x1b, 0xfee00900n);
  deviceControlInit(INFO);
  irqLinesInit(24);
  const p = startProcess(1, true);
  expect(deviceControlCreate(procCaps(p)!.table)).toBe(FIRST);
  return p;
}

/** invoke(h, label, words): the status (0 or -error) and the answer's words. */
function invoke(p: Process, h: number, label: number, ...words: number[]): { r: number; words: bigint[] } {
  writeMsg(p, MSG, { label, words });
  const r = sys(p, Sys.Invoke, h, MSG) + 0;
  return { r, words: readMsg(p, MSG).words };
}

/** A method that answers a new handle: the handle, or the -error. */
function claim(p: Process, h: number, label: number, ...words: number[]): number {
  const a = invoke(p, h, label, ...words);
  return a.r < 0 ? a.r : Number(a.words[0]!);
}

describe("the device control object", () => {
  it("exists once, names its type, and claims need Manage", () => {
    const p = startDriverHost();
    expect(sys(p, Sys.CapIdentify, FIRST)).toBe(identify(ObjectType.DeviceControl, RIGHTS_ALL));
    expect(deviceControlCreate(procCaps(p)!.table)).toBe(-ErrorCode.Busy);
    const weak = sys(p, Sys.CapCopy, FIRST, Right.Read | Right.Grant | Right.Duplicate);
    expect(claim(p, weak, Method.IrqClaim, 1, IrqMode.Isa)).toBe(-ErrorCode.MissingRights);
    expect(claim(p, weak, Method.IoPortClaim, 0x60, 1)).toBe(-ErrorCode.MissingRights);
    // A process without it has nothing to claim through; another object's handle is WrongType.
    const other = startProcess();
    const n = sys(other, Sys.NotificationCreate);
    expect(claim(other, n, Method.IrqClaim, 1, IrqMode.Isa)).toBe(-ErrorCode.WrongType);
    expect(claim(other, FIRST + 5, Method.IrqClaim, 1, IrqMode.Isa)).toBe(-ErrorCode.InvalidHandle);
    // A label that is no method at all.
    expect(invoke(p, FIRST, 47).r).toBe(-ErrorCode.InvalidArgument);
  });
});

describe("interrupt lines", () => {
  it("are claimed once; a level-triggered line is masked from each interrupt to its acknowledgement", () => {
    const p = startDriverHost();
    const irq = claim(p, FIRST, Method.IrqClaim, 10, IrqMode.GsiLevelLow);
    expect(irq).toBeGreaterThan(0);
    expect(sys(p, Sys.CapIdentify, irq)).toBe(identify(ObjectType.IrqLine, RIGHTS_ALL));
    expect(claim(p, FIRST, Method.IrqClaim, 10, IrqMode.GsiLevelLow)).toBe(-ErrorCode.Busy);
    expect(claim(p, FIRST, Method.IrqClaim, 10, IrqMode.GsiEdgeHigh)).toBe(-ErrorCode.Busy);
    const line = irqLineOf(lookupCap(procCaps(p)!.table, irq).object);
    expect(line.masked).toBe(true);
    const n = sys(p, Sys.NotificationCreate);
    expect(invoke(p, irq, Method.IrqBind, n, 0x2).r).toBe(0);
    expect(line.masked).toBe(false);
    irqLineFire(10);
    expect(line.masked).toBe(true);
    expect(sys(p, Sys.NotificationWait, n, 0)).toBe(0x2);
    // Nothing more arrives until the driver acknowledges.
    expect(sys(p, Sys.NotificationWait, n, 0)).toBe(-ErrorCode.QueueEmpty);
    expect(invoke(p, irq, Method.IrqAck).r).toBe(0);
    expect(line.masked).toBe(false);
    irqLineFire(10);
    expect(sys(p, Sys.NotificationWait, n, 0)).toBe(0x2);
    expect(line.delivered).toBe(2);
  });

  it("an edge-triggered line stays unmasked, so no edge is lost while the driver works", () => {
    const p = startDriverHost();
    const irq = claim(p, FIRST, Method.IrqClaim, 1, IrqMode.Isa);
    const line = irqLineOf(lookupCap(procCaps(p)!.table, irq).object);
    expect(line.masked).toBe(true);
    const n = sys(p, Sys.NotificationCreate);
    expect(invoke(p, irq, Method.IrqBind, n, 0x4).r).toBe(0);
    irqLineFire(1);
    irqLineFire(1);
    expect(line.masked).toBe(false);
    expect(line.delivered).toBe(2);
    expect(sys(p, Sys.NotificationWait, n, 0)).toBe(0x4);
    expect(invoke(p, irq, Method.IrqAck).r).toBe(0);
    expect(line.masked).toBe(false);
  });

  it("refuse bad lines, modes, bits and rights", () => {
    const p = startDriverHost();
    expect(claim(p, FIRST, Method.IrqClaim, 16, IrqMode.Isa)).toBe(-ErrorCode.InvalidArgument);
    expect(claim(p, FIRST, Method.IrqClaim, -1, IrqMode.Isa)).toBe(-ErrorCode.InvalidArgument);
    expect(claim(p, FIRST, Method.IrqClaim, 24, IrqMode.GsiLevelLow)).toBe(-ErrorCode.InvalidArgument);
    expect(claim(p, FIRST, Method.IrqClaim, 5, 3)).toBe(-ErrorCode.InvalidArgument);
    const irq = claim(p, FIRST, Method.IrqClaim, 11, IrqMode.GsiLevelLow);
    expect(irq).toBeGreaterThan(0);
    const n = sys(p, Sys.NotificationCreate);
    expect(invoke(p, irq, Method.IrqBind, n, 0).r).toBe(-ErrorCode.InvalidArgument);
    expect(invoke(p, irq, Method.IrqBind, n, 2 ** 48).r).toBe(-ErrorCode.InvalidArgument);
    expect(invoke(p, irq, Method.IrqBind, irq, 1).r).toBe(-ErrorCode.WrongType);
    const waitOnly = sys(p, Sys.CapCopy, n, Right.Read);
    expect(invoke(p, irq, Method.IrqBind, waitOnly, 1).r).toBe(-ErrorCode.MissingRights);
    const ackOnly = sys(p, Sys.CapCopy, irq, Right.Write);
    expect(invoke(p, ackOnly, Method.IrqBind, n, 1).r).toBe(-ErrorCode.MissingRights);
    expect(invoke(p, ackOnly, Method.IrqAck).r).toBe(0);
    const readOnly = sys(p, Sys.CapCopy, irq, Right.Read);
    expect(invoke(p, readOnly, Method.IrqAck).r).toBe(-ErrorCode.MissingRights);
    // A line nobody holds is counted and stays masked.
    const before = unclaimedInterrupts();
    irqLineFire(7);
    expect(unclaimedInterrupts()).toBe(before + 1);
  });

  it("a driver that dies leaves its line masked and claimable by its successor", () => {
    const init = startDriverHost();
    const irq = claim(init, FIRST, Method.IrqClaim, 9, IrqMode.GsiLevelLow);
    const driver = spawnWith(init, [irq], 1);
    const n = sys(driver, Sys.NotificationCreate);
    expect(invoke(driver, FIRST, Method.IrqBind, n, 1).r).toBe(0);
    const line = irqLineOf(lookupCap(procCaps(driver)!.table, FIRST).object);
    irqLineFire(9);
    // It dies in the middle of handling the interrupt (masked, not acknowledged).
    processExit(driver, 13, ExitHow.Killed);
    expect(line.masked).toBe(true);
    irqLineFire(9); // nobody's now
    const again = claim(init, FIRST, Method.IrqClaim, 9, IrqMode.GsiLevelLow);
    expect(again).toBeGreaterThan(0);
    const next = spawnWith(init, [again], 1);
    const n2 = sys(next, Sys.NotificationCreate);
    expect(invoke(next, FIRST, Method.IrqBind, n2, 8).r).toBe(0);
    irqLineFire(9);
    expect(sys(next, Sys.NotificationWait, n2, 0)).toBe(8);
  });

  it("revocation takes the line away; a destroyed notification leaves the line silent", () => {
    const init = startDriverHost();
    const irq = claim(init, FIRST, Method.IrqClaim, 3, IrqMode.Isa);
    const driver = spawnWith(init, [irq]);
    const n = sys(driver, Sys.NotificationCreate);
    expect(invoke(driver, FIRST, Method.IrqBind, n, 1).r).toBe(0);
    expect(sys(driver, Sys.CapDelete, n)).toBe(0);
    irqLineFire(3); // the binding went with the notification: no signal, no crash
    expect(sys(init, Sys.CapRevoke, irq)).toBe(0);
    expect(invoke(driver, FIRST, Method.IrqAck).r).toBe(-ErrorCode.Revoked);
    // init still holds the original: the line stays claimed until that goes too.
    expect(claim(init, FIRST, Method.IrqClaim, 3, IrqMode.Isa)).toBe(-ErrorCode.Busy);
    expect(sys(init, Sys.CapDelete, irq)).toBe(0);
    expect(claim(init, FIRST, Method.IrqClaim, 3, IrqMode.Isa)).toBeGreaterThan(0);
  });
});

describe("I/O port ranges", () => {
  const BITMAP = DIRECT_MAP_BASE + 0x300000000;

  it("are claimed without overlap, never the kernel's, and enabled per process", () => {
    attachMemory(BITMAP, PAGE_SIZE * 3);
    ioBitmapInit(BITMAP);
    const p = startDriverHost();
    const kbd = claim(p, FIRST, Method.IoPortClaim, 0x60, 5);
    expect(kbd).toBeGreaterThan(0);
    expect(sys(p, Sys.CapIdentify, kbd)).toBe(identify(ObjectType.IoPortRange, RIGHTS_ALL));
    expect(claim(p, FIRST, Method.IoPortClaim, 0x64, 1)).toBe(-ErrorCode.Busy);
    expect(claim(p, FIRST, Method.IoPortClaim, 0x5f, 2)).toBe(-ErrorCode.Busy);
    for (const port of [0x20, 0x21, 0xa0, 0x40, 0x43, 0x4d0, 0xf4]) {
      expect(claim(p, FIRST, Method.IoPortClaim, port, 1)).toBe(-ErrorCode.Busy);
    }
    expect(claim(p, FIRST, Method.IoPortClaim, 0xffff, 2)).toBe(-ErrorCode.InvalidArgument);
    expect(claim(p, FIRST, Method.IoPortClaim, 0x3f8, 0)).toBe(-ErrorCode.InvalidArgument);
    expect(claim(p, FIRST, Method.IoPortClaim, 65536, 1)).toBe(-ErrorCode.InvalidArgument);
    const info = invoke(p, kbd, Method.IoPortInfo);
    expect(info.words.slice(0, 2)).toEqual([0x60n, 5n]);
    const map = procCaps(p)!.table.ioMap;
    expect(ioMapAllows(map, 0x60)).toBe(false);
    const usedBefore = procCaps(p)!.account.used;
    expect(invoke(p, kbd, Method.IoPortEnable).r).toBe(0);
    expect(procCaps(p)!.account.used).toBe(usedBefore + Cost.IoMap);
    expect(invoke(p, kbd, Method.IoPortEnable).r).toBe(0);
    expect(ioMapAllows(map, 0x60)).toBe(true);
    expect(ioMapAllows(map, 0x64)).toBe(true);
    expect(ioMapAllows(map, 0x65)).toBe(false);
    expect(ioMapAllows(map, 0x5f)).toBe(false);
    // The CPU's bitmap follows the running process.
    sys(p, Sys.Null);
    expect(ioBitmapAllows(0x60)).toBe(true);
    const other = startProcess();
    sys(other, Sys.Null);
    expect(ioBitmapAllows(0x60)).toBe(false);
    sys(p, Sys.Null);
    expect(ioBitmapAllows(0x64)).toBe(true);
    // Enabling needs Write.
    const ro = sys(p, Sys.CapCopy, kbd, Right.Read);
    expect(invoke(p, ro, Method.IoPortEnable).r).toBe(-ErrorCode.MissingRights);
    expect(threadById(p.threadId)!.ioMap).toBe(map);
  });

  it("follow the capability: revoked, deleted or the holder gone, the ports are denied", () => {
    attachMemory(BITMAP, PAGE_SIZE * 3);
    ioBitmapInit(BITMAP);
    const init = startDriverHost();
    const com = claim(init, FIRST, Method.IoPortClaim, 0x3f8, 8);
    const driver = spawnWith(init, [com]);
    expect(invoke(driver, FIRST, Method.IoPortEnable).r).toBe(0);
    const map = procCaps(driver)!.table.ioMap;
    sys(driver, Sys.Null);
    expect(ioBitmapAllows(0x3f8)).toBe(true);
    // A second copy in the driver keeps the ports while one remains.
    const spare = sys(driver, Sys.CapCopy, FIRST, Right.Read);
    expect(sys(driver, Sys.CapDelete, FIRST)).toBe(0);
    expect(ioMapAllows(map, 0x3f8)).toBe(true);
    expect(sys(init, Sys.CapRevoke, com)).toBe(0);
    expect(sys(driver, Sys.CapIdentify, spare)).toBe(-ErrorCode.Revoked);
    expect(ioMapAllows(map, 0x3f8)).toBe(false);
    expect(ioMapAllows(map, 0x3ff)).toBe(false);
    sys(driver, Sys.Null);
    expect(ioBitmapAllows(0x3f8)).toBe(false);
    // The range itself is init's still; a process that ends gives its grant back.
    const again = spawnWith(init, [com]);
    expect(invoke(again, FIRST, Method.IoPortEnable).r).toBe(0);
    sys(again, Sys.Null);
    expect(ioBitmapAllows(0x3fa)).toBe(true);
    processExit(again, 0, ExitHow.Exited);
    expect(ioBitmapAllows(0x3fa)).toBe(false);
    expect(sys(init, Sys.CapDelete, com)).toBe(0);
    expect(claim(init, FIRST, Method.IoPortClaim, 0x3f8, 8)).toBeGreaterThan(0);
  });
});

describe("device memory", () => {
  it("is never RAM or the interrupt controllers, and maps uncached or write-combining", () => {
    const p = startDriverHost();
    expect(claim(p, FIRST, Method.DeviceMemoryClaim, 0x100000, 1, CacheMode.Uncached)).toBe(-ErrorCode.Busy);
    expect(claim(p, FIRST, Method.DeviceMemoryClaim, RAM - PAGE_SIZE, 2, CacheMode.Uncached)).toBe(-ErrorCode.Busy);
    expect(claim(p, FIRST, Method.DeviceMemoryClaim, 0xfee00000, 1, CacheMode.Uncached)).toBe(-ErrorCode.Busy);
    expect(claim(p, FIRST, Method.DeviceMemoryClaim, 0xfec00000, 1, CacheMode.Uncached)).toBe(-ErrorCode.Busy);
    expect(claim(p, FIRST, Method.DeviceMemoryClaim, 0xf0000, 1, CacheMode.Uncached)).toBe(-ErrorCode.Busy);
    expect(claim(p, FIRST, Method.DeviceMemoryClaim, DEVICE_PHYS + 1, 1, CacheMode.Uncached)).toBe(-ErrorCode.InvalidArgument);
    expect(claim(p, FIRST, Method.DeviceMemoryClaim, DEVICE_PHYS, 0, CacheMode.Uncached)).toBe(-ErrorCode.InvalidArgument);
    expect(claim(p, FIRST, Method.DeviceMemoryClaim, DEVICE_PHYS, 1, 2)).toBe(-ErrorCode.InvalidArgument);
    expect(claim(p, FIRST, Method.DeviceMemoryClaim, 2 ** 52 - PAGE_SIZE, 2, CacheMode.Uncached)).toBe(-ErrorCode.InvalidArgument);
    // The legacy VGA window is a device range.
    expect(claim(p, FIRST, Method.DeviceMemoryClaim, 0xa0000, 32, CacheMode.WriteCombining)).toBeGreaterThan(0);
    const regs = claim(p, FIRST, Method.DeviceMemoryClaim, DEVICE_PHYS, 4, CacheMode.Uncached);
    expect(regs).toBeGreaterThan(0);
    expect(claim(p, FIRST, Method.DeviceMemoryClaim, DEVICE_PHYS + 3 * PAGE_SIZE, 1, CacheMode.Uncached)).toBe(-ErrorCode.Busy);
    expect(invoke(p, regs, Method.MemorySize).words[0]).toBe(4n);
    expect(sys(p, Sys.MemoryMap, regs, MAP_AT, Right.Read | Right.Execute)).toBe(-ErrorCode.InvalidArgument);
    expect(sys(p, Sys.MemoryMap, regs, MAP_AT, Right.Read | Right.Write)).toBe(0);
    expect(translate(p.space!, MAP_AT + 2 * PAGE_SIZE)).toBe(DEVICE_PHYS + 2 * PAGE_SIZE);
    const f = pageFlags(p.space!, MAP_AT);
    expect(f & (PageFlags.CacheDisable | PageFlags.WriteThrough)).toBe(PageFlags.CacheDisable | PageFlags.WriteThrough);
    const fb = claim(p, FIRST, Method.DeviceMemoryClaim, DEVICE_PHYS + 0x100000, 2, CacheMode.WriteCombining);
    expect(sys(p, Sys.MemoryMap, fb, MAP_AT + 0x100000, Right.Read | Right.Write)).toBe(0);
    expect(pageFlags(p.space!, MAP_AT + 0x100000) & (PageFlags.CacheDisable | PageFlags.WriteThrough)).toBe(PageFlags.WriteThrough);
    expect(invoke(p, regs, Method.MemoryPhys).r).toBe(-ErrorCode.InvalidArgument);
    // Deleted and unmapped, the range can be claimed again; its frames were never the allocator's.
    const free = sim.frames.freeFrames;
    expect(sys(p, Sys.CapDelete, regs)).toBe(0);
    expect(claim(p, FIRST, Method.DeviceMemoryClaim, DEVICE_PHYS, 1, CacheMode.Uncached)).toBe(-ErrorCode.Busy);
    expect(sys(p, Sys.MemoryUnmap, MAP_AT)).toBe(0);
    expect(sim.frames.freeFrames).toBe(free);
    expect(claim(p, FIRST, Method.DeviceMemoryClaim, DEVICE_PHYS, 1, CacheMode.Uncached)).toBeGreaterThan(0);
  });
});

/** Boot information with a screen, filled in by each test that uses it (made once). */
const SCREEN_INFO = new BootInfo(2, 0);

describe("the boot framebuffer", () => {
  /** INFO with an EGA text screen at 0xb8000 (the kernel draws it without a font). */
  function infoWithScreen(): BootInfo {
    const info = SCREEN_INFO;
    for (let i = 0; i < 2; i++) {
      info.memory[i]!.base = INFO.memory[i]!.base;
      info.memory[i]!.length = INFO.memory[i]!.length;
      info.memory[i]!.type = INFO.memory[i]!.type;
    }
    info.memoryCount = 2;
    const fb = info.framebuffer;
    fb.type = FramebufferType.EgaText;
    fb.address = 0xb8000;
    fb.pitch = 160;
    fb.width = 80;
    fb.height = 25;
    fb.bpp = 16;
    return info;
  }

  it("is described by FramebufferInfo: address, pitch, size, format and colour fields", () => {
    fakeCpu.msrs.set(0x1b, 0xfee00900n);
    const info = infoWithScreen();
    const fb = info.framebuffer;
    fb.type = FramebufferType.Rgb;
    fb.address = DEVICE_PHYS;
    fb.pitch = 4096;
    fb.width = 1024;
    fb.height = 768;
    fb.bpp = 32;
    [fb.redPosition, fb.redSize, fb.greenPosition, fb.greenSize, fb.bluePosition, fb.blueSize] = [16, 8, 8, 8, 0, 8];
    deviceControlInit(info);
    irqLinesInit(24);
    const p = startProcess(1, true);
    expect(deviceControlCreate(procCaps(p)!.table)).toBe(FIRST);
    const a = invoke(p, FIRST, Method.FramebufferInfo);
    expect(a.r).toBe(0);
    const w = a.words.map(Number);
    expect([w[FbWord.Address], w[FbWord.Pitch], w[FbWord.Width], w[FbWord.Height]]).toEqual([DEVICE_PHYS, 4096, 1024, 768]);
    expect([fbFormatType(w[FbWord.Format]!), fbFormatBpp(w[FbWord.Format]!)]).toEqual([FramebufferType.Rgb, 32]);
    expect([0, 1, 2, 3, 4, 5].map((i) => fbField(w[FbWord.Fields]!, i))).toEqual([16, 8, 8, 8, 0, 8]);
    // It is claimable as write-combining device memory, and only the device control object answers.
    expect(claim(p, FIRST, Method.DeviceMemoryClaim, DEVICE_PHYS, 768, CacheMode.WriteCombining)).toBeGreaterThan(0);
    const copy = sys(p, Sys.CapCopy, FIRST, Right.Read | Right.Duplicate);
    expect(invoke(p, copy, Method.FramebufferInfo).r).toBe(-ErrorCode.MissingRights);
    const n = sys(p, Sys.NotificationCreate);
    expect(invoke(p, n, Method.FramebufferInfo).r).toBe(-ErrorCode.WrongType);
  });

  it("without one, FramebufferInfo is NotFound", () => {
    const p = startDriverHost();
    expect(invoke(p, FIRST, Method.FramebufferInfo).r).toBe(-ErrorCode.NotFound);
  });

  it("the kernel stops drawing once device memory over it is mapped writable, and a panic takes it back", () => {
    fakeCpu.msrs.set(0x1b, 0xfee00900n);
    const info = infoWithScreen();
    deviceControlInit(info);
    irqLinesInit(24);
    const p = startProcess(1, true);
    expect(deviceControlCreate(procCaps(p)!.table)).toBe(FIRST);
    expect(framebufferInit(info.framebuffer, DIRECT_MAP_BASE + 0xb8000, null)).toBe(true);
    try {
      const screen = claim(p, FIRST, Method.DeviceMemoryClaim, 0xb8000, 1, CacheMode.WriteCombining);
      expect(screen).toBeGreaterThan(0);
      // Claimed, or mapped read-only: the kernel still draws.
      expect(sys(p, Sys.MemoryMap, screen, MAP_AT, Right.Read)).toBe(0);
      expect(framebufferActive()).toBe(true);
      expect(sys(p, Sys.MemoryUnmap, MAP_AT)).toBe(0);
      // Another range mapped writable changes nothing.
      const other = claim(p, FIRST, Method.DeviceMemoryClaim, 0xa0000, 1, CacheMode.WriteCombining);
      expect(sys(p, Sys.MemoryMap, other, MAP_AT + 0x10000, Right.Read | Right.Write)).toBe(0);
      expect(framebufferActive()).toBe(true);
      expect(sys(p, Sys.MemoryMap, screen, MAP_AT, Right.Read | Right.Write)).toBe(0);
      expect(framebufferActive()).toBe(false);
      // A panic draws again (from a cleared screen).
      framebufferReclaim();
      expect(framebufferActive()).toBe(true);
    } finally {
      framebufferDisable();
    }
  });
});

describe("DMA memory", () => {
  it("can be the first memory object made (the kernel entry gives memory objects their frames, as the fixture does)", () => {
    const p = startDriverHost();
    const dma = claim(p, FIRST, Method.DmaCreate, 2);
    expect(dma).toBeGreaterThan(0);
    expect(Number(invoke(p, dma, Method.MemoryPhys).words[0]!) % PAGE_SIZE).toBe(0);
    expect(sys(p, Sys.CapDelete, dma)).toBe(0);
  });

  it("is physically contiguous and tells its address; plain memory does not", () => {
    const p = startDriverHost();
    const dma = claim(p, FIRST, Method.DmaCreate, 4);
    expect(dma).toBeGreaterThan(0);
    const phys = Number(invoke(p, dma, Method.MemoryPhys).words[0]!);
    expect(phys % PAGE_SIZE).toBe(0);
    expect(sys(p, Sys.MemoryMap, dma, MAP_AT, Right.Read | Right.Write)).toBe(0);
    for (let i = 0; i < 4; i++) expect(translate(p.space!, MAP_AT + i * PAGE_SIZE)).toBe(phys + i * PAGE_SIZE);
    expect(peek64(p, MAP_AT + 3 * PAGE_SIZE + 8)).toBe(0n);
    expect(claim(p, FIRST, Method.DmaCreate, 0)).toBe(-ErrorCode.InvalidArgument);
    expect(claim(p, FIRST, Method.DmaCreate, 257)).toBe(-ErrorCode.InvalidArgument);
    const plain = sys(p, Sys.MemoryCreate, 1);
    expect(invoke(p, plain, Method.MemoryPhys).r).toBe(-ErrorCode.InvalidArgument);
    const noRead = sys(p, Sys.CapCopy, dma, Right.Map);
    expect(invoke(p, noRead, Method.MemoryPhys).r).toBe(-ErrorCode.MissingRights);
    expect(sys(p, Sys.MemoryUnmap, MAP_AT)).toBe(0);
  });
});

describe("timers", () => {
  it("signal their notification at the deadline, once", () => {
    const p = startProcess();
    const tm = sys(p, Sys.TimerCreate);
    expect(sys(p, Sys.CapIdentify, tm)).toBe(identify(ObjectType.Timer, RIGHTS_ALL));
    const n = sys(p, Sys.NotificationCreate);
    expect(invoke(p, tm, Method.TimerBind, n, 0x10).r).toBe(0);
    const start = nowNs();
    expect(invoke(p, tm, Method.TimerSet, start + 3 * TICK_NS, 0).r).toBe(0);
    expect(sys(p, Sys.NotificationWait, n, 100 * TICK_NS)).toBe(0x10);
    expect(nowNs() - start).toBeGreaterThanOrEqual(3 * TICK_NS);
    expect(nowNs() - start).toBeLessThan(5 * TICK_NS);
    // Once: the next wait times out.
    expect(sys(p, Sys.NotificationWait, n, 10 * TICK_NS)).toBe(-ErrorCode.TimedOut);
  });

  it("periodic timers repeat, skip what they missed, and stop when cancelled or deleted", () => {
    const p = startProcess();
    const tm = sys(p, Sys.TimerCreate);
    const n = sys(p, Sys.NotificationCreate);
    expect(invoke(p, tm, Method.TimerBind, n, 1).r).toBe(0);
    const t0 = nowNs();
    expect(invoke(p, tm, Method.TimerSet, t0 + TICK_NS, 2 * TICK_NS).r).toBe(0);
    for (let i = 0; i < 3; i++) expect(sys(p, Sys.NotificationWait, n, 100 * TICK_NS)).toBe(1);
    expect(nowNs() - t0).toBeGreaterThanOrEqual(5 * TICK_NS);
    const timer = timerOf(lookupCap(procCaps(p)!.table, tm).object);
    expect(timer.fired).toBe(3);
    // Nine ticks late: it fires once, skips the four periods it missed, and keeps its phase.
    const due = timer.deadline;
    timersExpire(due + 9 * TICK_NS);
    expect(timer.fired).toBe(4);
    expect(timer.overruns).toBe(4);
    expect(timer.deadline).toBe(due + 10 * TICK_NS);
    expect(invoke(p, tm, Method.TimerCancel).r).toBe(0);
    expect(sys(p, Sys.NotificationWait, n, 0)).toBe(1);
    expect(sys(p, Sys.NotificationWait, n, 20 * TICK_NS)).toBe(-ErrorCode.TimedOut);
    expect(invoke(p, tm, Method.TimerSet, nowNs() + TICK_NS, MIN_PERIOD_NS).r).toBe(0);
    expect(sys(p, Sys.CapDelete, tm)).toBe(0);
    expect(sys(p, Sys.NotificationWait, n, 5 * TICK_NS)).toBe(-ErrorCode.TimedOut);
  });

  it("a deadline already passed fires at once; bad settings and rights are refused", () => {
    const p = startProcess();
    const tm = sys(p, Sys.TimerCreate);
    const n = sys(p, Sys.NotificationCreate);
    expect(invoke(p, tm, Method.TimerBind, n, 4).r).toBe(0);
    expect(invoke(p, tm, Method.TimerSet, 0, 0).r).toBe(0);
    expect(sys(p, Sys.NotificationWait, n, 0)).toBe(4);
    expect(invoke(p, tm, Method.TimerSet, -1, 0).r).toBe(-ErrorCode.InvalidArgument);
    expect(invoke(p, tm, Method.TimerSet, nowNs() + TICK_NS, MIN_PERIOD_NS - 1).r).toBe(-ErrorCode.InvalidArgument);
    expect(invoke(p, tm, Method.TimerSet, nowNs() + TICK_NS, -5).r).toBe(-ErrorCode.InvalidArgument);
    expect(invoke(p, tm, Method.TimerBind, n, 0).r).toBe(-ErrorCode.InvalidArgument);
    const ro = sys(p, Sys.CapCopy, tm, Right.Read);
    expect(invoke(p, ro, Method.TimerSet, nowNs(), 0).r).toBe(-ErrorCode.MissingRights);
    expect(invoke(p, ro, Method.TimerCancel).r).toBe(-ErrorCode.MissingRights);
    expect(invoke(p, ro, Method.TimerBind, n, 1).r).toBe(-ErrorCode.MissingRights);
    // The notification going while the timer is armed: the timer fires into nothing.
    expect(invoke(p, tm, Method.TimerSet, nowNs() + TICK_NS, 0).r).toBe(0);
    expect(sys(p, Sys.CapDelete, n)).toBe(0);
    timersExpire(nowNs() + 2 * TICK_NS);
    expect(timerOf(lookupCap(procCaps(p)!.table, tm).object).fired).toBe(2);
    // A timer method on another type.
    const n2 = sys(p, Sys.NotificationCreate);
    expect(invoke(p, n2, Method.TimerCancel).r).toBe(-ErrorCode.WrongType);
  });
});

/** Creates one-page memory objects until the quota runs out; returns their handles. */
function exhaustQuota(p: Process): number[] {
  const held: number[] = [];
  for (;;) {
    const h = sys(p, Sys.MemoryCreate, 1);
    if (h < 0) {
      expect(h).toBe(-ErrorCode.QuotaExceeded);
      return held;
    }
    held.push(h);
  }
}

describe("device objects at their limits", () => {
  const BITMAP = DIRECT_MAP_BASE + 0x300000000;

  it("a claim or a timer over quota is refused and leaves nothing behind: the resource stays claimable", () => {
    attachMemory(BITMAP, PAGE_SIZE * 3);
    ioBitmapInit(BITMAP);
    const init = startDriverHost();
    // The claims are made by a process holding the device control capability and a small quota.
    const host = spawnWith(init, [FIRST], 0, 1 << 16);
    const held = exhaustQuota(host);
    const used = procCaps(host)!.account.used;
    expect(claim(host, FIRST, Method.IrqClaim, 4, IrqMode.Isa)).toBe(-ErrorCode.QuotaExceeded);
    expect(claim(host, FIRST, Method.IoPortClaim, 0x3f8, 8)).toBe(-ErrorCode.QuotaExceeded);
    expect(claim(host, FIRST, Method.DeviceMemoryClaim, DEVICE_PHYS, PAGE_SIZE, CacheMode.Uncached)).toBe(-ErrorCode.QuotaExceeded);
    expect(claim(host, FIRST, Method.DmaCreate, 1)).toBe(-ErrorCode.QuotaExceeded);
    expect(sys(host, Sys.TimerCreate)).toBe(-ErrorCode.QuotaExceeded);
    expect(procCaps(host)!.account.used).toBe(used);
    // Nothing was half-claimed: with room again, each claim succeeds once.
    for (const h of held.slice(0, 8)) expect(sys(host, Sys.CapDelete, h)).toBe(0);
    expect(claim(host, FIRST, Method.IrqClaim, 4, IrqMode.Isa)).toBeGreaterThan(0);
    expect(claim(host, FIRST, Method.IoPortClaim, 0x3f8, 8)).toBeGreaterThan(0);
    expect(claim(host, FIRST, Method.DeviceMemoryClaim, DEVICE_PHYS, PAGE_SIZE, CacheMode.Uncached)).toBeGreaterThan(0);
    expect(sys(host, Sys.TimerCreate)).toBeGreaterThan(0);
  });

  it("enabling ports needs quota for the process's I/O bitmap; refused, the ports stay denied", () => {
    attachMemory(BITMAP, PAGE_SIZE * 3);
    ioBitmapInit(BITMAP);
    const init = startDriverHost();
    const com = claim(init, FIRST, Method.IoPortClaim, 0x3f8, 8);
    const driver = spawnWith(init, [com], 0, 1 << 16);
    const held = exhaustQuota(driver);
    // Less than the bitmap's cost left: free pages until just under it.
    let room = procCaps(driver)!.account.limit - procCaps(driver)!.account.used;
    while (held.length > 0 && room < Cost.IoMap) {
      const before = procCaps(driver)!.account.used;
      expect(sys(driver, Sys.CapDelete, held.pop()!)).toBe(0);
      const next = procCaps(driver)!.account.limit - procCaps(driver)!.account.used;
      if (next >= Cost.IoMap) {
        // One object too many freed: take it back so the bitmap does not fit.
        const again = sys(driver, Sys.MemoryCreate, 1);
        expect(again).toBeGreaterThan(0);
        held.push(again);
        expect(procCaps(driver)!.account.used).toBe(before);
        break;
      }
      room = next;
    }
    expect(procCaps(driver)!.account.limit - procCaps(driver)!.account.used).toBeLessThan(Cost.IoMap);
    expect(invoke(driver, FIRST, Method.IoPortEnable).r).toBe(-ErrorCode.QuotaExceeded);
    expect(procCaps(driver)!.table.ioMap.charged).toBe(false);
    sys(driver, Sys.Null);
    expect(ioBitmapAllows(0x3f8)).toBe(false);
    for (const h of held) expect(sys(driver, Sys.CapDelete, h)).toBe(0);
    expect(invoke(driver, FIRST, Method.IoPortEnable).r).toBe(0);
    sys(driver, Sys.Null);
    expect(ioBitmapAllows(0x3f8)).toBe(true);
  });

  it("DMA memory needs a contiguous run of frames: none left is NoMemory, not a crash or a partial object", () => {
    const p = startDriverHost();
    // Fragment the frame allocator: take every free frame, give back every other one.
    const taken: number[] = [];
    for (;;) {
      const f = allocFrame(sim.frames);
      if (f < 0) break;
      taken.push(f);
    }
    taken.sort((a, b) => a - b);
    const kept: number[] = [];
    for (let i = 0; i < taken.length; i++) {
      if (i % 2 === 0) freeFrame(sim.frames, taken[i]!);
      else kept.push(taken[i]!);
    }
    const free = sim.frames.freeFrames;
    const used = procCaps(p)!.account.used;
    expect(claim(p, FIRST, Method.DmaCreate, 2)).toBe(-ErrorCode.NoMemory);
    expect(sim.frames.freeFrames).toBe(free);
    expect(procCaps(p)!.account.used).toBe(used);
    // One frame is always contiguous.
    const one = claim(p, FIRST, Method.DmaCreate, 1);
    expect(one).toBeGreaterThan(0);
    expect(sys(p, Sys.CapDelete, one)).toBe(0);
    for (const f of kept) freeFrame(sim.frames, f);
    const two = claim(p, FIRST, Method.DmaCreate, 2);
    expect(two).toBeGreaterThan(0);
    expect(sys(p, Sys.CapDelete, two)).toBe(0);
  });
});

describe("power capabilities", () => {
  it("are made from the device control object; turning off needs Write and a machine that can", () => {
    const init = startDriverHost();
    const power = claim(init, FIRST, Method.PowerCreate);
    expect(power).toBeGreaterThan(0);
    expect(sys(init, Sys.CapIdentify, power)).toBe(identify(ObjectType.Power, RIGHTS_ALL));
    // Handed to a shell; the shell's read-only copy can do nothing.
    const shell = spawnWith(init, [power]);
    const ro = sys(shell, Sys.CapCopy, FIRST, Right.Read);
    expect(invoke(shell, ro, Method.PowerOff).r).toBe(-ErrorCode.MissingRights);
    expect(invoke(shell, ro, Method.Reboot).r).toBe(-ErrorCode.MissingRights);
    // No FADT on this machine: the request is refused by name, and the kernel goes on.
    expect(invoke(shell, FIRST, Method.PowerOff).r).toBe(-ErrorCode.Unsupported);
    expect(invoke(shell, FIRST, Method.TimerSet, 0, 0).r).toBe(-ErrorCode.WrongType);
    expect(invoke(shell, FIRST, Method.PowerCreate).r).toBe(-ErrorCode.WrongType);
    // Only the device control object makes them, and only with Manage.
    const n = sys(shell, Sys.NotificationCreate);
    expect(invoke(shell, n, Method.PowerOff).r).toBe(-ErrorCode.WrongType);
    const weak = sys(init, Sys.CapCopy, FIRST, Right.Read | Right.Write);
    expect(invoke(init, weak, Method.PowerCreate).r).toBe(-ErrorCode.MissingRights);
    // Revoked with the rest of what init gave.
    expect(sys(init, Sys.CapRevoke, power)).toBe(0);
    expect(invoke(shell, FIRST, Method.PowerOff).r).toBe(-ErrorCode.Revoked);
  });
});
