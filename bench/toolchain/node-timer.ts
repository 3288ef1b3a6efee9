// Runs one benchmark program under Node and reports the CPU time of the run itself (not Node's
// startup) on stderr as `bench: cpu-us <n> wall-us <n>`.
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const entry = process.argv[2];
if (!entry) throw new Error("usage: node --import tsx node-timer.ts <program.ts>");
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
await import(pathToFileURL(resolve(entry)).href);
const cpu = process.cpuUsage(cpu0);
const wall = performance.now() - wall0;
process.stderr.write(`bench: cpu-us ${cpu.user + cpu.system} wall-us ${Math.round(wall * 1000)}\n`);
