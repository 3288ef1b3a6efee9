// Map and Set, for the targets with a garbage collector (user, hosted): construction, the
// methods, `size`, and for...of over a Map or Set, its keys(), values() and entries() in
// insertion order. Keys and values travel as 64-bit slots (toolchain/runtime/keel_map.c).
import ts from "typescript";
import type { KType } from "./ktypes.ts";
import type { FnCtx, Lowerer } from "./lower.ts";
import { BUILTIN_ARGUMENTS, BUILTIN_METHOD } from "../subset/codes.ts";

type MapT = Extract<KType, { k: "map" }>;

/** The runtime's comparison for keys of type `k`. */
export function keyKind(k: KType): string {
  if (k.k === "str") return "KEEL_MAP_STRING";
  if (k.k === "num" || k.k === "big" || k.k === "bool") return "KEEL_MAP_BITS";
  return "KEEL_MAP_OBJECT";
}

/** A value of type `k` as a 64-bit slot. */
export function toSlot(lw: Lowerer, c: string, k: KType): string {
  if (k.k === "num" || k.k === "big" || k.k === "bool") return `(uint64_t)(${c})`;
  return `(uint64_t)(uintptr_t)(${c})`;
}

/** A slot back as a value of type `k`. */
export function fromSlot(lw: Lowerer, c: string, k: KType): string {
  if (k.k === "num") return `(int64_t)(${c})`;
  if (k.k === "big") return `(uint64_t)(${c})`;
  if (k.k === "bool") return `(bool)(${c})`;
  return `((${lw.em.ctype(k)})(uintptr_t)(${c}))`;
}

export function newMap(t: MapT): string {
  return `keel_map_new(${keyKind(t.key)})`;
}

/** A Map or Set method call. */
export function mapMethod(lw: Lowerer, c: ts.CallExpression, obj: ts.Expression, name: string, t: MapT, ctx: FnCtx): string {
  const m = ctx.temp("m");
  const recv = `struct keel_map *${m} = ${lw.nullChecked(lw.expr(obj, ctx), t, c)};`;
  const args = c.arguments;
  const key = (): string => {
    if (!args[0]) lw.fail(c, BUILTIN_ARGUMENTS, `${name}() without a key`);
    const kc = lw.exprAs(args[0], t.key, ctx);
    return toSlot(lw, t.key.k === "str" ? lw.nullChecked(kc, t.key, args[0]) : kc, t.key);
  };
  const k = ctx.temp("k");
  switch (name) {
    case "set":
    case "add": {
      if ((name === "set") !== (t.val !== null)) lw.internal(c, `${name}() on a ${t.val ? "Map" : "Set"}`);
      const v = t.val ? toSlot(lw, lw.exprAs(args[1]!, t.val, ctx), t.val) : "0";
      return `({ ${recv} uint64_t ${k} = ${key()}; keel_map_set(${m}, ${k}, ${v}); })`;
    }
    case "get": {
      if (!t.val) lw.internal(c, "get() on a Set");
      const must = t.val.k === "num" || t.val.k === "big" || t.val.k === "bool";
      return fromSlot(lw, `({ ${recv} uint64_t ${k} = ${key()}; keel_map_get(${m}, ${k}, ${must}, ${lw.loc(c)}); })`, t.val);
    }
    case "has":
      return `({ ${recv} uint64_t ${k} = ${key()}; keel_map_has(${m}, ${k}); })`;
    case "delete":
      return `({ ${recv} uint64_t ${k} = ${key()}; keel_map_delete(${m}, ${k}); })`;
    case "clear":
      return `({ ${recv} keel_map_clear(${m}); })`;
  }
  lw.fail(c, BUILTIN_METHOD, `the ${t.val ? "Map" : "Set"} method '${name}' (keelc provides set/add, get, has, delete, clear, size, and for...of over keys(), values(), entries())`);
}

/** What a for...of iterates when it is a Map or Set: the collection and which part of each entry. */
export function mapIteration(lw: Lowerer, e: ts.Expression, ctx: FnCtx): { map: ts.Expression; t: MapT; part: "keys" | "values" | "entries" } | null {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.arguments.length === 0) {
    const ot = lw.kt(e.expression.expression, ctx);
    const n = e.expression.name.text;
    if (ot.k === "map" && (n === "keys" || n === "values" || n === "entries")) {
      // A Set's values() and keys() are its elements.
      const part = !ot.val ? "keys" : n;
      return { map: e.expression.expression, t: ot, part: part as "keys" | "values" | "entries" };
    }
    return null;
  }
  const direct = lw.kt(e, ctx);
  if (direct.k === "map") return { map: e, t: direct, part: direct.val ? "entries" : "keys" };
  return null;
}
