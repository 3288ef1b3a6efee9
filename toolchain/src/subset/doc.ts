// Renders docs/diagnostics.md from the rule table (./codes.ts) and the rejection programs in
// tests/toolchain/reject/, whose marked lines serve as the examples. Regenerate with
//   npx tsx toolchain/src/subset/doc.ts > docs/diagnostics.md
// (a toolchain test fails when the committed file is out of date).
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { allRules } from "./codes.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export function keelCode(code: number): string {
  return `KEEL${String(code).padStart(4, "0")}`;
}

/** First marked source line for each code in the rejection programs (comment stripped). */
export function examples(root: string = ROOT): Map<string, string> {
  const out = new Map<string, string>();
  const dirs = ["tests/toolchain/reject", "tests/toolchain/reject/ts-first", "tests/toolchain/reject/backend"].map((d) => path.join(root, d));
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith(".ts")).sort()) {
      for (const line of fs.readFileSync(path.join(dir, f), "utf8").split("\n")) {
        const at = line.indexOf("// expect:");
        if (at < 0) continue;
        const src = line.slice(0, at).trim();
        for (const m of line.slice(at).matchAll(/KEEL\d{4}/g)) {
          if (!out.has(m[0]) && src !== "") out.set(m[0], src);
        }
      }
    }
  }
  return out;
}

const AREAS: [number, string][] = [
  [100, "Types"],
  [200, "Numbers"],
  [300, "Operators"],
  [400, "Statements"],
  [500, "Functions"],
  [600, "Classes, objects and arrays"],
  [700, "Library"],
  [800, "Modules"],
  [900, "Other"],
  [9000, "Back end"],
];

/** Width of an area: a hundred codes, two hundred for the back end's KEEL9000-9199. */
function areaEnd(base: number): number {
  return base >= 9000 ? base + 200 : base + 100;
}

function cell(s: string): string {
  return s.replace(/\|/g, "\\|");
}

export function renderDiagnosticsDoc(root: string = ROOT): string {
  const ex = examples(root);
  const lines: string[] = [
    "# keelc diagnostics",
    "",
    "keelc reports every construct outside the language contract ([language.md](language.md)) as",
    "`file:line:col: error KEELnnnn: <what is wrong>: <why>; <what to write instead>`, pointing at the",
    "start of the offending construct. All errors of a run are reported, in source order per file, and",
    "`keelc check` exits with status 1. TypeScript's own errors (`TSnnnn`) come first: the subset",
    "checker runs on a type-correct program only.",
    "",
    "Not checked: files under a `host/` directory, and the bodies of `@extern` functions (their host",
    "implementations, which run only under Node). `@extern` signatures are checked.",
    "",
    "Decisions where the contract is silent: `void expr;` is allowed as a statement (to discard a",
    "value); the comma operator only in `for` headers; truthiness, `&&`, `||` and `??` keep their",
    "JavaScript meaning (the empty string is false; `a || b` yields an operand) and are allowed, as long",
    "as the result has one type; abstract classes, `extends` between Keel classes, parameter",
    "properties, `readonly`, `private` and `x!` are allowed; `#private` names, `import * as ns` and",
    "`**` other than a number raised to a literal power are rejected. Arrow functions and function",
    "expressions are allowed when they capture nothing.",
    "",
    "The back end (KEEL9000-9199) compiles what the checker accepted; its diagnostics, reported by",
    "`keelc emit` and `keelc build` (not by `keelc check`), name what the program wrote, then say why",
    "keelc cannot compile it and what to write instead. KEEL9199 is keelc's own error, not the",
    "program's: the back end met a construct the checker should have rejected, or gcc rejected the",
    "generated C; keelc then exits with status 3 instead of 1 (docs/toolchain.md).",
    "",
    "This file is generated from `toolchain/src/subset/codes.ts`; each example is a line of the",
    "rejection program for the code in `tests/toolchain/reject/` (`tests/toolchain/reject/backend/`",
    "for the back end's).",
    "",
    "To add a rule: declare it in `codes.ts`, report it from `toolchain/src/subset/index.ts`, add a",
    "program `tests/toolchain/reject/NNNN-name.ts` whose offending lines end in",
    "`// expect: KEELNNNN \"snippet\"` (the column is where the snippet starts), and regenerate this",
    "file with `npx tsx toolchain/src/subset/doc.ts > docs/diagnostics.md`. Constructs TypeScript",
    "itself rejects go to `tests/toolchain/reject/ts-first/`; programs that must pass go to",
    "`tests/toolchain/reject/accept/`. A back-end diagnostic is declared in the same table, reported",
    "with `fail(node, CODE, what)` from `toolchain/src/backend/` and tested by a program in",
    "`tests/toolchain/reject/backend/` (its first line may name the target: `// @target: user`).",
    "",
  ];
  for (const [base, title] of AREAS) {
    const rules = allRules().filter((r) => r.code >= base && r.code < areaEnd(base));
    if (rules.length === 0) continue;
    const heading = base >= 9000 ? "KEEL9000-9199" : `${keelCode(base).slice(0, 6)}xx`;
    lines.push(`## ${heading} ${title}`, "");
    lines.push("| code | rejects | why | write instead | example |", "|---|---|---|---|---|");
    for (const r of rules) {
      const e = ex.get(keelCode(r.code));
      const example = e === undefined ? "" : "`` " + cell(e) + " ``";
      lines.push(`| ${keelCode(r.code)} | ${cell(r.title)} | ${cell(r.why)} | ${cell(r.instead)} | ${example} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(renderDiagnosticsDoc());
}
