import { describe, it, expect, beforeEach } from "vitest";
import { resetFakeCpu, type FakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { attachMemory, detachAllMemory, writeBytes } from "../../../lang/host/memory.ts";
import { serialDroppedBytes, serialInit, serialWriteByte, serialSetEnabled, COM1, DEBUGCON_PORT, debugconSetEnabled } from "../../../kernel/console/serial.ts";
import { setLogLevel, klog, kinfo, kwarn, kerror, kdebug, consoleWrite, klogBytes } from "../../../kernel/console/log.ts";
import { LogLevel } from "../../../abi/log.ts";
import { framebufferDisable } from "../../../kernel/console/framebuffer.ts";

let cpu: FakeCpu;

/** A UART model: scratch register, and a transmitter busy for `busyPolls` status reads per byte. */
function uart(busyPolls: number) {
  let scratch = 0;
  let busy = 0;
  let lcr = 0;
  const sent: number[] = [];
  const polls: number[] = [];
  cpu.portWriters.set(COM1 + 7, (_p, _s, v) => { scratch = v; });
  cpu.portReaders.set(COM1 + 7, () => scratch);
  cpu.portReaders.set(COM1 + 5, () => {
    polls.push(busy);
    if (busy > 0) { busy--; return 0x00; }
    return 0x60;
  });
  cpu.portWriters.set(COM1 + 3, (_p, _s, v) => { lcr = v; });
  // With DLAB (LCR bit 7) set, the data port is the divisor latch, not the transmitter.
  cpu.portWriters.set(COM1, (_p, _s, v) => { if ((lcr & 0x80) === 0) { sent.push(v); busy = busyPolls; } });
  return { sent, polls };
}

function text(bytes: number[]): string {
  return String.fromCharCode(...bytes);
}

beforeEach(() => {
  cpu = resetFakeCpu();
  detachAllMemory();
  framebufferDisable();
  serialSetEnabled(true);
  setLogLevel(LogLevel.Info);
});

describe("serial", () => {
  it("programs COM1 for 115200 8N1 with FIFOs", () => {
    uart(0);
    expect(serialInit()).toBe(true);
    const writes = cpu.portLog.filter(([p]) => p !== COM1 + 7).map(([p, , v]) => [p - COM1, v]);
    // DLAB on, divisor 1 (low, high), DLAB off with 8N1, FIFO enable.
    expect(writes).toEqual([[1, 0], [3, 0x80], [0, 1], [1, 0], [3, 0x03], [2, 0xc7], [4, 0x03]]);
  });

  it("reports a missing UART and then stays silent", () => {
    cpu.portReaders.set(COM1 + 7, () => 0xff);
    expect(serialInit()).toBe(false);
    cpu.portLog.length = 0;
    serialWriteByte(65);
    expect(cpu.portLog).toEqual([]);
  });

  it("waits for the transmitter before each byte", () => {
    const u = uart(3);
    serialInit();
    for (const c of "hi") serialWriteByte(c.charCodeAt(0));
    expect(text(u.sent)).toBe("hi");
    // The second byte was written only after three busy status reads.
    expect(u.polls.slice(-4)).toEqual([3, 2, 1, 0]);
  });

  it("keeps every byte for a slow reader at the other end", () => {
    // 200,000 busy polls per byte: twice what used to make the driver overwrite the byte.
    const u = uart(200_000);
    serialInit();
    for (const c of "slow") serialWriteByte(c.charCodeAt(0));
    expect(text(u.sent)).toBe("slow");
    expect(serialDroppedBytes()).toBe(0);
  });

  it("counts what a wedged transmitter drops and says so when it recovers", () => {
    const u = uart(0);
    serialInit();
    const before = serialDroppedBytes();
    let ready = false;
    cpu.portReaders.set(COM1 + 5, () => (ready ? 0x60 : 0x00));
    // The first byte waits its whole bound, the next ones poll once each: all three are counted.
    for (const c of "abc") serialWriteByte(c.charCodeAt(0));
    expect(u.sent).toEqual([]);
    expect(serialDroppedBytes() - before).toBe(3);
    ready = true;
    serialWriteByte("x".charCodeAt(0));
    expect(text(u.sent)).toBe("\n[serial: 3 bytes dropped]\nx");
  });
});

describe("log", () => {
  it("filters by level and prefixes warnings and errors", () => {
    const u = uart(0);
    serialInit();
    kinfo("boot");
    kdebug("hidden");
    kwarn("careful");
    kerror("broken");
    setLogLevel(LogLevel.Error);
    kwarn("hidden too");
    kerror("still");
    setLogLevel(LogLevel.Debug);
    kdebug("detail");
    expect(text(u.sent)).toBe("boot\nwarning: careful\nerror: broken\nerror: still\ndebug: detail\n");
  });

  it("writes the bytes console.log hands to keel_write", () => {
    const u = uart(0);
    serialInit();
    attachMemory(0x8000, 0x100);
    writeBytes(0x8000, new TextEncoder().encode("memory: 1 MiB\n"));
    consoleWrite(0x8000, 14);
    consoleWrite(0x8000, 0);
    expect(text(u.sent)).toBe("memory: 1 MiB\n");
  });

  it("splices bytes from memory into a message and replaces non-Latin-1 characters", () => {
    const u = uart(0);
    serialInit();
    attachMemory(0x8000, 0x100);
    writeBytes(0x8000, new TextEncoder().encode("quiet"));
    klogBytes(LogLevel.Warn, "option '", 0x8000, 5, "'");
    klog(LogLevel.Info, "snow \u2603");
    expect(text(u.sent)).toBe("warning: option 'quiet'\nsnow ?\n");
  });
});

describe("debug console", () => {
  it("gets every console byte on port 0xe9 only once keel.debugcon=1 enables it", () => {
    uart(0);
    serialInit();
    const e9: number[] = [];
    cpu.portWriters.set(DEBUGCON_PORT, (_p, _s, v) => { e9.push(v); });
    kinfo("before");
    debugconSetEnabled(true);
    kerror("boot");
    debugconSetEnabled(false);
    kinfo("after");
    expect(text(e9)).toBe("error: boot\n");
  });
});
