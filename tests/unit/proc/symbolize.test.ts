// Fault locations: a program built with #line directives naming TypeScript files gets its
// .keel.lines table from userland/lib/line-table.mjs, and the kernel reads it from the boot
// module's image to name the TypeScript line of an address.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, renameSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { processByPid, processInit, spawnModule } from "../../../kernel/proc/process.ts";
import { printUserLocation } from "../../../kernel/proc/symbolize.ts";
import { allocationDelta, liveAllocations } from "../../../lang/host/allocations.ts";
import { Machine, makeMachine } from "./harness.ts";

const ROOT = resolve(import.meta.dirname, "../../..");
const OUT = join(ROOT, "build/test/proc");
let elf: Uint8Array;
let sym: Map<string, number>;
let m: Machine;

/** What the kernel printed through the console since the last call (captured from COM1). */
function printed(): string {
  const out = fakeCpu.portLog.filter(([port]) => port === 0x3f8).map(([, , v]) => String.fromCharCode(v)).join("");
  fakeCpu.portLog.length = 0;
  return out;
}

beforeAll(() => {
  mkdirSync(OUT, { recursive: true });
  const out = join(OUT, `lines.${process.pid}.elf`);
  execFileSync("gcc", ["-g", "-O0", "-static", "-nostdlib", "-ffreestanding", "-fno-pic", "-no-pie", "-o", out,
    join(ROOT, "tests/unit/proc/fixtures/lines.c")]);
  execFileSync("node", [join(ROOT, "userland/lib/line-table.mjs"), out]);
  const final = join(OUT, "lines.elf");
  renameSync(out, final);
  elf = new Uint8Array(readFileSync(final));
  sym = new Map();
  for (const line of execFileSync("nm", [final], { encoding: "utf8" }).split("\n")) {
    const f = line.split(" ");
    if (f.length === 3) sym.set(f[2]!, parseInt(f[0]!, 16));
  }
});

beforeEach(() => {
  m = makeMachine(elf);
  processInit(m.frames, m.kernel, m.info, () => 1, () => {}, () => {});
  printed();
});

describe("fault locations", () => {
  it("name the TypeScript file and line of an address in compiled TypeScript", () => {
    const p = processByPid(spawnModule(1, 0, false))!;
    printed();
    expect(printUserLocation(p, sym.get("fault_here")!)).toBe(true);
    expect(printed()).toBe("  at userland/demo/main.ts:40\n");
    // Inside _start, past its first row: still other.ts, a later line.
    expect(printUserLocation(p, sym.get("_start")! + 5)).toBe(true);
    expect(printed()).toMatch(/^ {2}at userland\/demo\/other\.ts:6[0-3]\n$/);
  });

  it("allocate nothing that stays: every fault report looks up a location", () => {
    const p = processByPid(spawnModule(1, 0, false))!;
    const before = liveAllocations();
    // Addresses the table does not place: the whole lookup runs and nothing is printed (the host
    // port log would count as allocations).
    for (let i = 0; i < 3; i++) expect(printUserLocation(p, sym.get("plain_c")!)).toBe(false);
    expect(printUserLocation(p, 0x1000)).toBe(false);
    expect(allocationDelta(before, liveAllocations())).toEqual({});
  });

  it("say nothing for plain C, past the end of the code, or before it", () => {
    const p = processByPid(spawnModule(1, 0, false))!;
    printed();
    expect(printUserLocation(p, sym.get("plain_c")!)).toBe(false);
    expect(printUserLocation(p, 0x500000)).toBe(false);
    expect(printUserLocation(p, 0x1000)).toBe(false);
    expect(printed()).toBe("");
  });

  it("say nothing for a program without a table, or with a damaged one", () => {
    const plain = processByPid(spawnModule(0, 0, false))!;
    expect(printUserLocation(plain, sym.get("fault_here")!)).toBe(false);
    // Damage the section header table offset: the lookup must give up, not read wildly.
    const bad = elf.slice();
    new DataView(bad.buffer).setUint32(0x28, 0xfffff000, true);
    m = makeMachine(bad);
    processInit(m.frames, m.kernel, m.info, () => 1, () => {}, () => {});
    const p = processByPid(spawnModule(1, 0, false))!;
    expect(printUserLocation(p, sym.get("fault_here")!)).toBe(false);
  });
});
