// Diagnostics shared by the subset checker and the back end.
// Printed as `file:line:col: error KEELnnnn: message` (line and column are 1-based).
import * as path from "node:path";

export interface KeelDiagnostic {
  file: string;
  line: number;
  col: number;
  code: number;
  message: string;
}

export function formatDiagnostic(d: KeelDiagnostic): string {
  return `${d.file}:${d.line}:${d.col}: error KEEL${String(d.code).padStart(4, "0")}: ${d.message}`;
}

/** File names in diagnostics: relative to the working directory when below it, as tsc prints. */
export function displayFile(file: string): string {
  const abs = path.resolve(file);
  const r = path.relative(process.cwd(), abs);
  if (!r.startsWith("..") && !path.isAbsolute(r)) return r.split(path.sep).join("/");
  return abs;
}
