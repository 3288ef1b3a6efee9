// Boots a fuzz image (mk/fuzz.mk) and judges the run: the driver's FUZZ DONE line must come, with
// no mismatch and nothing left over, and the kernel must not panic. Prints the figures and the
// calls per second of host time; exits 0 on success.
import { bootIso } from "../tests/system/qemu.ts";

const iso = process.argv[2];
if (iso === undefined) {
  console.error("usage: fuzz.ts <fuzz image>");
  process.exit(2);
}
const start = performance.now();
const r = await bootIso(iso, { timeoutSeconds: Number(process.env.FUZZ_TIMEOUT ?? 3600), until: /FUZZ DONE [^\n]*\n|PANIC[^\n]*\n/ });
const seconds = (performance.now() - start) / 1000;
const done = /FUZZ DONE seed=(\d+) calls=(\d+) .*/.exec(r.output);
for (const line of r.output.split("\n")) if (/^(fuzz:|FUZZ|PANIC|error:)/.test(line)) console.log(line);
if (done === null) {
  console.log(`fuzz: no FUZZ DONE line after ${seconds.toFixed(0)} s (status ${r.status}); the serial log is in build/system-logs`);
  process.exit(1);
}
console.log(done[0]);
console.log(`fuzz: ${done[2]} calls in ${seconds.toFixed(0)} s of host time (${Math.round(Number(done[2]) / seconds)} calls/s)`);
const clean = /mismatches=0 .*objects-left=0 quota-left=0 heap-left=0/.test(done[0]) && /workers-exited=3/.test(done[0]);
process.exit(clean && !/PANIC/.test(r.output) ? 0 : 1);
