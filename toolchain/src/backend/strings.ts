// Strings as run-time values, for the targets with a garbage collector (user, hosted): templates
// and concatenations built into heap strings, the string methods, String(x),
// String.fromCharCode and Number.parseInt. The runtime half is toolchain/runtime/keel_str.c.
// The kernel target never reaches this module: the subset checker rejects these forms there.
import ts from "typescript";
import { type KType, NUM, STR } from "./ktypes.ts";
import type { FnCtx, Lowerer } from "./lower.ts";
import { BUILTIN_ARGUMENTS } from "../subset/codes.ts";

/** A string-valued expression (template, `+` on strings, String(x), formatting call) built into a new heap string. */
export function heapString(lw: Lowerer, e: ts.Expression, ctx: FnCtx): string {
  const sb = ctx.temp("sb");
  const parts = [`struct keel_sb ${sb};`, `keel_sb_init_heap(&${sb}, ${lw.loc(e)});`];
  const all = lw.hasEffects(e);
  for (const leaf of concatLeaves(lw, e, ctx)) lw.preEvaluate(leaf, ctx, parts, all);
  lw.fmt(sb, e, ctx, false, parts);
  lw.clearPre(e, ctx);
  return `({ ${parts.join(" ")} keel_sb_cstr(&${sb}); })`;
}

/** The operands of a chain `a + b + c` that yields a string (the expression itself otherwise). */
function concatLeaves(lw: Lowerer, e: ts.Expression, ctx: FnCtx): ts.Expression[] {
  let s = e;
  while (ts.isParenthesizedExpression(s)) s = s.expression;
  if (ts.isBinaryExpression(s) && s.operatorToken.kind === ts.SyntaxKind.PlusToken && lw.kt(s, ctx).k === "str") {
    return [...concatLeaves(lw, s.left, ctx), ...concatLeaves(lw, s.right, ctx)];
  }
  return [e];
}

/** `s += x` on a string place: the old value, then x, into a new heap string stored back. */
export function appendAssign(lw: Lowerer, b: ts.BinaryExpression, ref: string, pre: string[], ctx: FnCtx): string {
  const sb = ctx.temp("sb");
  const parts = [...pre, `struct keel_sb ${sb};`, `keel_sb_init_heap(&${sb}, ${lw.loc(b)});`, `keel_sb_str(&${sb}, ${ref});`];
  lw.fmt(sb, b.right, ctx, false, parts);
  parts.push(`${ref} = keel_sb_cstr(&${sb});`, `${ref};`);
  return `({ ${parts.join(" ")} })`;
}

/** A string method call `obj.name(args)` other than charCodeAt and the formatting calls; null when `name` is none of them. */
export function stringMethod(lw: Lowerer, c: ts.CallExpression, obj: ts.Expression, name: string, ctx: FnCtx): string | null {
  const ot = lw.kt(obj, ctx);
  const L = lw.loc(c);
  const args = c.arguments;
  const recv = lw.nullChecked(lw.expr(obj, ctx), ot, c);
  // Optional positions: JavaScript's default, or INT64_MAX where the default is "the end".
  const pos = (i: number, dflt: string): { e: ts.Expression | null; c: string; k: KType } =>
    args[i] ? { e: args[i]!, c: lw.expr(args[i]!, ctx), k: NUM } : { e: null, c: dflt, k: NUM };
  const str = (i: number): { e: ts.Expression | null; c: string; k: KType } => {
    if (!args[i]) lw.fail(c, BUILTIN_ARGUMENTS, `${name}() without its string argument`);
    return { e: args[i]!, c: lw.nullChecked(lw.expr(args[i]!, ctx), lw.kt(args[i]!, ctx), args[i]!), k: STR };
  };
  let call: (v: string[]) => string;
  let ops: { e: ts.Expression | null; c: string; k: KType }[];
  switch (name) {
    case "slice":
      ops = [pos(0, "0"), pos(1, "INT64_MAX")];
      call = (v) => `keel_str_slice(${v.join(", ")})`;
      break;
    case "substring":
      ops = [pos(0, "0"), pos(1, "INT64_MAX")];
      call = (v) => `keel_str_substring(${v.join(", ")})`;
      break;
    case "indexOf":
    case "includes":
      ops = [str(0), pos(1, "0")];
      call = (v) => (name === "indexOf" ? `keel_str_index_of(${v.join(", ")})` : `(keel_str_index_of(${v.join(", ")}) >= 0)`);
      break;
    case "lastIndexOf":
      ops = [str(0), pos(1, "INT64_MAX")];
      call = (v) => `keel_str_last_index_of(${v.join(", ")})`;
      break;
    case "startsWith":
      ops = [str(0), pos(1, "0")];
      call = (v) => `keel_str_starts_with(${v.join(", ")})`;
      break;
    case "endsWith":
      ops = [str(0), pos(1, "INT64_MAX")];
      call = (v) => `keel_str_ends_with(${v.join(", ")})`;
      break;
    case "trim":
    case "trimStart":
    case "trimEnd":
      ops = [];
      call = (v) => `keel_str_trim(${v[0]}, ${name !== "trimEnd"}, ${name !== "trimStart"})`;
      break;
    case "toUpperCase":
    case "toLowerCase":
      ops = [];
      call = (v) => `keel_str_case(${v[0]}, ${name === "toUpperCase"})`;
      break;
    case "charAt":
      ops = [pos(0, "0")];
      call = (v) => `keel_str_char_at(${v.join(", ")})`;
      break;
    case "repeat":
      if (!args[0]) lw.fail(c, BUILTIN_ARGUMENTS, "repeat() without a count");
      ops = [pos(0, "0")];
      call = (v) => `keel_str_repeat(${v.join(", ")}, ${L})`;
      break;
    case "split": {
      if (args.length !== 1) lw.fail(c, BUILTIN_ARGUMENTS, `split() with ${args.length} arguments (a limit)`);
      ops = [str(0)];
      const at = lw.em.arrStruct(STR);
      const tid = lw.em.arrTypeId(STR);
      call = (v) => `((struct ${at} *)keel_str_split(${v.join(", ")}, ${tid}, ${L}))`;
      break;
    }
    default:
      return null;
  }
  const o = lw.ordered([obj, ...ops.map((x) => x.e ?? obj)], [recv, ...ops.map((x) => x.c)], [ot, ...ops.map((x) => x.k)], ctx);
  return lw.wrap(o.pre, call(o.vals));
}

/** `String(x)`, `String.fromCharCode(c)`, `Number.parseInt(s, radix)`; null for other calls. */
export function stringGlobal(lw: Lowerer, c: ts.CallExpression, ctx: FnCtx): string | null {
  const callee = c.expression;
  const L = lw.loc(c);
  if (ts.isIdentifier(callee) && callee.text === "String" && c.arguments.length === 1) {
    const a = c.arguments[0]!;
    const k = lw.kt(a, ctx);
    if (k.k === "str" && !k.nullable) return lw.expr(a, ctx);
    return heapString(lw, a, ctx);
  }
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return null;
  const ns = callee.expression.text;
  const name = callee.name.text;
  if (ns === "String" && name === "fromCharCode") return `keel_str_from_char(${lw.expr(c.arguments[0]!, ctx)}, ${L})`;
  if (ns === "Number" && name === "parseInt") {
    const s = c.arguments[0]!;
    const sk = lw.kt(s, ctx);
    const r = c.arguments[1];
    const o = lw.ordered(r ? [s, r] : [s], r ? [lw.nullChecked(lw.expr(s, ctx), sk, s), lw.expr(r, ctx)] : [lw.nullChecked(lw.expr(s, ctx), sk, s)], r ? [sk, NUM] : [sk], ctx);
    return lw.wrap(o.pre, `keel_parse_int(${o.vals[0]}, ${o.vals[1] ?? "0"}, ${L})`);
  }
  return null;
}

/** `<`, `>`, `<=`, `>=` between strings: code-unit order. */
export function stringCompare(op: string, l: string, r: string): string {
  return `(keel_str_cmp(${l}, ${r}) ${op} 0)`;
}
