// The Linux baseline: boots Debian's kernel with an initramfs of benchmark programs under the
// benchmark QEMU flags (bench/lib/qemu.ts) and reads the figures they print. Keel's benchmark
// drivers import measureLinuxBaseline() and report their figures as ratios against these.
//
//   npx tsx bench/linux/run.ts [--fresh] [--repeat N] [--only "getpid pipe"] [--iters N]
//
// Writes build/bench/linux.json. With -icount the figures depend only on the guest's binaries
// and QEMU, so a result recorded for the same kernel, initramfs, flags and QEMU version is reused
// unless --fresh (or BENCH_LINUX_FRESH=1) asks for a new boot.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { type BenchFigure, benchRow, parseBenchOutput, printTable, writeJson } from "../lib/figures.ts";
import { BENCH_QEMU_ARGS, linuxGuestArgs, qemuVersion, runQemu } from "../lib/qemu.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const buildDir = process.env.BUILD ? resolve(process.env.BUILD) : join(root, "build");
const guestDir = join(buildDir, "linux");
export const LINUX_JSON = join(buildDir, "bench", "linux.json");

/**
 * The Linux figure each Keel benchmark is compared with (Keel operation -> Linux benchmark name).
 * rdtsc is the cost of the empty measurement, included in every per-operation figure.
 */
export const LINUX_BASELINE_FOR = Object.freeze({
  syscall: "getpid",
  call: "pipe-rtt",
  send: "pipe-oneway",
  notify: "eventfd-wake",
  fork: "fork-exit-wait",
  spawn: "spawn-exit-wait",
  rdtsc: "rdtsc",
});

/** Every figure a complete run produces. */
export const LINUX_FIGURES: readonly string[] = Object.values(LINUX_BASELINE_FOR);

export interface LinuxBaselineOptions {
  /** Boot even when a recorded result for the same inputs exists. */
  fresh?: boolean;
  /** Programs of the initramfs to run (default: all); a partial run is never recorded. */
  only?: string[];
  /** Iterations for every program instead of each one's default (quick checks). */
  iterations?: number;
  timeoutSeconds?: number;
  /** Progress messages (default: stderr). */
  log?: (message: string) => void;
}

/** Builds whatever is missing of the guest (bench/linux/build.sh); returns its kernel and initramfs. */
export function buildLinuxGuest(): { kernel: string; initrd: string } {
  const r = spawnSync("bash", [join(root, "bench/linux/build.sh")], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
    env: { ...process.env, BUILD: buildDir },
  });
  if (r.status !== 0) throw new Error(`bench/linux/build.sh failed with status ${r.status}`);
  return { kernel: join(guestDir, "vmlinuz"), initrd: join(guestDir, "initramfs.cpio.gz") };
}

function commandLine(options: LinuxBaselineOptions): string {
  const parts = ["console=ttyS0", "quiet", "panic=-1"];
  // Unknown key=value parameters reach /init as environment variables (see init.sh).
  if (options.only && options.only.length > 0) parts.push(`keelbench="${options.only.join(" ")}"`);
  if (options.iterations !== undefined) parts.push(`keeliters=${options.iterations}`);
  return parts.join(" ");
}

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

interface Recorded {
  key: string;
  figures: BenchFigure[];
}

function recorded(key: string): Map<string, BenchFigure> | null {
  if (!existsSync(LINUX_JSON)) return null;
  try {
    const j = JSON.parse(readFileSync(LINUX_JSON, "utf8")) as Partial<Recorded>;
    if (j.key !== key || !Array.isArray(j.figures)) return null;
    const m = new Map(j.figures.map((f) => [f.name, f] as const));
    return LINUX_FIGURES.every((n) => m.has(n)) ? m : null;
  } catch {
    return null;
  }
}

/** Boots the guest once and returns its figures; throws with the console log when a run fails. */
export async function bootLinuxBaseline(options: LinuxBaselineOptions = {}): Promise<Map<string, BenchFigure>> {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const { kernel, initrd } = buildLinuxGuest();
  const args = linuxGuestArgs(kernel, initrd, commandLine(options));
  log(`bench-linux: booting ${kernel} (${BENCH_QEMU_ARGS.join(" ")})`);
  const run = await runQemu(args, options.timeoutSeconds ?? 900);
  const out = parseBenchOutput(run.output);
  const expected = options.only ? null : LINUX_FIGURES;
  const missing = expected ? expected.filter((n) => !out.figures.has(n)) : [];
  if (run.timedOut || !out.complete || out.failures.length > 0 || missing.length > 0) {
    const why = run.timedOut
      ? `timed out after ${options.timeoutSeconds ?? 900} s`
      : !out.complete
        ? `no BENCH-END (QEMU status ${run.status})`
        : out.failures.length > 0
          ? out.failures.join("; ")
          : `missing figures: ${missing.join(", ")}`;
    throw new Error(`Linux baseline run failed: ${why}\n--- console ---\n${run.output}`);
  }
  log(`bench-linux: ${out.figures.size} figures in ${run.seconds.toFixed(0)} s`);
  return out.figures;
}

let memo: Promise<Map<string, BenchFigure>> | null = null;

/**
 * The Linux baseline figures by name (see LINUX_BASELINE_FOR), measured under the benchmark QEMU
 * flags. Measured once per process; a result recorded in build/bench/linux.json for the same
 * kernel, initramfs, flags and QEMU version is reused unless options.fresh or BENCH_LINUX_FRESH=1.
 */
export function measureLinuxBaseline(options: LinuxBaselineOptions = {}): Promise<Map<string, BenchFigure>> {
  const partial = Boolean((options.only && options.only.length > 0) || options.iterations !== undefined);
  if (partial) return bootLinuxBaseline(options);
  const fresh = options.fresh ?? process.env.BENCH_LINUX_FRESH === "1";
  if (memo && !fresh) return memo;
  memo = (async () => {
    const { kernel, initrd } = buildLinuxGuest();
    const version = qemuVersion();
    const args = linuxGuestArgs("vmlinuz", "initramfs", commandLine(options));
    const key = createHash("sha256")
      .update(JSON.stringify({ version, args, kernel: sha256(kernel), initrd: sha256(initrd) }))
      .digest("hex");
    const old = fresh ? null : recorded(key);
    if (old) {
      (options.log ?? ((m: string) => process.stderr.write(`${m}\n`)))(`bench-linux: recorded figures reused (${LINUX_JSON})`);
      return old;
    }
    const figures = await bootLinuxBaseline(options);
    const kernelPackage = existsSync(join(guestDir, "kernel-package"))
      ? readFileSync(join(guestDir, "kernel-package"), "utf8").trim()
      : "unknown";
    writeJson(LINUX_JSON, [...figures.values()].map((f) => benchRow(f)), {
      unit: "virtual cycles (TSC under -icount shift=0)",
      qemu: { version, args: BENCH_QEMU_ARGS },
      kernel: kernelPackage,
      key,
      figures: [...figures.values()],
    });
    return figures;
  })();
  memo.catch(() => {
    memo = null;
  });
  return memo;
}

function same(a: Map<string, BenchFigure>, b: Map<string, BenchFigure>): string[] {
  const diff: string[] = [];
  for (const [name, f] of a) {
    const g = b.get(name);
    if (!g || JSON.stringify(f) !== JSON.stringify(g)) diff.push(name);
  }
  return diff;
}

async function main(argv: string[]): Promise<number> {
  const options: LinuxBaselineOptions = {};
  let repeat = 1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--fresh") options.fresh = true;
    else if (a === "--repeat") repeat = Number(argv[++i]);
    else if (a === "--only") options.only = (argv[++i] ?? "").split(/[\s,]+/).filter(Boolean);
    else if (a === "--iters") options.iterations = Number(argv[++i]);
    else {
      process.stderr.write(`usage: run.ts [--fresh] [--repeat N] [--only "getpid pipe"] [--iters N]\n`);
      return 2;
    }
  }
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error("--repeat wants a positive integer");
  const figures = await measureLinuxBaseline(options);
  printTable([...figures.values()].map((f) => benchRow(f)), "Linux baseline (virtual cycles, -icount shift=0, one CPU)");
  let status = 0;
  for (let r = 2; r <= repeat; r++) {
    const again = await bootLinuxBaseline(options);
    const diff = same(figures, again);
    if (diff.length === 0) process.stdout.write(`run ${r}: every figure identical to run 1\n`);
    else {
      process.stdout.write(`run ${r}: differs from run 1 in ${diff.join(", ")}\n`);
      printTable([...again.values()].map((f) => benchRow(f)), `run ${r}`);
      status = 1;
    }
  }
  if (!options.only && options.iterations === undefined) process.stdout.write(`written ${LINUX_JSON}\n`);
  return status;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (status) => process.exit(status),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
