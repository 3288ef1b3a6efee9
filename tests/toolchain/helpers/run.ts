// Process helpers for the toolchain suites: run a program under Node (tsx), build it with keelc,
// run the executable; all with time limits, and a small semaphore so the two cores stay usable.
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./corpus.ts";

export interface RunResult {
  status: number;
  signal: string;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

export function run(cmd: string, args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<RunResult> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLen = 0;
    let timedOut = false;
    // A runaway program (an infinite print loop) must not eat the machine's memory.
    child.stdout.on("data", (b: Buffer) => {
      outLen += b.length;
      if (outLen < 16 << 20) out.push(b);
      else child.kill("SIGKILL");
    });
    child.stderr.on("data", (b: Buffer) => err.push(b));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({
        status: code ?? -1,
        signal: signal ?? "",
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        timedOut,
        ms: performance.now() - t0,
      });
    });
  });
}

/** Limits how many jobs run at once. */
export class Semaphore {
  private waiting: Array<() => void> = [];
  private active = 0;
  constructor(private readonly max: number) {}
  async use<T>(job: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await job();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export const TSX_LOADER = join(ROOT, "node_modules", "tsx", "dist", "loader.mjs");
export const KEELC = join(ROOT, "toolchain", "bin", "keelc.js");
export const TEST_BUILD_DIR = join(ROOT, "build", "test");

export function runNode(entry: string, timeoutMs = 60_000): Promise<RunResult> {
  return run(process.execPath, ["--import", "tsx", entry], {}, timeoutMs);
}

export interface BuildOptions {
  checked?: boolean;
  suffix?: string;
}

/** Builds a hosted executable with keelc; returns the keelc run and the executable's path. */
export async function keelcBuild(entry: string, name: string, opts: BuildOptions = {}): Promise<{ build: RunResult; exe: string }> {
  mkdirSync(TEST_BUILD_DIR, { recursive: true });
  const exe = join(TEST_BUILD_DIR, name + (opts.suffix ?? ""));
  const args = [KEELC, "build", "--target", "hosted", entry, "-o", exe];
  if (opts.checked) args.push("--checked");
  const build = await run(process.execPath, args, {}, 300_000);
  return { build, exe };
}

export function runExe(exe: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<RunResult> {
  return run(exe, [], env, timeoutMs);
}

/** One line summary of a failed step, for assertion messages. */
export function describeRun(what: string, r: RunResult): string {
  const tail = (s: string): string => (s.length > 2000 ? "..." + s.slice(-2000) : s);
  return `${what}: status ${r.status}${r.signal ? ` signal ${r.signal}` : ""}${r.timedOut ? " (timed out)" : ""}\n--- stderr ---\n${tail(r.stderr)}\n--- stdout ---\n${tail(r.stdout)}`;
}
