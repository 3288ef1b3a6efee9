import { load64, store64, load8 } from "../../../../lang/mem.ts";
import { PAGE_SIZE, physToVirt } from "../../../../kernel/arch/x86_64/layout.ts";
import { outb, rdtsc } from "../../../../kernel/arch/x86_64/cpu.ts";
import { panic, release } from "../../../../lang/core.ts";
import { Frame } from "../../../../kernel/arch/x86_64/frame.ts";

export const enum Pte { Present = 1, Writable = 2 }
export const PTE_ADDR_MASK = 0x000ffffffffff000n;

export class Node<T> {
  next: Node<T> | null = null;
  constructor(readonly value: T) {}
  get2(): T { return this.value; }
}

export class Table {
  entries = new BigUint64Array(512);
  names: string[] = ["a", "b"];
  count = 0;
  flags = new Array<boolean>(4).fill(false);
  set(i: number, phys: number, flags: bigint): void {
    this.entries[i] = BigInt.asUintN(64, BigInt(phys) | flags);
    this.count++;
  }
  index(virt: number): number {
    return Math.floor(virt / PAGE_SIZE) % 512;
  }
}

function twice(f: (x: number) => number, x: number): number { return f(f(x)); }
function inc(x: number): number { return x + 1; }

export function main(): void {
  const t = new Table();
  t.set(1, 0x1000, BigInt(Pte.Present | Pte.Writable));
  const e = t.entries[1]!;
  const addr = Number(e & PTE_ADDR_MASK);
  const flip = BigInt.asUintN(64, ~e);
  const shifted = BigInt.asUintN(64, 1n << 63n);
  console.log(addr, flip > shifted, twice(inc, 3), (7 / 2) | 0, Math.trunc(-7 / 2));
  const n: Node<number> | null = new Node<number>(5);
  console.log(n!.value, n !== null && n.value > 2);
  outer: for (let i = 0; i < 3; i++) {
    for (const x of t.names) {
      if (x.length === 1 && i === 1) continue outer;
      if (x.charCodeAt(0) === 98) break outer;
    }
  }
  switch (addr) {
    case 0:
    case 1:
      console.log("low");
      break;
    default:
      console.log(`addr ${addr.toString(16).padStart(8, "0")}`);
  }
  const bytes = new Uint8Array(16);
  for (const b of bytes) void b;
  store64(physToVirt(0x2000), e);
  console.log(load64(physToVirt(0x2000)), load8(0), rdtsc(), Frame.RIP);
  outb(0x3f8, 65);
  const sq = (v: number): number => v * v;
  console.log(twice(sq, 2), -5 % 3, 1 >>> 0, Math.max(1, 2));
  if (addr < 0) panic(`bad address ${addr}`);
  if (addr < 0) throw new Error(`bad ${addr}`);
  release(t);
  let k = 0;
  do { k += 2; } while (k < 10);
  const big = 2 ** 10;
  console.log(big, k);
}
main();
