// hello: prints, uses the heap (small blocks and a large region), checks what it wrote, exits 0.
import { load32, store32 } from "../../lang/mem.ts";
import { free, heap, malloc } from "../lib/heap.ts";
import { startupWord } from "../lib/runtime.ts";
import { Startup, exit, getpid } from "../lib/sys.ts";

function fill(addr: number, words: number, seed: number): void {
  for (let i = 0; i < words; i++) store32(addr + i * 4, (seed + i * 7) >>> 0);
}

function check(addr: number, words: number, seed: number): boolean {
  for (let i = 0; i < words; i++) if (load32(addr + i * 4) !== (seed + i * 7) >>> 0) return false;
  return true;
}

const pid = getpid();
console.log(`hello: pid ${pid} (startup block says ${startupWord(Startup.Pid)}), parent ${startupWord(Startup.ParentPid)}`);
const small = malloc(100);
const big = malloc(200000);
fill(small, 25, 1);
fill(big, 50000, 2);
const ok = small !== 0 && big !== 0 && check(small, 25, 1) && check(big, 50000, 2);
console.log(`hello: heap ${ok ? "ok" : "CORRUPT"}, ${heap.liveBlocks} blocks, ${heap.mappedBytes} bytes mapped`);
free(big);
free(small);
console.log(`hello: after free ${heap.liveBlocks} blocks, ${heap.mappedBytes} bytes mapped`);
exit(ok && pid === startupWord(Startup.Pid) ? 0 : 1);
