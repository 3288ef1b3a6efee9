// Typed array methods (every target): set(source, offset), subarray, slice, indexOf, lastIndexOf,
// includes, and fill(value, start, end), which plain arrays share. Relative positions follow
// ECMAScript: a negative one counts from the end, and every one is clamped to [0, length]
// (keel_arr_pos in toolchain/runtime/keel.h).
import ts from "typescript";
import { BIG, NUM, TARR_ELEM_C, TARR_NAME, type KType, type TArrKind } from "./ktypes.ts";
import type { FnCtx, Lowerer } from "./lower.ts";
import { BUILTIN_ARGUMENTS } from "../subset/codes.ts";

/** The C expression that stores `v` in an element of `kind`, truncating or clamping as the typed array does. */
export function typedStore(kind: TArrKind, v: string): string {
  return kind === "u8c" ? `(uint8_t)keel_clamp_u8(${v})` : `(${TARR_ELEM_C[kind]})(${v})`;
}

/** A typed array method call, or `fill` of a plain array; null when `name` is not one of them. */
export function typedArrayMethod(lw: Lowerer, c: ts.CallExpression, obj: ts.Expression, name: string, ctx: FnCtx): string | null {
  const at = lw.kt(obj, ctx);
  if (at.k !== "tarr" && !(at.k === "arr" && name === "fill")) return null;
  const em = lw.em;
  const args = c.arguments;
  const L = lw.loc(c);
  const a = ctx.temp("a");
  const ctype = em.ctype({ ...at, nullable: false });
  // The receiver first, then the arguments in order, as JavaScript evaluates them.
  const recv = `${ctype}${a} = ${lw.nullChecked(lw.expr(obj, ctx), at, c)};`;
  const vk: KType = at.k === "arr" ? at.elem : at.kind === "u64" ? BIG : NUM;
  const num = (k: number, dflt: string): string => (args[k] ? lw.exprAs(args[k], NUM, ctx) : dflt);
  const range = (k: number): { decl: string; b: string; e: string } => {
    const [b, e] = [ctx.temp("b"), ctx.temp("e")];
    const decl = `int64_t ${b} = keel_arr_pos(${num(k, "0")}, ${a}->length); int64_t ${e} = keel_arr_pos(${num(k + 1, "INT64_MAX")}, ${a}->length);`;
    return { decl, b, e };
  };
  if (name === "fill") {
    if (args.length < 1) lw.fail(c, BUILTIN_ARGUMENTS, "fill() without a value");
    const v = ctx.temp("v");
    const i = ctx.temp("i");
    const val = `${em.decl(vk, v)} = ${lw.exprAs(args[0]!, vk, ctx)};`;
    const r = range(1);
    const store = at.k === "tarr" ? typedStore(at.kind, v) : v;
    return `({ ${recv} ${val} ${r.decl} for (int64_t ${i} = ${r.b}; ${i} < ${r.e}; ${i}++) ${a}->data[${i}] = ${store}; ${a}; })`;
  }
  if (at.k !== "tarr") return null;
  const ec = TARR_ELEM_C[at.kind];
  const es = `(int64_t)sizeof(${ec})`;
  const tid = em.typeId(TARR_NAME[at.kind], false);
  switch (name) {
    case "subarray": {
      const r = range(0);
      const view = em.typeId("typed array view", true);
      return `({ ${recv} ${r.decl} (${ctype})keel_tarr_view(${a}, ${r.b}, ${r.e}, ${es}, ${view}); })`;
    }
    case "slice": {
      const r = range(0);
      return `({ ${recv} ${r.decl} (${ctype})keel_tarr_slice(${a}, ${r.b}, ${r.e}, ${es}, ${tid}, ${L}); })`;
    }
    case "indexOf":
    case "includes":
    case "lastIndexOf": {
      if (args.length < 1 || args.length > 2) lw.fail(c, BUILTIN_ARGUMENTS, `${name}() with ${args.length} arguments`);
      const [v, f, i, r] = [ctx.temp("v"), ctx.temp("f"), ctx.temp("i"), ctx.temp("r")];
      const val = `${em.decl(vk, v)} = ${lw.exprAs(args[0]!, vk, ctx)};`;
      // Elements widen to the value's type, so a value the element type cannot hold is never found.
      const el = `(${vk.k === "big" ? "uint64_t" : "int64_t"})${a}->data[${i}]`;
      let loop: string;
      if (name === "lastIndexOf") {
        const from = args[1]
          ? `int64_t ${f} = ${num(1, "0")}; if (${f} < 0) ${f} += ${a}->length; else if (${f} > ${a}->length - 1) ${f} = ${a}->length - 1;`
          : `int64_t ${f} = ${a}->length - 1;`;
        loop = `${from} for (int64_t ${i} = ${f}; ${i} >= 0; ${i}--) if (${el} == ${v}) { ${r} = ${i}; break; }`;
      } else {
        loop = `int64_t ${f} = keel_arr_pos(${num(1, "0")}, ${a}->length); for (int64_t ${i} = ${f}; ${i} < ${a}->length; ${i}++) if (${el} == ${v}) { ${r} = ${i}; break; }`;
      }
      return `({ ${recv} ${val} int64_t ${r} = -1; ${loop} ${name === "includes" ? `${r} >= 0` : r}; })`;
    }
    case "set": {
      if (args.length < 1 || args.length > 2) lw.fail(c, BUILTIN_ARGUMENTS, `set() with ${args.length} arguments`);
      let sk = lw.kt(args[0]!, ctx);
      if (sk.k !== "tarr" && sk.k !== "arr") lw.fail(args[0]!, BUILTIN_ARGUMENTS, "set() from something other than an array or typed array");
      // An array's elements are numbers (bigints for a BigUint64Array), `[]` included.
      if (sk.k === "arr") sk = { k: "arr", elem: vk, nullable: sk.nullable };
      const [s, o, i] = [ctx.temp("src"), ctx.temp("off"), ctx.temp("i")];
      const src = `${em.ctype({ ...sk, nullable: false })}${s} = ${lw.nullChecked(lw.exprAs(args[0]!, sk, ctx), sk, args[0]!)};`;
      const check = `int64_t ${o} = ${num(1, "0")}; if (${o} < 0 || ${s}->length > ${a}->length - ${o}) keel_panic_at("offset is out of bounds", ${L});`;
      // Views of one typed array may overlap: memmove copies as if through a buffer, as JavaScript
      // does. Typed arrays of different kinds never share elements, so they convert one by one.
      const copy = sk.k === "tarr" && sk.kind === at.kind
        ? `memmove(${a}->data + ${o}, ${s}->data, (size_t)${s}->length * sizeof(${ec}));`
        : `for (int64_t ${i} = 0; ${i} < ${s}->length; ${i}++) ${a}->data[${o} + ${i}] = ${typedStore(at.kind, `${s}->data[${i}]`)};`;
      return `({ ${recv} ${src} ${check} ${copy} (void)0; })`;
    }
    default:
      return null;
  }
}
