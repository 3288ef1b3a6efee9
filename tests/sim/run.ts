// The simulation's command line (make sim): SIM_SEEDS=a,b,c (or SEED=n), SIM_STEPS (all seeds
// together), SIM_EPOCH (steps per fresh machine), SIM_FIRST_EPOCH (to replay a reported epoch).
// Prints one line of figures per seed; on a failure, the seed, epoch and step, the command that
// replays it, and the operations it shrinks to; exits with status 1.
import { Coverage, epochOps, runEpoch, shrink } from "./world.ts";

const env = process.env;
const STEPS = Number(env.SIM_STEPS ?? 1_000_000);
const SEEDS = (env.SIM_SEEDS ?? env.SEED ?? "1,2,3,4").split(",").map(Number);
const EPOCH = Number(env.SIM_EPOCH ?? 2000);
const FIRST_EPOCH = Number(env.SIM_FIRST_EPOCH ?? 0);

const out = console.log;
// The kernel's own log lines (process ends, kills) are not part of the report.
console.log = () => {};

let failed = false;
let total = 0;
const started = performance.now();
for (const seed of SEEDS) {
  const cov = new Coverage();
  const start = performance.now();
  const epochs = Math.max(1, Math.ceil(STEPS / SEEDS.length / EPOCH));
  for (let e = FIRST_EPOCH; e < FIRST_EPOCH + epochs; e++) {
    const ops = epochOps(seed, e, EPOCH);
    const f = runEpoch(ops, cov);
    if (f === null) continue;
    failed = true;
    const small = shrink(ops);
    const again = runEpoch(small, new Coverage());
    out(`SIM FAIL seed ${seed} epoch ${e}: ${f.message}`);
    out(`  replay: make sim SEED=${seed} FIRST_EPOCH=${e} STEPS=${EPOCH}`);
    out(`  shrunk to ${small.length} operations (${again === null ? "no longer failing" : again.message}):`);
    out(`  ${JSON.stringify(small)}`);
    break;
  }
  const seconds = (performance.now() - start) / 1000;
  total += cov.steps;
  const codes = [...cov.errors.keys()].sort((a, b) => a - b);
  out(
    `SIM seed ${seed}: ${cov.steps} steps in ${seconds.toFixed(1)} s (${Math.round(cov.steps / seconds)}/s); ` +
      `${cov.calls.size} call numbers issued, ${cov.succeeded.size} succeeded; error codes seen ${codes.join(",")}; ` +
      `${cov.blocks} blocks, ${cov.nested} operations while blocked, ${cov.spawns} spawns, ${cov.kills} kills`,
  );
}
out(`SIM DONE ${total} steps, ${SEEDS.length} seeds, ${((performance.now() - started) / 1000).toFixed(1)} s: ${failed ? "FAILED" : "every invariant held"}`);
process.exit(failed ? 1 : 0);
