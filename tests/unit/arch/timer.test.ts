import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { attachMemory, detachAllMemory } from "../../../lang/host/memory.ts";
import { load32, store32 } from "../../../lang/mem.ts";
import { resetFakeCpu, type FakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { apicInit, ApicReg, apicSelfIpi, apicTimerPeriodic, IA32_APIC_BASE } from "../../../kernel/arch/x86_64/apic.ts";
import { calibrate } from "../../../kernel/arch/x86_64/timer.ts";
import { PIT_HZ, pitTicksForMs } from "../../../kernel/arch/x86_64/pit.ts";
import { picRemapAndMask } from "../../../kernel/arch/x86_64/pic.ts";
import { ioapicEntryLow, ioapicInit, ioapicRoute, ioapicRouteIsa, ioapicSetIsaRoute, ioapicSetMasked, isaIrqToGsi } from "../../../kernel/arch/x86_64/ioapic.ts";
import { clockInit, nowNs, nsToTsc, tscToNs } from "../../../kernel/time/clock.ts";

const APIC = -0x800000000000 + 0xfee00000;
const IOAPIC = -0x800000000000 + 0xfec00000;

let cpu: FakeCpu;

beforeEach(() => {
  detachAllMemory();
  attachMemory(APIC, 0x1000);
  cpu = resetFakeCpu();
  cpu.msrs.set(IA32_APIC_BASE, 0xfee00900n);
  vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
  detachAllMemory();
});

/**
 * A simulated PIT channel 2 and APIC timer sharing one clock with the TSC: every port access
 * advances time by `stepNs`, and `stall(n)` says how much extra time the n-th access loses (a host
 * descheduling the vCPU). The TSC runs at tscHz and the APIC timer input at apicInputHz.
 */
function simulateClocks(tscHz: number, apicInputHz: number, stepNs: number, pitWorks = true, stall: (n: number) => number = () => 0): void {
  let count = 0;
  let bytes = 0;
  let t = 0;
  let accesses = 0;
  let loadNs = -1;
  let apicStart = 0;
  let latched = -1;
  let readHigh = false;
  const tick = () => {
    t += stepNs + stall(accesses++);
    cpu.tsc = BigInt(Math.floor((t * tscHz) / 1e9));
    const initial = load32(APIC + ApicReg.TimerInitial);
    const divided = Math.floor(((t - apicStart) * apicInputHz) / 1e9 / 16);
    store32(APIC + ApicReg.TimerCurrent, Math.max(0, initial - divided));
  };
  const current = () => {
    if (!pitWorks || loadNs < 0) return count;
    const ticks = Math.floor(((t - loadNs) * PIT_HZ) / 1e9);
    return (((count - ticks) % 65536) + 65536) % 65536;
  };
  cpu.portWriters.set(0x43, (_p, _s, v) => {
    tick();
    if (v === 0xb0) {
      bytes = 0;
    } else {
      expect(v).toBe(0x80); // latch channel 2
      latched = current();
      readHigh = false;
    }
  });
  cpu.portWriters.set(0x42, (_p, _s, v) => {
    count = bytes === 0 ? v : count | (v << 8);
    bytes++;
    if (bytes === 2) {
      loadNs = t;
      apicStart = t;
    }
  });
  cpu.portReaders.set(0x42, () => {
    tick();
    const v = latched < 0 ? current() : latched;
    const b = readHigh ? (v >> 8) & 0xff : v & 0xff;
    if (readHigh) latched = -1;
    readHigh = !readHigh;
    return b;
  });
  cpu.portReaders.set(0x61, () => {
    tick();
    return 0;
  });
}

describe("calibration against the PIT", () => {
  it("measures a 2.4 GHz TSC and a 1 GHz APIC timer input", () => {
    apicInit(APIC);
    simulateClocks(2.4e9, 1e9, 1000);
    const c = calibrate(20);
    expect(c.ok).toBe(true);
    expect(Number(c.tscHz)).toBeGreaterThan(2.4e9 * 0.995);
    expect(Number(c.tscHz)).toBeLessThan(2.4e9 * 1.005);
    expect(c.apicHz).toBeGreaterThan((1e9 / 16) * 0.995);
    expect(c.apicHz).toBeLessThan((1e9 / 16) * 1.005);
    expect(c.pitTicks).toBeGreaterThanOrEqual(pitTicksForMs(20));
    // The APIC timer is left stopped and masked.
    expect(load32(APIC + ApicReg.TimerInitial)).toBe(0);
    expect(load32(APIC + ApicReg.LvtTimer) & 0x10000).toBe(0x10000);
    // Channel 2 programmed to count down from 0xffff, gate dropped at the end.
    const data = cpu.portLog.filter(([p]) => p === 0x42).map(([, , v]) => v);
    expect(data[0]! | (data[1]! << 8)).toBe(0xffff);
    const last61 = cpu.portLog.filter(([p]) => p === 0x61).at(-1)!;
    expect(last61[2] & 3).toBe(0);
  });

  it("measures other frequencies too", () => {
    apicInit(APIC);
    simulateClocks(1.0e9, 200e6, 500);
    const c = calibrate(10);
    expect(Math.abs(Number(c.tscHz) - 1e9) / 1e9).toBeLessThan(0.005);
    expect(Math.abs(c.apicHz - 200e6 / 16) / (200e6 / 16)).toBeLessThan(0.005);
  });

  it("ignores long stalls between and inside samples", () => {
    apicInit(APIC);
    // Every 7th port access loses 3 ms, far more than the 1 us a poll takes.
    simulateClocks(2.0e9, 1e9, 1000, true, (n) => (n % 7 === 3 ? 3e6 : 0));
    const c = calibrate(40);
    expect(c.ok).toBe(true);
    expect(Math.abs(Number(c.tscHz) - 2.0e9) / 2.0e9).toBeLessThan(0.002);
    expect(Math.abs(c.apicHz - 1e9 / 16) / (1e9 / 16)).toBeLessThan(0.002);
  });

  it("retries when a stall outlasts the PIT's wrap-around", () => {
    apicInit(APIC);
    simulateClocks(2.0e9, 1e9, 1000, true, (n) => (n === 60 ? 70e6 : 0));
    const c = calibrate(20);
    expect(c.ok).toBe(true);
    expect(Math.abs(Number(c.tscHz) - 2.0e9) / 2.0e9).toBeLessThan(0.002);
  });

  it("falls back when the PIT never counts", () => {
    apicInit(APIC);
    simulateClocks(2e9, 1e9, 1, false);
    const c = calibrate(1, 5000);
    expect(c.ok).toBe(false);
    expect(c.polls).toBe(5000);
    expect(c.tscHz).toBeGreaterThan(0n);
    expect(c.apicHz).toBeGreaterThan(0);
  });
});

describe("local APIC", () => {
  it("enables itself through the MSR and the spurious vector register", () => {
    apicInit(APIC);
    expect(cpu.msrs.get(IA32_APIC_BASE)! & 0x800n).toBe(0x800n);
    expect(load32(APIC + ApicReg.Svr)).toBe(0x1ff);
    expect(load32(APIC + ApicReg.LvtLint0) & 0x10000).toBe(0x10000);
    expect(load32(APIC + ApicReg.LvtError)).toBe(0xfe);
  });

  it("programs a periodic timer and a self IPI", () => {
    apicInit(APIC);
    apicTimerPeriodic(0xf0, 62500);
    expect(load32(APIC + ApicReg.LvtTimer)).toBe(0x200f0);
    expect(load32(APIC + ApicReg.TimerInitial)).toBe(62500);
    expect(load32(APIC + ApicReg.TimerDivide)).toBe(3);
    apicSelfIpi(0xf1);
    expect(load32(APIC + ApicReg.IcrLow)).toBe(0x440f1);
  });
});

describe("legacy PIC", () => {
  it("is remapped to 0x20/0x28 and fully masked", () => {
    picRemapAndMask();
    const writes = cpu.portLog.filter(([p]) => p !== 0x80).map(([p, , v]) => [p, v]);
    expect(writes).toEqual([
      [0x20, 0x11], [0xa0, 0x11], [0x21, 0x20], [0xa1, 0x28], [0x21, 4], [0xa1, 2], [0x21, 1], [0xa1, 1], [0x21, 0xff], [0xa1, 0xff],
    ]);
  });
});

describe("I/O APIC", () => {
  it("masks every input, then routes and unmasks", () => {
    attachMemory(IOAPIC, 0x1000);
    // Plain memory stands in for the IOREGSEL/IOWIN pair: a read of the window returns the last
    // value written there, so the test checks the selector and the value of each access.
    store32(IOAPIC + 0x10, 0x00170020); // version: 24 inputs
    const inputs = ioapicInit(IOAPIC);
    expect(inputs).toBe(24);
    ioapicRoute(4, 0, false, false);
    expect(load32(IOAPIC)).toBe(0x10 + 8);
    expect(ioapicEntryLow(4)).toBe(0x34);
    ioapicSetMasked(4, true);
    expect(load32(IOAPIC + 0x10)).toBe(0x10034);
  });

  it("routes an ISA line as the MADT's override says: its GSI, level-triggered, active low", () => {
    attachMemory(IOAPIC, 0x1000);
    store32(IOAPIC + 0x10, 0x00170020);
    ioapicInit(IOAPIC);
    ioapicSetIsaRoute(9, 20, true, true);
    ioapicRouteIsa(9, 0);
    expect(isaIrqToGsi(9)).toBe(20);
    expect(load32(IOAPIC)).toBe(0x10 + 2 * 20);
    expect(ioapicEntryLow(20)).toBe(0x30 + 20 + 0x8000 + 0x2000); // vector gsiVector(20), level, active low
    expect(isaIrqToGsi(16)).toBe(-1);
    ioapicSetIsaRoute(9, 9, false, false);
  });

  it("refuses an I/O APIC that reads as all ones", () => {
    attachMemory(IOAPIC, 0x1000);
    store32(IOAPIC + 0x10, 0xffffffff);
    expect(ioapicInit(IOAPIC)).toBe(0);
  });
});

describe("monotonic clock", () => {
  it("converts TSC ticks to nanoseconds exactly, even for long uptimes", () => {
    clockInit(3_000_000_000n);
    expect(tscToNs(3_000_000_000n)).toBe(1_000_000_000);
    expect(tscToNs(3n)).toBe(1);
    expect(tscToNs(1n)).toBe(0);
    // 30 days at 3 GHz: 7.776e15 ticks; a naive ticks * 1e9 would overflow 64 bits.
    const ticks = 3_000_000_000n * 86400n * 30n + 1_500_000_000n;
    expect(tscToNs(ticks)).toBe(86400 * 30 * 1e9 + 5e8);
    expect(nsToTsc(1_000_000)).toBe(3_000_000n);
  });

  it("starts at zero and never goes backwards", () => {
    cpu.tsc = 1_000_000n;
    clockInit(1_000_000_000n);
    const a = nowNs();
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a).toBeLessThan(1000);
    cpu.tsc += 5_000_000n;
    const b = nowNs();
    expect(b).toBeGreaterThanOrEqual(5_000_000);
    cpu.tsc -= 4_000_000n; // a TSC that steps back must not make the clock step back
    expect(nowNs()).toBe(b);
  });
});
