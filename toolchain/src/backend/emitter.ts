// C back end: lowers the type-checked program to C11, one translation unit per module.
// Types come from the TypeChecker (converted under the environment of the generic instance being
// compiled); generic functions and classes are instantiated on demand through a work queue.
import ts from "typescript";
import type { FrontEnd } from "../program.ts";
import { formatDiagnostic } from "../diagnostics.ts";
import { CLASS_UNION, EXPORT_GENERIC, EXPORT_TAKEN, FIELD_NAME, GENERIC_OVERRIDE, INTERNAL, MAP_KEY, ruleFor, UNBOUND_TYPE_PARAMETER } from "../subset/codes.ts";
import {
  BackendError,
  BIG,
  BOOL,
  isNullable,
  NULL,
  NUM,
  STR,
  TARR_BY_NAME,
  TARR_ELEM_C,
  TARR_NAME,
  typeIdent,
  typeKey,
  typeName,
  VOID,
  withNullable,
  type ClassInstRef,
  type KType,
  type TArrKind,
} from "./ktypes.ts";
import { cIdent, cString, firstFree, localIdent, modulePrefix, NameTable } from "./names.ts";
import { Lowerer } from "./lower.ts";

export interface EmitOptions {
  target: "kernel" | "user" | "hosted";
  checked: boolean;
  symtab: boolean;
}

export interface EmitResult {
  files: Map<string, string>;
  diagnostics: string[];
}

/** Names keel_main.c defines for every program. */
const PROGRAM_SYMBOLS = ["main", "keel_main", "keel_type_names", "keel_type_live", "keel_type_count", "keel_symtab", "keel_symtab_len"];

/** The symbol of a `@extern sym` / `@export sym` JSDoc tag: null without the tag, "" when it names none. */
function tagSymbol(decl: ts.Node, tag: string): string | null {
  for (const t of ts.getJSDocTags(decl)) {
    if (t.tagName.text !== tag) continue;
    const c = typeof t.comment === "string" ? t.comment : ts.getTextOfJSDocComment(t.comment);
    const sym = (c ?? "").trim().split(/\s+/)[0] ?? "";
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(sym) ? sym : "";
  }
  return null;
}

/** Functions the runtime header itself provides: `@extern` bindings to these need no declaration. */
export const RUNTIME_SYMBOLS = new Set([
  "keel_load8",
  "keel_load16",
  "keel_load32",
  "keel_load64",
  "keel_store8",
  "keel_store16",
  "keel_store32",
  "keel_store64",
  "keel_panic",
  "keel_release",
  "keel_live_objects",
  "keel_symtab_count",
  "keel_symtab_addr",
  "keel_symtab_name",
  "keel_symtab_file",
  "keel_symtab_line",
  "keel_write",
  "keel_alloc",
]);

/** Type-parameter bindings of the instance being compiled. */
export class Env {
  constructor(
    readonly map: Map<ts.Type, KType>,
    readonly thisInst: ClassInst | null,
  ) {}
}

export class ModOut {
  readonly header: string[] = [];
  readonly body: string[] = [];
  readonly init: string[] = [];
  initCtx: FnCtxLike | null = null;
  constructor(
    readonly sf: ts.SourceFile,
    readonly prefix: string,
    readonly rel: string,
    /** The C function running the module's top-level code. */
    readonly initName: string,
  ) {}
}

/** Minimal view of a function context the emitter needs (the Lowerer owns the full one). */
export interface FnCtxLike {
  env: Env;
}

export class Field {
  constructor(
    readonly name: string,
    readonly cname: string,
    readonly type: KType,
    readonly decl: ts.Node,
  ) {}
}

export class ClassInst implements ClassInstRef {
  base: ClassInst | null = null;
  fields: Field[] = [];
  typeId = 0;
  /** vtable slots of this root class: name → C function-pointer declarator pieces. */
  readonly slots = new Map<string, { ret: string; params: string[] }>();
  structDefined = false;
  constructor(
    readonly decl: ts.ClassDeclaration,
    readonly args: KType[],
    readonly cname: string,
    /** C names of the constructor body, the allocating constructor and the vtable (struct and object). */
    readonly initName: string,
    readonly newName: string,
    readonly vtName: string,
    readonly env: Env,
    readonly mod: ModOut,
  ) {}
  root(): ClassInst {
    let r: ClassInst = this;
    while (r.base) r = r.base;
    return r;
  }
  private readonly slotNames = new Map<string, string>();
  /** The vtable member for method `method`, unique within the root's vtable. */
  slotName(method: string): string {
    const names = this.root().slotNames;
    let n = names.get(method);
    if (!n) {
      const used = new Set(names.values());
      n = firstFree(localIdent(method), (x) => used.has(x));
      names.set(method, n);
    }
    return n;
  }
  /** C access path from an instance pointer to the start of `anc`'s embedded struct. */
  pathTo(anc: ClassInst): string {
    let p = "";
    for (let c: ClassInst | null = this; c && c !== anc; c = c.base) p += "keel_base.";
    return p;
  }
}

export class FnInst {
  constructor(
    readonly decl: ts.SignatureDeclaration,
    readonly owner: ClassInst | null,
    readonly env: Env,
    readonly cname: string,
    readonly mod: ModOut,
    readonly virtual: boolean,
  ) {}
}

class ClassInfo {
  base: ts.ClassDeclaration | null = null;
  readonly subs: ts.ClassDeclaration[] = [];
  constructor(readonly decl: ts.ClassDeclaration) {}
}

export class Emitter {
  readonly checker: ts.TypeChecker;
  readonly names = new NameTable();
  /** `@export` symbol → the function that claimed it. */
  private readonly exported = new Map<string, ts.FunctionDeclaration>();
  readonly mods = new Map<ts.SourceFile, ModOut>();
  readonly diags: BackendError[] = [];
  private readonly globalNames = new Map<ts.Node, string>();
  private readonly classInfos = new Map<ts.ClassDeclaration, ClassInfo>();
  readonly insts = new Map<string, ClassInst>();
  private readonly fnInsts = new Map<string, FnInst>();
  private readonly queue: (() => void)[] = [];
  private readonly fnTypedefs: string[] = [];
  private readonly fnTypedefNames = new Map<string, string>();
  private readonly arrDefs: string[] = [];
  private readonly arrNames = new Map<string, string>();
  readonly helperDefs: string[] = [];
  private readonly helperNames = new Map<string, string>();
  readonly typeNames: string[] = [];
  /** Per type id: whether its objects may hold references the collector must trace. */
  readonly typeScan: boolean[] = [];
  /** Module variables and static fields of reference type: the collector's precise roots. */
  readonly gcRoots: string[] = [];
  private readonly typeIdByKey = new Map<string, number>();
  readonly symtab: { cname: string; name: string; file: string; line: number }[] = [];
  private readonly lambdaNames = new Map<ts.Node, FnInst>();
  readonly lower: Lowerer;

  constructor(
    readonly fe: FrontEnd,
    readonly opts: EmitOptions,
  ) {
    this.checker = fe.checker;
    const all = [...fe.modules, ...fe.typeOnlyModules];
    // Names bound exactly (by the runtime, the linker or assembly) are claimed before any other,
    // so a generated name that happens to equal one of them is the one that moves.
    for (const n of PROGRAM_SYMBOLS) this.names.fix(n);
    const fns = all.flatMap((m) => m.statements.filter(ts.isFunctionDeclaration));
    for (const f of fns) {
      const sym = tagSymbol(f, "export");
      if (!sym) continue;
      if (f.typeParameters?.length) this.diags.push(this.error(f, EXPORT_GENERIC, `@export ${sym} on the generic function '${f.name?.text ?? ""}'`));
      else if (this.names.fix(sym)) this.exported.set(sym, f);
      else this.diags.push(this.error(f, EXPORT_TAKEN, `@export ${sym} on '${f.name?.text ?? ""}', a symbol ${this.exported.has(sym) ? `'${this.exported.get(sym)!.name?.text ?? ""}' already exports` : "keelc's runtime already defines"}`));
    }
    // An @extern may name an exported function (it declares what another module defines).
    for (const f of fns) {
      const sym = tagSymbol(f, "extern");
      if (sym) this.names.fix(sym);
    }
    const prefixes = new NameTable();
    for (const m of all) {
      const rel = fe.rel(m.fileName);
      const prefix = prefixes.unique(modulePrefix(rel));
      this.mods.set(m, new ModOut(m, prefix, rel, this.names.unique(`${prefix}__module_init`)));
    }
    // Type id 0..: typed arrays and plain arrays share ids per element kind.
    for (const k of Object.keys(TARR_BY_NAME)) this.typeId(k, false);
    // Fixed ids the managed runtime allocates with (keel.h): run-time strings, maps and their storage.
    if (opts.target !== "kernel") {
      this.typeId("string", false);
      this.typeId("Map", true);
      this.typeId("Map storage", true);
      this.typeId("Map index", false);
    }
    this.lower = new Lowerer(this);
  }

  // ---------------------------------------------------------------- diagnostics

  /**
   * A back-end diagnostic at `node`: `what` names what the program wrote; the table
   * (subset/codes.ts) adds why keelc cannot compile it and what to write instead.
   */
  error(node: ts.Node, code: number, what: string): BackendError {
    const r = ruleFor(code);
    const msg = r.internal
      ? `keelc cannot compile ${what}: ${r.why}; please report it`
      : `${what}: ${r.why}; ${r.instead}`;
    return new BackendError(node, code, msg);
  }

  fail(node: ts.Node, code: number, what: string): never {
    throw this.error(node, code, what);
  }

  /** A construct the checker should have rejected (or keelc mishandled): KEEL9199, exit status 3. */
  internal(node: ts.Node, what: string): never {
    throw this.error(node, INTERNAL, what);
  }

  /** Runs `f`, turning a back-end error into a diagnostic so the rest of the program still compiles. */
  guard(f: () => void, at: ts.Node | null = null): void {
    try {
      f();
    } catch (e) {
      if (e instanceof BackendError) this.diags.push(e);
      else if (at && e instanceof Error && !process.env.KEELC_DEBUG) {
        // A keelc bug: still a located diagnostic, not a stack trace (KEELC_DEBUG=1 shows it).
        this.diags.push(this.error(at, INTERNAL, `this construct (${e.message})`));
      } else throw e;
    }
  }

  loc(node: ts.Node): { file: string; line: number; col: number } {
    const sf = node.getSourceFile();
    const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    return { file: this.fe.rel(sf.fileName), line: line + 1, col: character + 1 };
  }

  modOf(node: ts.Node): ModOut {
    const m = this.mods.get(node.getSourceFile());
    if (!m) this.internal(node, "this declaration lives in a module keelc does not compile (a host-only module?)");
    return m;
  }

  typeId(name: string, scan = true): number {
    let id = this.typeIdByKey.get(name);
    if (id === undefined) {
      id = this.typeNames.length;
      this.typeNames.push(name);
      this.typeScan.push(scan);
      this.typeIdByKey.set(name, id);
    }
    return id;
  }

  /** The type id of arrays of `elem`: traced only when the elements are heap references. */
  arrTypeId(elem: KType): number {
    return this.typeId(`Array<${typeName(elem)}>`, holdsHeapRef(elem));
  }

  /** Records a global C variable of type `t` as a collector root when it can hold a reference. */
  gcRoot(t: KType, cname: string): void {
    if (holdsHeapRef(t)) this.gcRoots.push(cname);
  }

  // ---------------------------------------------------------------- types

  /** Converts a TypeScript type to a Keel type under `env`. */
  toK(t: ts.Type, env: Env, at: ts.Node): KType {
    const f = t.flags;
    if (f & ts.TypeFlags.TypeParameter) {
      const bound = env.map.get(t);
      if (bound) return bound;
      if ((t as { isThisType?: boolean }).isThisType && env.thisInst) {
        return { k: "class", inst: env.thisInst, nullable: false };
      }
      this.fail(at, UNBOUND_TYPE_PARAMETER, `type parameter '${this.checker.typeToString(t)}' used where no instance of its class is known`);
    }
    if (f & ts.TypeFlags.Union) {
      const u = t as ts.UnionType;
      let nullable = false;
      const rest: ts.Type[] = [];
      for (const m of u.types) {
        // `undefined` only enters through indexed access (noUncheckedIndexedAccess): out-of-bounds
        // reads panic in C, so the element type stands.
        if (m.flags & ts.TypeFlags.Undefined) continue;
        if (m.flags & ts.TypeFlags.Null) nullable = true;
        else rest.push(m);
      }
      if (rest.length === 0) return NULL;
      if (rest.every((m) => m.flags & ts.TypeFlags.BooleanLike)) return nullable ? this.badNullable(at, t) : BOOL;
      if (rest.every((m) => m.flags & ts.TypeFlags.NumberLike)) return nullable ? this.badNullable(at, t) : NUM;
      if (rest.every((m) => m.flags & ts.TypeFlags.BigIntLike)) return nullable ? this.badNullable(at, t) : BIG;
      if (rest.every((m) => m.flags & ts.TypeFlags.StringLike)) return withNullable(STR, nullable);
      if (rest.length === 1) {
        const k = this.toK(rest[0]!, env, at);
        if (nullable && (k.k === "num" || k.k === "big" || k.k === "bool")) return this.badNullable(at, t);
        return withNullable(k, nullable);
      }
      const ks = rest.map((m) => this.toK(m, env, at));
      if (ks.every((k) => typeKey(k) === typeKey(ks[0]!))) return withNullable(ks[0]!, nullable);
      if (ks.every((k) => k.k === "class")) {
        // typically `c ? new A() : new B()`, which compiles where the common base is declared
        this.fail(at, CLASS_UNION, `this value has one of several classes ('${this.checker.typeToString(t)}')`);
      }
      this.internal(at, `union type '${this.checker.typeToString(t)}' has no C representation; use a class or T | null`);
    }
    if (f & ts.TypeFlags.Intersection) {
      // NonNullable<T> is T & {}: drop the empty object types
      const rest = (t as ts.IntersectionType).types.filter(
        (m) => !(m.flags & ts.TypeFlags.Object && m.getProperties().length === 0 && m.getCallSignatures().length === 0),
      );
      if (rest.length === 1) return withNullable(this.toK(rest[0]!, env, at), false);
      this.internal(at, `intersection type '${this.checker.typeToString(t)}' is not supported`);
    }
    if (f & ts.TypeFlags.Substitution) return this.toK((t as ts.SubstitutionType).baseType, env, at);
    if (f & ts.TypeFlags.NumberLike) return NUM;
    if (f & ts.TypeFlags.BigIntLike) return BIG;
    if (f & ts.TypeFlags.BooleanLike) return BOOL;
    if (f & ts.TypeFlags.StringLike) return STR;
    if (f & (ts.TypeFlags.Void | ts.TypeFlags.Undefined | ts.TypeFlags.Never)) return VOID;
    if (f & ts.TypeFlags.Null) return NULL;
    if (f & ts.TypeFlags.Object) {
      const sym = t.getSymbol() ?? t.aliasSymbol;
      const name = sym?.getName() ?? "";
      if (name in TARR_BY_NAME && this.isLibSymbol(sym)) return { k: "tarr", kind: TARR_BY_NAME[name]!, nullable: false };
      if ((name === "Map" || name === "Set") && this.isLibSymbol(sym) && this.opts.target !== "kernel") {
        const ta = this.checker.getTypeArguments(t as ts.TypeReference);
        if (ta.length !== (name === "Map" ? 2 : 1)) this.internal(at, `${name} needs its type arguments`);
        const key = this.toK(ta[0]!, env, at);
        if (key.k === "fn" || key.k === "void" || key.k === "null" || isNullable(key)) this.fail(at, MAP_KEY, `a ${name} with keys of type '${this.checker.typeToString(ta[0]!)}'`);
        return { k: "map", key, val: name === "Map" ? this.toK(ta[1]!, env, at) : null, nullable: false };
      }
      if (this.checker.isArrayType(t)) {
        const el = this.checker.getTypeArguments(t as ts.TypeReference)[0];
        if (!el) this.internal(at, "array element type unknown");
        return { k: "arr", elem: this.toK(el, env, at), nullable: false };
      }
      if (this.checker.isTupleType(t)) this.internal(at, "tuples are not supported; use a class");
      const decl = sym?.valueDeclaration ?? sym?.declarations?.[0];
      if (decl && ts.isClassDeclaration(decl) && sym && sym.flags & ts.SymbolFlags.Class) {
        const n = decl.typeParameters?.length ?? 0;
        let args: KType[] = [];
        if (n > 0) {
          const targs = (t as ts.TypeReference).target ? this.checker.getTypeArguments(t as ts.TypeReference) : [];
          if (targs.length < n) this.internal(at, `generic class '${name}' used without type arguments`);
          args = targs.slice(0, n).map((a) => this.toK(a, env, at));
        }
        return { k: "class", inst: this.classInst(decl, args, at), nullable: false };
      }
      const sigs = t.getCallSignatures();
      if (sigs.length === 1 && t.getProperties().length === 0) {
        const sig = sigs[0]!;
        if (sig.typeParameters?.length) this.internal(at, "generic function values are not supported");
        const params = sig.getParameters().map((p) => this.toK(this.checker.getTypeOfSymbol(p), env, at));
        const ret = this.toK(sig.getReturnType(), env, at);
        return { k: "fn", params, ret, nullable: false };
      }
    }
    this.internal(at, `type '${this.checker.typeToString(t)}' has no C representation in keelc`);
  }

  private badNullable(at: ts.Node, t: ts.Type): never {
    this.internal(at, `'${this.checker.typeToString(t)}': null can only be combined with class, array, string or function types`);
  }

  private isLibSymbol(sym: ts.Symbol | undefined): boolean {
    const d = sym?.declarations?.[0];
    return !!d && d.getSourceFile().isDeclarationFile;
  }

  typeAt(node: ts.Node, env: Env): KType {
    return this.toK(this.checker.getTypeAtLocation(node), env, node);
  }

  /** The C type of a Keel type. */
  ctype(t: KType): string {
    switch (t.k) {
      case "num":
        return "int64_t";
      case "big":
        return "uint64_t";
      case "bool":
        return "bool";
      case "str":
        return "const char *";
      case "void":
        return "void";
      case "null":
        return "void *";
      case "map":
        return "struct keel_map *";
      case "class":
        return `struct ${t.inst.cname} *`;
      case "tarr":
        return `struct keel_${t.kind}arr *`;
      case "arr":
        return `struct ${this.arrStruct(t.elem)} *`;
      case "fn":
        return this.fnTypedef(t);
    }
  }

  /** Declares `ctype name` (ctype strings ending in '*' need no space). */
  decl(t: KType, name: string): string {
    const c = this.ctype(t);
    return c.endsWith("*") ? `${c}${name}` : `${c} ${name}`;
  }

  arrStruct(elem: KType): string {
    const key = typeKey(elem);
    let n = this.arrNames.get(key);
    if (!n) {
      const ec = this.ctype(elem);
      n = this.names.unique(`keel_A_${typeIdent(elem)}`);
      this.arrNames.set(key, n);
      this.arrDefs.push(`struct ${n} {\n  int64_t length;\n  ${ec.endsWith("*") ? ec : ec + " "}*data;\n};`);
    }
    return n;
  }

  fnTypedef(t: Extract<KType, { k: "fn" }>): string {
    const key = typeKey({ ...t, nullable: false });
    let n = this.fnTypedefNames.get(key);
    if (!n) {
      const params = t.params.map((p) => this.ctype(p));
      const ret = this.ctype(t.ret);
      n = `keel_F_${this.fnTypedefNames.size}`;
      this.fnTypedefNames.set(key, n);
      this.fnTypedefs.push(`typedef ${ret} (*${n})(${params.length ? params.join(", ") : "void"}); /* ${typeName(t)} */`);
    }
    return n;
  }

  /** Element C type of an array or typed array. */
  elemC(t: KType): string {
    if (t.k === "tarr") return TARR_ELEM_C[t.kind];
    if (t.k === "arr") return this.ctype(t.elem);
    throw new Error("elemC of non-array");
  }

  /** `fill` helper for an array type: static inline, defined once in keel_types.h. */
  fillHelper(t: KType): string {
    const key = typeKey(t);
    let name = this.helperNames.get(key);
    if (!name) {
      name = this.names.unique(`keel_fill_${typeIdent(t)}`);
      this.helperNames.set(key, name);
      const at = this.ctype(withNullable(t, false));
      const vt = t.k === "tarr" ? (t.kind === "u64" ? "uint64_t" : "int64_t") : this.elemC(t);
      const store = t.k === "tarr" && t.kind === "u8c" ? "(uint8_t)keel_clamp_u8(v)" : `(${this.elemC(t)})v`;
      this.helperDefs.push(
        `static inline ${at}${name}(${at}a, ${vt.endsWith("*") ? vt : vt + " "}v) {\n` +
          `  for (int64_t i = 0; i < a->length; i++) a->data[i] = ${store};\n  return a;\n}`,
      );
    }
    return name;
  }

  // ---------------------------------------------------------------- classes

  private collectClasses(): void {
    for (const m of [...this.fe.modules, ...this.fe.typeOnlyModules]) {
      const visit = (n: ts.Node): void => {
        if (ts.isClassDeclaration(n)) this.classInfos.set(n, new ClassInfo(n));
        ts.forEachChild(n, visit);
      };
      visit(m);
    }
    for (const info of this.classInfos.values()) {
      const ext = info.decl.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
      if (!ext) continue;
      const bd = this.classDeclOf(ext.expression);
      if (bd) {
        info.base = bd;
        this.classInfos.get(bd)?.subs.push(info.decl);
      }
    }
  }

  classDeclOf(e: ts.Expression): ts.ClassDeclaration | null {
    let sym = this.checker.getSymbolAtLocation(e);
    if (sym && sym.flags & ts.SymbolFlags.Alias) sym = this.checker.getAliasedSymbol(sym);
    const d = sym?.valueDeclaration;
    return d && ts.isClassDeclaration(d) ? d : null;
  }

  classInfo(d: ts.ClassDeclaration): ClassInfo {
    let i = this.classInfos.get(d);
    if (!i) {
      i = new ClassInfo(d);
      this.classInfos.set(d, i);
    }
    return i;
  }

  rootDecl(d: ts.ClassDeclaration): ts.ClassDeclaration {
    let r = d;
    for (let b = this.classInfo(r).base; b; b = this.classInfo(r).base) r = b;
    return r;
  }

  private methodNames(d: ts.ClassDeclaration): string[] {
    const out: string[] = [];
    for (const m of d.members) {
      if (ts.isMethodDeclaration(m) && !this.isStatic(m) && m.name && ts.isIdentifier(m.name)) out.push(m.name.text);
    }
    return out;
  }

  private readonly virtualCache = new Map<ts.ClassDeclaration, Set<string>>();
  /** Method names of a hierarchy that some class overrides: these dispatch through the vtable. */
  virtualNames(d: ts.ClassDeclaration): Set<string> {
    const root = this.rootDecl(d);
    let s = this.virtualCache.get(root);
    if (s) return s;
    s = new Set<string>();
    const walk = (c: ts.ClassDeclaration, inherited: Set<string>): void => {
      const own = this.methodNames(c);
      for (const n of own) if (inherited.has(n)) s!.add(n);
      // abstract methods are always dispatched dynamically
      for (const m of c.members) {
        if (ts.isMethodDeclaration(m) && !m.body && m.name && ts.isIdentifier(m.name) && !this.isStatic(m)) s!.add(m.name.text);
      }
      const next = new Set([...inherited, ...own]);
      for (const sub of this.classInfo(c).subs) walk(sub, next);
    };
    walk(root, new Set());
    this.virtualCache.set(root, s);
    return s;
  }

  hasVtable(d: ts.ClassDeclaration): boolean {
    return this.virtualNames(d).size > 0;
  }

  isStatic(m: ts.Node): boolean {
    return !!ts.getCombinedModifierFlags(m as ts.Declaration) && (ts.getCombinedModifierFlags(m as ts.Declaration) & ts.ModifierFlags.Static) !== 0;
  }

  classInst(decl: ts.ClassDeclaration, args: KType[], at: ts.Node): ClassInst {
    const mod = this.modOf(decl);
    const baseName = decl.name?.text ?? "Anon";
    const key = `${mod.prefix}:${decl.pos}<${args.map(typeKey).join(",")}>`;
    let inst = this.insts.get(key);
    if (inst) return inst;
    const map = new Map<ts.Type, KType>();
    (decl.typeParameters ?? []).forEach((tp, i) => map.set(this.checker.getTypeAtLocation(tp), args[i]!));
    const cname = this.names.unique(`${mod.prefix}__${cIdent(baseName)}${args.length ? "__" + args.map(typeIdent).join("_") : ""}`);
    const [initName, newName, vtName] = ["init", "new", "vt"].map((s) => this.names.unique(`${cname}__${s}`)) as [string, string, string];
    const env0 = new Env(map, null);
    inst = new ClassInst(decl, args, cname, initName, newName, vtName, env0, mod);
    (inst as { env: Env }).env = new Env(map, inst);
    this.insts.set(key, inst);
    inst.typeId = this.typeId(typeName({ k: "class", inst, nullable: false }));
    const ext = decl.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    if (ext) {
      const bt = this.toK(this.checker.getTypeAtLocation(ext), inst.env, ext);
      if (bt.k !== "class") this.internal(ext, "a class can only extend another class");
      inst.base = bt.inst as ClassInst;
    }
    const fields: Field[] = [];
    const member = (name: string): string => firstFree(localIdent(name), (x) => fields.some((f) => f.cname === x));
    const ctor = decl.members.find(ts.isConstructorDeclaration);
    for (const m of decl.members) {
      if (ts.isPropertyDeclaration(m) && !this.isStatic(m)) {
        if (!ts.isIdentifier(m.name)) this.fail(m.name, FIELD_NAME, `the field name ${m.name.getText()}`);
        const ft = this.toK(this.checker.getTypeAtLocation(m), inst.env, m);
        fields.push(new Field(m.name.text, member(m.name.text), ft, m));
      }
    }
    if (ctor) {
      for (const p of ctor.parameters) {
        if (ts.isParameterPropertyDeclaration(p, ctor) && ts.isIdentifier(p.name)) {
          const ft = this.toK(this.checker.getTypeAtLocation(p), inst.env, p);
          fields.push(new Field(p.name.text, member(p.name.text), ft, p));
        }
      }
    }
    inst.fields = fields;
    if (!fields.some((f) => holdsHeapRef(f.type)) && !(inst.base && this.typeScan[inst.base.typeId])) this.typeScan[inst.typeId] = false;
    // Methods, constructor and vtable are compiled through the queue (they may refer back to us).
    this.queue.push(() => this.guard(() => this.emitClassInst(inst!), decl));
    return inst;
  }

  /** Finds the field `name` in the chain of `inst`; returns the C path from an instance pointer. */
  fieldPath(inst: ClassInst, name: string): { path: string; field: Field } | null {
    let path = "";
    for (let c: ClassInst | null = inst; c; c = c.base) {
      const f = c.fields.find((x) => x.name === name);
      if (f) return { path: path + f.cname, field: f };
      path += "keel_base.";
    }
    return null;
  }

  /** The class instance (in `inst`'s chain) that declares method `name`, and the declaration. */
  findMethod(inst: ClassInst, name: string): { owner: ClassInst; decl: ts.MethodDeclaration } | null {
    for (let c: ClassInst | null = inst; c; c = c.base) {
      for (const m of c.decl.members) {
        if (ts.isMethodDeclaration(m) && !this.isStatic(m) && m.name && ts.isIdentifier(m.name) && m.name.text === name) {
          if (m.body || !c.base || this.hasVtable(c.decl)) return { owner: c, decl: m };
        }
      }
    }
    return null;
  }

  isVirtual(inst: ClassInst, name: string): boolean {
    return this.virtualNames(inst.decl).has(name);
  }

  private readonly argcCache = new Map<ts.SignatureDeclaration, boolean>();
  /**
   * Whether the C function of `decl` takes a trailing `keel_argc`, the number of arguments the
   * caller passed: it then evaluates its own default parameter values, as JavaScript does (they
   * see the earlier parameters and `this`, and an override's defaults are its own). Overrides
   * share a vtable slot, so a virtual method has it when any method of its name in the hierarchy
   * has a default. `@extern` and `@export` functions keep their C signature (the caller evaluates
   * their defaults), and function values always receive every argument.
   */
  takesArgc(decl: ts.SignatureDeclaration): boolean {
    let r = this.argcCache.get(decl);
    if (r !== undefined) return r;
    const hasDefault = (d: ts.SignatureDeclaration): boolean => d.parameters.some((p) => p.initializer);
    if (ts.isArrowFunction(decl) || ts.isFunctionExpression(decl)) r = false;
    else if (ts.isFunctionDeclaration(decl) && (this.jsdocTag(decl, "extern") || this.jsdocTag(decl, "export"))) r = false; // a fixed C ABI
    else if (ts.isMethodDeclaration(decl) && !this.isStatic(decl) && ts.isClassDeclaration(decl.parent) && ts.isIdentifier(decl.name) && this.virtualNames(decl.parent).has(decl.name.text)) {
      const name = decl.name.text;
      const inTree = (c: ts.ClassDeclaration): boolean =>
        c.members.some((m) => ts.isMethodDeclaration(m) && !this.isStatic(m) && ts.isIdentifier(m.name) && m.name.text === name && hasDefault(m)) ||
        this.classInfo(c).subs.some(inTree);
      r = inTree(this.rootDecl(decl.parent));
    } else r = hasDefault(decl);
    this.argcCache.set(decl, r);
    return r;
  }

  private ctorOf(inst: ClassInst): { ctor: ts.ConstructorDeclaration | null; owner: ClassInst | null } {
    for (let c: ClassInst | null = inst; c; c = c.base) {
      const ctor = c.decl.members.find(ts.isConstructorDeclaration) ?? null;
      if (ctor) return { ctor, owner: c };
    }
    return { ctor: null, owner: null };
  }

  /** Parameters (as declarations) that `new inst(...)` takes. */
  ctorParams(inst: ClassInst): { params: readonly ts.ParameterDeclaration[]; env: Env; argc: boolean } {
    const { ctor, owner } = this.ctorOf(inst);
    return { params: ctor ? ctor.parameters : [], env: owner ? owner.env : inst.env, argc: !!ctor && this.takesArgc(ctor) };
  }

  private emitClassInst(inst: ClassInst): void {
    const mod = inst.mod;
    const decl = inst.decl;
    const tsName = decl.name?.text ?? "Anon";
    const virt = this.virtualNames(decl);
    const root = inst.root();
    const hasVt = virt.size > 0;
    // methods
    for (const m of decl.members) {
      if (ts.isMethodDeclaration(m) && m.body && !this.isStatic(m) && ts.isIdentifier(m.name)) {
        if (m.typeParameters?.length) continue; // instantiated per call
        this.guard(() => this.methodInst(inst, m, []));
      }
      if (ts.isMethodDeclaration(m) && m.body && this.isStatic(m) && ts.isIdentifier(m.name) && !m.typeParameters?.length) {
        this.guard(() => this.staticMethodInst(inst, m, []));
      }
      if (ts.isPropertyDeclaration(m) && this.isStatic(m) && inst.args.length) {
        this.guard(() => this.internal(m, "static fields of generic classes are not supported"));
      }
      if (ts.isClassStaticBlockDeclaration(m)) this.guard(() => this.internal(m, "static blocks are not supported"));
    }
    // constructor pair: initName(self, ...) runs the constructor body; newName(...) allocates.
    const abstract = (ts.getCombinedModifierFlags(decl) & ts.ModifierFlags.Abstract) !== 0;
    this.guard(() => this.lower.emitConstructor(inst, abstract));
    // vtable: one per instance, typed by the root's vtable struct
    if (hasVt) {
      const entries: string[] = [];
      for (const n of virt) {
        const found = this.findMethod(inst, n);
        if (!found || !found.decl.body) continue;
        if (found.decl.typeParameters?.length) {
          this.guard(() => this.fail(found.decl, GENERIC_OVERRIDE, `the generic method '${n}' of '${inst.decl.name?.text ?? ""}', which another class overrides or which overrides another`));
          continue;
        }
        let fi: FnInst | null = null;
        this.guard(() => (fi = this.methodInst(found.owner, found.decl, [])));
        if (!fi) continue;
        const f = fi as FnInst;
        const sig = this.lower.signature(f);
        const argc = this.takesArgc(found.decl) ? ["int64_t"] : [];
        if (!root.slots.has(n)) root.slots.set(n, { ret: sig.ret, params: ["void *", ...sig.params.map((p) => p.ctype), ...argc] });
        entries.push(`  .${inst.slotName(n)} = ${f.cname},`);
      }
      mod.header.push(`extern const struct ${root.vtName} ${inst.vtName};`);
      mod.body.push(`/* vtable of class ${tsName} */\nconst struct ${root.vtName} ${inst.vtName} = {\n${entries.join("\n")}\n};\n`);
    }
  }

  // ---------------------------------------------------------------- functions

  globalName(decl: ts.Node, want: string): string {
    let n = this.globalNames.get(decl);
    if (!n) {
      n = this.names.unique(want);
      this.globalNames.set(decl, n);
    }
    return n;
  }

  jsdocTag(decl: ts.Node, tag: string): string | null {
    const sym = tagSymbol(decl, tag);
    if (sym === "") this.internal(decl, `@${tag} needs a C symbol name`);
    return sym;
  }

  private fnKey(decl: ts.Node, owner: ClassInst | null, targs: KType[]): string {
    const l = this.loc(decl);
    return `${l.file}:${decl.pos}:${owner?.cname ?? ""}:${targs.map(typeKey).join(",")}`;
  }

  private envWith(base: Env, decl: ts.SignatureDeclaration, targs: KType[]): Env {
    const tps = decl.typeParameters ?? [];
    if (tps.length === 0) return base;
    const map = new Map(base.map);
    tps.forEach((tp, i) => map.set(this.checker.getTypeAtLocation(tp), targs[i]!));
    return new Env(map, base.thisInst);
  }

  /** The C function for a top-level function declaration (instantiated with `targs`). */
  functionInst(decl: ts.FunctionDeclaration, targs: KType[]): FnInst {
    const key = this.fnKey(decl, null, targs);
    let fi = this.fnInsts.get(key);
    if (fi) return fi;
    const mod = this.modOf(decl);
    const name = decl.name?.text ?? "anon";
    const exportSym = this.jsdocTag(decl, "export");
    const externSym = this.jsdocTag(decl, "extern");
    const suffix = targs.length ? "__" + targs.map(typeIdent).join("_") : "";
    const cname = externSym ?? exportSym ?? this.names.unique(`${mod.prefix}__${cIdent(name)}${suffix}`);
    fi = new FnInst(decl, null, this.envWith(new Env(new Map(), null), decl, targs), cname, mod, false);
    this.fnInsts.set(key, fi);
    const f = fi;
    if (externSym) {
      if (!RUNTIME_SYMBOLS.has(externSym)) {
        const sig = this.lower.signature(f);
        const ret = sig.ret.endsWith("*") ? sig.ret : sig.ret + " ";
        const params = sig.params.length ? sig.params.map((p) => p.ctype).join(", ") : "void";
        mod.header.push(`${ret}${cname}(${params}); /* @extern ${name} */`);
        if (this.opts.target === "hosted" && externSym.startsWith("keel_")) {
          // A hosted program may import kernel modules whose externs (keel_*) live in the
          // kernel's assembly: it links, and a call panics by name. A real definition, if
          // linked, wins; C library functions (valloc...) are left to the C library.
          mod.body.push(
            `__attribute__((weak)) ${ret}${cname}(${sig.params.map((p, i) => `${p.ctype} a${i}`).join(", ") || "void"}) {`,
            ...sig.params.map((_, i) => `  (void)a${i};`),
            `  keel_panic("${cname} (@extern) is not available in a hosted program");`,
            `}`,
          );
        }
      }
    } else {
      this.queue.push(() => this.guard(() => this.lower.emitFunction(f), f.decl));
    }
    return fi;
  }

  methodInst(owner: ClassInst, decl: ts.MethodDeclaration, targs: KType[]): FnInst {
    const key = this.fnKey(decl, owner, targs);
    let fi = this.fnInsts.get(key);
    if (fi) return fi;
    const name = (decl.name as ts.Identifier).text;
    const suffix = targs.length ? "__" + targs.map(typeIdent).join("_") : "";
    const cname = this.names.unique(`${owner.cname}__${cIdent(name)}${suffix}`);
    const virtual = this.isVirtual(owner, name);
    fi = new FnInst(decl, owner, this.envWith(owner.env, decl, targs), cname, owner.mod, virtual);
    this.fnInsts.set(key, fi);
    const f = fi;
    if (decl.body) this.queue.push(() => this.guard(() => this.lower.emitFunction(f), f.decl));
    return fi;
  }

  staticMethodInst(owner: ClassInst, decl: ts.MethodDeclaration, targs: KType[]): FnInst {
    const key = this.fnKey(decl, owner, targs) + ":static";
    let fi = this.fnInsts.get(key);
    if (fi) return fi;
    const name = (decl.name as ts.Identifier).text;
    const suffix = targs.length ? "__" + targs.map(typeIdent).join("_") : "";
    const cname = this.names.unique(`${owner.cname}__${cIdent(name)}${suffix}`);
    fi = new FnInst(decl, null, this.envWith(owner.env, decl, targs), cname, owner.mod, false);
    this.fnInsts.set(key, fi);
    const f = fi;
    this.queue.push(() => this.guard(() => this.lower.emitFunction(f), f.decl));
    return fi;
  }

  /** A non-capturing arrow function or function expression used as a value: lifted to top level. */
  lambdaInst(node: ts.ArrowFunction | ts.FunctionExpression, env: Env): FnInst {
    let fi = this.lambdaNames.get(node);
    if (fi) return fi;
    const mod = this.modOf(node);
    const cname = this.names.unique(`${mod.prefix}__lambda_${this.loc(node).line}`);
    fi = new FnInst(node, null, env, cname, mod, false);
    this.lambdaNames.set(node, fi);
    const f = fi;
    this.queue.push(() => this.guard(() => this.lower.emitFunction(f), f.decl));
    return fi;
  }

  // ---------------------------------------------------------------- program

  private runQueue(): void {
    while (this.queue.length > 0) this.queue.shift()!();
  }

  run(): EmitResult {
    this.collectClasses();
    for (const mod of this.mods.values()) this.guard(() => this.lower.emitModule(mod), mod.sf);
    this.runQueue();
    const files = new Map<string, string>();
    const diagnostics = this.diags.map((e) => {
      const l = this.loc(e.node);
      return formatDiagnostic({ file: l.file, line: l.line, col: l.col, code: e.code, message: e.message });
    });
    if (diagnostics.length > 0) return { files, diagnostics };
    files.set("keel_types.h", this.typesHeader());
    for (const mod of this.mods.values()) {
      files.set(`${mod.prefix}.h`, this.moduleHeader(mod));
      files.set(`${mod.prefix}.c`, this.moduleSource(mod));
    }
    files.set("keel_program.h", this.programHeader());
    files.set("keel_main.c", this.mainSource());
    return { files, diagnostics };
  }

  private typesHeader(): string {
    const out: string[] = [
      "/* Generated by keelc: every type of the program (class structs, arrays, function types). */",
      "#ifndef KEEL_TYPES_H",
      "#define KEEL_TYPES_H",
      '#include "keel.h"',
      "",
    ];
    const insts = [...this.insts.values()];
    for (const i of insts) out.push(`struct ${i.cname};`);
    // The vtables and structs are generated first: their members can name function and array
    // types seen nowhere else, whose definitions must come before them.
    const defsAt = out.length;
    for (const i of insts) {
      if (i.base || i.slots.size === 0) continue;
      out.push(`struct ${i.vtName} {`);
      for (const [n, s] of i.slots) out.push(`  ${s.ret.endsWith("*") ? s.ret : s.ret + " "}(*${i.slotName(n)})(${s.params.join(", ")});`);
      out.push("};");
    }
    for (const i of insts) if (!i.base && this.hasVtable(i.decl) && i.slots.size === 0) out.push(`struct ${i.vtName} { char keel_empty; };`);
    // Structs, bases first (a derived struct embeds its base as its first member).
    const emitStruct = (i: ClassInst): void => {
      if (i.structDefined) return;
      if (i.base) emitStruct(i.base);
      i.structDefined = true;
      out.push(`/* class ${i.decl.name?.text ?? ""} (${i.mod.rel}) */`, `struct ${i.cname} {`);
      if (i.base) out.push(`  struct ${i.base.cname} keel_base;`);
      else if (this.hasVtable(i.decl)) out.push(`  const struct ${i.vtName} *keel_vt;`);
      for (const f of i.fields) out.push(`  ${this.decl(f.type, f.cname)};`);
      if (!i.base && i.fields.length === 0 && !this.hasVtable(i.decl)) out.push("  char keel_empty;");
      out.push("};");
    };
    for (const i of insts) emitStruct(i);
    const arrDecls = [...this.arrNames.values()].map((n) => `struct ${n};`);
    out.splice(defsAt, 0, ...arrDecls, "", ...this.fnTypedefs, "", ...this.arrDefs, "");
    out.push("", ...this.helperDefs, "", "#endif", "");
    return out.join("\n");
  }

  private moduleHeader(mod: ModOut): string {
    const g = `KEEL_H_${mod.prefix}`; // the prefix as is: unique, and unlike keelc's own guards
    return [
      `/* Generated by keelc from ${mod.rel}: declarations. */`,
      `#ifndef ${g}`,
      `#define ${g}`,
      '#include "keel_types.h"',
      "",
      ...mod.header,
      `void ${mod.initName}(void);`,
      "",
      "#endif",
      "",
    ].join("\n");
  }

  private moduleSource(mod: ModOut): string {
    return [
      `/* Generated by keelc from ${mod.rel}. */`,
      '#include "keel_program.h"',
      "",
      `static const char keel_file[] KEEL_UNUSED = ${cString(mod.rel)};`,
      "",
      ...mod.body,
      `/* top-level code of ${mod.rel} */`,
      `void ${mod.initName}(void) {`,
      ...this.lower.finishModuleInit(mod),
      "}",
      "",
    ].join("\n");
  }

  private programHeader(): string {
    return [
      "/* Generated by keelc: all declarations of the program. */",
      "#ifndef KEEL_PROGRAM_H",
      "#define KEEL_PROGRAM_H",
      '#include "keel_types.h"',
      ...[...this.mods.values()].map((m) => `#include "${m.prefix}.h"`),
      "#endif",
      "",
    ].join("\n");
  }

  private mainSource(): string {
    const out = [
      "/* Generated by keelc: type table, symbol table and program start. */",
      '#include "keel_program.h"',
      "",
      `const char *const keel_type_names[] = {${this.typeNames.map(cString).join(", ")}};`,
      `int64_t keel_type_live[${this.typeNames.length}];`,
      `const int64_t keel_type_count = ${this.typeNames.length};`,
      "",
    ];
    if (this.opts.symtab && this.symtab.length > 0) {
      out.push("struct keel_sym keel_symtab[] = {");
      for (const s of this.symtab) out.push(`  {(const void *)${s.cname}, ${cString(s.name)}, ${cString(s.file)}, ${s.line}},`);
      out.push("};", `const int64_t keel_symtab_len = ${this.symtab.length};`);
    } else {
      out.push("struct keel_sym keel_symtab[1];", "const int64_t keel_symtab_len = 0;");
    }
    if (this.opts.target !== "kernel") {
      out.push(`const uint8_t keel_type_scan[${this.typeScan.length}] = {${this.typeScan.map((b) => (b ? 1 : 0)).join(", ")}};`);
      const roots = this.gcRoots.map((r) => `(void *const *)&${r}`);
      out.push(`void *const *const keel_gc_roots[${Math.max(roots.length, 1)}] = {${roots.length ? roots.join(", ") : "0"}};`);
      out.push(`const int64_t keel_gc_root_count = ${roots.length};`, "");
    }
    out.push("", "/* Module initialisation in Node's ES module evaluation order. */", "void keel_main(void) {");
    if (this.opts.target !== "kernel") out.push("  keel_gc_stack_top = __builtin_frame_address(0);");
    for (const sf of this.fe.modules) {
      const m = this.mods.get(sf)!;
      out.push(`  ${m.initName}(); /* ${m.rel} */`);
    }
    out.push("}", "");
    if (this.opts.target === "hosted") {
      out.push("int main(void) {", "  keel_main();", "  keel_exit(0);", "}", "");
    }
    return out.join("\n");
  }
}

/** Whether a value of type `t` can point into the collected heap (function pointers cannot). */
export function holdsHeapRef(t: KType): boolean {
  return t.k === "class" || t.k === "tarr" || t.k === "arr" || t.k === "str" || t.k === "map";
}

export function emitProgram(fe: FrontEnd, opts: EmitOptions): EmitResult {
  return new Emitter(fe, opts).run();
}

export type { TArrKind };
