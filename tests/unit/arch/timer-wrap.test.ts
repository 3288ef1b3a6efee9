// Calibration when a host stall carries PIT channel 2 past zero: the count wraps and can come back
// below the first sample, so the interval reads 55 ms shorter than it was. The channel's output
// (port 0x61 bit 5, high from terminal count on in mode 0) must make such a measurement void.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { attachMemory, detachAllMemory } from "../../../lang/host/memory.ts";
import { load32, store32 } from "../../../lang/mem.ts";
import { resetFakeCpu, type FakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { apicInit, ApicReg, IA32_APIC_BASE } from "../../../kernel/arch/x86_64/apic.ts";
import { calibrate } from "../../../kernel/arch/x86_64/timer.ts";
import { PIT_HZ } from "../../../kernel/arch/x86_64/pit.ts";

const APIC = -0x800000000000 + 0xfee00000;
let cpu: FakeCpu;

beforeEach(() => {
  detachAllMemory();
  attachMemory(APIC, 0x1000);
  cpu = resetFakeCpu();
  cpu.msrs.set(IA32_APIC_BASE, 0xfee00900n);
  vi.spyOn(console, "log").mockImplementation(() => {});
  apicInit(APIC);
});
afterEach(() => {
  vi.restoreAllMocks();
  detachAllMemory();
});

/**
 * PIT channel 2 in mode 0 with its output pin, an APIC timer and a TSC on one simulated clock.
 * Each port access takes 1 us; `stallAfterLoad(k, n)` is the extra time lost by the n-th access
 * after the k-th load of the channel (a host descheduling the vCPU).
 */
function simulate(tscHz: number, apicInputHz: number, stallAfterLoad: (load: number, n: number) => number): void {
  let t = 0;
  let loadNs = -1;
  let loads = 0;
  let sinceLoad = 0;
  let count = 0;
  let bytes = 0;
  let latched = -1;
  let readHigh = false;
  let apicStart = 0;
  const tick = (): void => {
    t += 1000 + (loadNs >= 0 ? stallAfterLoad(loads, sinceLoad++) : 0);
    cpu.tsc = BigInt(Math.floor((t * tscHz) / 1e9));
    const initial = load32(APIC + ApicReg.TimerInitial);
    store32(APIC + ApicReg.TimerCurrent, Math.max(0, initial - Math.floor(((t - apicStart) * apicInputHz) / 1e9 / 16)));
  };
  const elapsedTicks = (): number => Math.floor(((t - loadNs) * PIT_HZ) / 1e9);
  const current = (): number => (loadNs < 0 ? count : (((count - elapsedTicks()) % 65536) + 65536) % 65536);
  cpu.portWriters.set(0x43, (_p, _s, v) => {
    tick();
    if (v === 0xb0) {
      bytes = 0;
      loadNs = -1;
    } else {
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
      loads++;
      sinceLoad = 0;
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
  // OUT2: low while counting down, high from terminal count until the channel is reprogrammed.
  cpu.portReaders.set(0x61, () => {
    tick();
    return loadNs >= 0 && elapsedTicks() >= count ? 0x20 : 0;
  });
}

// Each case simulates tens of thousands of port accesses: seconds on a busy machine.
describe("calibration across a PIT wrap", { timeout: 60_000 }, () => {
  it("refuses measurements a stall carried past the PIT's zero, even when two of them agree", () => {
    // The first two measurements each lose 60 ms early on: the count passes zero, wraps, and the
    // polling then sees a plausible 20 ms that really took 75 ms. Both alias alike, so they agree.
    simulate(2.0e9, 1e9, (load, n) => (load <= 2 && n === 30 ? 60e6 : 0));
    const c = calibrate(20);
    expect(c.ok).toBe(true);
    expect(Math.abs(Number(c.tscHz) - 2.0e9) / 2.0e9).toBeLessThan(0.002);
    expect(Math.abs(c.apicHz - 1e9 / 16) / (1e9 / 16)).toBeLessThan(0.002);
  });

  it("keeps trying while a loaded host spoils most measurements", () => {
    // Five refused tries in a row, then good ones: the poll budget, not a try count, ends the search.
    simulate(2.0e9, 1e9, (load, n) => (load <= 5 && n === 30 ? 60e6 : 0));
    const c = calibrate(20);
    expect(c.ok).toBe(true);
    expect(Math.abs(Number(c.tscHz) - 2.0e9) / 2.0e9).toBeLessThan(0.002);
  });

  it("gives up on a PIT that always wraps once the poll budget is spent", () => {
    simulate(2.0e9, 1e9, (_load, n) => (n === 30 ? 60e6 : 0));
    const c = calibrate(20, 40000);
    expect(c.ok).toBe(false);
    expect(c.polls).toBeGreaterThanOrEqual(40000);
  });

  it("still accepts a stall that stays short of the wrap", () => {
    simulate(2.0e9, 1e9, (load, n) => (n === 30 ? 15e6 : 0));
    const c = calibrate(20);
    expect(c.ok).toBe(true);
    expect(Math.abs(Number(c.tscHz) - 2.0e9) / 2.0e9).toBeLessThan(0.002);
  });
});
