// Attributes a trace of instruction addresses (trace.py) to the functions of the kernel and user
// ELF files: prints the path as runs of consecutive instructions in one function, then the total
// per function. Symbols come from `nm -n`; an address belongs to the last symbol at or below it.
//
//   npx tsx bench/ipc/profile/attribute.ts <trace.txt> <elf>...
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

interface Sym { addr: bigint; name: string }

function symbols(elf: string): Sym[] {
  const out = execFileSync("nm", ["-n", elf], { encoding: "utf8" });
  const syms: Sym[] = [];
  for (const line of out.split("\n")) {
    const m = /^([0-9a-f]+) ([tTwW]) (\S+)$/.exec(line);
    if (m) syms.push({ addr: BigInt("0x" + m[1]), name: m[3]! });
  }
  return syms;
}

function lookup(syms: Sym[], pc: bigint): string {
  let lo = 0;
  let hi = syms.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (syms[mid]!.addr <= pc) {
      best = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best < 0 ? "?" : syms[best]!.name;
}

const [trace, kernelElf, ...userElfs] = process.argv.slice(2);
if (!trace || !kernelElf) {
  console.error("usage: attribute.ts <trace.txt> <kernel.elf> [user.elf...]");
  process.exit(2);
}
const kernel = symbols(kernelElf);
const user = userElfs.flatMap(symbols).sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
const pcs = readFileSync(trace, "utf8").split("\n").filter((l) => l !== "").map((l) => BigInt("0x" + l));
const names = pcs.map((pc) => (pc >= 0xffff800000000000n ? lookup(kernel, pc) : "user:" + lookup(user, pc)));

console.log(`${pcs.length} instructions\n\npath (function: instructions in a row)`);
let i = 0;
while (i < names.length) {
  let j = i;
  while (j < names.length && names[j] === names[i]) j++;
  console.log(`  ${names[i]}: ${j - i}`);
  i = j;
}
const totals = new Map<string, number>();
for (const n of names) totals.set(n, (totals.get(n) ?? 0) + 1);
console.log("\nper function");
for (const [n, c] of [...totals].sort((a, b) => b[1] - a[1])) console.log(`  ${String(c).padStart(5)}  ${n}`);
