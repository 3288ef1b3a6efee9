// The capability and IPC layer compiled by keelc to C and run natively (the capability self-test,
// and the charge self-test, which measures real heap bytes only here and in the kernel): the output must be
// byte-identical to the same program under Node, and repeated rounds must not leak (the hosted
// runtime counts live allocations; C has no garbage collector, so a missing release shows here
// and nowhere else).
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const entry = path.join(root, "tests", "unit", "object", "native-main.ts");
const buildRoot = path.join(root, "build", "tests");
// Importing the entry would run it; read its round count instead.
const ROUNDS = Number(/ROUNDS = (\d+)/.exec(fs.readFileSync(entry, "utf8"))![1]);

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8", env, timeout: 300_000 });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

describe("capability self-test compiled to C", () => {
  it("prints what Node prints, and leaks nothing per round", () => {
    // A directory of its own, so concurrent runs of the suite do not overwrite each other.
    fs.mkdirSync(buildRoot, { recursive: true });
    const outDir = fs.mkdtempSync(path.join(buildRoot, "cap-native-"));
    const exe = path.join(outDir, "cap-selftest");
    const build = run("node", ["toolchain/bin/keelc.js", "build", "--checked", "--target", "hosted", entry, "-o", exe]);
    expect(build.stderr + build.stdout).toBe("");
    expect(build.status).toBe(0);

    const native = run(exe, [], { ...process.env, KEEL_STATS: "1" });
    const node = run("npx", ["tsx", entry]);
    expect(native.status).toBe(0);
    expect(node.status).toBe(0);
    expect(native.stdout).toBe(node.stdout);
    expect(native.stdout).toContain(`TEST RESULT ${37 * ROUNDS} passed, 0 failed`);

    // `keel:   <Type>: <n>` lines: objects still alive at exit. Module-level singletons and the
    // runner are fine; anything a round leaves behind appears ROUNDS times or more.
    const live = [...native.stderr.matchAll(/^keel:\s+(\S+): (\d+)$/gm)].map((m) => [m[1]!, Number(m[2])] as const);
    expect(live.length).toBeGreaterThan(0);
    const leaks = live.filter(([, n]) => n >= ROUNDS);
    expect(leaks).toEqual([]);
    fs.rmSync(outDir, { recursive: true, force: true });
  }, 300_000);
});
