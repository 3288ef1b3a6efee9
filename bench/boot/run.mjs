// Boot benchmark: boots the bench ISO (keel.bench=boot) under TCG with -icount, so the guest TSC
// advances with executed instructions and the figures are the same in every run (BIOS; UEFI too
// with BENCH_UEFI=1). Reports the TSC cycles from the entry stub to the banner and to the end of
// kernel initialisation, and the size of each part of the kernel image.
// Usage: node bench/boot/run.mjs <bench.iso> <keel.elf>
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

const root = resolve(dirname(new URL(import.meta.url).pathname), "../..");
const [iso, elf] = process.argv.slice(2);
if (!iso || !elf) {
  console.error("usage: run.mjs <bench.iso> <keel.elf>");
  process.exit(2);
}

function boot(firmware) {
  const args = [resolve(root, "scripts/run-qemu.sh"), "--headless", "--bench", "--timeout", "180"];
  if (firmware === "uefi") args.push("--uefi");
  args.push(iso);
  const r = spawnSync("bash", args, { encoding: "latin1", maxBuffer: 64 << 20 });
  const m = /BOOT-TSC banner=(\d+) init=(\d+)/.exec(r.stdout);
  if (!m) {
    console.error(`bench-boot: no BOOT-TSC line from the ${firmware} boot (status ${r.status}):\n${r.stdout}`);
    process.exit(1);
  }
  return { banner: Number(m[1]), init: Number(m[2]), status: r.status };
}

function sections() {
  const r = spawnSync("size", ["-A", elf], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`size -A ${elf}: ${r.stderr}`);
  const sizes = { text: 0, rodata: 0, data: 0, bss: 0 };
  for (const line of r.stdout.split("\n")) {
    const m = /^\.(text|rodata|data|bss)\s+(\d+)/.exec(line);
    if (m) sizes[m[1]] += Number(m[2]);
  }
  return sizes;
}

// OVMF does not finish booting under -icount here (no output within minutes), so UEFI figures
// are opt-in: BENCH_UEFI=1.
const results = { bios: boot("bios") };
if (process.env.BENCH_UEFI === "1") results.uefi = boot("uefi");
const size = sections();

console.log("boot (virtual TSC cycles since the entry stub, -icount shift=0)");
console.log(`${"firmware".padEnd(10)}${"banner".padStart(14)}${"init done".padStart(14)}`);
for (const [fw, r] of Object.entries(results)) {
  console.log(`${fw.padEnd(10)}${String(r.banner).padStart(14)}${String(r.init).padStart(14)}`);
}
console.log("\nkernel image (bytes)");
for (const [k, v] of Object.entries(size)) console.log(`${k.padEnd(10)}${String(v).padStart(14)}`);

const out = resolve(root, "build/bench/boot.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ unit: "tsc-cycles", boot: results, image: size }, null, 2) + "\n");
console.log(`\nwritten ${out}`);
