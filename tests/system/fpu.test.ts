// FPU, SSE and AVX state per thread in QEMU (BIOS boot): `make iso-fpu`. fpu-sse and fpu-avx do
// double arithmetic in every xmm/ymm register, yielding to each other after every round, and
// must get the bits Node computes; fpu-fresh must start with the initial state although fpu-dirty
// left a secret in the registers. Once with the CPU's best mode (XSAVEOPT under -cpu max), once
// with keel.fpu=fxsave (no AVX there), once with keel.fpu=lazy (CR0.TS and #NM).
import { beforeAll, describe, expect, test } from "vitest";
import { resolve } from "node:path";
import { BootResult, ROOT, bootIso, make, requireQemu } from "./qemu.ts";

/** The lanes of fpu-sse/fpu-avx in Node: lane k from seed + k, x = x * 1.0000001 + 0.25 per round. */
function laneSumBits(seed: number, rounds: number, lanes: number): string {
  const xs = new Float64Array(lanes);
  for (let k = 0; k < lanes; k++) xs[k] = seed + k;
  for (let r = 0; r < rounds; r++) for (let k = 0; k < lanes; k++) xs[k] = xs[k]! * 1.0000001 + 0.25;
  let s = 0;
  for (let k = 0; k < lanes; k++) s += xs[k]!;
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, s, true);
  return b.getBigUint64(0, true).toString(16);
}

function summary(r: BootResult): string {
  return `status ${r.status}${r.stoppedEarly ? " (stopped)" : ""}, serial log:\n${r.output}`;
}

function outcome(run: BootResult, name: string): string {
  const m = new RegExp(`init: ${name} \\(pid (\\d+)\\) (.*)$`, "m").exec(run.output);
  return m === null ? "(no line)" : m[2]!;
}

beforeAll(() => {
  requireQemu(false);
  make("iso-fpu");
});

describe("FPU state per thread, best mode", () => {
  let run: BootResult;
  beforeAll(async () => {
    run = await bootIso(resolve(ROOT, "build/iso/fpu.iso"), { timeoutSeconds: 180, until: /init: all \d+ programs done[^\n]*\n|PANIC/ });
  });

  test("the boot summary names the save instruction, the XCR0 components and the area size", () => {
    expect(run.output, summary(run)).toMatch(/^fpu: xsave(opt)?, xcr0 0x7 \(x87 sse avx\), 832-byte areas, eager switch$/m);
  });

  test("two processes computing with SSE and AVX side by side get Node's bits", () => {
    const sse = laneSumBits(1000, 200, 32);
    const avx = laneSumBits(5000, 200, 64);
    expect(run.output, summary(run)).toMatch(new RegExp(`fpu-sse: pid \\d+ sum bits 0x${sse} straight, 0x${sse} with 200 yields: ok$`, "m"));
    expect(run.output, summary(run)).toMatch(new RegExp(`fpu-avx: pid \\d+ sum bits 0x${avx} straight, 0x${avx} with 200 yields: ok$`, "m"));
    expect(outcome(run, "fpu-sse")).toBe("exited with status 0");
    expect(outcome(run, "fpu-avx")).toBe("exited with status 0");
  });

  test("no state leaks from one process into a new one", () => {
    expect(outcome(run, "fpu-dirty")).toBe("exited with status 0");
    expect(run.output, summary(run)).toMatch(/fpu-fresh: pid \d+ started with a clean FPU\/SSE\/AVX state \(xsave\)$/m);
    expect(outcome(run, "fpu-fresh")).toBe("exited with status 0");
    expect(run.output).not.toMatch(/PANIC/);
  });

  test("unmasked SIMD and x87 exceptions kill their processes with named reports", () => {
    // QEMU's TCG raises no #XM (it only sets MXCSR's flags); on a CPU that does, the process dies.
    if (outcome(run, "fpu-xm") !== "exited with status 3") {
      expect(run.output, summary(run)).toMatch(/error: proc: fpu-xm \(pid \d+\) killed: #XM SIMD Floating-Point Exception at rip=0x40[0-9a-f]{4}$/m);
      expect(outcome(run, "fpu-xm")).toBe("was killed by exception 19");
    }
    expect(run.output, summary(run)).toMatch(/error: proc: fpu-mf \(pid \d+\) killed: #MF x87 Floating-Point Error at rip=0x40[0-9a-f]{4}$/m);
    expect(run.output, summary(run)).toMatch(/^ {2}x87 status word 0x[0-9a-f]+, flagged: divide-by-zero$/m);
    expect(outcome(run, "fpu-mf")).toBe("was killed by exception 16");
    expect(run.output).not.toMatch(/should not happen/);
  });
});

describe("FPU state per thread, keel.fpu=fxsave", () => {
  let run: BootResult;
  beforeAll(async () => {
    run = await bootIso(resolve(ROOT, "build/iso/fpu-fxsave.iso"), { timeoutSeconds: 180, until: /init: all \d+ programs done[^\n]*\n|PANIC/ });
  });

  test("FXSAVE, AVX off; SSE arithmetic intact, no leak", () => {
    const sse = laneSumBits(1000, 200, 32);
    expect(run.output, summary(run)).toMatch(/^fpu: fxsave, 512-byte areas, eager switch$/m);
    expect(run.output, summary(run)).toMatch(new RegExp(`fpu-sse: pid \\d+ sum bits 0x${sse} straight, 0x${sse} with 200 yields: ok$`, "m"));
    expect(run.output, summary(run)).toMatch(/fpu-avx: pid \d+ AVX not available$/m);
    expect(outcome(run, "fpu-avx")).toBe("exited with status 2");
    expect(outcome(run, "fpu-dirty")).toBe("exited with status 0");
    expect(run.output, summary(run)).toMatch(/fpu-fresh: pid \d+ started with a clean FPU\/SSE\/AVX state \(fxsave\)$/m);
    expect(outcome(run, "fpu-fresh")).toBe("exited with status 0");
    expect(run.output).not.toMatch(/PANIC/);
  });
});

describe("FPU state per thread, keel.fpu=lazy", () => {
  let run: BootResult;
  beforeAll(async () => {
    run = await bootIso(resolve(ROOT, "build/iso/fpu-lazy.iso"), { timeoutSeconds: 180, until: /init: all \d+ programs done[^\n]*\n|PANIC/ });
  });

  test("lazy switching through #NM: SSE and AVX arithmetic intact, no leak", () => {
    const sse = laneSumBits(1000, 200, 32);
    const avx = laneSumBits(5000, 200, 64);
    expect(run.output, summary(run)).toMatch(/^fpu: xsave(opt)?, xcr0 0x7 \(x87 sse avx\), 832-byte areas, lazy switch$/m);
    expect(run.output, summary(run)).toMatch(new RegExp(`fpu-sse: pid \\d+ sum bits 0x${sse} straight, 0x${sse} with 200 yields: ok$`, "m"));
    expect(run.output, summary(run)).toMatch(new RegExp(`fpu-avx: pid \\d+ sum bits 0x${avx} straight, 0x${avx} with 200 yields: ok$`, "m"));
    expect(outcome(run, "fpu-dirty")).toBe("exited with status 0");
    expect(outcome(run, "fpu-fresh")).toBe("exited with status 0");
    expect(outcome(run, "fpu-mf")).toBe("was killed by exception 16");
    expect(run.output).not.toMatch(/PANIC/);
  });
});
