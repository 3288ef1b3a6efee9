// Threads of one process in QEMU: build/iso/threads.iso boots userland/threads as init. Its first
// thread starts senders that message it and exit, a server thread and a client thread that
// exchange register calls (the IPC fast path) while the first thread waits on a notification for
// their ends, and threads up to the per-process limit; every join is a notification bound to a
// Thread capability, every exit status is read back.
import { beforeAll, describe, expect, test } from "vitest";
import { resolve } from "node:path";
import { BootResult, ROOT, bootIso, make, requireQemu } from "./qemu.ts";

let run: BootResult;

function summary(r: BootResult): string {
  return `status ${r.status}${r.stoppedEarly ? " (stopped)" : ""}, serial log:\n${r.output}`;
}

beforeAll(async () => {
  requireQemu(false);
  make("iso-threads");
  run = await bootIso(resolve(ROOT, "build/iso/threads.iso"), { timeoutSeconds: 120, until: /THREADS ok\n|THREADS FAIL[^\n]*\n|PANIC/ });
});

describe("threads of one process", () => {
  test("runs to the end without a failure or a panic", () => {
    expect(run.stoppedEarly, summary(run)).toBe(true);
    expect(run.output, summary(run)).toMatch(/^THREADS ok$/m);
    expect(run.output, summary(run)).not.toMatch(/THREADS FAIL|PANIC/);
  });

  test("threads send messages to the first thread, exit with their status and are joined", () => {
    expect(run.output, summary(run)).toMatch(/^THREADS senders=4 messages=4 joined$/m);
  });

  test("a server thread and a client thread make register calls while the first thread waits", () => {
    expect(run.output, summary(run)).toMatch(/^THREADS calls=50 server=300 client=200$/m);
  });

  test("thread_create stops at the per-process limit with NoMemory, named in the log", () => {
    expect(run.output, summary(run)).toMatch(/MAX_THREADS_PER_PROCESS \(16\) threads: thread_create refused$/m);
    expect(run.output, summary(run)).toMatch(/^THREADS limit: 15 more threads, then error 66$/m);
  });

  test("once every thread has ended and its capability is gone, the kernel heap is back where it was", () => {
    expect(run.output, summary(run)).toMatch(/^THREADS heap-left=0$/m);
  });
});
