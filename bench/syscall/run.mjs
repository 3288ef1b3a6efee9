// System call benchmark: boots the bench-syscall image (whose init is bench/syscall/bench-syscall)
// under TCG with -icount shift=0,sleep=off, so rdtsc counts executed instructions and the figures
// are the same in every run, reads the BENCH-SYSCALL lines from the serial log and prints them as
// a table (also written to build/bench/syscall.json).
// Usage: node bench/syscall/run.mjs <bench-syscall.iso>
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

const root = resolve(dirname(new URL(import.meta.url).pathname), "../..");
const [iso] = process.argv.slice(2);
if (!iso) {
  console.error("usage: run.mjs <bench-syscall.iso>");
  process.exit(2);
}

const LABELS = {
  null: "null system call",
  getpid: "getpid",
  "spawn-run-wait": "create, run and reap a process",
};

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

const { out, code, stopped } = await boot();
if (!stopped) {
  console.error(`bench-syscall: no end marker (QEMU status ${code}):\n${out}`);
  process.exit(1);
}
const errors = [...out.matchAll(/^BENCH-SYSCALL error: (.*)$/gm)].map((m) => m[1]);
const rows = [...out.matchAll(/^BENCH-SYSCALL (\S+) (\d+) (-?\d+)$/gm)].map((m) => ({
  name: m[1],
  operation: LABELS[m[1]] ?? m[1],
  iterations: Number(m[2]),
  cycles: Number(m[3]),
}));
if (rows.length === 0 || errors.length > 0) {
  console.error(`bench-syscall: ${errors.length > 0 ? errors.join("; ") : "no results"}\n${out}`);
  process.exit(1);
}

console.log("system calls (virtual TSC cycles per operation, TCG -icount shift=0,sleep=off)");
console.log(`${"operation".padEnd(34)}${"iterations".padStart(12)}${"cycles/op".padStart(14)}`);
for (const r of rows) console.log(`${r.operation.padEnd(34)}${String(r.iterations).padStart(12)}${String(r.cycles).padStart(14)}`);

const file = resolve(root, "build/bench/syscall.json");
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, JSON.stringify({ unit: "tsc-cycles", results: rows }, null, 2) + "\n");
console.log(`\nwritten ${file}`);
