// Toolchain benchmarks (`make bench-toolchain`): figures, not assertions.
// Usage: tsx bench/toolchain/run.ts [all|compile|corpus|gen|run]
//  1. keelc compile time for the whole differential corpus and for a generated 5,000-line program.
//  2. Run time of algorithmic programs compiled by keelc, against the same algorithm hand-written
//     in C (same gcc -O2) and against Node running the TypeScript.
// Times are CPU seconds (user + system) of the measured process, the median of RUNS runs: on a
// shared machine wall time mostly measures the neighbours. Results go to build/bench/toolchain.json.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { generateProgram } from "./gen-program.ts";
import { listPrograms } from "../../tests/toolchain/helpers/corpus.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const OUT = join(ROOT, "build", "bench");
const KEELC = join(ROOT, "toolchain", "bin", "keelc.js");
const RUNS = Number(process.env.BENCH_RUNS ?? "5");
const CC = process.env.CC ?? "gcc";

interface Timed {
  status: number;
  stdout: string;
  stderr: string;
  cpu: number;
  wall: number;
}

/** Runs a command under bash so that `times` reports the child's CPU time. */
function timed(cmd: string, args: string[]): Promise<Timed> {
  const script = 'out=$1; err=$2; shift 2; "$@" >"$out" 2>"$err"; st=$?; times >"$out.times"; exit $st';
  const tag = join(OUT, `.run-${process.pid}-${Math.random().toString(36).slice(2)}`);
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn("bash", ["-c", script, "bash", `${tag}.out`, `${tag}.err`, cmd, ...args], { cwd: ROOT, stdio: "inherit" });
    child.on("close", (code) => {
      const wall = (performance.now() - t0) / 1000;
      // `times` prints the shell's own times, then its children's: "0m1.234s 0m0.010s".
      const lines = readFileSync(`${tag}.out.times`, "utf8").trim().split("\n");
      const secs = (s: string): number => {
        const m = /^(\d+)m([\d.]+)s$/.exec(s);
        return m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
      };
      const [u, s] = (lines[1] ?? "").split(" ");
      resolve({
        status: code ?? -1,
        stdout: readFileSync(`${tag}.out`, "utf8"),
        stderr: readFileSync(`${tag}.err`, "utf8"),
        cpu: secs(u ?? "") + secs(s ?? ""),
        wall,
      });
    });
  });
}

function must(what: string, r: Timed): Timed {
  if (r.status !== 0) throw new Error(`${what} failed with status ${r.status}\n${r.stderr}`);
  return r;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
}
const figures: Figure[] = [];
function record(name: string, value: number, unit: string, baseline: number | null = null): void {
  figures.push({ name, value, unit, baseline, ratio: baseline === null ? null : value / baseline });
}
const f3 = (x: number): string => x.toFixed(3);

async function corpusCompileTimes(): Promise<void> {
  // The whole corpus, one keelc process per program as the tests run it.
  const programs = listPrograms();
  let cpu = 0;
  let wall = 0;
  let failed = 0;
  for (const p of programs) {
    const dir = join(OUT, "emit", p.name);
    mkdirSync(dir, { recursive: true });
    const r = await timed(process.execPath, [KEELC, "emit", "--target", "hosted", p.entry, "--out-dir", dir]);
    cpu += r.cpu;
    wall += r.wall;
    if (r.status !== 0) failed++;
  }
  console.log(`compile: corpus of ${programs.length} programs (keelc emit, one process each): ${f3(cpu)} s CPU, ${f3(wall)} s wall, ${failed} rejected`);
  record("keelc emit corpus cpu", cpu, "s");
  record("keelc emit corpus wall", wall, "s");
  record("keelc emit corpus failures", failed, "programs");
}

async function generatedCompileTimes(): Promise<void> {
  // A generated program of about 5,000 lines.
  const src = generateProgram(148);
  const file = join(OUT, "gen5k.ts");
  writeFileSync(file, src);
  const lines = src.split("\n").length;
  const rel = relative(ROOT, file);
  const emits: number[] = [];
  const builds: number[] = [];
  for (let i = 0; i < 3; i++) {
    emits.push(must("keelc emit gen5k", await timed(process.execPath, [KEELC, "emit", "--target", "hosted", rel, "--out-dir", join(OUT, "gen5k-c")])).cpu);
    builds.push(must("keelc build gen5k", await timed(process.execPath, [KEELC, "build", "--target", "hosted", rel, "-o", join(OUT, "gen5k")])).cpu);
  }
  const compiled = must("gen5k executable", await timed(join(OUT, "gen5k"), []));
  const node = must("gen5k under node", await timed(process.execPath, ["--import", "tsx", rel]));
  const same = compiled.stdout === node.stdout ? "same output as Node" : "OUTPUT DIFFERS FROM NODE";
  console.log(`compile: generated ${lines}-line program: emit ${f3(median(emits))} s, build (emit + gcc) ${f3(median(builds))} s CPU; ${same}`);
  record("keelc emit gen5k", median(emits), "s");
  record("keelc build gen5k", median(builds), "s");
  record("gen5k lines", lines, "lines");
}

const BENCHES = ["pq-sched", "page-walk", "checksum"];

async function runTimes(): Promise<void> {
  const rows: string[] = [];
  for (const name of BENCHES) {
    const ts = relative(ROOT, join(import.meta.dirname, "programs", `${name}.ts`));
    const c = join(import.meta.dirname, "c", `${name}.c`);
    const keelExe = join(OUT, `${name}-keelc`);
    const cExe = join(OUT, `${name}-c`);
    must(`keelc build ${name}`, await timed(process.execPath, [KEELC, "build", "--target", "hosted", ts, "-o", keelExe, "-O2"]));
    must(`gcc ${name}`, await timed(CC, ["-std=c11", "-O2", "-Wall", "-Werror", "-o", cExe, c]));
    const times = { keelc: [] as number[], c: [] as number[], node: [] as number[] };
    let expected = "";
    for (let i = 0; i < RUNS; i++) {
      const k = must(`${name} keelc`, await timed(keelExe, []));
      const h = must(`${name} C`, await timed(cExe, []));
      const n = must(`${name} node`, await timed(process.execPath, ["--import", "tsx", join(import.meta.dirname, "node-timer.ts"), ts]));
      if (i === 0) expected = h.stdout;
      for (const [who, out] of [["keelc", k.stdout], ["node", n.stdout]] as const) {
        if (out !== expected) throw new Error(`${name}: ${who} printed ${JSON.stringify(out)}, C printed ${JSON.stringify(expected)}`);
      }
      const m = /bench: cpu-us (\d+)/.exec(n.stderr);
      times.keelc.push(k.cpu);
      times.c.push(h.cpu);
      times.node.push(m ? Number(m[1]) / 1e6 : n.cpu);
    }
    const kc = median(times.keelc);
    const cc = median(times.c);
    const nc = median(times.node);
    record(`${name} keelc`, kc, "s", cc);
    record(`${name} c`, cc, "s", cc);
    record(`${name} node`, nc, "s", cc);
    rows.push(`| ${name.padEnd(10)} | ${f3(cc).padStart(7)} | ${f3(kc).padStart(9)} | ${f3(nc).padStart(8)} | ${(kc / cc).toFixed(2).padStart(7)} | ${(nc / cc).toFixed(2).padStart(7)} |`);
  }
  console.log(`\nrun time, CPU seconds, median of ${RUNS} runs (C and keelc: gcc -O2)`);
  console.log("| program    |   C (s) | keelc (s) | node (s) | keelc/C |  node/C |");
  console.log("|------------|---------|-----------|----------|---------|---------|");
  for (const r of rows) console.log(r);
}

mkdirSync(OUT, { recursive: true });
const only = process.argv[2] ?? "all";
if (only === "all" || only === "compile" || only === "corpus") await corpusCompileTimes();
if (only === "all" || only === "compile" || only === "gen") await generatedCompileTimes();
if (only === "all" || only === "run") await runTimes();
// A partial run (`compile` or `run`) keeps the other part's figures from the previous run.
const jsonPath = join(OUT, "toolchain.json");
const merged: Figure[] = [];
if (only !== "all" && existsSync(jsonPath)) {
  const fresh = new Set(figures.map((f) => f.name));
  for (const f of JSON.parse(readFileSync(jsonPath, "utf8")) as Figure[]) if (!fresh.has(f.name)) merged.push(f);
}
writeFileSync(jsonPath, JSON.stringify([...merged, ...figures], null, 2) + "\n");
console.log(`\nwrote ${relative(ROOT, jsonPath)}`);
