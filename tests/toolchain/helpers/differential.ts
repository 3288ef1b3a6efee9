// The differential check of one corpus program: Node's behaviour is the specification, the
// keelc-compiled hosted executable must reproduce it.
import { expect } from "vitest";
import type { Program } from "./corpus.ts";
import { describeRun, keelcBuild, runExe, runNode, Semaphore, type RunResult } from "./run.ts";

/** Status of a hosted program that panicked or threw (docs/language.md). */
export const PANIC_STATUS = 134;

// Two cores: one Node run or keelc build per core at a time (executables are quick).
export const jobs = new Semaphore(Math.max(1, Number(process.env.KEEL_TEST_JOBS ?? "2")));

const nodeRuns = new Map<string, Promise<RunResult>>();

/** Node's run of a program, shared by the unchecked and checked comparisons. */
export function nodeRun(p: Program): Promise<RunResult> {
  let r = nodeRuns.get(p.entry);
  if (!r) {
    r = jobs.use(() => runNode(p.entry));
    nodeRuns.set(p.entry, r);
  }
  return r;
}

export async function buildAndRun(p: Program, checked: boolean, env: Record<string, string> = {}): Promise<RunResult> {
  const { build, exe } = await jobs.use(() => keelcBuild(p.entry, p.name, { checked, suffix: checked ? ".checked" : "" }));
  expect(build.status, describeRun(`keelc build ${p.entry}${checked ? " --checked" : ""}`, build)).toBe(0);
  return runExe(exe, env);
}

/** Asserts the compiled program stopped with a panic carrying the program's expected message and line. */
export function expectCompiledPanic(p: Program, compiled: RunResult): void {
  const what = describeRun(`compiled ${p.entry}`, compiled);
  expect(compiled.status, what).toBe(PANIC_STATUS);
  expect(compiled.stderr, what).toContain("PANIC:");
  const both = p.directives.get("stderr");
  if (both) expect(compiled.stderr, what).toContain(both);
  const only = p.directives.get("compiled-stderr");
  if (only) expect(compiled.stderr, what).toContain(only);
  if (p.directives.get("panic-line") === "marked") {
    expect(p.markedLine, `${p.entry} has no '// panic here' marker`).toBeGreaterThan(0);
    expect(compiled.stderr, what).toContain(`${p.entry}:${p.markedLine}`);
  }
}

/**
 * Compares one program. `checked` builds with --checked. Programs marked `@checked-only` are
 * expected to trap in checked mode; `@compiled-only` panics are checked on the compiled side only
 * (Node reads undefined or prints Infinity where C panics), with its stdout a prefix of Node's.
 */
export async function checkProgram(p: Program, checked: boolean): Promise<void> {
  // `@heap-max: 64M` bounds the compiled program's collected heap (KEEL_HEAP_MAX).
  const heapMax = p.directives.get("heap-max");
  const env: Record<string, string> = heapMax ? { KEEL_HEAP_MAX: heapMax } : {};
  const [node, compiled] = await Promise.all([nodeRun(p), buildAndRun(p, checked, env)]);
  const nodeWhat = describeRun(`node ${p.entry}`, node);
  const compiledWhat = describeRun(`compiled ${p.entry}`, compiled);
  const expectPanic = p.directives.get("expect") === "panic" || p.directives.has("checked-only");
  const prefixOnly = p.directives.has("compiled-only") || p.directives.has("checked-only");
  if (!expectPanic) {
    expect(node.status, nodeWhat).toBe(0);
    expect(node.stdout.length, `${p.entry} prints nothing under Node`).toBeGreaterThan(0);
    expect(compiled.status, compiledWhat).toBe(0);
    expect(compiled.stdout).toBe(node.stdout);
    return;
  }
  expectCompiledPanic(p, compiled);
  if (prefixOnly) {
    // Output up to the panic must match what Node printed up to the same point.
    expect(compiled.stdout.length, compiledWhat).toBeGreaterThan(0);
    expect(node.stdout.startsWith(compiled.stdout), `${compiledWhat}\nis not a prefix of\n${nodeWhat}`).toBe(true);
    return;
  }
  expect(node.status, nodeWhat).not.toBe(0);
  const both = p.directives.get("stderr");
  if (both) expect(node.stderr, nodeWhat).toContain(both);
  expect(compiled.stdout).toBe(node.stdout);
}
