// Front end: builds the TypeScript program for an entry file, collects the modules keelc compiles
// (every non-host source file reachable from the entry through imports) and runs TypeScript's own
// diagnostics followed by the subset checker.
import ts from "typescript";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { displayFile, formatDiagnostic, type KeelDiagnostic } from "./diagnostics.ts";
import { checkSubset } from "./subset/index.ts";
import { UserError } from "./errors.ts";

/** Root of the Keel repository that holds this compiler (its node_modules has the type roots). */
export const KEEL_ROOT = process.env.KEELC_ROOT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * Whether indexing gives `T | undefined` (noUncheckedIndexedAccess): as the program's own
 * tsconfig.json says (the nearest one above the entry, as tsc finds it), off without one. keelc
 * bounds-checks every index either way (out of range panics), so a read is a `T` in the compiled
 * program whatever the flag; it only decides what the type checker asks the programmer to write.
 */
export function uncheckedIndexFlag(entry: string): boolean {
  const config = ts.findConfigFile(path.dirname(path.resolve(entry)), ts.sys.fileExists);
  if (config === undefined) return false;
  const read = ts.readConfigFile(config, ts.sys.readFile);
  if (read.error !== undefined) throw new UserError(`${config}: ${ts.flattenDiagnosticMessageText(read.error.messageText, "\n")}`);
  const options = (read.config as { compilerOptions?: { noUncheckedIndexedAccess?: unknown } }).compilerOptions;
  return options?.noUncheckedIndexedAccess === true;
}

/**
 * The compiler options of the language contract (mirrors the project's tsconfig.json); the
 * entry's own tsconfig decides noUncheckedIndexedAccess.
 */
export function compilerOptions(entry: string): ts.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2022.d.ts"],
    types: [],
    strict: true,
    noUncheckedIndexedAccess: uncheckedIndexFlag(entry),
    noImplicitOverride: true,
    noFallthroughCasesInSwitch: true,
    exactOptionalPropertyTypes: true,
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
    isolatedModules: true,
    verbatimModuleSyntax: true,
  };
}

/** True for files under a `host/` directory: host-only code that keelc never compiles. */
export function isHostPath(file: string): boolean {
  return file.split(/[\\/]/).includes("host");
}

/** Project root for an entry: the nearest ancestor directory holding a package.json. */
export function projectRootFor(entry: string): string {
  let dir = path.dirname(path.resolve(entry));
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return path.dirname(path.resolve(entry));
    dir = up;
  }
}

export class FrontEnd {
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  readonly entry: ts.SourceFile;
  /** Compiled modules, in Node's evaluation order (imports before importers). */
  readonly modules: ts.SourceFile[] = [];
  /** Modules reached only through `import type`: their declarations are compiled, their top-level code never runs. */
  readonly typeOnlyModules: ts.SourceFile[] = [];
  readonly root: string;

  constructor(entryPath: string) {
    const abs = path.resolve(entryPath);
    this.root = projectRootFor(abs);
    const env = path.join(KEEL_ROOT, "toolchain", "src", "env", "console.d.ts");
    this.program = ts.createProgram({ rootNames: [abs, env], options: compilerOptions(abs) });
    this.checker = this.program.getTypeChecker();
    const sf = this.program.getSourceFile(abs);
    if (!sf) throw new UserError(`${entryPath}: cannot read the entry file`);
    this.entry = sf;
    const seen = new Set<ts.SourceFile>();
    const visit = (f: ts.SourceFile): void => {
      seen.add(f);
      for (const dep of this.imports(f)) if (!seen.has(dep)) visit(dep);
      this.modules.push(f);
    };
    visit(sf);
    const all = new Set<ts.SourceFile>(this.modules);
    const walk = (f: ts.SourceFile): void => {
      for (const dep of this.imports(f, true)) {
        if (all.has(dep)) continue;
        all.add(dep);
        this.typeOnlyModules.push(dep);
        walk(dep);
      }
    };
    for (const m of this.modules) walk(m);
  }

  /** Modules `f` requests, in source order (imports and re-exports; type-only ones are erased). */
  imports(f: ts.SourceFile, withTypes = false): ts.SourceFile[] {
    const out: ts.SourceFile[] = [];
    for (const st of f.statements) {
      let spec: ts.Expression | undefined;
      if (ts.isImportDeclaration(st)) {
        if (st.importClause?.isTypeOnly && !withTypes) continue;
        spec = st.moduleSpecifier;
      } else if (ts.isExportDeclaration(st)) {
        if ((st.isTypeOnly && !withTypes) || !st.moduleSpecifier) continue;
        spec = st.moduleSpecifier;
      }
      if (!spec || !ts.isStringLiteral(spec)) continue;
      const target = this.resolve(f, spec.text);
      if (target && !isHostPath(this.rel(target.fileName))) out.push(target);
    }
    return out;
  }

  resolve(from: ts.SourceFile, spec: string): ts.SourceFile | undefined {
    const r = ts.resolveModuleName(spec, from.fileName, this.program.getCompilerOptions(), ts.sys);
    const name = r.resolvedModule?.resolvedFileName;
    if (!name) return undefined;
    return this.program.getSourceFile(name);
  }

  /** Path of a file as shown in diagnostics, panics and C names: relative to the project root. */
  rel(file: string): string {
    const abs = path.resolve(file);
    for (const base of [this.root, KEEL_ROOT]) {
      const r = path.relative(base, abs);
      if (!r.startsWith("..") && !path.isAbsolute(r)) return r.split(path.sep).join("/");
    }
    return abs;
  }

  /** Every user source file TypeScript checks (the compiled modules and host files they import). */
  sourceFiles(): readonly ts.SourceFile[] {
    return this.program
      .getSourceFiles()
      .filter((f) => !f.isDeclarationFile && !f.fileName.includes("/node_modules/") && !isHostPath(this.rel(f.fileName)));
  }

  /** TypeScript's diagnostics, formatted like tsc (`file:line:col: error TSnnnn: msg`). */
  tsDiagnostics(): string[] {
    const out: string[] = [];
    const diags: ts.Diagnostic[] = [...this.program.getOptionsDiagnostics(), ...this.program.getGlobalDiagnostics()];
    for (const f of this.sourceFiles()) {
      diags.push(...this.program.getSyntacticDiagnostics(f), ...this.program.getSemanticDiagnostics(f));
    }
    for (const d of diags) {
      if (d.category !== ts.DiagnosticCategory.Error) continue;
      if (d.file && d.start !== undefined && NODE_NAME_CODES.has(d.code) && inExternBody(d.file, d.start)) continue;
      const msg = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      if (d.file && d.start !== undefined) {
        const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
        out.push(`${displayFile(d.file.fileName)}:${line + 1}:${character + 1}: error TS${d.code}: ${msg}`);
      } else {
        out.push(`error TS${d.code}: ${msg}`);
      }
    }
    return out;
  }

  subsetDiagnostics(): KeelDiagnostic[] {
    return checkSubset(this.program, this.checker, [...this.modules, ...this.typeOnlyModules]);
  }

  /** TypeScript diagnostics first; the subset checker only runs on a type-correct program. */
  check(): string[] {
    const tsd = this.tsDiagnostics();
    if (tsd.length > 0) return tsd;
    return this.subsetDiagnostics().map((d) => formatDiagnostic({ ...d, file: displayFile(d.file) }));
  }
}

/**
 * "Cannot find name" diagnostics for Node's globals. keelc type-checks without @types/node (it
 * costs seconds per run); the bodies of `@extern` functions are host implementations that may use
 * Node, and the project's own tsc run checks them with Node's types.
 */
const NODE_NAME_CODES = new Set([2304, 2580, 2581, 2582, 2583, 2584, 2585, 2591, 2592, 2593]);

function inExternBody(sf: ts.SourceFile, pos: number): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || pos < n.pos || pos >= n.end) return;
    if (ts.isFunctionDeclaration(n) && n.body && pos >= n.body.pos && ts.getJSDocTags(n).some((t) => t.tagName.text === "extern")) {
      found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

export { UserError };
