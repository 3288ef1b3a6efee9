// The kernel's log ring and the KernelLog object: every line the kernel and the processes write to
// the kernel console becomes a record with its time, source and level; LogRead copies complete
// records into a memory object; a reader that falls behind learns how many records it lost; long
// and interleaved lines are split and marked; bad arguments get their documented errors.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ErrorCode } from "../../../abi/errors.ts";
import { KERNEL_LOG_RECORDS, LOG_RECORD_BYTES, LOG_TEXT_MAX, LogFlag, LogLevel, LogRec } from "../../../abi/log.ts";
import { Method } from "../../../abi/message.ts";
import { Sys } from "../../../abi/numbers.ts";
import { ObjectType } from "../../../abi/object-type.ts";
import { Right, RIGHTS_ALL } from "../../../abi/rights.ts";
import { WriteFlag } from "../../../abi/process.ts";
import { fakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { BootInfo } from "../../../kernel/boot/bootinfo.ts";
import { klog, setLogLevel } from "../../../kernel/console/log.ts";
import { logRingReset } from "../../../kernel/console/log-ring.ts";
import { deviceControlCreate, deviceControlInit } from "../../../kernel/object/device-control.ts";
import { irqLinesInit } from "../../../kernel/object/irq-line.ts";
import type { Process } from "../../../kernel/proc/process.ts";
import { procCaps } from "../../../kernel/proc/proc-caps.ts";
import { HEAP, peekBytes, pokeBytes, readMsg, startProcess, sys, useSim, writeMsg } from "./machine.ts";

useSim({ beforeEach, afterEach });
beforeEach(() => {
  logRingReset();
  setLogLevel(LogLevel.Info);
});

const FIRST = 4096;
const MSG = HEAP + 1024;
const TEXT = HEAP + 2048;
const VIEW = 0x20000000;
const INFO = new BootInfo(0, 0);

function startInit(): Process {
  fakeCpu.msrs.set(0x1b, 0xfee00900n);
  deviceControlInit(INFO);
  irqLinesInit(24);
  const p = startProcess(1, true);
  expect(deviceControlCreate(procCaps(p)!.table)).toBe(FIRST);
  return p;
}

function invoke(p: Process, h: number, label: number, ...words: number[]): { r: number; words: number[] } {
  writeMsg(p, MSG, { label, words });
  const r = sys(p, Sys.Invoke, h, MSG) + 0;
  return { r, words: readMsg(p, MSG).words.map((w) => Number(w)) };
}

function write(p: Process, s: string): void {
  const bytes = new TextEncoder().encode(s);
  pokeBytes(p, TEXT, bytes);
  expect(sys(p, Sys.Write, TEXT, bytes.length)).toBe(bytes.length);
}

interface Rec {
  pid: number;
  level: number;
  flags: number;
  name: string;
  text: string;
  time: number;
}

function decode(b: Uint8Array): Rec {
  const n = (o: number, len: number) => {
    let v = 0;
    for (let i = len - 1; i >= 0; i--) v = v * 256 + b[o + i]!;
    return v;
  };
  const str = (o: number, len: number) => String.fromCharCode(...b.subarray(o, o + len));
  return {
    time: n(LogRec.Time, 8),
    pid: n(LogRec.Pid, 4),
    level: b[LogRec.Level]!,
    flags: b[LogRec.Flags]!,
    name: str(LogRec.Name, b[LogRec.NameLength]!),
    text: str(LogRec.Text, b[LogRec.TextLength]!),
  };
}

/** Reads from sequence `from` through a one-page memory object mapped at VIEW. */
function read(p: Process, log: number, mem: number, from: number): { first: number; next: number; recs: Rec[] } {
  const a = invoke(p, log, Method.LogRead, from, mem);
  expect(a.r).toBe(0);
  const recs: Rec[] = [];
  for (let i = 0; i < a.words[0]!; i++) recs.push(decode(peekBytes(p, VIEW + i * LOG_RECORD_BYTES, LOG_RECORD_BYTES)));
  return { first: a.words[1]!, next: a.words[2]!, recs };
}

function setUp(): { p: Process; log: number; mem: number } {
  const p = startInit();
  const a = invoke(p, FIRST, Method.KernelLogCreate);
  expect(a.r).toBe(0);
  const log = a.words[0]!;
  expect(sys(p, Sys.CapIdentify, log)).toBe(ObjectType.KernelLog * 256 + RIGHTS_ALL);
  const mem = sys(p, Sys.MemoryCreate, 1);
  expect(mem).toBeGreaterThan(0);
  expect(sys(p, Sys.MemoryMap, mem, VIEW, 1)).toBe(0);
  return { p, log, mem };
}

describe("kernel log", () => {
  it("records each process line with its pid, name and level, and the kernel's with theirs", () => {
    const { p, log, mem } = setUp();
    const start = read(p, log, mem, 0).next;
    write(p, "hello\nworld\n");
    klog(LogLevel.Warn, "disk on fire");
    const r = read(p, log, mem, start);
    expect(r.first).toBe(start);
    expect(r.next).toBe(start + 3);
    expect(r.recs.map((x) => [x.pid, x.text, x.level])).toEqual([
      [p.pid, "hello", LogLevel.Info],
      [p.pid, "world", LogLevel.Info],
      [0, "warning: disk on fire", LogLevel.Warn],
    ]);
    expect(r.recs[2]!.name).toBe("kernel");
    expect(r.recs[0]!.name.length).toBeGreaterThan(0);
    expect(r.recs[2]!.time).toBeGreaterThanOrEqual(r.recs[0]!.time);
  });

  it("keeps a line open until its newline, and marks it unfinished when another source writes first", () => {
    const { p, log, mem } = setUp();
    const start = read(p, log, mem, 0).next;
    write(p, "half ");
    expect(read(p, log, mem, start).recs).toEqual([]);
    write(p, "a line\n");
    write(p, "prompt$ ");
    klog(LogLevel.Info, "interrupting");
    const r = read(p, log, mem, start);
    expect(r.recs.map((x) => [x.text, x.flags])).toEqual([["half a line", 0], ["prompt$ ", LogFlag.Unfinished], ["interrupting", 0]]);
  });

  it("splits a line longer than a record into continued records", () => {
    const { p, log, mem } = setUp();
    const start = read(p, log, mem, 0).next;
    const long = "x".repeat(LOG_TEXT_MAX * 2 + 5);
    write(p, `${long}\n`);
    const r = read(p, log, mem, start);
    expect(r.recs.map((x) => [x.text.length, x.flags])).toEqual([[LOG_TEXT_MAX, LogFlag.Continued], [LOG_TEXT_MAX, LogFlag.Continued], [5, 0]]);
    expect(r.recs.map((x) => x.text).join("")).toBe(long);
  });

  it("tells a reader that fell behind how many records it lost", () => {
    const { p, log, mem } = setUp();
    const start = read(p, log, mem, 0).next;
    for (let i = 0; i < KERNEL_LOG_RECORDS + 10; i++) write(p, `line ${i}\n`);
    const r = read(p, log, mem, start);
    expect(r.first - start).toBe(10);
    // One page holds 32 records.
    expect(r.recs.length).toBe(32);
    expect(r.recs[0]!.text).toBe("line 10");
    expect(r.next).toBe(r.first + 32);
    // Asking beyond the end answers nothing, with the next sequence number to ask for.
    const end = start + KERNEL_LOG_RECORDS + 10;
    const past = read(p, log, mem, end + 100);
    expect([past.recs.length, past.first, past.next]).toEqual([0, end, end]);
  });

  it("leaves terminal output out of the ring, and refuses unknown write flags", () => {
    const { p, log, mem } = setUp();
    const start = read(p, log, mem, 0).next;
    const bytes = new TextEncoder().encode("keel:/$ ls\n");
    pokeBytes(p, TEXT, bytes);
    expect(sys(p, Sys.Write, TEXT, bytes.length, WriteFlag.Terminal)).toBe(bytes.length);
    expect(sys(p, Sys.Write, TEXT, bytes.length, 2)).toBe(-ErrorCode.InvalidArgument);
    write(p, "logged\n");
    expect(read(p, log, mem, start).recs.map((x) => x.text)).toEqual(["logged"]);
  });

  it("refuses bad arguments with their documented errors", () => {
    const { p, log, mem } = setUp();
    expect(invoke(p, log, Method.LogRead, -1, mem).r).toBe(-ErrorCode.InvalidArgument);
    expect(invoke(p, log, Method.LogRead, 0, 9999).r).toBe(-ErrorCode.InvalidHandle);
    expect(invoke(p, log, Method.LogRead, 0, log).r).toBe(-ErrorCode.WrongType);
    const ro = sys(p, Sys.CapCopy, mem, RIGHTS_ALL & ~Right.Write);
    expect(invoke(p, log, Method.LogRead, 0, ro).r).toBe(-ErrorCode.MissingRights);
    const blind = sys(p, Sys.CapCopy, log, RIGHTS_ALL & ~Right.Read);
    expect(invoke(p, blind, Method.LogRead, 0, mem).r).toBe(-ErrorCode.MissingRights);
    expect(invoke(p, mem, Method.LogRead, 0, mem).r).toBe(-ErrorCode.WrongType);
    expect(invoke(p, log, Method.ProcessRecord, 0).r).toBe(-ErrorCode.WrongType);
  });
});
