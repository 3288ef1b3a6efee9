// The system-call entry itself (kernel/syscall/entry.ts onSyscall): the null call is answered
// before the process lookup, with the frame left as it was; every other call goes through it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { load64, store64 } from "../../../lang/mem.ts";
import { Frame } from "../../../kernel/arch/x86_64/frame.ts";
import { onSyscall } from "../../../kernel/syscall/entry.ts";
import { currentThread } from "../../../kernel/sched/scheduler.ts";
import { Sys } from "../../../abi/numbers.ts";
import { FRAME_BASE, startProcess, sys, useSim } from "./machine.ts";

useSim({ beforeEach, afterEach });

/** Fills the frame with distinct words, rax = n. */
function fill(n: number): bigint[] {
  const words: bigint[] = [];
  for (let off = 0; off < Frame.SIZE; off += 8) {
    const w = 0x1111000000000000n + BigInt(off);
    store64(FRAME_BASE + off, w);
    words.push(w);
  }
  store64(FRAME_BASE + Frame.RAX, BigInt(n));
  words[Frame.RAX / 8] = BigInt(n);
  return words;
}

describe("system call entry", () => {
  it("answers the null call with 0 and leaves every saved register as it was", () => {
    const p = startProcess();
    expect(currentThread().id).toBe(p.threadId);
    const before = fill(Sys.Null);
    const calls = p.syscalls;
    onSyscall(FRAME_BASE);
    for (let off = 0; off < Frame.SIZE; off += 8) expect(load64(FRAME_BASE + off)).toBe(before[off / 8]);
    expect(load64(FRAME_BASE + Frame.RAX)).toBe(0n);
    // The null call is not counted: it never looks the process up.
    expect(p.syscalls).toBe(calls);
  });

  it("runs every other call through the process lookup and the table", () => {
    const p = startProcess();
    expect(currentThread().id).toBe(p.threadId);
    fill(Sys.GetPid);
    const calls = p.syscalls;
    onSyscall(FRAME_BASE);
    expect(load64(FRAME_BASE + Frame.RAX)).toBe(BigInt(p.pid));
    expect(p.syscalls).toBe(calls + 1);
    expect(sys(p, Sys.Null)).toBe(0);
  });
});
