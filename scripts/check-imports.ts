// Checks the import layering of the source tree:
//   1. no import cycle among the folders directly under kernel/ (a file directly in kernel/, such as
//      kernel/main.ts, is a node of its own); imports within one folder do not count;
//   2. kernel/arch/** imports only from kernel/arch/**, lang/** and abi/**;
//   3. userland/** and bench/** import nothing under kernel/;
//   4. abi/** and lang/** import nothing under kernel/, userland/ or bench/;
//   5. the kernel's folders form the layers of KERNEL_LAYERS (docs/architecture.md, "Layout"):
//      each imports only from those after it, and a new folder must be placed in the list;
//   6. no import cycle between files of kernel/, abi/ and lang/: module initialisation runs in
//      import order (in Node and in keelc's C alike), so in a cycle one module's top-level code
//      could read another's constants before they are set.
// Only relative import and export-from statements count (a dynamic import() is not followed), and
// only those that exist at run time: `import type`, `export type ... from` and imports whose every
// specifier is `type X` are erased, so they make no dependency. Node built-ins are not relative, so
// lang/host/** may use them.
//
// `npx tsx scripts/check-imports.ts` prints one line per violation and exits 1, or a summary and 0.
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

/** One runtime import: repository-relative, "/"-separated paths; line is 1-based. */
export interface Edge {
  from: string;
  to: string;
  line: number;
}

export interface Violation {
  rule: "cycle" | "arch" | "userland" | "abi-lang" | "layer" | "file-cycle";
  message: string;
}

/** The folders whose files are checked; imports from anywhere else are not constrained. */
export const CHECKED_ROOTS = ["kernel", "abi", "lang", "userland", "bench"];

/** The relative imports and re-exports of one file that exist at run time. */
export function runtimeImports(file: string, source: string): Edge[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, false);
  const edges: Edge[] = [];
  for (const st of sf.statements) {
    let spec: ts.Expression | undefined;
    if (ts.isImportDeclaration(st)) {
      const clause = st.importClause;
      // A clause with no default name whose named imports are all `type X` is erased. An empty
      // `import {} from` is kept: it still runs the module.
      const named = clause?.namedBindings;
      const allTypes = named !== undefined && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
      if (clause !== undefined && (clause.phaseModifier === ts.SyntaxKind.TypeKeyword || (clause.name === undefined && allTypes))) continue;
      spec = st.moduleSpecifier;
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier !== undefined) {
      const named = st.exportClause;
      const allTypes = named !== undefined && ts.isNamedExports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
      if (st.isTypeOnly || allTypes) continue;
      spec = st.moduleSpecifier;
    }
    if (spec === undefined || !ts.isStringLiteral(spec) || !spec.text.startsWith(".")) continue;
    const to = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec.text));
    edges.push({ from: file, to, line: sf.getLineAndCharacterOfPosition(st.getStart(sf)).line + 1 });
  }
  return edges;
}

const under = (file: string, folder: string): boolean => file.startsWith(folder + "/");

/** The node of the folder graph a kernel file belongs to: its folder under kernel/, or itself. */
export function kernelNode(file: string): string {
  const parts = file.split("/");
  return parts.length > 2 ? `kernel/${parts[1]}` : file;
}

/** The kernel's layers, top first: each may import only from those after it. */
export const KERNEL_LAYERS = [
  "kernel/main.ts", "kernel/test", "kernel/syscall", "kernel/proc", "kernel/loader", "kernel/object", "kernel/cap",
  "kernel/sched", "kernel/mm", "kernel/acpi", "kernel/boot", "kernel/console", "kernel/time", "kernel/panic.ts", "kernel/arch",
];

/** Rule 5: imports between kernel folders go down KERNEL_LAYERS; every folder is in it. */
function orderViolations(edges: Edge[]): Violation[] {
  const out: Violation[] = [];
  const seen = new Set<string>();
  for (const e of edges) {
    if (!under(e.from, "kernel") || !under(e.to, "kernel")) continue;
    const a = kernelNode(e.from);
    const b = kernelNode(e.to);
    for (const n of [a, b]) {
      if (!KERNEL_LAYERS.includes(n) && !seen.has(n)) {
        seen.add(n);
        out.push({ rule: "layer", message: `layer: ${n} is not in KERNEL_LAYERS (scripts/check-imports.ts)` });
      }
    }
    const ia = KERNEL_LAYERS.indexOf(a);
    const ib = KERNEL_LAYERS.indexOf(b);
    if (a !== b && ia >= 0 && ib >= 0 && ib < ia) {
      out.push({ rule: "layer", message: `layer: ${show(e)} (${a} is below ${b} in KERNEL_LAYERS)` });
    }
  }
  return out;
}

const show = (e: Edge): string => `${e.from}:${e.line} imports ${e.to}`;

/** Rules 2 to 4: who may import what, edge by edge. */
function layerViolations(edges: Edge[]): Violation[] {
  const out: Violation[] = [];
  for (const e of edges) {
    if (under(e.from, "kernel/arch")) {
      if (!["kernel/arch", "lang", "abi"].some((f) => under(e.to, f))) {
        out.push({ rule: "arch", message: `arch: ${show(e)} (kernel/arch/ may import only kernel/arch/, lang/, abi/)` });
      }
    } else if (under(e.from, "userland") || under(e.from, "bench")) {
      if (under(e.to, "kernel")) out.push({ rule: "userland", message: `userland: ${show(e)} (userland/ and bench/ may not import kernel/)` });
    } else if (under(e.from, "abi") || under(e.from, "lang")) {
      if (["kernel", "userland", "bench"].some((f) => under(e.to, f))) {
        out.push({ rule: "abi-lang", message: `abi-lang: ${show(e)} (abi/ and lang/ may not import kernel/, userland/, bench/)` });
      }
    }
  }
  return out;
}

/**
 * Rule 1: every elementary cycle of the folder graph, each once, started from its smallest node.
 * The graph has a dozen or so nodes, so a plain depth-first enumeration is quick enough.
 */
function cycleViolations(edges: Edge[]): Violation[] {
  // For each folder edge, its first import (by file and line) as the example.
  const example = new Map<string, Edge>();
  const succ = new Map<string, Set<string>>();
  const kernel = edges.filter((e) => under(e.from, "kernel") && under(e.to, "kernel"));
  kernel.sort((a, b) => (a.from === b.from ? a.line - b.line : a.from < b.from ? -1 : 1));
  for (const e of kernel) {
    const a = kernelNode(e.from);
    const b = kernelNode(e.to);
    if (a === b) continue;
    if (!example.has(`${a} ${b}`)) example.set(`${a} ${b}`, e);
    if (!succ.has(a)) succ.set(a, new Set());
    succ.get(a)!.add(b);
  }

  const out: Violation[] = [];
  const report = (cycle: string[]): void => {
    const imports = cycle.slice(1).map((b, i) => {
      const e = example.get(`${cycle[i]} ${b}`)!;
      return `${e.from}:${e.line} -> ${e.to}`;
    });
    out.push({ rule: "cycle", message: `cycle: ${cycle.join(" -> ")} (${imports.join("; ")})` });
  };
  for (const start of [...succ.keys()].sort()) {
    // Only nodes after `start` are entered, so each cycle is found from its smallest node alone.
    const walk = (chain: string[]): void => {
      for (const m of [...(succ.get(chain.at(-1)!) ?? [])].sort()) {
        if (m === start) report([...chain, m]);
        else if (m > start && !chain.includes(m)) walk([...chain, m]);
      }
    };
    walk([start]);
  }
  return out;
}

/** Rule 6: each strongly connected set of files (kernel/, abi/, lang/) with more than one file. */
function fileCycleViolations(edges: Edge[]): Violation[] {
  const inScope = (f: string): boolean => ["kernel", "abi", "lang"].some((r) => under(f, r));
  const succ = new Map<string, string[]>();
  for (const e of edges) {
    if (!inScope(e.from) || !inScope(e.to)) continue;
    if (!succ.has(e.from)) succ.set(e.from, []);
    succ.get(e.from)!.push(e.to);
  }
  // Tarjan's algorithm over the file graph.
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: Violation[] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of succ.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1) out.push({ rule: "file-cycle", message: `file-cycle: ${group.sort().join(", ")} import each other` });
  };
  for (const v of [...succ.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}

/** Every violation in a set of files (repository-relative path to source text). */
export function checkImports(files: Record<string, string>): Violation[] {
  const edges = Object.keys(files)
    .sort()
    .flatMap((f) => runtimeImports(f, files[f]!));
  return [...cycleViolations(edges), ...layerViolations(edges), ...orderViolations(edges), ...fileCycleViolations(edges)];
}

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The checked .ts files of the repository, keyed by "/"-separated repository-relative path. */
export function readTree(root: string = REPO_ROOT): Record<string, string> {
  const files: Record<string, string> = {};
  for (const dir of CHECKED_ROOTS) {
    for (const rel of fs.readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })) {
      if (!rel.endsWith(".ts")) continue;
      const file = path.posix.join(dir, rel.split(path.sep).join("/"));
      files[file] = fs.readFileSync(path.join(root, file), "utf8");
    }
  }
  return files;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const files = readTree();
  const violations = checkImports(files);
  for (const v of violations) console.log(v.message);
  if (violations.length > 0) {
    console.log(`check-imports: ${violations.length} violation(s) in ${Object.keys(files).length} files`);
    process.exit(1);
  }
  console.log(`check-imports: ${Object.keys(files).length} files under ${CHECKED_ROOTS.join("/, ")}/, no violations`);
}
