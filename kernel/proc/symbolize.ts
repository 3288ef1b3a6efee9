// Names the user code at a faulting address, for the kill report. Programs built with keelc's
// --symtab carry keel_symtab (address, function name, TypeScript file and line per function);
// finding it needs the ELF symbol table of the boot module, which is not read yet, so for now the
// report gives the address only.
import { Process } from "./process.ts";

/** Prints `  at <function> (<file>:<line>)` for `rip` in process `p` when it can be found. */
export function printUserLocation(p: Process, rip: number): void {
  void p;
  void rip;
}
