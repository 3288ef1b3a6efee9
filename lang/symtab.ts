// The program's symbol table, for TypeScript-level backtraces: one entry per compiled function
// (address, TypeScript qualified name, file, line), sorted by address. keelc fills it when run with
// `--symtab`; without it, and under Node, the table is empty.

/** @extern keel_symtab_count */
export function symtabCount(): number {
  return 0;
}

/** Address of entry i (entries are sorted by address). */
/** @extern keel_symtab_addr */
export function symtabAddr(i: number): number {
  void i;
  return 0;
}

/** TypeScript name of entry i (`function` or `Class.method`). */
/** @extern keel_symtab_name */
export function symtabName(i: number): string {
  void i;
  return "";
}

/** Source file of entry i, relative to the project root. */
/** @extern keel_symtab_file */
export function symtabFile(i: number): string {
  void i;
  return "";
}

/** Line of entry i's declaration. */
/** @extern keel_symtab_line */
export function symtabLine(i: number): number {
  void i;
  return 0;
}
