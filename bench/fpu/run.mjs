// FPU switching benchmark: boots one bench-fpu image per keel.fpu= mode under TCG with
// -icount shift=0,sleep=off (rdtsc counts executed instructions, so the figures repeat exactly),
// reads the BENCH-FPU lines (cycles per yield between two processes that use SSE, and between two
// that use none) and prints them with their ratios, also into build/bench/fpu.json.
// Usage: node bench/fpu/run.mjs <bench-fpu-<mode>.iso>...
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";

const root = resolve(dirname(new URL(import.meta.url).pathname), "../..");
const isos = process.argv.slice(2);
if (isos.length === 0) {
  console.error("usage: run.mjs <bench-fpu-<mode>.iso>...");
  process.exit(2);
}

/** Boots `iso` and resolves with its serial output once the end marker appears. */
function boot(iso) {
  const args = [resolve(root, "scripts/run-qemu.sh"), "--headless", "--bench", "--timeout", "300", iso];
  return new Promise((done) => {
    const child = spawn("bash", args, { detached: true, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    let stopped = false;
    child.stdout.on("data", (chunk) => {
      out += chunk.toString("latin1");
      if (!stopped && /BENCH-FPU end/.test(out)) {
        stopped = true;
        process.kill(-child.pid, "SIGTERM");
      }
    });
    child.on("close", (code) => done({ out: out.replace(/\r/g, ""), code, stopped }));
  });
}

const results = [];
for (const iso of isos) {
  const mode = basename(iso, ".iso").replace(/^bench-fpu-/, "");
  const { out, code, stopped } = await boot(iso);
  const rows = [...out.matchAll(/^BENCH-FPU (yield-int|yield-sse) (\d+) (\d+)$/gm)].map((m) => ({ name: m[1], cycles: Number(m[3]) }));
  if (!stopped || rows.length < 4 || /BENCH-FPU error/.test(out)) {
    console.error(`bench-fpu ${mode}: no complete result (QEMU status ${code}):\n${out}`);
    process.exit(1);
  }
  // Both processes of a pair print the same figure but for the last round; take the larger.
  const of = (n) => Math.max(...rows.filter((r) => r.name === n).map((r) => r.cycles));
  results.push({ mode, yieldInt: of("yield-int"), yieldSse: of("yield-sse") });
}

const base = results.find((r) => r.mode === "xsaveopt") ?? results[0];
console.log("cycles per yield between two processes (one switch there, one back), virtual cycles under -icount");
console.log("mode       no FPU use   SSE use   SSE/no-FPU   SSE vs xsaveopt");
for (const r of results) {
  console.log(
    `${r.mode.padEnd(10)} ${String(r.yieldInt).padStart(10)} ${String(r.yieldSse).padStart(9)} ${(r.yieldSse / r.yieldInt).toFixed(2).padStart(12)} ${(r.yieldSse / base.yieldSse).toFixed(2).padStart(17)}`,
  );
}
mkdirSync(resolve(root, "build/bench"), { recursive: true });
writeFileSync(resolve(root, "build/bench/fpu.json"), JSON.stringify({ unit: "virtual cycles per yield", results }, null, 2) + "\n");
