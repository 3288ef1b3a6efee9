// Boot calibration of the TSC and the local APIC timer without the PIT: from CPUID, over short
// windows of a simulated HPET or ACPI PM timer, and the order the kernel tries them in. The
// simulated clocks share one time line with the TSC and the APIC timer; every read of a reference
// counter takes `stepNs`, and `stall(n)` adds time lost at the n-th read (a host descheduling the
// vCPU inside a sample).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { attachMemory, detachAllMemory } from "../../../lang/host/memory.ts";
import { load32, store32 } from "../../../lang/mem.ts";
import { physToVirt } from "../../../kernel/arch/x86_64/layout.ts";
import { resetFakeCpu, type FakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { apicInit, ApicReg, IA32_APIC_BASE } from "../../../kernel/arch/x86_64/apic.ts";
import { ClockSource, PM_TIMER_HZ, tscHzFromCpuid } from "../../../kernel/arch/x86_64/clock-sources.ts";
import { calibrateBest, ReferenceClocks, REFERENCE_WINDOW_MAX_NS } from "../../../kernel/arch/x86_64/timer.ts";

const APIC = physToVirt(0xfee00000);
const HPET_PHYS = 0xfed00000;
const HPET = physToVirt(HPET_PHYS);
const PM_PORT = 0x608;

let cpu: FakeCpu;
let t = 0;

beforeEach(() => {
  detachAllMemory();
  attachMemory(APIC, 0x1000);
  cpu = resetFakeCpu();
  cpu.msrs.set(IA32_APIC_BASE, 0xfee00900n);
  vi.spyOn(console, "log").mockImplementation(() => {});
  apicInit(APIC);
  t = 0;
});
afterEach(() => {
  vi.restoreAllMocks();
  detachAllMemory();
});

interface Clocks {
  tscHz: number;
  apicInputHz: number;
  stepNs: number;
  stall?: (n: number) => number;
}

/** Advances the time line by one read and updates the TSC and the APIC timer's count. */
function clockStepper(c: Clocks): () => void {
  let reads = 0;
  let apicStart = -1;
  let lastInitial = -1;
  return () => {
    t += c.stepNs + (c.stall ? c.stall(reads++) : 0);
    cpu.tsc = BigInt(Math.floor((t * c.tscHz) / 1e9));
    const initial = load32(APIC + ApicReg.TimerInitial);
    if (initial !== lastInitial) {
      apicStart = t;
      lastInitial = initial;
    }
    const divided = Math.floor(((t - apicStart) * c.apicInputHz) / 1e9 / 16);
    store32(APIC + ApicReg.TimerCurrent, Math.max(0, initial - divided));
  };
}

/** An HPET whose counter period is `periodFs`; its counter reads advance the time line. */
function simulateHpet(c: Clocks, periodFs: number, counts = true): void {
  const step = clockStepper(c);
  const region = attachMemory(HPET, 0x400);
  const view = region.view;
  view.setUint32(0x04, periodFs, true);
  class HpetView extends DataView<ArrayBuffer> {
    override getUint32(o: number, le?: boolean): number {
      if (o === 0xf0) {
        step();
        const enabled = (super.getUint32(0x10, true) & 1) !== 0;
        return counts && enabled ? Math.floor((t * 1e6) / periodFs) % 2 ** 32 : 0;
      }
      return super.getUint32(o, le);
    }
  }
  Object.defineProperty(region, "view", { value: new HpetView(view.buffer as ArrayBuffer) });
}

/** A PM timer of `bits` bits starting at `start`; each read advances the time line. */
function simulatePmTimer(c: Clocks, bits: number, start = 0): void {
  const step = clockStepper(c);
  cpu.portReaders.set(PM_PORT, () => {
    step();
    return (start + Math.floor((t * PM_TIMER_HZ) / 1e9)) % 2 ** bits;
  });
}

function refs(hpet: boolean, pm: boolean, pm32 = false): ReferenceClocks {
  const r = new ReferenceClocks();
  r.hpetPhys = hpet ? HPET_PHYS : 0;
  r.pmTimerPort = pm ? PM_PORT : 0;
  r.pmTimer32 = pm32;
  return r;
}

function relErr(got: number | bigint, want: number): number {
  return Math.abs(Number(got) - want) / want;
}

describe("calibration against the HPET", () => {
  it("measures a 2.4 GHz TSC and a 1 GHz APIC timer over a fraction of a millisecond", () => {
    simulateHpet({ tscHz: 2.4e9, apicInputHz: 1e9, stepNs: 50 }, 10_000_000); // 100 MHz
    const c = calibrateBest(refs(true, false));
    expect(c.ok).toBe(true);
    expect(c.source).toBe(ClockSource.Hpet);
    expect(relErr(c.tscHz, 2.4e9)).toBeLessThan(0.001);
    expect(relErr(c.apicHz, 1e9 / 16)).toBeLessThan(0.001);
    // Two windows of 0.1 ms or so, not the PIT's 25 ms each.
    expect(t).toBeLessThan(1_000_000);
    // The HPET was started (firmware may leave it stopped); the PIT was never touched.
    expect(load32(HPET + 0x10) & 1).toBe(1);
    expect(cpu.portLog.filter(([p]) => p === 0x42 || p === 0x43)).toEqual([]);
  });

  it("widens the window when the samples are slow, and stays accurate", () => {
    // Every 5th read loses 20 us: samples are wide, so the window must grow.
    simulateHpet({ tscHz: 3.0e9, apicInputHz: 1e9, stepNs: 100, stall: (n) => (n % 5 === 2 ? 20_000 : 0) }, 69_841_279); // 14.318 MHz
    const c = calibrateBest(refs(true, false));
    expect(c.source).toBe(ClockSource.Hpet);
    expect(relErr(c.tscHz, 3.0e9)).toBeLessThan(0.002);
    expect(relErr(c.apicHz, 1e9 / 16)).toBeLessThan(0.002);
    expect(t).toBeLessThan(3 * 2 * REFERENCE_WINDOW_MAX_NS);
  });

  it("refuses an HPET with an impossible period or a counter that does not count", () => {
    simulateHpet({ tscHz: 2e9, apicInputHz: 1e9, stepNs: 50 }, 0);
    simulatePmTimer({ tscHz: 2e9, apicInputHz: 1e9, stepNs: 50 }, 24);
    let c = calibrateBest(refs(true, true));
    expect(c.source).toBe(ClockSource.PmTimer);
    detachAllMemory();
    attachMemory(APIC, 0x1000);
    simulateHpet({ tscHz: 2e9, apicInputHz: 1e9, stepNs: 50 }, 10_000_000, false);
    c = calibrateBest(refs(true, true));
    expect(c.source).toBe(ClockSource.PmTimer);
    expect(relErr(c.tscHz, 2e9)).toBeLessThan(0.001);
  });
});

describe("calibration against the ACPI PM timer", () => {
  it("measures across the wrap of a 24-bit counter", () => {
    simulatePmTimer({ tscHz: 1.8e9, apicInputHz: 200e6, stepNs: 700 }, 24, 0xffff00);
    const c = calibrateBest(refs(false, true));
    expect(c.ok).toBe(true);
    expect(c.source).toBe(ClockSource.PmTimer);
    expect(relErr(c.tscHz, 1.8e9)).toBeLessThan(0.001);
    expect(relErr(c.apicHz, 200e6 / 16)).toBeLessThan(0.001);
    // Two windows of about 1.5 ms: slow port reads make wide samples.
    expect(t).toBeLessThan(4_000_000);
  });

  it("reads a 32-bit counter whole", () => {
    simulatePmTimer({ tscHz: 2.2e9, apicInputHz: 1e9, stepNs: 700 }, 32, 0xfffffff0);
    const c = calibrateBest(refs(false, true, true));
    expect(c.source).toBe(ClockSource.PmTimer);
    expect(relErr(c.tscHz, 2.2e9)).toBeLessThan(0.001);
  });
});

describe("calibration from CPUID", () => {
  it("takes the TSC from leaf 0x15 and measures the APIC timer against it", () => {
    cpu.cpuid.set(0, [0x16, 0x756e6547, 0x6c65746e, 0x49656e69]);
    // 24 MHz crystal, TSC = crystal * 188 / 2 = 2.256 GHz.
    cpu.cpuid.set(0x15, [2, 188, 24_000_000, 0]);
    expect(tscHzFromCpuid()).toBe(2_256_000_000n);
    // No reference clock is read on this path: the APIC timer's count follows the TSC instead,
    // which the host rdtsc advances on every read.
    let apicStart = -1;
    let lastInitial = -1;
    let tscValue = 0n;
    Object.defineProperty(cpu, "tsc", {
      get: () => tscValue,
      set: (v: bigint) => {
        tscValue = v;
        const ns = Number(v) / 2.256;
        const initial = load32(APIC + ApicReg.TimerInitial);
        if (initial !== lastInitial) {
          apicStart = ns;
          lastInitial = initial;
        }
        store32(APIC + ApicReg.TimerCurrent, Math.max(0, initial - Math.floor((ns - apicStart) / 16)));
      },
    });
    const c = calibrateBest(refs(true, true));
    expect(c.source).toBe(ClockSource.Cpuid);
    expect(c.tscHz).toBe(2_256_000_000n);
    expect(relErr(c.apicHz, 1e9 / 16)).toBeLessThan(0.002);
  });

  it("takes leaf 0x16 on Intel only, and ignores absurd values", () => {
    cpu.cpuid.set(0, [0x16, 0x756e6547, 0x6c65746e, 0x49656e69]);
    cpu.cpuid.set(0x16, [2900, 3900, 100, 0]);
    expect(tscHzFromCpuid()).toBe(2_900_000_000n);
    cpu.cpuid.set(0, [0x16, 0x68747541, 0x444d4163, 0x69746e65]); // AuthenticAMD
    expect(tscHzFromCpuid()).toBe(0n);
    cpu.cpuid.set(0, [0x0d, 0x756e6547, 0x6c65746e, 0x49656e69]); // leaves 0x15/0x16 absent
    expect(tscHzFromCpuid()).toBe(0n);
  });
});
