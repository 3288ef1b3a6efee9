// Capabilities and IPC between real user processes: build/iso/ipc.iso boots userland/ipc-test as
// init; it starts copies of itself with capabilities for each scenario and prints one line per
// scenario (IPC PASS / IPC FAIL) and a summary. This test reads those lines over serial.
import { beforeAll, describe, expect, test } from "vitest";
import { resolve } from "node:path";
import { BootResult, ROOT, bootIso, make, requireQemu } from "./qemu.ts";

const SCENARIOS = [
  "ping-pong",
  "call-reply",
  "capability transfer",
  "revocation with messages in flight",
  "server killed mid-call",
  "full queue",
  "wait set over three sources",
  "kernel events as notification bits",
  "shared memory",
  "tracing proxy in front of a notification",
  "batched invocations",
  "pipe over shared memory",
  "kill while blocked or running",
  "kill a caller whose reply a server holds",
  "kill a server while a client waits in call",
  "kill a process holding capabilities with messages queued to it",
  "register call ping-pong",
  "register call to a receive-and-reply server",
  "call and plain sends to a reply-wait server",
  "reply-wait leaves a message with capabilities queued",
  "a reply with capabilities to a register call is refused",
  "server killed or exiting with a register call in its reply slot",
  "register caller killed or timed out while its reply is in the slot",
  "register message timeouts and peer closed",
  "bad input",
];

let run: BootResult;

function summary(r: BootResult): string {
  return `status ${r.status}${r.stoppedEarly ? " (stopped)" : ""}, serial log:\n${r.output}`;
}

beforeAll(async () => {
  requireQemu(false);
  make("iso-ipc");
  run = await bootIso(resolve(ROOT, "build/iso/ipc.iso"), { timeoutSeconds: 300, until: /IPC DONE \d+ passed, \d+ failed/ });
});

describe("capabilities and IPC between processes", () => {
  test("the driver runs every scenario to the end", () => {
    expect(run.stoppedEarly, summary(run)).toBe(true);
    const done = /IPC DONE (\d+) passed, (\d+) failed/.exec(run.output);
    expect(done, summary(run)).not.toBeNull();
    expect(run.output, summary(run)).not.toMatch(/IPC FAIL/);
    expect(Number(done![2]), summary(run)).toBe(0);
    expect(Number(done![1]), summary(run)).toBe(SCENARIOS.length);
  });

  for (const name of SCENARIOS) {
    test(name, () => {
      const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      expect(run.output, summary(run)).toMatch(new RegExp(`^IPC PASS ${escaped}$`, "m"));
    });
  }

  test("a server killed mid-call and a write to a read-only mapping are reported as page faults", () => {
    const faults = run.output.match(/killed: #PF Page Fault/g) ?? [];
    expect(faults.length, summary(run)).toBe(2);
    expect(run.output, summary(run)).toMatch(/address 0x0\n\s+cause: not-present page, write, user mode/);
    expect(run.output, summary(run)).toMatch(/address 0x60100008\n\s+cause: protection violation, write, user mode/);
  });

  test("every kill is logged with its victim, killer and status", () => {
    const kills = run.output.match(/^proc: \S+ \(pid \d+\) killed by pid \d+, status \d+$/gm) ?? [];
    // Six block kinds, the caller holding a reply, the server mid-call, the hoarder; two register
    // servers holding a call in their reply slot, two register callers whose reply was held.
    expect(kills.length, summary(run)).toBe(13);
    expect(run.output, summary(run)).toMatch(/killed by pid \d+, status 62$/m);
    expect(run.output.match(/killed by pid \d+, status 64$/gm)?.length ?? 0, summary(run)).toBe(2);
    expect(run.output.match(/killed by pid \d+, status 65$/gm)?.length ?? 0, summary(run)).toBe(2);
  });

  test("the proxy traced each invocation it forwarded", () => {
    const traces = run.output.match(/^ipc-proxy: trace label=\d+ .*$/gm) ?? [];
    expect(traces.length, summary(run)).toBe(3);
    // Identify (1), Signal 8 (16), Signal 0 refused with InvalidArgument (-18).
    expect(traces[0], summary(run)).toMatch(/label=1 w0=0 -> 0 w0=1791$/);
    expect(traces[1], summary(run)).toMatch(/label=16 w0=8 -> 0 /);
    expect(traces[2], summary(run)).toMatch(/label=16 w0=0 -> -18 /);
  });

  test("at least 200 bad calls, each answered with its documented error", () => {
    const m = /IPC BADINPUT tried=(\d+) matched=(\d+)/.exec(run.output);
    expect(m, summary(run)).not.toBeNull();
    expect(Number(m![1]), summary(run)).toBeGreaterThanOrEqual(200);
    expect(Number(m![2]), summary(run)).toBe(Number(m![1]));
    expect(run.output, summary(run)).not.toMatch(/IPC BADINPUT mismatch/);
  });
});
