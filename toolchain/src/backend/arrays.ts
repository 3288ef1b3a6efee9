// Growable arrays, for the targets with a garbage collector (user, hosted): push, pop, shift,
// unshift, splice, slice, indexOf, includes, join, sort(comparator) and the callback methods
// forEach, map, filter, some, every, findIndex. An array stays `struct { length; data; }`: its
// elements first follow the header in the same block; when they outgrow it they move to a
// block of their own (keel_arr_reserve in toolchain/runtime/keel_arr.c).
import ts from "typescript";
import { holdsHeapRef } from "./emitter.ts";
import { BOOL, type KType, NUM, STR, typeName } from "./ktypes.ts";
import type { FnCtx, Lowerer } from "./lower.ts";
import { BUILTIN_ARGUMENTS, JOIN_ELEMENTS } from "../subset/codes.ts";
import { inlineCallbackBody } from "../subset/callbacks.ts";

/** An array method call; null when `name` is not one of them. */
export function arrayMethod(lw: Lowerer, c: ts.CallExpression, obj: ts.Expression, name: string, ctx: FnCtx): string | null {
  const at = lw.kt(obj, ctx);
  if (at.k !== "arr") return null;
  const el = at.elem;
  const em = lw.em;
  const ec = em.ctype(el);
  const L = lw.loc(c);
  const st = `struct ${em.arrStruct(el)}`;
  const args = c.arguments;
  const a = ctx.temp("a");
  const i = ctx.temp("i");
  const eq = (x: string, y: string): string => (el.k === "str" ? `keel_streq(${x}, ${y})` : `(${x} == ${y})`);
  const storage = em.typeId(`Array<${typeName(el)}> storage`, holdsHeapRef(el));
  const reserve = (n: string): string => `keel_arr_reserve(${a}, sizeof(${ec}), ${n}, ${storage});`;
  const recv = `${st} *${a} = ${lw.nullChecked(lw.expr(obj, ctx), at, c)};`;
  // Arguments are evaluated after the receiver, as in JavaScript.
  const arg = (k: number, want: KType): string => lw.exprAs(args[k]!, want, ctx);
  const need = (n: number): void => {
    if (args.length < n) lw.fail(c, BUILTIN_ARGUMENTS, `${name}() with ${args.length} of its ${n} argument${n === 1 ? "" : "s"}`);
  };
  switch (name) {
    case "push": {
      if (args.length !== 1) lw.fail(c, BUILTIN_ARGUMENTS, `push() of ${args.length} elements`);
      const v = ctx.temp("v");
      return `({ ${recv} ${ec} ${v} = ${arg(0, el)}; ${reserve(`${a}->length + 1`)} ${a}->data[${a}->length++] = ${v}; ${a}->length; })`;
    }
    case "unshift": {
      if (args.length !== 1) lw.fail(c, BUILTIN_ARGUMENTS, `unshift() of ${args.length} elements`);
      const v = ctx.temp("v");
      return `({ ${recv} ${ec} ${v} = ${arg(0, el)}; ${reserve(`${a}->length + 1`)} memmove(${a}->data + 1, ${a}->data, (size_t)${a}->length * sizeof(${ec})); ${a}->data[0] = ${v}; ++${a}->length; })`;
    }
    case "pop":
      return `({ ${recv} if (${a}->length == 0) keel_panic_at("pop() of an empty array", ${L}); ${a}->data[--${a}->length]; })`;
    case "shift": {
      const v = ctx.temp("v");
      return `({ ${recv} if (${a}->length == 0) keel_panic_at("shift() of an empty array", ${L}); ${ec} ${v} = ${a}->data[0]; memmove(${a}->data, ${a}->data + 1, (size_t)(--${a}->length) * sizeof(${ec})); ${v}; })`;
    }
    case "indexOf":
    case "includes": {
      // fromIndex as ECMAScript clamps it: negative counts from the end, at least 0
      need(1);
      if (args.length > 2) lw.fail(c, BUILTIN_ARGUMENTS, `${name}() with ${args.length} arguments`);
      const v = ctx.temp("v");
      const r = ctx.temp("r");
      const f = ctx.temp("f");
      const from = args[1] ? `int64_t ${f} = ${arg(1, NUM)}; if (${f} < 0) ${f} = ${f} + ${a}->length < 0 ? 0 : ${f} + ${a}->length;` : `int64_t ${f} = 0;`;
      const body = `${recv} ${ec} ${v} = ${arg(0, el)}; ${from} int64_t ${r} = -1; for (int64_t ${i} = ${f}; ${i} < ${a}->length; ${i}++) if (${eq(`${a}->data[${i}]`, v)}) { ${r} = ${i}; break; }`;
      return name === "indexOf" ? `({ ${body} ${r}; })` : `({ ${body} ${r} >= 0; })`;
    }
    case "lastIndexOf": {
      // fromIndex defaults to length - 1; negative counts from the end
      need(1);
      if (args.length > 2) lw.fail(c, BUILTIN_ARGUMENTS, `lastIndexOf() with ${args.length} arguments`);
      const v = ctx.temp("v");
      const r = ctx.temp("r");
      const f = ctx.temp("f");
      const from = args[1]
        ? `int64_t ${f} = ${arg(1, NUM)}; if (${f} < 0) ${f} += ${a}->length; else if (${f} > ${a}->length - 1) ${f} = ${a}->length - 1;`
        : `int64_t ${f} = ${a}->length - 1;`;
      return `({ ${recv} ${ec} ${v} = ${arg(0, el)}; ${from} int64_t ${r} = -1; for (int64_t ${i} = ${f}; ${i} >= 0; ${i}--) if (${eq(`${a}->data[${i}]`, v)}) { ${r} = ${i}; break; } ${r}; })`;
    }
    case "slice": {
      const s0 = args[0] ? arg(0, NUM) : "0";
      const s1 = args[1] ? arg(1, NUM) : "INT64_MAX";
      const r = ctx.temp("r");
      const [b, e] = [ctx.temp("b"), ctx.temp("e")];
      return `({ ${recv} int64_t ${b} = keel_arr_pos(${s0}, ${a}->length); int64_t ${e} = keel_arr_pos(${s1}, ${a}->length); if (${e} < ${b}) ${e} = ${b}; ` +
        `${st} *${r} = keel_new_array(${e} - ${b}, sizeof(${ec}), ${em.arrTypeId(el)}, ${L}); memcpy(${r}->data, ${a}->data + ${b}, (size_t)(${e} - ${b}) * sizeof(${ec})); ${r}; })`;
    }
    case "splice": {
      // splice(start, deleteCount = rest, ...items): removed elements returned as a new array.
      need(1);
      const items = args.slice(2);
      const r = ctx.temp("r");
      const [b, n, v] = [ctx.temp("b"), ctx.temp("n"), ctx.temp("ins")];
      const cnt = args[1] ? arg(1, NUM) : "INT64_MAX";
      const parts = [recv, `int64_t ${b} = keel_arr_pos(${arg(0, NUM)}, ${a}->length);`, `int64_t ${n} = ${cnt};`,
        `if (${n} < 0) ${n} = 0; if (${n} > ${a}->length - ${b}) ${n} = ${a}->length - ${b};`];
      items.forEach((it, k) => parts.push(`${ec} ${v}${k} = ${lw.exprAs(it, el, ctx)};`));
      parts.push(`${st} *${r} = keel_new_array(${n}, sizeof(${ec}), ${em.arrTypeId(el)}, ${L});`,
        `memcpy(${r}->data, ${a}->data + ${b}, (size_t)${n} * sizeof(${ec}));`,
        reserve(`${a}->length - ${n} + ${items.length}`),
        `memmove(${a}->data + ${b} + ${items.length}, ${a}->data + ${b} + ${n}, (size_t)(${a}->length - ${b} - ${n}) * sizeof(${ec}));`);
      items.forEach((_it, k) => parts.push(`${a}->data[${b} + ${k}] = ${v}${k};`));
      parts.push(`${a}->length += ${items.length} - ${n};`, `${r};`);
      return `({ ${parts.join(" ")} })`;
    }
    case "join": {
      const sep = args[0] ? lw.nullChecked(lw.exprAs(args[0], STR, ctx), STR, args[0]) : '","';
      const sb = ctx.temp("sb");
      const sv = ctx.temp("sep");
      const parts = [recv, `const char *${sv} = ${sep};`, `struct keel_sb ${sb};`, `keel_sb_init_heap(&${sb}, ${L});`,
        `for (int64_t ${i} = 0; ${i} < ${a}->length; ${i}++) {`, `if (${i} > 0) keel_sb_str(&${sb}, ${sv});`];
      const x = `${a}->data[${i}]`;
      // JavaScript's join: null (and undefined) elements are empty.
      if (el.k === "num") parts.push(`keel_sb_i64(&${sb}, ${x});`);
      else if (el.k === "big") parts.push(`keel_sb_u64(&${sb}, ${x});`);
      else if (el.k === "bool") parts.push(`keel_sb_bool(&${sb}, ${x});`);
      else if (el.k === "str") parts.push(`if (${x} != NULL) keel_sb_str(&${sb}, ${x});`);
      else lw.fail(c, JOIN_ELEMENTS, `join() on an array of ${typeName(el)}`);
      parts.push("}", `keel_sb_cstr(&${sb});`);
      return `({ ${parts.join(" ")} })`;
    }
    case "sort": {
      if (args.length !== 1) lw.fail(c, BUILTIN_ARGUMENTS, "sort() without a comparator (Node's default order compares numbers as strings)");
      const f = ctx.temp("cmp");
      const fk = lw.kt(args[0]!, ctx);
      if (fk.k !== "fn") lw.fail(args[0]!, BUILTIN_ARGUMENTS, "sort() with a comparator that is not a function");
      const [j, x] = [ctx.temp("j"), ctx.temp("x")];
      // A stable insertion sort on small arrays, as the comparator defines the order
      // (Node's sort is stable too); merge sort above.
      return `({ ${recv} ${em.fnTypedef(fk)} ${f} = ${lw.exprAs(args[0]!, fk, ctx)}; ` +
        `if (${a}->length > 16) keel_arr_merge_sort(${a}->data, ${a}->length, sizeof(${ec}), (int64_t (*)(const void *, const void *, void *))keel_sortcmp_${sortKind(el)}, (void *)${f}, ${storage}); ` +
        `else for (int64_t ${i} = 1; ${i} < ${a}->length; ${i}++) { ${ec} ${x} = ${a}->data[${i}]; int64_t ${j} = ${i} - 1; ` +
        `while (${j} >= 0 && ${f}(${a}->data[${j}], ${x}) > 0) { ${a}->data[${j} + 1] = ${a}->data[${j}]; ${j}--; } ${a}->data[${j} + 1] = ${x}; } ${a}; })`;
    }
    case "forEach":
    case "map":
    case "filter":
    case "some":
    case "every":
    case "findIndex": {
      if (args.length !== 1) lw.fail(c, BUILTIN_ARGUMENTS, `${name}() with ${args.length} arguments (a callback and a thisArg)`);
      const fk = lw.kt(args[0]!, ctx);
      if (fk.k !== "fn") lw.fail(args[0]!, BUILTIN_ARGUMENTS, `${name}() with a callback that is not a function`);
      const rk = lw.kt(c, ctx);
      const len = ctx.temp("len");
      const callArgs = [`${a}->data[${i}]`, i, a].slice(0, fk.params.length);
      // An arrow written here runs in place (it may use the enclosing function's variables);
      // any other function value is called through its pointer.
      let fn: ts.Expression = args[0]!;
      while (ts.isParenthesizedExpression(fn)) fn = fn.expression;
      const body = inlineCallbackBody(fn, lw.checker);
      let head = `${recv} int64_t ${len} = ${a}->length;`;
      let call: (mode: "value" | "cond" | "stmt") => string;
      if (body !== null && ts.isArrowFunction(fn)) {
        const want = name === "map" && rk.k === "arr" ? rk.elem : BOOL;
        call = (mode) => lw.inlineCallback(fn, body, callArgs, [el, NUM, at], mode, want, ctx);
      } else {
        const f = ctx.temp("fn");
        head = `${recv} ${em.fnTypedef(fk)} ${f} = ${lw.exprAs(args[0]!, fk, ctx)}; int64_t ${len} = ${a}->length;`;
        call = (mode) => (mode === "stmt" ? `${f}(${callArgs.join(", ")});` : `${f}(${callArgs.join(", ")})`);
      }
      const loop = (body: string): string => `for (int64_t ${i} = 0; ${i} < ${len} && ${i} < ${a}->length; ${i}++) { ${body} }`;
      if (name === "forEach") return `({ ${head} ${loop(call("stmt"))} })`;
      if (name === "map") {
        if (rk.k !== "arr") lw.internal(c, "a map() whose result is not an array");
        const r = ctx.temp("r");
        const rs = `struct ${em.arrStruct(rk.elem)}`;
        return `({ ${head} ${rs} *${r} = keel_new_array(${len}, sizeof(${em.ctype(rk.elem)}), ${em.arrTypeId(rk.elem)}, ${L}); ${loop(`${r}->data[${i}] = ${call("value")};`)} ${r}; })`;
      }
      if (name === "filter") {
        const r = ctx.temp("r");
        const v = ctx.temp("v");
        const rstorage = storage;
        return `({ ${head} ${st} *${r} = keel_new_array(0, sizeof(${ec}), ${em.arrTypeId(el)}, ${L}); ` +
          loop(`${ec} ${v} = ${a}->data[${i}]; if (${call("cond")}) { keel_arr_reserve(${r}, sizeof(${ec}), ${r}->length + 1, ${rstorage}); ${r}->data[${r}->length++] = ${v}; }`) + ` ${r}; })`;
      }
      const r = ctx.temp("r");
      if (name === "some") return `({ ${head} bool ${r} = false; ${loop(`if (${call("cond")}) { ${r} = true; break; }`)} ${r}; })`;
      if (name === "every") return `({ ${head} bool ${r} = true; ${loop(`if (!(${call("cond")})) { ${r} = false; break; }`)} ${r}; })`;
      return `({ ${head} int64_t ${r} = -1; ${loop(`if (${call("cond")}) { ${r} = ${i}; break; }`)} ${r}; })`;
    }
  }
  return null;
}

/** Which runtime trampoline calls a comparator on two elements of this C type. */
function sortKind(el: KType): string {
  if (el.k === "num") return "i64";
  if (el.k === "big") return "u64";
  if (el.k === "bool") return "bool";
  return "ptr";
}
