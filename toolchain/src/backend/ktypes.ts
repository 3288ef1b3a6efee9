// Keel types: the back end's view of TypeScript types, each with one C representation.
// A TypeScript type is converted under an environment that binds the type parameters of the
// generic function or class instance being compiled (monomorphisation).
import ts from "typescript";

export type TArrKind = "u8" | "u8c" | "i8" | "u16" | "i16" | "u32" | "i32" | "u64";

export type KType =
  | { k: "num" }
  | { k: "big" }
  | { k: "bool" }
  | { k: "str"; nullable: boolean }
  | { k: "void" }
  | { k: "null" }
  | { k: "class"; inst: ClassInstRef; nullable: boolean }
  | { k: "tarr"; kind: TArrKind; nullable: boolean }
  | { k: "arr"; elem: KType; nullable: boolean }
  | { k: "fn"; params: KType[]; ret: KType; nullable: boolean }
  /** Map<K, V> (val set) or Set<K> (val null): user and hosted only (toolchain/runtime/keel_map.c). */
  | { k: "map"; key: KType; val: KType | null; nullable: boolean };

/** What a class KType points at; the emitter owns the full instance record. */
export interface ClassInstRef {
  decl: ts.ClassDeclaration;
  args: KType[];
  /** The struct's C name: unique in the program, so it also identifies the instance. */
  cname: string;
}

export const NUM: KType = { k: "num" };
export const BIG: KType = { k: "big" };
export const BOOL: KType = { k: "bool" };
export const STR: KType = { k: "str", nullable: false };
export const VOID: KType = { k: "void" };
export const NULL: KType = { k: "null" };

export const TARR_BY_NAME: Record<string, TArrKind> = {
  Uint8Array: "u8",
  Uint8ClampedArray: "u8c",
  Int8Array: "i8",
  Uint16Array: "u16",
  Int16Array: "i16",
  Uint32Array: "u32",
  Int32Array: "i32",
  BigUint64Array: "u64",
};
export const TARR_NAME: Record<TArrKind, string> = {
  u8: "Uint8Array",
  u8c: "Uint8ClampedArray",
  i8: "Int8Array",
  u16: "Uint16Array",
  i16: "Int16Array",
  u32: "Uint32Array",
  i32: "Int32Array",
  u64: "BigUint64Array",
};
export const TARR_ELEM_C: Record<TArrKind, string> = {
  u8: "uint8_t",
  u8c: "uint8_t",
  i8: "int8_t",
  u16: "uint16_t",
  i16: "int16_t",
  u32: "uint32_t",
  i32: "int32_t",
  u64: "uint64_t",
};

export function isNullable(t: KType): boolean {
  return t.k === "null" || ("nullable" in t && t.nullable);
}

export function isRef(t: KType): boolean {
  return t.k === "class" || t.k === "tarr" || t.k === "arr" || t.k === "fn" || t.k === "str" || t.k === "null" || t.k === "map";
}

export function withNullable(t: KType, nullable: boolean): KType {
  switch (t.k) {
    case "class":
    case "tarr":
    case "arr":
    case "fn":
    case "str":
    case "map":
      return { ...t, nullable };
    default:
      return t;
  }
}

/** A key naming the type exactly (for interning): different types never share a key. */
export function typeKey(t: KType): string {
  switch (t.k) {
    case "num":
      return "i64";
    case "big":
      return "u64";
    case "class":
      return t.inst.cname;
    case "tarr":
      return TARR_NAME[t.kind];
    case "arr":
      return `Array<${typeKey(t.elem)}>`;
    case "fn":
      return `(${t.params.map(typeKey).join(",")})=>${typeKey(t.ret)}`;
    case "map":
      return t.val ? `Map<${typeKey(t.key)},${typeKey(t.val)}>` : `Set<${typeKey(t.key)}>`;
    default:
      return t.k;
  }
}

/** The type as shown to people (type table, diagnostics): `Box<i64>`, `Array<Node>`. */
export function typeName(t: KType): string {
  switch (t.k) {
    case "class": {
      const n = t.inst.decl.name?.text ?? "Anon";
      return t.inst.args.length ? `${n}<${t.inst.args.map(typeName).join(", ")}>` : n;
    }
    case "arr":
      return `Array<${typeName(t.elem)}>`;
    case "fn":
      return `(${t.params.map(typeName).join(", ")}) => ${typeName(t.ret)}`;
    case "map":
      return t.val ? `Map<${typeName(t.key)}, ${typeName(t.val)}>` : `Set<${typeName(t.key)}>`;
    default:
      return typeKey(t);
  }
}

/** The type as part of a C identifier: readable, not unique (the name table keeps names apart). */
export function typeIdent(t: KType): string {
  return typeName(t).replace(/[^A-Za-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
}

export function sameType(a: KType, b: KType): boolean {
  return typeKey(a) === typeKey(b);
}

/** Raised for input the back end cannot compile; becomes a KEEL9xxx diagnostic at `node`. */
export class BackendError extends Error {
  constructor(
    readonly node: ts.Node,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
