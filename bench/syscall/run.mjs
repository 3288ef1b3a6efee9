// System call benchmark: boots the bench-syscall image (whose init is bench/syscall/bench-syscall)
// under TCG with -icount shift=0,sleep=off, so rdtsc counts executed instructions and the figures
// are the same in every run, reads the BENCH-SYSCALL lines from the serial log and prints them as
// a table against the Linux baseline (bench/linux: getpid, spawn-exit-wait), also written to
// build/bench/syscall.json. The goal: the null system call at most half of Linux getpid.
// Usage: node bench/syscall/run.mjs <bench-syscall.iso> [--no-linux]
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { tsImport } from "tsx/esm/api";

const root = resolve(dirname(new URL(import.meta.url).pathname), "../..");
const argv = process.argv.slice(2);
const iso = argv.find((a, i) => !a.startsWith("--") && argv[i - 1] !== "--log");
const withLinux = !argv.includes("--no-linux");
// --log FILE: a serial log saved from an earlier boot instead of booting (checks of this driver).
const logAt = argv.indexOf("--log");
const logFile = logAt >= 0 ? argv[logAt + 1] : null;
if (!iso && !logFile) {
  console.error("usage: run.mjs <bench-syscall.iso> [--no-linux] | --log <serial log>");
  process.exit(2);
}

/** The Linux figure (bench/linux) each guest figure is compared with. */
const LINUX_FOR = { null: "getpid", getpid: "getpid", "spawn-run-wait": "spawn-exit-wait" };
/** Goals: figure -> largest acceptable ratio to its Linux baseline. */
const GOALS = { null: 0.5 };

function readLog(file) {
  const out = readFileSync(file, "latin1").replace(/\r/g, "");
  return { out, code: 0, stopped: /BENCH-SYSCALL end/.test(out) };
}

/** Boots the image and resolves with the serial output once the end marker appears. */
function boot() {
  const args = [resolve(root, "scripts/run-qemu.sh"), "--headless", "--bench", "--timeout", "300", iso];
  return new Promise((done) => {
    // Detached: the whole group (run-qemu.sh, timeout, QEMU) is stopped when the marker appears.
    const child = spawn("bash", args, { detached: true, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    let stopped = false;
    child.stdout.on("data", (chunk) => {
      out += chunk.toString("latin1");
      if (!stopped && /BENCH-SYSCALL end/.test(out)) {
        stopped = true;
        process.kill(-child.pid, "SIGTERM");
      }
    });
    child.on("close", (code) => done({ out: out.replace(/\r/g, ""), code, stopped }));
  });
}

const { out, code, stopped } = logFile ? readLog(logFile) : await boot();
if (!stopped) {
  console.error(`bench-syscall: no end marker (QEMU status ${code}):\n${out}`);
  process.exit(1);
}
const errors = [...out.matchAll(/^BENCH-SYSCALL error: (.*)$/gm)].map((m) => m[1]);
const rows = [...out.matchAll(/^BENCH-SYSCALL (\S+) (\d+) (-?\d+)$/gm)].map((m) => ({
  name: m[1],
  iterations: Number(m[2]),
  cycles: Number(m[3]),
}));
if (rows.length === 0 || errors.length > 0) {
  console.error(`bench-syscall: ${errors.length > 0 ? errors.join("; ") : "no results"}\n${out}`);
  process.exit(1);
}

const { benchRow, printTable, writeJson } = await tsImport("../lib/figures.ts", import.meta.url);
const { measureLinuxBaseline } = await tsImport("../linux/run.ts", import.meta.url);

// The guest prints one mean per figure (every iteration costs the same under -icount), so the
// spread fields repeat it.
const figures = rows.map((r) => ({
  name: r.name, median: r.cycles, min: r.cycles, p10: r.cycles, p90: r.cycles, max: r.cycles, n: r.iterations, unit: "cycles",
}));
let linux = null;
if (withLinux) {
  try {
    linux = await measureLinuxBaseline();
  } catch (e) {
    console.error(`bench-syscall: no Linux baseline (${e instanceof Error ? e.message.split("\n")[0] : e})`);
  }
}
const table = figures.map((f) => benchRow(f, linux && LINUX_FOR[f.name] ? (linux.get(LINUX_FOR[f.name]) ?? null) : null));
printTable(table, "system calls (virtual cycles per operation, TCG -icount shift=0,sleep=off; baseline: Linux guest, same flags)");
const missed = [];
for (const [name, limit] of Object.entries(GOALS)) {
  const r = table.find((x) => x.name === name);
  if (r && r.ratio !== null && r.ratio > limit) {
    missed.push(`${name}: ${r.value} cycles is ${r.ratio.toFixed(2)} of Linux ${r.baselineName} (${r.baseline}); goal <= ${limit}`);
  }
}
for (const m of missed) console.log(`goal missed: ${m}`);

const file = resolve(root, "build/bench/syscall.json");
writeJson(file, table, { unit: "virtual cycles (TSC under -icount shift=0)", goals: GOALS, missedGoals: missed });
console.log(`written ${file}`);
