// The import layering of the tree (scripts/check-imports.ts), and the checker itself on small
// in-memory trees, so that each rule is seen to catch what it forbids.
import { describe, expect, it } from "vitest";
import { checkImports, readTree, runtimeImports } from "../../../scripts/check-imports.ts";

/** Rules 1 to 4 (the fixtures use folder names of their own, which rules 5 and 6 would also report). */
const messages = (files: Record<string, string>): string[] =>
  checkImports(files).filter((v) => v.rule !== "layer" && v.rule !== "file-cycle").map((v) => v.message);
const layerMessages = (files: Record<string, string>): string[] =>
  checkImports(files).filter((v) => v.rule === "layer").map((v) => v.message);

describe("import layering", () => {
  it("the tree has no violations", () => {
    // Compared as messages, so a failure lists each violation on its own line.
    expect(checkImports(readTree()).map((v) => v.message)).toEqual([]);
  });
});

describe("runtimeImports", () => {
  it("keeps runtime imports and re-exports, resolved against the importing file", () => {
    const src = [
      `import { a } from "../ipc/endpoint.ts";`,
      `import "./side-effect.ts";`,
      `import D, { type T } from "./default.ts";`,
      `import { type U, v } from "./mixed.ts";`,
      `export * from "../../abi/rights.ts";`,
      `export { w } from "./w.ts";`,
      `import * as fs from "node:fs";`,
    ].join("\n");
    expect(runtimeImports("kernel/cap/x.ts", src)).toEqual([
      { from: "kernel/cap/x.ts", to: "kernel/ipc/endpoint.ts", line: 1 },
      { from: "kernel/cap/x.ts", to: "kernel/cap/side-effect.ts", line: 2 },
      { from: "kernel/cap/x.ts", to: "kernel/cap/default.ts", line: 3 },
      { from: "kernel/cap/x.ts", to: "kernel/cap/mixed.ts", line: 4 },
      { from: "kernel/cap/x.ts", to: "abi/rights.ts", line: 5 },
      { from: "kernel/cap/x.ts", to: "kernel/cap/w.ts", line: 6 },
    ]);
  });

  it("drops what is erased: import type, export type, and all-`type` specifiers", () => {
    const src = [
      `import type { A } from "../ipc/a.ts";`,
      `import { type B, type C } from "../ipc/b.ts";`,
      `export type { D } from "../ipc/d.ts";`,
      `export { type E } from "../ipc/e.ts";`,
    ].join("\n");
    expect(runtimeImports("kernel/cap/x.ts", src)).toEqual([]);
  });
});

describe("rule 1: no folder cycle under kernel/", () => {
  it("reports a two-folder cycle with one example import per edge", () => {
    expect(
      messages({
        "kernel/cap/cdt.ts": `import { wake } from "../ipc/waiter.ts";`,
        "kernel/ipc/endpoint.ts": `\nimport { Pool } from "../cap/counters.ts";`,
      }),
    ).toEqual(["cycle: kernel/cap -> kernel/ipc -> kernel/cap (kernel/cap/cdt.ts:1 -> kernel/ipc/waiter.ts; kernel/ipc/endpoint.ts:2 -> kernel/cap/counters.ts)"]);
  });

  it("treats a file directly in kernel/ as a node, and finds longer cycles", () => {
    expect(
      messages({
        "kernel/panic.ts": `import { halt } from "./sched/s.ts";`,
        "kernel/sched/s.ts": `import { now } from "../time/clock.ts";`,
        "kernel/time/clock.ts": `import { panic } from "../panic.ts";`,
      }),
    ).toEqual([
      "cycle: kernel/panic.ts -> kernel/sched -> kernel/time -> kernel/panic.ts (kernel/panic.ts:1 -> kernel/sched/s.ts; kernel/sched/s.ts:1 -> kernel/time/clock.ts; kernel/time/clock.ts:1 -> kernel/panic.ts)",
    ]);
  });

  it("lists each cycle once when they overlap", () => {
    expect(
      messages({
        "kernel/a/x.ts": `import "../b/x.ts";\nimport "../c/x.ts";`,
        "kernel/b/x.ts": `import "../a/x.ts";`,
        "kernel/c/x.ts": `import "../a/x.ts";`,
      }).map((m) => m.replace(/ \(.*/, "")),
    ).toEqual(["cycle: kernel/a -> kernel/b -> kernel/a", "cycle: kernel/a -> kernel/c -> kernel/a"]);
  });

  it("ignores imports inside one folder and type-only back edges", () => {
    expect(
      messages({
        "kernel/sched/a.ts": `import { b } from "./b.ts";`,
        "kernel/sched/b.ts": `import { a } from "./a.ts";`,
        "kernel/cap/object.ts": `import type { Endpoint } from "../ipc/endpoint.ts";`,
        "kernel/ipc/endpoint.ts": `import { Pool } from "../cap/counters.ts";`,
      }),
    ).toEqual([]);
  });
});

describe("rule 2: kernel/arch/ imports only kernel/arch/, lang/, abi/", () => {
  it("reports an import of another kernel folder", () => {
    expect(
      messages({
        "kernel/arch/x86_64/pages.ts": [
          `import { cpu } from "./cpu.ts";`,
          `import { mem } from "../../../lang/mem.ts";`,
          `import { Right } from "../../../abi/rights.ts";`,
          `import { Frame } from "../../mm/frame-allocator.ts";`,
        ].join("\n"),
      }),
    ).toEqual(["arch: kernel/arch/x86_64/pages.ts:4 imports kernel/mm/frame-allocator.ts (kernel/arch/ may import only kernel/arch/, lang/, abi/)"]);
  });
});

describe("rule 3: userland/ and bench/ import nothing under kernel/", () => {
  it("reports both, and allows abi/", () => {
    expect(
      messages({
        "userland/lib/sys.ts": `export { Sys } from "../../abi/numbers.ts";\nimport { capCopy } from "../../kernel/cap/cdt.ts";`,
        "bench/lib/q.ts": `import "../../kernel/main.ts";`,
      }),
    ).toEqual([
      "userland: bench/lib/q.ts:1 imports kernel/main.ts (userland/ and bench/ may not import kernel/)",
      "userland: userland/lib/sys.ts:2 imports kernel/cap/cdt.ts (userland/ and bench/ may not import kernel/)",
    ]);
  });
});

describe("rule 4: abi/ and lang/ import nothing under kernel/, userland/, bench/", () => {
  it("reports each, and allows abi/ to import lang/ and lang/host/ to import node built-ins", () => {
    expect(
      messages({
        "abi/errors.ts": `import { u32 } from "../lang/core.ts";\nimport { panic } from "../kernel/panic.ts";`,
        "lang/core.ts": `import { log } from "../userland/lib/log.ts";`,
        "lang/host/heap.ts": `import * as fs from "node:fs";\nimport { figures } from "../../bench/lib/figures.ts";`,
      }),
    ).toEqual([
      "abi-lang: abi/errors.ts:2 imports kernel/panic.ts (abi/ and lang/ may not import kernel/, userland/, bench/)",
      "abi-lang: lang/core.ts:1 imports userland/lib/log.ts (abi/ and lang/ may not import kernel/, userland/, bench/)",
      "abi-lang: lang/host/heap.ts:2 imports bench/lib/figures.ts (abi/ and lang/ may not import kernel/, userland/, bench/)",
    ]);
  });
});

describe("rule 5: kernel folders import only the layers below them", () => {
  it("reports an upward import and a folder missing from the list, and allows downward ones", () => {
    expect(
      layerMessages({
        "kernel/cap/cdt.ts": `import { send } from "../object/endpoint.ts";\nimport { wake } from "../sched/scheduler.ts";`,
        "kernel/drivers/kbd.ts": `import { klog } from "../console/log.ts";`,
      }),
    ).toEqual([
      "layer: kernel/cap/cdt.ts:1 imports kernel/object/endpoint.ts (kernel/cap is below kernel/object in KERNEL_LAYERS)",
      "layer: kernel/drivers is not in KERNEL_LAYERS (scripts/check-imports.ts)",
    ]);
  });
});

describe("rule 6: no import cycle between kernel, abi and lang files", () => {
  it("reports files that import each other, also within one folder, and not type-only links", () => {
    const found = checkImports({
      "kernel/proc/process.ts": `import { release } from "./proc-caps.ts";`,
      "kernel/proc/proc-caps.ts": `import { MAX } from "./process.ts";`,
      "kernel/proc/limits.ts": `import type { Process } from "./process.ts";`,
      "kernel/proc/user.ts": `import { MAX } from "./limits.ts";\nimport { release } from "./proc-caps.ts";`,
    }).filter((v) => v.rule === "file-cycle");
    expect(found.map((v) => v.message)).toEqual(["file-cycle: kernel/proc/proc-caps.ts, kernel/proc/process.ts import each other"]);
  });
});
