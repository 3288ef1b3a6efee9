// Diagnostics shared by the subset checker and the back end.
// Printed as `file:line:col: error KEELnnnn: message` (line and column are 1-based).

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
