// Address -> TypeScript function lookup over the symbol table keelc emits with --symtab
// (keel_symtab: one entry per compiled function, with its start address and TypeScript location).
import { hostSymbols } from "./host/symtab.ts";
import { addrToWord } from "./words.ts";

/** @extern keel_symtab_count */
export function symtabCount(): number {
  return hostSymbols.length;
}
/** Start address of function i (signed canonical form). */
/** @extern keel_symtab_addr */
export function symtabAddr(i: number): number {
  return hostSymbols[i]!.addr;
}
/** @extern keel_symtab_name */
export function symtabName(i: number): string {
  return hostSymbols[i]!.name;
}
/** @extern keel_symtab_file */
export function symtabFile(i: number): string {
  return hostSymbols[i]!.file;
}
/** @extern keel_symtab_line */
export function symtabLine(i: number): number {
  return hostSymbols[i]!.line;
}

/**
 * Index of the function containing `addr`: the entry with the greatest start address <= addr, or
 * -1. A linear scan, so the table needs no particular order; it only runs on panics.
 */
function findSymbol(addr: number): number {
  const n = symtabCount();
  let best = -1;
  let bestAddr = 0;
  for (let i = 0; i < n; i++) {
    const a = symtabAddr(i);
    if (a <= addr && (best < 0 || a > bestAddr)) {
      best = i;
      bestAddr = a;
    }
  }
  return best;
}

/** Prints one backtrace line: `  #n <function> (<file>:<line>)`, or the bare address. */
export function printFrameLine(depth: number, addr: number): void {
  const i = findSymbol(addr);
  const w = addrToWord(addr);
  if (i < 0) {
    console.log(`  #${depth} 0x${w.toString(16)} (no symbol)`);
  } else {
    console.log(`  #${depth} ${symtabName(i)} (${symtabFile(i)}:${symtabLine(i)}) [0x${w.toString(16)} = +0x${(addr - symtabAddr(i)).toString(16)}]`);
  }
}
