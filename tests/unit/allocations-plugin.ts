// A transform for the unit tests: every allocation in kernel code (`new C(...)`, `new Array<T>(n)`,
// typed arrays, array literals: what keelc turns into keel_alloc or keel_new_array) is wrapped in
// `hostAllocated`, so that lang/host/allocations.ts counts live objects per type under
// Node as the hosted C runtime does. Only columns move; lines stay where they were.
import ts from "typescript";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const kernelDir = path.join(root, "kernel") + path.sep;
const tracker = path.join(root, "lang", "host", "allocations.ts");
const HOOK = "__keelAllocated";

function tracked(file: string): boolean {
  return file.startsWith(kernelDir) && file.endsWith(".ts") && !file.split(path.sep).includes("host");
}

/** The allocation's type name: the class (with its type arguments) or "Array". */
function typeName(n: ts.NewExpression | ts.ArrayLiteralExpression, sf: ts.SourceFile): string | null {
  if (ts.isArrayLiteralExpression(n)) return "Array";
  const callee = n.expression.getText(sf);
  if (callee === "Error") return null;
  const args = n.typeArguments ? `<${n.typeArguments.map((t) => t.getText(sf).replace(/\s+/g, "")).join(",")}>` : "";
  return callee + args;
}

/** The destination of an assignment or a destructuring, not an allocation. */
function isPattern(n: ts.ArrayLiteralExpression): boolean {
  const p = n.parent;
  return (ts.isBinaryExpression(p) && p.left === n && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) || ts.isForOfStatement(p) || ts.isForInStatement(p);
}

export function instrumentAllocations(code: string, file: string): string {
  const sf = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits: Array<[number, number, string]> = [];
  let order = 0;
  const visit = (n: ts.Node): void => {
    if (ts.isNewExpression(n) || (ts.isArrayLiteralExpression(n) && !isPattern(n))) {
      const type = typeName(n, sf);
      if (type !== null) {
        // Opening before closing at the same offset never happens; inner edits sort after outer.
        edits.push([n.getStart(sf), order++, `${HOOK}(`]);
        edits.push([n.getEnd(), -order++, `, ${JSON.stringify(type)})`]);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  if (edits.length === 0) return code;
  // Apply from the end; at one offset, closings of inner nodes go first, openings of outer last.
  edits.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  let out = code;
  for (const [at, , text] of edits) out = out.slice(0, at) + text + out.slice(at);
  return `${out}\nimport { hostAllocated as ${HOOK} } from ${JSON.stringify(tracker)};\n`;
}

/** The Vite plugin (applied before TypeScript is stripped). */
export function allocationTracking() {
  return {
    name: "keel-allocation-tracking",
    enforce: "pre" as const,
    transform(code: string, id: string) {
      const file = id.split("?")[0]!;
      if (!tracked(file)) return null;
      return { code: instrumentAllocations(code, file), map: null };
    },
  };
}
