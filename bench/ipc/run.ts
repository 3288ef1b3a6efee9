// IPC benchmark driver: boots build/iso/bench-ipc.iso (bench/ipc/bench-ipc as init) under the
// benchmark QEMU flags (bench/lib/qemu.ts), reads the BENCH lines, compares each figure with its
// Linux counterpart (bench/linux, measureLinuxBaseline) and prints a table; writes
// build/bench/ipc.json (name, value, unit, baseline, ratio and the spread).
//
//   npx tsx bench/ipc/run.ts <bench-ipc.iso> [--no-linux]
//
// Goals: call/reply at most a tenth of the Linux pipe round trip, the null system call at most
// half of Linux getpid. A missed goal is printed and recorded in the JSON (missedGoals); the exit
// status says so only with BENCH_IPC_STRICT=1, so that `make bench` runs every benchmark.
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchFigure, type BenchRow, benchRow, parseBenchOutput, printTable, writeJson } from "../lib/figures.ts";
import { isoGuestArgs, QEMU_BINARY, qemuVersion } from "../lib/qemu.ts";
import { LINUX_BASELINE_FOR, measureLinuxBaseline } from "../linux/run.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const buildDir = process.env.BUILD ? resolve(process.env.BUILD) : join(root, "build");

/** The figures the guest must print, and what each is compared with on Linux. */
export const IPC_FIGURES = ["rdtsc", "syscall", "call", "send", "notify"] as const;

const IPC_GOALS_OR_COMPARED: Readonly<Record<string, true>> = Object.freeze({ rdtsc: true, syscall: true, call: true, send: true, notify: true });

/** Goals: figure -> largest acceptable ratio to its Linux baseline. */
export const IPC_GOALS: Readonly<Record<string, number>> = Object.freeze({ call: 0.1, syscall: 0.5 });

/** Boots the image and resolves with its serial output once BENCH-END (or a timeout) is seen. */
export function bootIpcBench(iso: string, timeoutSeconds = 600): Promise<string> {
  return new Promise((done, reject) => {
    const child = spawn(QEMU_BINARY, isoGuestArgs(iso), { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    // QEMU's own messages (stderr) stay apart: "terminating on signal" must not join a BENCH line.
    let err = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutSeconds * 1000);
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString("latin1");
      if (/BENCH-END/.test(out)) child.kill("SIGTERM");
    });
    child.stderr.on("data", (b: Buffer) => (err += b.toString("latin1")));
    child.on("error", reject);
    child.on("close", () => {
      clearTimeout(timer);
      if (!/BENCH-END/.test(out) && err.trim() !== "") process.stderr.write(err);
      done(out.replace(/\r/g, ""));
    });
  });
}

/**
 * seL4's figures for the same operations, fixed: seL4 (commit 1326364bc, release build, fastpath,
 * x86-64 pc99, one core) measured once under exactly BENCH_QEMU_ARGS by a root task timing each
 * operation with rdtsc as bench-ipc does (docs/benchmarks.md, "seL4 reference"). `call` is
 * seL4_Call + seL4_ReplyRecv between two address spaces with one message word in registers (495
 * with none, SEL4_CALL_ZERO_WORDS: Keel has no such row), `syscall` its benchmark build's null
 * system call, `part-yield-alone` seL4_Yield with one runnable thread.
 */
export const SEL4_REFERENCE: Readonly<Record<string, number>> = Object.freeze({ syscall: 99, call: 508, "part-yield-alone": 299 });
export const SEL4_CALL_ZERO_WORDS = 495;

/** Report rows: Keel's figures against the Linux ones (null baseline where none is known), and seL4's. */
export function ipcRows(keel: Map<string, BenchFigure>, linux: Map<string, BenchFigure> | null): BenchRow[] {
  const baselines = LINUX_BASELINE_FOR as Readonly<Record<string, string>>;
  // The compared figures first, then the guest's breakdowns (part-*), which have no baseline.
  const names = [...IPC_FIGURES.filter((n) => keel.has(n)), ...[...keel.keys()].filter((n) => !(IPC_FIGURES as readonly string[]).includes(n))];
  return names.map((n) => {
    const base = linux && baselines[n] && n in IPC_GOALS_OR_COMPARED ? (linux.get(baselines[n]!) ?? null) : null;
    const row = benchRow(keel.get(n)!, base);
    const sel4 = SEL4_REFERENCE[n];
    return sel4 === undefined ? row : { ...row, references: { sel4 } };
  });
}

/** The goals a set of rows misses, as readable lines (empty when every goal is met). */
export function missedGoals(rows: readonly BenchRow[]): string[] {
  const missed: string[] = [];
  for (const [name, limit] of Object.entries(IPC_GOALS)) {
    const r = rows.find((x) => x.name === name);
    if (!r || r.ratio === null) {
      missed.push(`${name}: no ratio to a baseline`);
    } else if (r.ratio > limit) {
      missed.push(`${name}: ${r.value} cycles is ${r.ratio.toFixed(2)} of Linux ${r.baselineName} (${r.baseline}); goal ≤ ${limit}`);
    }
  }
  return missed;
}

async function main(argv: string[]): Promise<number> {
  const iso = argv.find((a) => !a.startsWith("--")) ?? join(buildDir, "iso/bench-ipc.iso");
  const withLinux = !argv.includes("--no-linux");
  const out = await bootIpcBench(iso);
  const parsed = parseBenchOutput(out);
  const missing = IPC_FIGURES.filter((n) => !parsed.figures.has(n));
  if (!parsed.complete || parsed.failures.length > 0 || missing.length > 0) {
    console.error(`bench-ipc: ${parsed.failures.join("; ") || (missing.length > 0 ? `missing ${missing.join(", ")}` : "no BENCH-END")}\n${out}`);
    return 1;
  }
  const linux = withLinux ? await measureLinuxBaseline() : null;
  const rows = ipcRows(parsed.figures, linux);
  printTable(rows, "IPC (virtual cycles, TCG -icount shift=0,sleep=off -smp 1; baseline: Linux guest, same flags; sel4: fixed reference)");
  const missed = withLinux ? missedGoals(rows) : [];
  const file = join(buildDir, "bench/ipc.json");
  writeJson(file, rows, { qemu: qemuVersion(), goals: IPC_GOALS, missedGoals: missed, sel4CallZeroWords: SEL4_CALL_ZERO_WORDS });
  console.log(`written ${file}`);
  for (const m of missed) console.log(`goal missed: ${m}`);
  return missed.length > 0 && process.env.BENCH_IPC_STRICT === "1" ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}
