// Subset checker entry point: walks the type-checked program and reports every construct outside
// the language contract (docs/language.md). Placeholder until the checker lands.
import type ts from "typescript";
import type { KeelDiagnostic } from "../diagnostics.ts";

export function checkSubset(
  program: ts.Program,
  checker: ts.TypeChecker,
  files: readonly ts.SourceFile[],
): KeelDiagnostic[] {
  void program;
  void checker;
  void files;
  return [];
}
