// Host-only: a fake symbol table standing in for the one keelc links into the kernel (keel_symtab),
// so tests can check symbolised backtraces and exception reports.

export class HostSymbol {
  constructor(
    readonly addr: number,
    readonly name: string,
    readonly file: string,
    readonly line: number,
  ) {}
}

export const hostSymbols: HostSymbol[] = [];

/** Replaces the fake symbol table (entries in any order). */
export function setHostSymbols(syms: HostSymbol[]): void {
  hostSymbols.length = 0;
  hostSymbols.push(...syms);
}
