// The differential corpus: every program under tests/toolchain/programs, with the expectations
// written as `// @key: value` directives in its leading comment block.
import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { join, relative } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..", "..");
export const PROGRAMS_DIR = join(ROOT, "tests", "toolchain", "programs");

export interface Program {
  /** Short unique name, used for the executable: `num-shifts`, `mod-circular`. */
  name: string;
  /** Entry file relative to the project root (what keelc and panics print). */
  entry: string;
  /** Every directive of the leading comment block; a flag directive maps to "". */
  directives: Map<string, string>;
  /** 1-based line of the `// panic here` marker, or 0. */
  markedLine: number;
}

export function parseDirectives(source: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of source.split("\n")) {
    const t = line.trim();
    if (!t.startsWith("//")) break;
    const m = /^\/\/\s*@([a-z-]+)(?::\s*(.*))?$/.exec(t);
    if (m) out.set(m[1]!, (m[2] ?? "").trim());
  }
  return out;
}

export function findMarkedLine(source: string): number {
  const lines = source.split("\n");
  for (let i = 0; i < lines.length; i++) if (lines[i]!.includes("// panic here")) return i + 1;
  return 0;
}

export function loadProgram(entryAbs: string, name: string): Program {
  const src = readFileSync(entryAbs, "utf8");
  return {
    name,
    entry: relative(ROOT, entryAbs),
    directives: parseDirectives(src),
    markedLine: findMarkedLine(src),
  };
}

/**
 * Single-file programs in `dir` and multi-file programs (a subdirectory with a `main.ts`).
 * Subdirectories without a main.ts (such as `leaks/`) belong to other suites.
 */
export function listPrograms(dir: string = PROGRAMS_DIR): Program[] {
  const out: Program[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) {
      const main = join(p, "main.ts");
      if (existsSync(main)) out.push(loadProgram(main, entry));
    } else if (entry.endsWith(".ts")) {
      out.push(loadProgram(p, entry.slice(0, -3)));
    }
  }
  return out;
}
