// Type predicates of the subset checker: which TypeScript types have a C representation in Keel.
import ts from "typescript";
import * as R from "./codes.ts";

const TYPED_ARRAY_NAMES = new Set([
  "Uint8Array", "Int8Array", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array", "BigUint64Array",
  "BigInt64Array", "Float32Array", "Float64Array", "Uint8ClampedArray", "Float16Array",
]);
const BAD_TYPED_ARRAY_NAMES = new Set(["BigInt64Array", "Float32Array", "Float64Array", "Float16Array"]);

function every(t: ts.Type, pred: (m: ts.Type) => boolean): boolean {
  if (t.isUnion()) return t.types.every(pred);
  return pred(t);
}

export function isNumberType(t: ts.Type): boolean {
  return every(t, (m) => (m.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.EnumLike)) !== 0 && !(m.flags & ts.TypeFlags.StringLiteral));
}

export function isBigIntType(t: ts.Type): boolean {
  return every(t, (m) => (m.flags & ts.TypeFlags.BigIntLike) !== 0);
}

export function isBooleanType(t: ts.Type): boolean {
  return every(t, (m) => (m.flags & ts.TypeFlags.BooleanLike) !== 0);
}

export function isStringType(t: ts.Type): boolean {
  return every(t, (m) => (m.flags & ts.TypeFlags.StringLike) !== 0);
}

export function typedArrayName(t: ts.Type): string | null {
  const s = t.getSymbol();
  if (s && TYPED_ARRAY_NAMES.has(s.name)) return s.name;
  return null;
}

/** Arrays, readonly arrays, tuples and typed arrays: what for...of and `[i]` accept. */
export function isArrayLike(checker: ts.TypeChecker, t: ts.Type): boolean {
  return checker.isArrayType(t) || checker.isTupleType(t) || typedArrayName(t) !== null;
}

/**
 * The KEEL code that rejects an (inferred) type, or 0 when the type has a C representation:
 * number, bigint, boolean, string, enums, classes, `T | null`, arrays and typed arrays of those,
 * function types, type parameters.
 */
export function typeProblem(checker: ts.TypeChecker, t: ts.Type, depth = 0, managed = false): number {
  if (depth > 8) return 0;
  const F = ts.TypeFlags;
  if (depth === 0 && t.flags & F.Never) return 0;
  if (t.flags & F.Any) return R.ANY;
  if (t.flags & F.Unknown) return R.UNKNOWN;
  if (t.flags & (F.Undefined | F.Void)) return R.UNDEFINED;
  if (t.flags & F.Null) return R.UNION;
  if (t.flags & F.ESSymbolLike) return R.SYMBOL;
  if (t.flags & (F.NumberLike | F.BigIntLike | F.BooleanLike | F.StringLike | F.EnumLike | F.Never)) {
    if (t.isUnion()) {
      // Enums and unions of one primitive's literals (`1 | 2` from a conditional) keep one C type.
      if (isNumberType(t) || isBooleanType(t) || isStringType(t) || isBigIntType(t)) return 0;
    } else {
      return 0;
    }
  }
  if (t.flags & F.TypeParameter) return 0;
  if (t.isUnion()) {
    const members = t.types.filter((m) => !(m.flags & F.Null));
    if (members.some((m) => m.flags & F.Undefined)) return R.UNDEFINED;
    const hadNull = members.length < t.types.length;
    if (!hadNull) {
      if (isBooleanType(t) || isNumberType(t) || isStringType(t) || isBigIntType(t)) return 0;
      return R.UNION;
    }
    const rest = members.length === 1 ? members[0]! : checker.getNonNullableType(t);
    // Only references (C pointers) can be null: not numbers, bigints or booleans.
    if (isBooleanType(rest) || isNumberType(rest) || isBigIntType(rest)) return R.UNION;
    if (members.length > 1 && !isStringType(rest)) return R.UNION;
    return typeProblem(checker, rest, depth + 1, managed);
  }
  // NonNullable<T> of a type parameter (T & {}) stands for T.
  if (t.isIntersection()) return t.types.some((m) => m.flags & F.TypeParameter) ? 0 : R.TYPE_OPERATOR;
  if (t.flags & F.Object) {
    if (checker.isArrayType(t)) {
      const el = checker.getTypeArguments(t as ts.TypeReference)[0];
      // `[]` with nothing to say what it holds: keelc cannot pick an element type.
      if (el && el.flags & F.Never) return R.NEW_ARRAY;
      return el ? typeProblem(checker, el, depth + 1, managed) : 0;
    }
    // Tuples, including `[a, b] as const`: one array of mixed or literal element types.
    if (checker.isTupleType(t)) return R.TUPLE;
    const ta = typedArrayName(t);
    if (ta !== null) return BAD_TYPED_ARRAY_NAMES.has(ta) ? R.TYPED_ARRAY_KIND : 0;
    // A class itself (its constructor) used as a value.
    if (t.getConstructSignatures().length > 0) return R.OBJECT_TYPE;
    const s = t.getSymbol();
    if (s && s.flags & ts.SymbolFlags.Class) {
      const decl = s.declarations?.[0];
      const lib = decl?.getSourceFile().isDeclarationFile ?? true;
      return lib ? R.LIBRARY : 0;
    }
    if (t.getCallSignatures().length > 0 && t.getProperties().length === 0) {
      for (const sig of t.getCallSignatures()) {
        for (const p of sig.getParameters()) {
          const c = typeProblem(checker, checker.getTypeOfSymbol(p), depth + 1, managed);
          if (c !== 0) return c;
        }
        const r = sig.getReturnType();
        if (!(r.flags & (F.Void | F.Never))) {
          const c = typeProblem(checker, r, depth + 1, managed);
          if (c !== 0) return c;
        }
      }
      return 0;
    }
    if (s && s.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Method)) return 0;
    if (s && s.flags & ts.SymbolFlags.Enum) return R.OBJECT_TYPE;
    if (s && s.flags & ts.SymbolFlags.Interface) {
      const decl = s.declarations?.[0];
      // Map and Set: user and hosted programs (the kernel has no collector to hold them).
      if (managed && (s.name === "Map" || s.name === "Set") && decl?.getSourceFile().isDeclarationFile) {
        for (const a of checker.getTypeArguments(t as ts.TypeReference)) {
          const c = typeProblem(checker, a, depth + 1, managed);
          if (c !== 0) return c;
        }
        return 0;
      }
      if (decl?.getSourceFile().isDeclarationFile) return R.LIBRARY;
    }
    return R.OBJECT_TYPE;
  }
  return 0;
}
