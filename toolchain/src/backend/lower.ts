// Lowering of functions, statements and expressions to C.
// JavaScript evaluates operands left to right; C leaves the order unspecified. Whenever more than
// one operand could observe or cause a side effect, operands are first evaluated into temporaries
// inside a GCC statement expression, so the C program performs effects in JavaScript's order.
import ts from "typescript";
import { Env, type ClassInst, type Emitter, type FnInst, type ModOut } from "./emitter.ts";
import { BIG, BOOL, isNullable, NULL, NUM, STR, TARR_BY_NAME, TARR_ELEM_C, typeName, VOID, type KType } from "./ktypes.ts";
import { cIdent, cString, firstFree, localIdent } from "./names.ts";
import { bigBinary } from "../subset/bigint-fold.ts";
import { BUILTIN_METHOD, BUILTIN_METHOD_VALUE, DEFAULT_THROUGH_VALUE, SUPER_STATEMENT } from "../subset/codes.ts";
import { arrayMethod } from "./arrays.ts";
import { fromSlot, mapIteration, mapMethod, newMap } from "./maps.ts";
import { appendAssign, heapString, stringCompare, stringGlobal, stringMethod } from "./strings.ts";
import { typedArrayMethod } from "./typed-arrays.ts";

class Label {
  usedBrk = false;
  usedCont = false;
  constructor(
    readonly name: string | null,
    readonly kind: "loop" | "switch" | "block",
    readonly brk: string,
    readonly cont: string,
  ) {}
}

/**
 * A cached array header: the header pointer, its length and its data pointer in C locals. Array
 * headers never change after allocation, but gcc cannot know that element stores leave them alone
 * (generated code is compiled with -fno-strict-aliasing), so it would reload both after every
 * store. A view exists for a binding whose value cannot change while it is in scope: a `const` or
 * never-assigned local or parameter, or `this.f` in a method when `f` is only ever assigned by
 * its class's constructors.
 */
class View {
  constructor(
    readonly h: string,
    readonly k: KType,
  ) {}
}

/** Where array-typed bindings are indexed (or their length read), and which locals are assigned. */
class ViewUses {
  readonly uses = new Map<ts.Symbol | ts.Node, number>();
  readonly assigned = new Set<ts.Symbol>();
}

export class FnCtx {
  readonly locals = new Map<ts.Symbol, string>();
  readonly views = new Map<ts.Symbol | ts.Node, View>();
  viewUses: ViewUses | null = null;
  readonly used = new Set<string>();
  readonly hoisted: string[] = [];
  readonly labels: Label[] = [];
  readonly pre = new Map<ts.Node, string>();
  tmp = 0;
  constructor(
    readonly env: Env,
    readonly self: string | null,
    readonly selfInst: ClassInst | null,
    readonly ret: KType,
    readonly mod: ModOut,
    readonly name: string,
  ) {}
  temp(base = "t"): string {
    return `keel_${base}${this.tmp++}`;
  }
}

interface Param {
  name: string;
  ctype: string;
  k: KType;
  decl: ts.ParameterDeclaration;
}

interface LVal {
  pre: string[];
  ref: string;
  k: KType;
  /** wraps a value for storing (typed arrays truncate) */
  store: (v: string) => string;
  truncates: boolean;
  /** `ref` holds a null or bounds check */
  checked: boolean;
}

type ConstV = { v: bigint; big: boolean } | null;

const SAFE = 9007199254740991n;

function strip(e: ts.Expression): ts.Expression {
  while (
    ts.isParenthesizedExpression(e) ||
    ts.isAsExpression(e) ||
    ts.isSatisfiesExpression(e) ||
    ts.isTypeAssertionExpression(e)
  ) {
    e = e.expression;
  }
  return e;
}

function isIdent(e: ts.Node, name: string): boolean {
  return ts.isIdentifier(e) && e.text === name;
}

function cType(ret: string, name: string): string {
  return ret.endsWith("*") ? `${ret}${name}` : `${ret} ${name}`;
}

function numLit(v: bigint): string {
  if (v >= -32768n && v <= 32767n) return v < 0n ? `(${v})` : `${v}`;
  return v < 0n ? `(-INT64_C(${-v}))` : `INT64_C(${v})`;
}

function bigLit(v: bigint): string {
  return `UINT64_C(0x${BigInt.asUintN(64, v).toString(16)})`;
}

export class Lowerer {
  readonly checker: ts.TypeChecker;
  constructor(readonly em: Emitter) {
    this.checker = em.checker;
  }

  fail(node: ts.Node, code: number, what: string): never {
    return this.em.fail(node, code, what);
  }

  internal(node: ts.Node, what: string): never {
    return this.em.internal(node, what);
  }

  /** A target with a garbage collector (user, hosted): strings are run-time values there. */
  get managed(): boolean {
    return this.em.opts.target !== "kernel";
  }

  loc(node: ts.Node): string {
    return `keel_file, ${this.em.loc(node).line}`;
  }

  private lineDirective(node: ts.Node): string {
    const l = this.em.loc(node);
    return `#line ${l.line} ${cString(l.file)}`;
  }

  kt(e: ts.Node, ctx: FnCtx): KType {
    return this.em.typeAt(e, ctx.env);
  }

  // ------------------------------------------------------------ array views

  /** Field declarations assigned anywhere other than `this.f = ...` in a constructor. */
  private unstable: Set<ts.Node> | null = null;

  private unstableFields(): Set<ts.Node> {
    if (this.unstable) return this.unstable;
    const out = new Set<ts.Node>();
    const target = (t: ts.Expression, inCtor: boolean): void => {
      t = strip(t);
      while (ts.isNonNullExpression(t)) t = strip(t.expression);
      if (!ts.isPropertyAccessExpression(t)) return;
      if (inCtor && t.expression.kind === ts.SyntaxKind.ThisKeyword) return;
      for (const d of this.resolveSym(t.name)?.declarations ?? []) out.add(d);
    };
    const visit = (n: ts.Node, inCtor: boolean): void => {
      if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
        target(n.left, inCtor);
      } else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) {
        target(n.operand, inCtor);
      }
      const now = ts.isConstructorDeclaration(n) ? true : ts.isFunctionLike(n) ? false : inCtor;
      ts.forEachChild(n, (c) => visit(c, now));
    };
    for (const sf of this.em.mods.keys()) visit(sf, false);
    this.unstable = out;
    return out;
  }

  /** The binding a view could cache for the array expression `e`: a symbol (local) or a field declaration (`this.f`). */
  private viewKey(e: ts.Expression): ts.Symbol | ts.Node | null {
    e = strip(e);
    while (ts.isNonNullExpression(e)) e = strip(e.expression);
    if (ts.isIdentifier(e)) return this.checker.getSymbolAtLocation(e) ?? null;
    if (ts.isPropertyAccessExpression(e) && strip(e.expression).kind === ts.SyntaxKind.ThisKeyword) {
      const d = this.resolveSym(e.name)?.valueDeclaration;
      if (d && ((ts.isPropertyDeclaration(d) && !this.em.isStatic(d)) || ts.isParameter(d))) return d;
    }
    return null;
  }

  /**
   * Weighs indexings and `.length` reads per binding in `body`: 2 for a use on the straight-line
   * path, 1 for a use in a branch, 4 inside a loop. A view pays off from 4: it costs loads and a
   * null test at its declaration, which a use in a rarely taken branch may never need.
   */
  private viewUses(body: ts.Node, ctx: FnCtx): ViewUses {
    if (ctx.viewUses) return ctx.viewUses;
    const vu = new ViewUses();
    const assignedTo = (t: ts.Expression): void => {
      t = strip(t);
      if (ts.isIdentifier(t)) {
        const s = this.checker.getSymbolAtLocation(t);
        if (s) vu.assigned.add(s);
      }
    };
    const S = ts.SyntaxKind;
    const visit = (n: ts.Node, w: number): void => {
      // Arrows may run in place (inline callbacks), so their uses and assignments count here.
      if (n !== body && ((ts.isFunctionLike(n) && !ts.isArrowFunction(n)) || ts.isClassLike(n))) return;
      let base: ts.Expression | null = null;
      if (ts.isElementAccessExpression(n)) base = n.expression;
      else if (ts.isPropertyAccessExpression(n) && n.name.text === "length") base = n.expression;
      if (base) {
        const key = this.viewKey(base);
        if (key) vu.uses.set(key, (vu.uses.get(key) ?? 0) + w);
      }
      if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
        assignedTo(n.left);
      } else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) {
        assignedTo(n.operand);
      }
      if (ts.isIterationStatement(n, false)) {
        ts.forEachChild(n, (c) => visit(c, 4));
      } else if (ts.isIfStatement(n)) {
        visit(n.expression, w);
        visit(n.thenStatement, Math.min(w, 1));
        if (n.elseStatement) visit(n.elseStatement, Math.min(w, 1));
      } else if (ts.isConditionalExpression(n)) {
        visit(n.condition, w);
        visit(n.whenTrue, Math.min(w, 1));
        visit(n.whenFalse, Math.min(w, 1));
      } else if (ts.isBinaryExpression(n) && [S.AmpersandAmpersandToken, S.BarBarToken, S.QuestionQuestionToken].includes(n.operatorToken.kind)) {
        visit(n.left, w);
        visit(n.right, Math.min(w, 1));
      } else if (ts.isCaseClause(n) || ts.isDefaultClause(n)) {
        ts.forEachChild(n, (c) => visit(c, Math.min(w, 1)));
      } else {
        ts.forEachChild(n, (c) => visit(c, w));
      }
    };
    visit(body, 2);
    ctx.viewUses = vu;
    return vu;
  }

  /** Declares a view of the array `src` (type `k`) when `key` is used often enough. */
  private maybeView(ctx: FnCtx, key: ts.Symbol | ts.Node, k: KType, src: string, out: string[], ind: string): void {
    if (k.k !== "arr" && k.k !== "tarr") return;
    // Growable arrays (user, hosted) can move their elements: only typed arrays are cached there.
    if (k.k === "arr" && this.managed) return;
    const vu = ctx.viewUses;
    if (!vu || (vu.uses.get(key) ?? 0) < 4) return;
    if (isNode(key) && this.unstableFields().has(key)) return;
    const h = ctx.temp("v");
    out.push(`${ind}${this.em.decl(k, h)} KEEL_UNUSED = ${src};`);
    out.push(`${ind}int64_t ${h}_len KEEL_UNUSED = ${h} ? ${h}->length : 0;`);
    out.push(`${ind}__typeof__(${h}->data) ${h}_data KEEL_UNUSED = ${h} ? ${h}->data : NULL;`);
    ctx.views.set(key, new View(h, k));
  }

  private viewOf(e: ts.Expression, ctx: FnCtx): View | null {
    if (ctx.views.size === 0 || ctx.pre.has(e)) return null;
    const key = this.viewKey(e);
    return (key && ctx.views.get(key)) ?? null;
  }

  /** `v`'s data pointer after the null check every dereference has. */
  private viewData(v: View, at: ts.Node): string {
    return `((void)keel_nn((void *)${v.h}, ${this.loc(at)}), ${v.h}_data)`;
  }

  // ------------------------------------------------------------ signatures and functions

  signature(fi: FnInst): { ret: string; retK: KType; params: Param[] } {
    const decl = fi.decl;
    const params: Param[] = [];
    for (const p of decl.parameters) {
      if (!ts.isIdentifier(p.name)) this.internal(p, "destructuring parameters are not supported");
      if (p.dotDotDotToken) this.internal(p, "rest parameters are not supported");
      const pt = this.checker.getTypeAtLocation(p);
      // A `never` parameter is the exhaustive-switch idiom (`default: return unreachable(x)`): no
      // value of it exists at run time, so any scalar slot will do; a number takes any enum.
      const k = pt.flags & ts.TypeFlags.Never ? NUM : this.em.toK(pt, fi.env, p);
      params.push({ name: p.name.text, ctype: this.em.ctype(k), k, decl: p });
    }
    const sig = this.checker.getSignatureFromDeclaration(decl);
    let retK: KType = VOID;
    if (sig) retK = this.em.toK(sig.getReturnType(), fi.env, decl.type ?? decl);
    return { ret: this.em.ctype(retK), retK, params };
  }

  private qualifiedName(fi: FnInst): string {
    const d = fi.decl;
    const n = d.name && ts.isIdentifier(d.name) ? d.name.text : ts.isConstructorDeclaration(d) ? "constructor" : "<lambda>";
    if (fi.owner) return `${fi.owner.decl.name?.text ?? ""}.${n}`;
    if (ts.isMethodDeclaration(d) && ts.isClassDeclaration(d.parent)) return `${d.parent.name?.text ?? ""}.${n}`;
    return n;
  }

  private declareLocal(ctx: FnCtx, nameNode: ts.Node, name: string): string {
    const n = firstFree(localIdent(name), (x) => ctx.used.has(x) || this.em.names.isFixed(x));
    ctx.used.add(n);
    const sym = this.checker.getSymbolAtLocation(nameNode);
    if (sym) ctx.locals.set(sym, n);
    const p = nameNode.parent;
    if (ts.isParameter(p) && ts.isParameterPropertyDeclaration(p, p.parent)) {
      // a parameter property has two symbols: the parameter (used in the body) and the field
      for (const s of this.checker.getSymbolsOfParameterPropertyDeclaration(p, name)) ctx.locals.set(s, n);
    }
    return n;
  }

  emitFunction(fi: FnInst): void {
    const decl = fi.decl as ts.FunctionLikeDeclaration;
    const sig = this.signature(fi);
    const selfInst = fi.owner;
    const ctx = new FnCtx(fi.env, selfInst ? "self" : null, selfInst, sig.retK, fi.mod, this.qualifiedName(fi));
    ctx.used.add("self");
    const params: string[] = [];
    if (selfInst) params.push(fi.virtual ? "void *keel_self_" : `struct ${selfInst.cname} *self`);
    for (const p of sig.params) params.push(cType(p.ctype, this.declareLocal(ctx, p.decl.name, p.name)));
    const argc = this.em.takesArgc(decl);
    if (argc) params.push("int64_t keel_argc");
    const body = decl.body;
    if (!body) return;
    const lines: string[] = [];
    if (argc) this.defaults(sig.params, ctx, lines);
    const vu = this.viewUses(body, ctx);
    for (const p of sig.params) {
      const s = this.checker.getSymbolAtLocation(p.decl.name);
      if (s && !vu.assigned.has(s)) this.maybeView(ctx, s, p.k, ctx.locals.get(s)!, lines, "  ");
    }
    if (selfInst) {
      for (const key of vu.uses.keys()) {
        if (!isNode(key) || (!ts.isPropertyDeclaration(key) && !ts.isParameter(key))) continue;
        const d = key;
        const name = d.name;
        if (!ts.isIdentifier(name)) continue;
        const fp = this.em.fieldPath(selfInst, name.text);
        if (!fp || fp.field.decl !== d) continue;
        this.maybeView(ctx, d, fp.field.type, `self->${fp.path}`, lines, "  ");
      }
    }
    if (ts.isBlock(body)) {
      for (const st of body.statements) this.stmt(st, ctx, lines, "  ");
    } else {
      lines.push(this.lineDirective(body));
      if (sig.retK.k === "void") lines.push(`  ${this.expr(body, ctx)};`);
      else lines.push(`  return ${this.exprAs(body, sig.retK, ctx)};`);
    }
    const proto = `${cType(sig.ret, fi.cname)}(${params.length ? params.join(", ") : "void"})`;
    const l = this.em.loc(decl);
    fi.mod.header.push(`${proto};`);
    // `inline` on the definition only (the header declares it without): still an external
    // definition in C11, but gcc then inlines it at -O2 like the hand-written `static inline`.
    // `@inline` asks for it at every call, across modules too when the program is linked with
    // link-time optimisation (the kernel is): for hot paths, which the size rule would leave out.
    const forced = ts.getJSDocTags(decl).some((t) => t.tagName.text === "inline");
    const inl = process.env.KEELC_NO_INLINE ? "" : forced ? "__attribute__((always_inline)) inline " : this.small(body) ? "inline " : "";
    const out = [`/* ${ctx.name} (${l.file}:${l.line}) */`, `${inl}${proto} {`];
    if (selfInst && fi.virtual) out.push(`  struct ${selfInst.cname} *self KEEL_UNUSED = keel_self_;`);
    for (const h of ctx.hoisted) out.push(`  ${h}`);
    out.push(...lines);
    if (sig.retK.k !== "void") {
      out.push(`  keel_panic_at("function ended without returning a value", keel_file, ${this.endLine(decl)});`);
    }
    out.push("}", "");
    fi.mod.body.push(out.join("\n"));
    this.em.symtab.push({ cname: fi.cname, name: ctx.name, file: l.file, line: l.line });
  }

  /**
   * Default parameter values, evaluated in the callee as JavaScript does: for each argument the
   * caller did not pass (`keel_argc` says how many it did), in order, after the earlier parameters
   * are bound, and with the `this` of the method that runs.
   */
  private defaults(params: readonly Param[], ctx: FnCtx, out: string[]): void {
    params.forEach((p, i) => {
      if (!p.decl.initializer) return;
      const local = ctx.locals.get(this.checker.getSymbolAtLocation(p.decl.name)!)!;
      out.push(this.lineDirective(p.decl));
      out.push(`  if (keel_argc <= ${i}) ${local} = ${this.exprAs(p.decl.initializer, p.k, ctx)};`);
    });
  }

  /** A body without loops and of at most a few statements: worth inlining into its callers. */
  private small(body: ts.Node): boolean {
    let nodes = 0;
    let loops = false;
    const visit = (n: ts.Node): void => {
      nodes++;
      if (ts.isIterationStatement(n, false)) loops = true;
      if (!loops && nodes <= 120) ts.forEachChild(n, visit);
    };
    visit(body);
    return !loops && nodes <= 120;
  }

  private endLine(n: ts.Node): number {
    const sf = n.getSourceFile();
    return sf.getLineAndCharacterOfPosition(n.getEnd()).line + 1;
  }

  emitConstructor(inst: ClassInst, abstract: boolean): void {
    const decl = inst.decl;
    const own = decl.members.find(ts.isConstructorDeclaration) ?? null;
    const { params, env, argc } = this.em.ctorParams(inst);
    const tsName = decl.name?.text ?? "";
    const ctx = new FnCtx(inst.env, "self", inst, VOID, inst.mod, `${tsName}.constructor`);
    ctx.used.add("self");
    const ps: Param[] = [];
    for (const p of params) {
      if (!ts.isIdentifier(p.name)) this.internal(p, "destructuring parameters are not supported");
      if (p.dotDotDotToken) this.internal(p, "rest parameters are not supported");
      const k = this.em.toK(this.checker.getTypeAtLocation(p), env, p);
      ps.push({ name: this.declareLocal(ctx, p.name, p.name.text), ctype: this.em.ctype(k), k, decl: p });
    }
    const lines: string[] = [];
    // an inherited constructor's defaults are evaluated by the base's __init, which gets keel_argc
    if (own && argc) this.defaults(ps, ctx, lines);
    const fieldInits = (): void => {
      for (const m of decl.members) {
        if (ts.isPropertyDeclaration(m) && !this.em.isStatic(m) && m.initializer) {
          const f = inst.fields.find((x) => x.decl === m)!;
          lines.push(this.lineDirective(m));
          lines.push(`  self->${f.cname} = ${this.exprAs(m.initializer, f.type, ctx)};`);
        }
      }
      if (own) {
        for (const p of own.parameters) {
          if (ts.isParameterPropertyDeclaration(p, own) && ts.isIdentifier(p.name)) {
            const f = inst.fields.find((x) => x.decl === p)!;
            lines.push(`  self->${f.cname} = ${ctx.locals.get(this.checker.getSymbolAtLocation(p.name)!)};`);
          }
        }
      }
    };
    if (!inst.base) {
      fieldInits();
      if (own?.body) for (const st of own.body.statements) this.stmt(st, ctx, lines, "  ");
    } else if (!own) {
      const baseInit = inst.base.initName;
      lines.push(`  ${baseInit}((struct ${inst.base.cname} *)self${ps.map((p) => ", " + p.name).join("")}${argc ? ", keel_argc" : ""});`);
      fieldInits();
    } else {
      let seenSuper = false;
      for (const st of own.body?.statements ?? []) {
        if (
          !seenSuper &&
          ts.isExpressionStatement(st) &&
          ts.isCallExpression(st.expression) &&
          st.expression.expression.kind === ts.SyntaxKind.SuperKeyword
        ) {
          seenSuper = true;
          lines.push(this.lineDirective(st));
          lines.push(`  ${this.superCall(st.expression, inst, ctx)};`);
          fieldInits();
          continue;
        }
        this.stmt(st, ctx, lines, "  ");
      }
      if (!seenSuper) this.fail(own, SUPER_STATEMENT, `the constructor of '${inst.decl.name?.text ?? ""}', which calls super(...) inside another statement or an expression`);
    }
    const cparams = ps.map((p) => cType(p.ctype, p.name));
    if (argc) cparams.push("int64_t keel_argc");
    const initProto = `void ${inst.initName}(struct ${inst.cname} *self${cparams.map((p) => ", " + p).join("")})`;
    const l = this.em.loc(own ?? decl);
    inst.mod.header.push(`${initProto};`);
    const out = [`/* ${tsName} constructor body (${l.file}:${l.line}) */`, `${initProto} {`];
    for (const h of ctx.hoisted) out.push(`  ${h}`);
    out.push(...lines, "}", "");
    if (!abstract) {
      const newProto = `struct ${inst.cname} *${inst.newName}(${cparams.length ? cparams.join(", ") : "void"})`;
      inst.mod.header.push(`${newProto};`);
      out.push(`/* new ${tsName}(...) */`, `${newProto} {`);
      out.push(`  struct ${inst.cname} *self = keel_alloc(sizeof(struct ${inst.cname}), ${inst.typeId});`);
      if (this.em.hasVtable(decl)) out.push(`  self->${inst.pathTo(inst.root())}keel_vt = &${inst.vtName};`);
      out.push(`  ${inst.initName}(self${ps.map((p) => ", " + p.name).join("")}${argc ? ", keel_argc" : ""});`, "  return self;", "}", "");
      this.em.symtab.push({ cname: inst.newName, name: `${tsName}.new`, file: l.file, line: l.line });
    }
    inst.mod.body.push(out.join("\n"));
    this.em.symtab.push({ cname: inst.initName, name: `${tsName}.constructor`, file: l.file, line: l.line });
  }

  private superCall(call: ts.CallExpression, inst: ClassInst, ctx: FnCtx): string {
    const base = inst.base!;
    const { params, env, argc } = this.em.ctorParams(base);
    const kinds = params.map((p) => this.em.toK(this.checker.getTypeAtLocation(p), env, p));
    const args = this.args(call, call.arguments, params, kinds, ctx, argc);
    return this.wrap(args.pre, `${base.initName}((struct ${base.cname} *)self${args.vals.map((a) => ", " + a).join("")})`);
  }

  // ------------------------------------------------------------ modules

  private initCtx(mod: ModOut): FnCtx {
    if (!mod.initCtx) {
      const ctx = new FnCtx(this.emptyEnv(), null, null, VOID, mod, "<module>");
      this.viewUses(mod.sf, ctx);
      mod.initCtx = ctx;
    }
    return mod.initCtx as FnCtx;
  }

  private emptyEnv(): Env {
    return new Env(new Map(), null);
  }

  emitModule(mod: ModOut): void {
    const ctx = this.initCtx(mod);
    for (const st of mod.sf.statements) {
      this.em.guard(() => this.topLevel(st, mod, ctx), st);
    }
  }

  private topLevel(st: ts.Statement, mod: ModOut, ctx: FnCtx): void {
    if (ts.isImportDeclaration(st) || ts.isExportDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) return;
    if (ts.isEnumDeclaration(st) || ts.isModuleDeclaration(st) || ts.isEmptyStatement(st)) return;
    if (ts.isExportAssignment(st)) this.internal(st, "export default is not supported; use named exports");
    const mods = ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined;
    if (mods?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) return;
    if (ts.isFunctionDeclaration(st)) {
      if (st.typeParameters?.length) return;
      if (!st.body && !this.em.jsdocTag(st, "extern")) return; // overload signature
      this.em.functionInst(st, []);
      return;
    }
    if (ts.isClassDeclaration(st)) {
      if (st.typeParameters?.length) return;
      const inst = this.em.classInst(st, [], st);
      for (const m of st.members) {
        if (ts.isPropertyDeclaration(m) && this.em.isStatic(m)) this.em.guard(() => this.staticField(inst, m, ctx));
      }
      return;
    }
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) this.em.guard(() => this.globalVar(d, st.declarationList, mod, ctx));
      return;
    }
    this.stmt(st, ctx, mod.init, "  ");
  }

  private staticField(inst: ClassInst, m: ts.PropertyDeclaration, ctx: FnCtx): void {
    const name = (m.name as ts.Identifier).text;
    const cname = this.em.globalName(m, `${inst.cname}__${cIdent(name)}`);
    const t = this.em.toK(this.checker.getTypeAtLocation(m), inst.env, m);
    inst.mod.header.push(`extern ${this.em.decl(t, cname)};`);
    inst.mod.body.push(`${this.em.decl(t, cname)};`);
    this.em.gcRoot(t, cname);
    if (m.initializer) {
      inst.mod.init.push(this.lineDirective(m));
      inst.mod.init.push(`  ${cname} = ${this.exprAs(m.initializer, t, ctx)};`);
    }
  }

  private globalVar(d: ts.VariableDeclaration, list: ts.VariableDeclarationList, mod: ModOut, ctx: FnCtx): void {
    if (!ts.isIdentifier(d.name)) this.internal(d.name, "destructuring declarations are not supported");
    const isConst = (list.flags & ts.NodeFlags.Const) !== 0;
    if (isConst && d.initializer && this.constVal(d.initializer) !== null) return; // inlined at every use
    if (this.onlyTopLevel(d)) {
      // Read and written by top-level code only: a local of the module's init function, which
      // gcc keeps in registers (a global would be reloaded around every call).
      this.localVar(d, ctx, mod.init, "  ");
      return;
    }
    const t = this.kt(d.name, ctx);
    const cname = this.em.globalName(d, `${mod.prefix}__${cIdent(d.name.text)}`);
    mod.header.push(`extern ${this.em.decl(t, cname)};`);
    mod.body.push(`${this.em.decl(t, cname)};`);
    this.em.gcRoot(t, cname);
    if (d.initializer) {
      if (!this.managed && this.isTemplate(d.initializer)) this.internal(d.initializer, "a template literal can only be printed, thrown, or passed directly as a string argument");
      mod.init.push(this.lineDirective(d));
      mod.init.push(`  ${cname} = ${this.exprAs(d.initializer, t, ctx)};`);
    }
  }

  /** A module variable that is not exported and is used only outside every function and class. */
  private onlyTopLevel(d: ts.VariableDeclaration): boolean {
    const stmt = d.parent.parent;
    if (ts.isVariableStatement(stmt) && ts.getModifiers(stmt)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return false;
    const sym = this.checker.getSymbolAtLocation(d.name);
    if (!sym) return false;
    const sf = d.getSourceFile();
    let ok = true;
    const visit = (n: ts.Node, inside: boolean): void => {
      if (!ok) return;
      if (ts.isIdentifier(n) && inside && n.text === (d.name as ts.Identifier).text) {
        let s2 = this.checker.getSymbolAtLocation(n);
        if (s2 && s2.flags & ts.SymbolFlags.Alias) s2 = this.checker.getAliasedSymbol(s2);
        if (s2 === sym) ok = false;
      }
      if (ts.isExportSpecifier(n) || ts.isExportAssignment(n)) {
        const s2 = this.checker.getSymbolAtLocation(ts.isExportSpecifier(n) ? (n.propertyName ?? n.name) : n.expression);
        if (s2 === sym) ok = false;
      }
      const nowInside = inside || ts.isFunctionLike(n) || ts.isClassLike(n);
      ts.forEachChild(n, (c) => visit(c, nowInside));
    };
    visit(sf, false);
    return ok;
  }

  finishModuleInit(mod: ModOut): string[] {
    const ctx = this.initCtx(mod);
    return [...ctx.hoisted.map((h) => `  ${h}`), ...mod.init];
  }

  moduleInitAssign(mod: ModOut, cname: string, t: KType, init: ts.Expression, at: ts.Node): void {
    const ctx = this.initCtx(mod);
    mod.init.push(this.lineDirective(at));
    mod.init.push(`  ${cname} = ${this.exprAs(init, t, ctx)};`);
  }

  // ------------------------------------------------------------ constants

  /** Compile-time value of a numeric/bigint constant expression, or null. */
  constVal(e: ts.Expression, depth = 0): ConstV {
    if (depth > 50) return null;
    e = strip(e);
    if (ts.isNumericLiteral(e)) {
      const n = Number(e.text);
      if (!Number.isSafeInteger(n)) return null;
      return { v: BigInt(n), big: false };
    }
    if (ts.isBigIntLiteral(e)) return { v: BigInt(e.text.slice(0, -1)), big: true };
    if (ts.isPrefixUnaryExpression(e)) {
      const x = this.constVal(e.operand, depth + 1);
      if (!x) return null;
      if (e.operator === ts.SyntaxKind.MinusToken) return x.big ? null : x.v === 0n ? null : { v: -x.v, big: false };
      if (e.operator === ts.SyntaxKind.PlusToken) return x.big ? null : x;
      if (e.operator === ts.SyntaxKind.TildeToken) return x.big ? null : { v: BigInt.asIntN(32, ~x.v), big: false };
      return null;
    }
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "Number") {
      if (e.name.text === "MAX_SAFE_INTEGER") return { v: SAFE, big: false };
      if (e.name.text === "MIN_SAFE_INTEGER") return { v: -SAFE, big: false };
    }
    if (ts.isPropertyAccessExpression(e)) {
      const md = this.resolveSym(e)?.valueDeclaration;
      const c = md && ts.isEnumMember(md) ? this.checker.getConstantValue(md) : this.checker.getConstantValue(e);
      if (typeof c === "number" && Number.isSafeInteger(c)) return { v: BigInt(c), big: false };
      return null;
    }
    if (ts.isElementAccessExpression(e)) {
      // Only `Enum["Member"]` is a constant; `xs[Enum.Member]` is an element of xs, whose index
      // happens to be constant.
      const c = this.checker.getConstantValue(e);
      if (typeof c === "number" && Number.isSafeInteger(c)) return { v: BigInt(c), big: false };
      return null;
    }
    if (ts.isIdentifier(e)) {
      let sym = this.checker.getSymbolAtLocation(e);
      if (sym && sym.flags & ts.SymbolFlags.Alias) sym = this.checker.getAliasedSymbol(sym);
      const d = sym?.valueDeclaration;
      if (
        d &&
        ts.isVariableDeclaration(d) &&
        d.initializer &&
        ts.isVariableDeclarationList(d.parent) &&
        d.parent.flags & ts.NodeFlags.Const &&
        !d.type // an explicit annotation could widen a bigint/number distinction; keep it simple
      ) {
        return this.constVal(d.initializer, depth + 1);
      }
      if (d && ts.isVariableDeclaration(d) && d.initializer && d.type && ts.isVariableDeclarationList(d.parent) && d.parent.flags & ts.NodeFlags.Const) {
        return this.constVal(d.initializer, depth + 1);
      }
      return null;
    }
    if (ts.isBinaryExpression(e)) {
      const a = this.constVal(e.left, depth + 1);
      const b = a && this.constVal(e.right, depth + 1);
      if (!a || !b || a.big !== b.big) return null;
      const k = e.operatorToken.kind;
      const S = ts.SyntaxKind;
      let v: bigint;
      if (!a.big) {
        const i32 = (x: bigint): bigint => BigInt.asIntN(32, x);
        switch (k) {
          case S.PlusToken: v = a.v + b.v; break;
          case S.MinusToken: v = a.v - b.v; break;
          case S.AsteriskToken: v = a.v * b.v; if (v === 0n && (a.v < 0n || b.v < 0n)) return null; break;
          case S.AmpersandToken: v = i32(i32(a.v) & i32(b.v)); break;
          case S.BarToken: v = i32(i32(a.v) | i32(b.v)); break;
          case S.CaretToken: v = i32(i32(a.v) ^ i32(b.v)); break;
          case S.LessThanLessThanToken: v = i32(i32(a.v) << (BigInt.asUintN(32, b.v) & 31n)); break;
          case S.GreaterThanGreaterThanToken: v = i32(a.v) >> (BigInt.asUintN(32, b.v) & 31n); break;
          case S.GreaterThanGreaterThanGreaterThanToken: v = BigInt.asUintN(32, a.v) >> (BigInt.asUintN(32, b.v) & 31n); break;
          default: return null;
        }
        if (v > SAFE || v < -SAFE) return null;
        return { v, big: false };
      }
      const folded = bigBinary(k, a.v, b.v);
      return folded === null ? null : { v: folded, big: true };
    }
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && isIdent(e.expression.expression, "BigInt") && e.expression.name.text === "asUintN") {
      const n = e.arguments[0] && this.constVal(e.arguments[0], depth + 1);
      const x = e.arguments[1] && this.constBigExpr(e.arguments[1], depth + 1);
      if (!n || n.big || x === null || x === undefined) return null;
      return { v: BigInt.asUintN(Number(n.v), x), big: true };
    }
    return null;
  }

  /** Bigint constant expression evaluated with unbounded precision (inside BigInt.asUintN). */
  private constBigExpr(e: ts.Expression, depth: number): bigint | null {
    e = strip(e);
    const c = this.constVal(e, depth);
    if (c) return c.big ? c.v : null;
    if (ts.isPrefixUnaryExpression(e)) {
      const x = this.constBigExpr(e.operand, depth + 1);
      if (x === null) return null;
      if (e.operator === ts.SyntaxKind.MinusToken) return -x;
      if (e.operator === ts.SyntaxKind.TildeToken) return ~x;
      return null;
    }
    if (ts.isBinaryExpression(e)) {
      const a = this.constBigExpr(e.left, depth + 1);
      const b = a === null ? null : this.constBigExpr(e.right, depth + 1);
      if (a === null || b === null) return null;
      const S = ts.SyntaxKind;
      switch (e.operatorToken.kind) {
        case S.PlusToken: return a + b;
        case S.MinusToken: return a - b;
        case S.AsteriskToken: return a * b;
        case S.LessThanLessThanToken: return b > 256n ? null : a << b;
        case S.AmpersandToken: return a & b;
        case S.BarToken: return a | b;
        case S.CaretToken: return a ^ b;
        case S.GreaterThanGreaterThanToken: return a >> b;
      }
    }
    return null;
  }

  // ------------------------------------------------------------ effects and ordering

  /** Could evaluating `e` cause a side effect (call, allocation, assignment, increment)? */
  hasEffects(e: ts.Node): boolean {
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n)) {
        const c = n.expression;
        const pureCall =
          ts.isPropertyAccessExpression(c) &&
          ((ts.isIdentifier(c.expression) && ["Math", "BigInt"].includes(c.expression.text)) ||
            ["charCodeAt", "toString", "padStart", "padEnd"].includes(c.name.text));
        const pureFn = ts.isIdentifier(c) && ["BigInt", "Number"].includes(c.text);
        if (!pureCall && !pureFn) {
          found = true;
          return;
        }
      }
      if (ts.isNewExpression(n) || ts.isArrayLiteralExpression(n)) {
        found = true;
        return;
      }
      if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
        found = true;
        return;
      }
      if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) {
        found = true;
        return;
      }
      if (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) return;
      ts.forEachChild(n, visit);
    };
    visit(e);
    return found;
  }

  private isConstLike(e: ts.Expression): boolean {
    e = strip(e);
    return this.constVal(e) !== null || ts.isStringLiteral(e) || e.kind === ts.SyntaxKind.NullKeyword || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword;
  }

  /** Must these operands go into temporaries to keep JavaScript's left-to-right order? */
  private needsOrder(es: readonly ts.Expression[]): boolean {
    return es.some((e) => this.hasEffects(e)) && es.filter((e) => !this.isConstLike(e)).length >= 2;
  }

  /**
   * Compiles operands in JavaScript order. When one of them has effects and another is not a
   * constant, every non-constant operand goes into a temporary first.
   */
  ordered(es: readonly ts.Expression[], cs: string[], ks: KType[], ctx: FnCtx): { pre: string[]; vals: string[] } {
    if (!this.needsOrder(es)) return { pre: [], vals: cs };
    const pre: string[] = [];
    const vals: string[] = [];
    es.forEach((e, i) => {
      if (this.isConstLike(e) || ks[i]!.k === "void") {
        vals.push(cs[i]!);
        return;
      }
      const t = ctx.temp();
      pre.push(`${this.em.decl(ks[i]!, t)} = ${cs[i]};`);
      vals.push(t);
    });
    return { pre, vals };
  }

  wrap(pre: string[], e: string): string {
    if (pre.length === 0) return e;
    return `({ ${pre.join(" ")} ${e}; })`;
  }

  // ------------------------------------------------------------ statements

  private stmt(s: ts.Statement, ctx: FnCtx, out: string[], ind: string): void {
    this.em.guard(() => this.stmtInner(s, ctx, out, ind), s);
  }

  private block(stmts: readonly ts.Statement[] | ts.Statement, ctx: FnCtx, out: string[], ind: string): void {
    if (!Array.isArray(stmts)) {
      const s = stmts as ts.Statement;
      if (ts.isBlock(s)) {
        for (const x of s.statements) this.stmt(x, ctx, out, ind);
      } else {
        this.stmt(s, ctx, out, ind);
      }
      return;
    }
    for (const x of stmts as readonly ts.Statement[]) this.stmt(x, ctx, out, ind);
  }

  private cond(e: ts.Expression, ctx: FnCtx): string {
    const c = this.expr(e, ctx);
    return this.truthy(c, this.kt(e, ctx));
  }

  private truthy(c: string, k: KType): string {
    switch (k.k) {
      case "bool":
        return c;
      case "num":
      case "big":
        return `(${c} != 0)`;
      case "str":
        return `({ const char *keel_s = ${c}; keel_s != NULL && keel_s[0] != 0; })`;
      case "null":
        return "false";
      case "void":
        return "false";
      default:
        return `((const void *)${c} != (const void *)NULL)`; // casts: gcc warns that a function address is never NULL
    }
  }

  private stmtInner(s: ts.Statement, ctx: FnCtx, out: string[], ind: string): void {
    const S = ts.SyntaxKind;
    if (!ts.isBlock(s) && !ts.isEmptyStatement(s)) out.push(this.lineDirective(s));
    switch (s.kind) {
      case S.Block: {
        out.push(`${ind}{`);
        this.block((s as ts.Block).statements, ctx, out, ind + "  ");
        out.push(`${ind}}`);
        return;
      }
      case S.EmptyStatement:
        return;
      case S.ExpressionStatement:
        out.push(`${ind}${this.exprStmt((s as ts.ExpressionStatement).expression, ctx)};`);
        return;
      case S.VariableStatement: {
        const list = (s as ts.VariableStatement).declarationList;
        for (const d of list.declarations) this.localVar(d, ctx, out, ind);
        return;
      }
      case S.IfStatement: {
        const st = s as ts.IfStatement;
        out.push(`${ind}if (${this.cond(st.expression, ctx)}) {`);
        this.block(st.thenStatement, ctx, out, ind + "  ");
        if (st.elseStatement) {
          out.push(`${ind}} else {`);
          this.block(st.elseStatement, ctx, out, ind + "  ");
        }
        out.push(`${ind}}`);
        return;
      }
      case S.ReturnStatement: {
        const st = s as ts.ReturnStatement;
        if (!st.expression || ctx.ret.k === "void") {
          if (st.expression) out.push(`${ind}${this.exprStmt(st.expression, ctx)};`);
          out.push(`${ind}return;`);
        } else if (this.checker.getTypeAtLocation(st.expression).flags & ts.TypeFlags.Never) {
          // `return panic(...)` in a function with a value: the call does not come back.
          out.push(`${ind}${this.exprStmt(st.expression, ctx)};`);
          out.push(`${ind}__builtin_unreachable();`);
        } else {
          if (!this.managed && this.isTemplate(st.expression)) this.internal(st.expression, "a template literal cannot be returned (its buffer would not outlive the call); return a literal or format at the caller");
          out.push(`${ind}return ${this.exprAs(st.expression, ctx.ret, ctx)};`);
        }
        return;
      }
      case S.WhileStatement:
      case S.DoStatement:
      case S.ForStatement:
      case S.ForOfStatement:
        this.loop(s as ts.IterationStatement, null, ctx, out, ind);
        return;
      case S.ForInStatement:
        this.internal(s, "for...in is not supported; use for...of or an index loop");
      case S.LabeledStatement: {
        const st = s as ts.LabeledStatement;
        const inner = st.statement;
        if (ts.isIterationStatement(inner, false)) {
          this.loop(inner, st.label.text, ctx, out, ind);
          return;
        }
        const lab = new Label(st.label.text, ts.isSwitchStatement(inner) ? "switch" : "block", ctx.temp(`brk_${localIdent(st.label.text)}_`), "");
        ctx.labels.push(lab);
        if (ts.isSwitchStatement(inner)) this.switchStmt(inner, ctx, out, ind, lab);
        else {
          out.push(`${ind}{`);
          this.block(inner, ctx, out, ind + "  ");
          out.push(`${ind}}`);
          ctx.labels.pop();
        }
        if (lab.usedBrk) out.push(`${ind}${lab.brk}:;`);
        return;
      }
      case S.BreakStatement: {
        const st = s as ts.BreakStatement;
        if (!st.label) {
          out.push(`${ind}break;`);
          return;
        }
        const idx = this.findLabel(ctx, st.label.text, st);
        const lab = ctx.labels[idx]!;
        const innermost = ctx.labels.slice(idx + 1).every((l) => l.kind === "block");
        if (innermost && lab.kind !== "block") out.push(`${ind}break;`);
        else {
          lab.usedBrk = true;
          out.push(`${ind}goto ${lab.brk};`);
        }
        return;
      }
      case S.ContinueStatement: {
        const st = s as ts.ContinueStatement;
        if (!st.label) {
          out.push(`${ind}continue;`);
          return;
        }
        const idx = this.findLabel(ctx, st.label.text, st);
        const lab = ctx.labels[idx]!;
        const innerLoop = ctx.labels.slice(idx + 1).every((l) => l.kind !== "loop");
        if (innerLoop) out.push(`${ind}continue;`);
        else {
          lab.usedCont = true;
          out.push(`${ind}goto ${lab.cont};`);
        }
        return;
      }
      case S.SwitchStatement:
        this.switchStmt(s as ts.SwitchStatement, ctx, out, ind, null);
        return;
      case S.ThrowStatement: {
        const e = strip((s as ts.ThrowStatement).expression);
        if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "Error") {
          const msg = e.arguments?.[0];
          out.push(`${ind}${this.panicCall(msg ?? null, e, ctx)};`);
          return;
        }
        this.internal(s, "only `throw new Error(message)` is supported");
      }
      case S.FunctionDeclaration:
        this.internal(s, "nested function declarations are not supported; move the function to the top level");
      case S.ClassDeclaration:
        this.internal(s, "classes must be declared at the top level of a module");
      case S.TryStatement:
        this.internal(s, "try/catch is not supported");
      default:
        this.internal(s, `statement kind ${ts.SyntaxKind[s.kind]} is not supported`);
    }
  }

  private findLabel(ctx: FnCtx, name: string, at: ts.Node): number {
    for (let i = ctx.labels.length - 1; i >= 0; i--) if (ctx.labels[i]!.name === name) return i;
    this.internal(at, `label '${name}' not found`);
  }

  private localVar(d: ts.VariableDeclaration, ctx: FnCtx, out: string[], ind: string): void {
    if (!ts.isIdentifier(d.name)) this.internal(d.name, "destructuring declarations are not supported");
    const t = this.kt(d.name, ctx);
    if (t.k === "void" || t.k === "null") this.internal(d.name, "a variable needs a type with a value (not void, undefined or null alone)");
    let init: string;
    if (d.initializer) {
      if (!this.managed && this.isTemplate(d.initializer)) this.internal(d.initializer, "a template literal can only be printed, thrown, or passed directly as a string argument");
      init = this.exprAs(d.initializer, t, ctx);
    } else {
      init = t.k === "num" || t.k === "big" ? "0" : t.k === "bool" ? "false" : "NULL";
    }
    const sym = this.checker.getSymbolAtLocation(d.name);
    const name = this.declareLocal(ctx, d.name, d.name.text);
    // Unused as far as gcc sees whenever its reads were folded (a const of a constant value).
    out.push(`${ind}${this.em.decl(t, name)} KEEL_UNUSED = ${init};`);
    if (sym && ctx.viewUses && !ctx.viewUses.assigned.has(sym)) this.maybeView(ctx, sym, t, name, out, ind);
  }

  private loop(s: ts.IterationStatement, label: string | null, ctx: FnCtx, out: string[], ind: string): void {
    const lab = new Label(label, "loop", ctx.temp(`brk_`), ctx.temp(`cont_`));
    ctx.labels.push(lab);
    const body: string[] = [];
    const i2 = ind + "  ";
    const emitBody = (st: ts.Statement, bind: string): void => {
      this.block(st, ctx, body, bind);
    };
    const contLabel = (bind: string): void => {
      if (lab.usedCont) body.push(`${bind}${lab.cont}:;`);
    };
    if (ts.isWhileStatement(s)) {
      emitBody(s.statement, i2);
      contLabel(i2);
      out.push(`${ind}while (${this.cond(s.expression, ctx)}) {`, ...body, `${ind}}`);
    } else if (ts.isDoStatement(s)) {
      emitBody(s.statement, i2);
      contLabel(i2);
      out.push(`${ind}do {`, ...body, `${ind}} while (${this.cond(s.expression, ctx)});`);
    } else if (ts.isForStatement(s)) {
      out.push(`${ind}{`);
      if (s.initializer) {
        if (ts.isVariableDeclarationList(s.initializer)) {
          for (const d of s.initializer.declarations) this.localVar(d, ctx, out, i2);
        } else out.push(`${i2}${this.exprStmt(s.initializer, ctx)};`);
      }
      const c = s.condition ? this.cond(s.condition, ctx) : "";
      const inc = s.incrementor ? this.exprStmt(s.incrementor, ctx) : "";
      emitBody(s.statement, i2 + "  ");
      contLabel(i2 + "  ");
      out.push(`${i2}for (; ${c}; ${inc}) {`, ...body, `${i2}}`);
      out.push(`${ind}}`);
    } else if (ts.isForOfStatement(s)) {
      const it = s.expression;
      const mi = this.managed ? mapIteration(this, it, ctx) : null;
      if (mi) {
        // Over a Map or Set: live entries in insertion order (keel_map_next skips deleted ones).
        const m = ctx.temp("map");
        const e = ctx.temp("e");
        out.push(`${ind}{`);
        out.push(`${i2}struct keel_map *${m} = ${this.nullChecked(this.expr(mi.map, ctx), mi.t, mi.map)};`);
        if (!ts.isVariableDeclarationList(s.initializer) || s.initializer.declarations.length !== 1) {
          this.internal(s.initializer, "for...of needs a `const x` or `let x` declaration");
        }
        const d = s.initializer.declarations[0]!;
        const bind = (n: ts.Identifier, slot: string, k: KType): void => {
          const name = this.declareLocal(ctx, n, n.text);
          body.push(`${i2}  ${this.em.decl(k, name)} KEEL_UNUSED = ${fromSlot(this, slot, k)};`);
        };
        if (ts.isArrayBindingPattern(d.name)) {
          if (mi.part !== "entries" || !mi.t.val) this.internal(d.name, "only a Map's entries can be destructured, as [key, value]");
          const [kb, vb] = d.name.elements as readonly ts.BindingElement[];
          bind(kb!.name as ts.Identifier, `keel_map_key_at(${m}, ${e})`, mi.t.key);
          bind(vb!.name as ts.Identifier, `keel_map_val_at(${m}, ${e})`, mi.t.val);
        } else if (ts.isIdentifier(d.name)) {
          if (mi.part === "entries") this.internal(d.name, "a Map entry is a [key, value] pair: write for (const [k, v] of map)");
          if (mi.part === "keys") bind(d.name, `keel_map_key_at(${m}, ${e})`, mi.t.key);
          else bind(d.name, `keel_map_val_at(${m}, ${e})`, mi.t.val!);
        } else this.internal(d.name, "destructuring declarations are not supported");
        emitBody(s.statement, i2 + "  ");
        contLabel(i2 + "  ");
        out.push(`${i2}for (int64_t ${e} = keel_map_next(${m}, 0); ${e} >= 0; ${e} = keel_map_next(${m}, ${e} + 1)) {`, ...body, `${i2}}`);
        out.push(`${ind}}`);
        ctx.labels.pop();
        if (lab.usedBrk) out.push(`${ind}${lab.brk}:;`);
        return;
      }
      const at = this.kt(it, ctx);
      if (at.k !== "arr" && at.k !== "tarr" && at.k !== "str") this.internal(it, "for...of works over arrays, typed arrays and strings only");
      const arr = ctx.temp(at.k === "str" ? "s" : "arr");
      const idx = ctx.temp("i");
      out.push(`${ind}{`);
      out.push(`${i2}${this.em.decl(at, arr)} = ${this.nullChecked(this.expr(it, ctx), at, it)};`);
      if (!ts.isVariableDeclarationList(s.initializer) || s.initializer.declarations.length !== 1) {
        this.internal(s.initializer, "for...of needs a `const x` or `let x` declaration");
      }
      const d = s.initializer.declarations[0]!;
      if (!ts.isIdentifier(d.name)) this.internal(d.name, "destructuring declarations are not supported");
      const et = this.kt(d.name, ctx);
      const name = this.declareLocal(ctx, d.name, d.name.text);
      body.push(`${i2}  ${this.em.decl(et, name)} KEEL_UNUSED = ${at.k === "str" ? `keel_char_str(${arr}[${idx}])` : `${arr}->data[${idx}]`};`);
      emitBody(s.statement, i2 + "  ");
      contLabel(i2 + "  ");
      // A string cannot change while it is iterated: its end is its terminating 0.
      const more = at.k === "str" ? `${arr}[${idx}] != 0` : `${idx} < ${arr}->length`;
      out.push(`${i2}for (int64_t ${idx} = 0; ${more}; ${idx}++) {`, ...body, `${i2}}`);
      out.push(`${ind}}`);
    }
    ctx.labels.pop();
    if (lab.usedBrk) out.push(`${ind}${lab.brk}:;`);
  }

  private switchStmt(s: ts.SwitchStatement, ctx: FnCtx, out: string[], ind: string, lab: Label | null): void {
    const dt = this.kt(s.expression, ctx);
    if (dt.k !== "num" && dt.k !== "big" && dt.k !== "str") this.internal(s.expression, "switch works on numbers, enums, bigints and strings only");
    const own = lab ?? new Label(null, "switch", ctx.temp("brk_"), "");
    if (!lab) ctx.labels.push(own);
    else (own as { kind: string }).kind = "switch";
    const clauses = s.caseBlock.clauses;
    let close = "";
    if (dt.k === "str") {
      // The first label === the string selects its clause (JavaScript's order; labels are
      // constants), then a C switch over clause numbers keeps fall-through and default as they are.
      const d = ctx.temp("s");
      const sel = ctx.temp("case");
      out.push(`${ind}{`, `${ind}  const char *${d} KEEL_UNUSED = ${this.expr(s.expression, ctx)};`, `${ind}  int64_t ${sel} = -1;`);
      const tests = clauses.flatMap((c, i) => (ts.isCaseClause(c) ? [`if (keel_streq(${d}, ${this.expr(c.expression, ctx)})) ${sel} = ${i};`] : []));
      if (tests.length > 0) out.push(`${ind}  ${tests.join(" else ")}`);
      out.push(`${ind}  switch (${sel}) {`);
      close = `${ind}}`;
    } else out.push(`${ind}switch (${this.expr(s.expression, ctx)}) {`);
    // A repeated label never matches in JavaScript (the first one does): C would reject it.
    const seen = new Set<string>();
    clauses.forEach((clause, i) => {
      if (ts.isCaseClause(clause)) {
        let label: string;
        if (dt.k === "str") label = String(i);
        else {
          const v = this.constVal(clause.expression);
          if (!v) this.internal(clause.expression, "case labels must be compile-time constants (literals, enum members, constants)");
          label = v.big ? bigLit(v.v) : numLit(v.v);
        }
        if (!seen.has(label)) out.push(`${ind}case ${label}:`);
        seen.add(label);
      } else out.push(`${ind}default:`);
      if (clause.statements.length > 0) {
        out.push(`${ind}{`);
        this.block(clause.statements, ctx, out, ind + "  ");
        out.push(`${ind}}`);
      }
    });
    out.push(`${ind}}`);
    if (close) out.push(close);
    ctx.labels.pop();
  }

  // ------------------------------------------------------------ expressions

  isTemplate(e: ts.Expression): boolean {
    e = strip(e);
    if (ts.isTemplateExpression(e)) return true;
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
      const n = e.expression.name.text;
      if (n === "padStart" || n === "padEnd") return true;
      if (n === "toString") {
        const t = this.checker.getTypeAtLocation(e.expression.expression);
        return (t.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike)) !== 0;
      }
    }
    return false;
  }

  /** Compiles `e` and converts it to `want` (upcasts, null). */
  exprAs(e: ts.Expression, want: KType, ctx: FnCtx): string {
    const s = strip(e);
    if (ts.isArrayLiteralExpression(s)) return this.arrayLiteral(s, want, ctx);
    if (s.kind === ts.SyntaxKind.NullKeyword) return "NULL";
    if (ts.isConditionalExpression(s) && want.k === "class") {
      // `c ? new A() : new B()` has TypeScript type `A | B`; where a class is wanted (a declared
      // or contextual common base, which TypeScript checked), each branch converts to it
      return `(${this.cond(s.condition, ctx)} ? ${this.exprAs(s.whenTrue, want, ctx)} : ${this.exprAs(s.whenFalse, want, ctx)})`;
    }
    const c = this.expr(e, ctx);
    return this.coerce(c, this.kt(e, ctx), want);
  }

  coerce(c: string, from: KType, to: KType): string {
    if (from.k === "null") return "NULL";
    if (to.k === "class" && from.k === "class" && from.inst !== to.inst) return `((struct ${to.inst.cname} *)${c})`;
    return c;
  }

  /**
   * Every dereference except through `this` is checked: a non-null static type does not prove the
   * value is non-null, since `x!` has no effect in JavaScript (Node throws a TypeError at the
   * dereference, so that is where C panics). gcc removes repeated checks of the same pointer.
   */
  nullChecked(c: string, k: KType, at: ts.Node): string {
    if (c === "self" || k.k === "null") return c;
    return `((${this.em.ctype(k)})keel_nn((void *)${c}, ${this.loc(at)}))`;
  }

  /**
   * The body of an arrow compiled in place of its call (toolchain/src/subset/callbacks.ts): its
   * parameters become locals holding `vals`, and what it captures is this function's own.
   * `value` gives its result as `want`, `cond` its truth, `stmt` a statement.
   */
  inlineCallback(f: ts.ArrowFunction, body: ts.Expression | ts.Block, vals: string[], kinds: KType[], mode: "value" | "cond" | "stmt", want: KType, ctx: FnCtx): string {
    const binds = f.parameters.map((p, k) => {
      const pk = this.kt(p.name, ctx);
      const name = this.declareLocal(ctx, p.name, (p.name as ts.Identifier).text);
      return `${this.em.decl(pk, name)} KEEL_UNUSED = ${this.coerce(vals[k]!, kinds[k]!, pk)};`;
    });
    if (ts.isBlock(body)) {
      const out: string[] = [];
      this.block(body.statements, ctx, out, "  ");
      // Statements may carry #line directives, which must start a line.
      return `{ ${binds.join(" ")}\n${out.join("\n")}\n}`;
    }
    if (mode === "stmt") return `{ ${binds.join(" ")} ${this.exprStmt(body, ctx)}; }`;
    return `({ ${binds.join(" ")} ${mode === "cond" ? this.cond(body, ctx) : this.exprAs(body, want, ctx)}; })`;
  }

  /** Expression statement: assignments and increments without a value wrapper. */
  exprStmt(e: ts.Expression, ctx: FnCtx): string {
    const s = strip(e);
    if (ts.isBinaryExpression(s) && s.operatorToken.kind === ts.SyntaxKind.EqualsToken) return this.assign(s, ctx, false);
    if (ts.isBinaryExpression(s) && s.operatorToken.kind === ts.SyntaxKind.CommaToken) {
      return `${this.exprStmt(s.left, ctx)}, ${this.exprStmt(s.right, ctx)}`;
    }
    if ((ts.isPrefixUnaryExpression(s) || ts.isPostfixUnaryExpression(s)) && (s.operator === ts.SyntaxKind.PlusPlusToken || s.operator === ts.SyntaxKind.MinusMinusToken)) {
      return this.incdec(s.operand, s.operator === ts.SyntaxKind.PlusPlusToken, true, ctx, false);
    }
    const c = this.expr(e, ctx);
    // A discarded call result is cast away too: some built-ins (Number(b)) compile to no call at all.
    if ((ts.isCallExpression(s) && this.kt(s, ctx).k === "void") || (ts.isBinaryExpression(s) && s.operatorToken.kind >= ts.SyntaxKind.FirstCompoundAssignment && s.operatorToken.kind <= ts.SyntaxKind.LastCompoundAssignment)) return c;
    if (ts.isVoidExpression(s)) return c;
    return `(void)${c}`;
  }

  expr(e: ts.Expression, ctx: FnCtx): string {
    const p = ctx.pre.get(e);
    if (p !== undefined) return p;
    const S = ts.SyntaxKind;
    switch (e.kind) {
      case S.ParenthesizedExpression:
        return `(${this.expr((e as ts.ParenthesizedExpression).expression, ctx)})`;
      case S.AsExpression:
      case S.SatisfiesExpression:
      case S.TypeAssertionExpression: {
        const inner = (e as ts.AsExpression).expression;
        return this.coerce(this.expr(inner, ctx), this.kt(inner, ctx), this.kt(e, ctx));
      }
      case S.NumericLiteral: {
        const n = Number((e as ts.NumericLiteral).text);
        if (!Number.isInteger(n)) this.internal(e, "float literals are not supported");
        if (!Number.isSafeInteger(n)) this.internal(e, "number literal outside the safe integer range; use a bigint");
        return numLit(BigInt(n));
      }
      case S.BigIntLiteral:
        return bigLit(BigInt((e as ts.BigIntLiteral).text.slice(0, -1)));
      case S.StringLiteral:
      case S.NoSubstitutionTemplateLiteral:
        return cString((e as ts.StringLiteral).text);
      case S.TrueKeyword:
        return "true";
      case S.FalseKeyword:
        return "false";
      case S.NullKeyword:
        return "NULL";
      case S.ThisKeyword:
        if (!ctx.self) this.internal(e, "`this` outside a method");
        return ctx.self;
      case S.Identifier:
        return this.ident(e as ts.Identifier, ctx);
      case S.PrefixUnaryExpression: {
        const cv = this.constVal(e);
        if (cv) return cv.big ? bigLit(cv.v) : numLit(cv.v);
        return this.prefix(e as ts.PrefixUnaryExpression, ctx);
      }
      case S.PostfixUnaryExpression: {
        const u = e as ts.PostfixUnaryExpression;
        return this.incdec(u.operand, u.operator === S.PlusPlusToken, false, ctx, true);
      }
      case S.BinaryExpression: {
        const cv = this.constVal(e);
        if (cv) return cv.big ? bigLit(cv.v) : numLit(cv.v);
        return this.binary(e as ts.BinaryExpression, ctx);
      }
      case S.ConditionalExpression: {
        const c = e as ts.ConditionalExpression;
        const t = this.kt(e, ctx);
        return `(${this.cond(c.condition, ctx)} ? ${this.exprAs(c.whenTrue, t, ctx)} : ${this.exprAs(c.whenFalse, t, ctx)})`;
      }
      case S.CallExpression:
        return this.call(e as ts.CallExpression, ctx);
      case S.PropertyAccessExpression:
        return this.property(e as ts.PropertyAccessExpression, ctx);
      case S.ElementAccessExpression:
        return this.element(e as ts.ElementAccessExpression, ctx);
      case S.NonNullExpression:
        // no effect of its own, as in JavaScript: the dereference that follows is checked
        return this.expr((e as ts.NonNullExpression).expression, ctx);
      case S.NewExpression:
        return this.newExpr(e as ts.NewExpression, ctx);
      case S.ArrayLiteralExpression:
        return this.arrayLiteral(e as ts.ArrayLiteralExpression, this.kt(e, ctx), ctx);
      case S.ArrowFunction:
      case S.FunctionExpression: {
        const fi = this.em.lambdaInst(e as ts.ArrowFunction, ctx.env);
        return fi.cname;
      }
      case S.VoidExpression:
        return `(void)(${this.expr((e as ts.VoidExpression).expression, ctx)})`;
      case S.TemplateExpression:
        if (this.managed) return heapString(this, e as ts.TemplateExpression, ctx);
        this.internal(e, "a template literal can only be printed, thrown, or passed directly as a string argument");
      default:
        this.internal(e, `expression kind ${ts.SyntaxKind[e.kind]} is not supported`);
    }
  }

  private resolveSym(id: ts.Node): ts.Symbol | undefined {
    let sym = this.checker.getSymbolAtLocation(id);
    if (sym && sym.flags & ts.SymbolFlags.Alias) sym = this.checker.getAliasedSymbol(sym);
    return sym;
  }

  private ident(id: ts.Identifier, ctx: FnCtx): string {
    if (id.text === "undefined") this.internal(id, "`undefined` is not supported; use null");
    const sym0 = this.checker.getSymbolAtLocation(id);
    const local = sym0 && ctx.locals.get(sym0);
    if (local) return local;
    const sym = this.resolveSym(id);
    if (!sym) this.internal(id, `cannot resolve '${id.text}'`);
    const loc2 = ctx.locals.get(sym);
    if (loc2) return loc2;
    const d = sym.valueDeclaration ?? sym.declarations?.[0];
    if (!d) this.internal(id, `cannot resolve '${id.text}'`);
    const c = this.constVal(id);
    if (c) return c.big ? bigLit(c.v) : numLit(c.v);
    if (ts.isVariableDeclaration(d)) {
      if (ts.isVariableStatement(d.parent.parent) && ts.isSourceFile(d.parent.parent.parent)) {
        const mod = this.em.modOf(d);
        return this.em.globalName(d, `${mod.prefix}__${cIdent(id.text)}`);
      }
      this.internal(id, `'${id.text}' is a variable of an enclosing function or block: closures are not supported`);
    }
    if (ts.isFunctionDeclaration(d)) {
      if (d.typeParameters?.length) this.internal(id, "generic functions cannot be used as values");
      const fi = this.em.functionInst(this.implOf(d), []);
      return this.em.takesArgc(fi.decl) ? this.valueThunk(fi) : fi.cname;
    }
    if (ts.isParameter(d)) this.internal(id, `'${id.text}' is a parameter of an enclosing function: closures are not supported`);
    this.internal(id, `'${id.text}' cannot be used as a value here`);
  }

  private readonly thunks = new Map<FnInst, string>();
  /**
   * A function with defaults used as a value: calls through a function value pass every
   * argument, so a wrapper without `keel_argc` passes their count.
   */
  private valueThunk(fi: FnInst): string {
    let name = this.thunks.get(fi);
    if (name) return name;
    name = this.em.names.unique(`${fi.cname}__value`);
    this.thunks.set(fi, name);
    const sig = this.signature(fi);
    const ps = sig.params.map((p, i) => cType(p.ctype, `a${i}`));
    const proto = `${cType(sig.ret, name)}(${ps.length ? ps.join(", ") : "void"})`;
    const call = `${fi.cname}(${[...sig.params.map((_, i) => `a${i}`), `${sig.params.length}`].join(", ")})`;
    fi.mod.header.push(`${proto};`);
    fi.mod.body.push(`${proto} {\n  ${sig.retK.k === "void" ? "" : "return "}${call};\n}\n`);
    return name;
  }

  /** The implementation (with a body) of a possibly overloaded function. */
  private implOf(d: ts.FunctionDeclaration): ts.FunctionDeclaration {
    if (d.body || this.em.jsdocTag(d, "extern")) return d;
    const sym = d.name && this.checker.getSymbolAtLocation(d.name);
    const impl = sym?.declarations?.find((x) => ts.isFunctionDeclaration(x) && x.body);
    return (impl as ts.FunctionDeclaration | undefined) ?? d;
  }

  private prefix(u: ts.PrefixUnaryExpression, ctx: FnCtx): string {
    const S = ts.SyntaxKind;
    if (u.operator === S.PlusPlusToken || u.operator === S.MinusMinusToken) {
      return this.incdec(u.operand, u.operator === S.PlusPlusToken, true, ctx, true);
    }
    const k = this.kt(u.operand, ctx);
    const c = this.expr(u.operand, ctx);
    switch (u.operator) {
      case S.MinusToken:
        if (k.k === "big") return `((uint64_t)0 - ${c})`;
        if (this.em.opts.checked) return `keel_sub_c(0, ${c}, ${this.loc(u)})`;
        return `(-${c})`;
      case S.PlusToken:
        if (k.k !== "num") this.internal(u, "unary + works on numbers only");
        return c;
      case S.ExclamationToken:
        return `(!${this.truthy(c, k)})`;
      case S.TildeToken:
        if (k.k === "big") return `(~${c})`;
        return `((int64_t)~(int32_t)${c})`;
    }
    this.internal(u, "unsupported unary operator");
  }

  /**
   * An assignment target, evaluated as JavaScript does: its object, then its index, then `value`
   * (null for ++/--). A part that a later one could change, or whose effects must come first, is
   * held in a temporary (`pre`). With `update` (compound assignment, ++, --) the target is read
   * before the value is computed, so its null and bounds checks are in `pre`; for a plain `=` Node
   * computes the value first and fails at the store, so the checks stay in `ref`.
   */
  private lval(e: ts.Expression, ctx: FnCtx, value: ts.Expression | null, update: boolean): LVal {
    e = strip(e);
    while (ts.isNonNullExpression(e)) e = strip(e.expression);
    const k = this.kt(e, ctx);
    const plain = (ref: string): LVal => ({ pre: [], ref, k, store: (v) => v, truncates: false, checked: false });
    const later = value ? [value] : [];
    const pre: string[] = [];
    const hold = (c: string, hk: KType, base: string): string => {
      const t = ctx.temp(base);
      pre.push(`${this.em.decl(hk, t)} = ${c};`);
      return t;
    };
    // the object or array (checked for null where it is used: after the index is evaluated)
    const base = (c: string, bk: KType, held: boolean): string => this.nullChecked(held ? hold(c, bk, "o") : c, bk, e);
    if (ts.isIdentifier(e)) {
      const c = this.ident(e, ctx);
      if (/^[A-Za-z_]/.test(c) === false) this.internal(e, "cannot assign to a constant");
      return plain(c);
    }
    if (ts.isPropertyAccessExpression(e)) {
      const sym = this.resolveSym(e.name);
      const d = sym?.valueDeclaration;
      if (d && ts.isPropertyDeclaration(d) && this.em.isStatic(d)) return plain(this.property(e, ctx));
      const ot = this.kt(e.expression, ctx);
      if (ot.k !== "class") this.internal(e, "only fields of class instances can be assigned");
      const fp = this.em.fieldPath(ot.inst as ClassInst, e.name.text);
      if (!fp) this.internal(e, `no field '${e.name.text}'`);
      const o = this.expr(e.expression, ctx);
      if (o === "self") return { ...plain(`self->${fp.path}`), k: fp.field.type };
      const held = this.needsOrder([e.expression, ...later]) || (update && !this.simple(e.expression));
      return { pre, ref: `${base(o, ot, held)}->${fp.path}`, k: fp.field.type, store: (v) => v, truncates: false, checked: true };
    }
    if (ts.isElementAccessExpression(e)) {
      const at = this.kt(e.expression, ctx);
      if (at.k !== "arr" && at.k !== "tarr") this.internal(e, "indexing works on arrays and typed arrays only");
      const v = this.viewOf(e.expression, ctx); // a view's header cannot change
      const inOrder = this.needsOrder(v ? [e.argumentExpression, ...later] : [e.expression, e.argumentExpression, ...later]);
      const arr = v ? v.h : base(this.expr(e.expression, ctx), at, inOrder || (update && !this.simple(e.expression)));
      const len = v ? `${v.h}_len` : `${arr}->length`;
      const L = this.loc(e);
      let idx = this.expr(e.argumentExpression, ctx);
      if ((inOrder || (update && this.hasEffects(e.argumentExpression))) && !this.isConstLike(e.argumentExpression)) idx = hold(idx, NUM, "i");
      let ref: string;
      if (update) {
        if (v) pre.push(`(void)keel_nn((void *)${v.h}, ${L});`);
        idx = hold(`keel_idx(${idx}, ${len}, ${L})`, NUM, "i");
        ref = `${v ? `${v.h}_data` : `${arr}->data`}[${idx}]`;
      } else {
        ref = `${v ? this.viewData(v, e) : `${arr}->data`}[keel_idx(${idx}, ${len}, ${L})]`;
      }
      if (at.k === "tarr") {
        const ec = TARR_ELEM_C[at.kind];
        const store = at.kind === "u8c" ? (v: string) => `(uint8_t)keel_clamp_u8(${v})` : at.kind === "u64" ? (v: string) => v : (v: string) => `(${ec})${v}`;
        return { pre, ref, k: at.kind === "u64" ? BIG : NUM, store, truncates: at.kind !== "u64", checked: true };
      }
      return { pre, ref, k: at.elem, store: (v) => v, truncates: false, checked: true };
    }
    this.internal(e, "this expression cannot be assigned to");
  }

  private simple(e: ts.Expression): boolean {
    e = strip(e);
    return ts.isIdentifier(e) || e.kind === ts.SyntaxKind.ThisKeyword || (ts.isPropertyAccessExpression(e) && this.simple(e.expression) && !this.hasEffects(e));
  }

  private assign(b: ts.BinaryExpression, ctx: FnCtx, asValue: boolean): string {
    const lv = this.lval(b.left, ctx, b.right, false);
    if (!this.managed && this.isTemplate(b.right)) this.internal(b.right, "a template literal can only be printed, thrown, or passed directly as a string argument");
    const rhs = this.exprAs(b.right, lv.k, ctx);
    const direct = lv.pre.length === 0 && !(lv.checked && this.hasEffects(b.right));
    if (direct && !(lv.truncates && asValue)) {
      const a = `${lv.ref} = ${lv.store(rhs)}`;
      return asValue ? `(${a})` : a;
    }
    // The value first, then the store with its checks (where Node fails too); a truncating
    // store's expression still has the untruncated value.
    const t = ctx.temp();
    return `({ ${lv.pre.join(" ")} ${this.em.decl(lv.k, t)} = ${rhs}; ${lv.ref} = ${lv.store(t)}; ${t}; })`;
  }

  private incdec(operand: ts.Expression, inc: boolean, prefix: boolean, ctx: FnCtx, asValue: boolean): string {
    const k = this.kt(operand, ctx);
    const lv = this.lval(operand, ctx, null, true);
    const one = k.k === "big" ? "UINT64_C(1)" : "1";
    const op = inc ? "+" : "-";
    if (k.k === "num" && !lv.truncates && !this.em.opts.checked && lv.pre.length === 0) {
      const o = inc ? "++" : "--";
      return asValue ? (prefix ? `(${o}${lv.ref})` : `(${lv.ref}${o})`) : `${lv.ref}${o}`;
    }
    const ct = k.k === "big" ? "uint64_t" : "int64_t";
    const o = ctx.temp();
    const n = ctx.temp();
    const nv = k.k === "num" && this.em.opts.checked ? `keel_${inc ? "add" : "sub"}_c(${o}, 1, ${this.loc(operand)})` : `${o} ${op} ${one}`;
    return `({ ${lv.pre.join(" ")} ${ct} ${o} = ${lv.ref}; ${ct} ${n} = ${nv}; ${lv.ref} = ${lv.store(n)}; ${prefix ? n : o}; })`;
  }

  private binary(b: ts.BinaryExpression, ctx: FnCtx): string {
    const S = ts.SyntaxKind;
    const op = b.operatorToken.kind;
    if (op === S.EqualsToken) return this.assign(b, ctx, true);
    if (op >= S.FirstCompoundAssignment && op <= S.LastCompoundAssignment) return this.compound(b, ctx);
    if (op === S.AmpersandAmpersandToken || op === S.BarBarToken) {
      const t = this.kt(b, ctx);
      if (t.k === "bool") {
        return `(${this.cond(b.left, ctx)} ${op === S.AmpersandAmpersandToken ? "&&" : "||"} ${this.cond(b.right, ctx)})`;
      }
      const lt = this.kt(b.left, ctx);
      const tmp = ctx.temp();
      const l = this.coerce(this.expr(b.left, ctx), lt, t);
      const r = this.exprAs(b.right, t, ctx);
      const test = this.truthy(tmp, lt);
      return op === S.BarBarToken
        ? `({ ${this.em.decl(t, tmp)} = ${l}; ${test} ? ${tmp} : ${r}; })`
        : `({ ${this.em.decl(t, tmp)} = ${l}; ${test} ? ${r} : ${tmp}; })`;
    }
    if (op === S.QuestionQuestionToken) {
      const t = this.kt(b, ctx);
      const el = strip(b.left);
      if (ts.isElementAccessExpression(el)) return this.elementOr(el, b.right, t, ctx);
      // A number, bigint or boolean is never null (C could not even compare it with NULL).
      const lk = this.kt(b.left, ctx);
      if (lk.k === "num" || lk.k === "big" || lk.k === "bool") return this.expr(b.left, ctx);
      const tmp = ctx.temp();
      const l = this.coerce(this.expr(b.left, ctx), this.kt(b.left, ctx), withNull(t));
      return `({ ${this.em.decl(withNull(t), tmp)} = ${l}; ${tmp} != NULL ? ${tmp} : ${this.exprAs(b.right, t, ctx)}; })`;
    }
    if (op === S.CommaToken) return `(${this.exprStmt(b.left, ctx)}, ${this.expr(b.right, ctx)})`;
    if (op === S.PlusToken && this.managed && this.kt(b, ctx).k === "str") return heapString(this, b, ctx);
    if (op === S.SlashToken && this.kt(b.left, ctx).k !== "big") this.internal(b, "`/` is only allowed as Math.floor(a / b), Math.trunc(a / b) or (a / b) | 0");
    if (op === S.InstanceOfKeyword || op === S.InKeyword) this.internal(b, `'${ts.tokenToString(op)}' is not supported`);
    if (op === S.EqualsEqualsToken || op === S.ExclamationEqualsToken) this.internal(b, "use === and !==");
    // `(a / b) | 0`
    if (op === S.BarToken) {
      const l = strip(b.left);
      const rv = this.constVal(b.right);
      if (ts.isBinaryExpression(l) && l.operatorToken.kind === S.SlashToken && rv && !rv.big && rv.v === 0n) {
        const o = this.ordered([l.left, l.right], [this.expr(l.left, ctx), this.expr(l.right, ctx)], [NUM, NUM], ctx);
        return this.wrap(o.pre, `keel_div_i32(${o.vals[0]}, ${o.vals[1]})`);
      }
    }
    const lk = this.kt(b.left, ctx);
    const rk = this.kt(b.right, ctx);
    const o = this.ordered([b.left, b.right], [this.expr(b.left, ctx), this.expr(b.right, ctx)], [lk, rk], ctx);
    const [l, r] = o.vals as [string, string];
    return this.wrap(o.pre, this.binop(b, op, l, r, lk, rk));
  }

  private binop(at: ts.Node, op: ts.SyntaxKind, l: string, r: string, lk: KType, rk: KType): string {
    const S = ts.SyntaxKind;
    const chk = this.em.opts.checked;
    const L = this.loc(at);
    if (op === S.EqualsEqualsEqualsToken || op === S.ExclamationEqualsEqualsToken) {
      const neg = op === S.ExclamationEqualsEqualsToken;
      if (lk.k === "str" && rk.k === "str") return `${neg ? "!" : ""}keel_streq(${l}, ${r})`;
      // References compare as addresses; the casts also keep gcc from warning that a function's
      // address is never NULL.
      const ptr = (k: KType): boolean => k.k === "class" || k.k === "arr" || k.k === "tarr" || k.k === "fn" || k.k === "str" || k.k === "null";
      if (ptr(lk) && ptr(rk)) return `((const void *)${l} ${neg ? "!=" : "=="} (const void *)${r})`;
      return `(${l} ${neg ? "!=" : "=="} ${r})`;
    }
    if (lk.k === "big" || rk.k === "big") {
      switch (op) {
        case S.PlusToken: return `(${l} + ${r})`;
        case S.MinusToken: return `(${l} - ${r})`;
        case S.AsteriskToken: return `(${l} * ${r})`;
        case S.SlashToken: return `keel_bdiv(${l}, ${r}, ${L})`;
        case S.PercentToken: return `keel_bmod(${l}, ${r}, ${L})`;
        case S.AmpersandToken: return `(${l} & ${r})`;
        case S.BarToken: return `(${l} | ${r})`;
        case S.CaretToken: return `(${l} ^ ${r})`;
        case S.LessThanLessThanToken: return `keel_shl64(${l}, ${r})`;
        case S.GreaterThanGreaterThanToken: return `keel_shr64(${l}, ${r})`;
        case S.LessThanToken: return `(${l} < ${r})`;
        case S.GreaterThanToken: return `(${l} > ${r})`;
        case S.LessThanEqualsToken: return `(${l} <= ${r})`;
        case S.GreaterThanEqualsToken: return `(${l} >= ${r})`;
      }
      this.internal(at, `operator '${ts.tokenToString(op)}' is not supported on bigint`);
    }
    if (lk.k === "str" && rk.k === "str" && this.managed) {
      const cmp = { [S.LessThanToken]: "<", [S.GreaterThanToken]: ">", [S.LessThanEqualsToken]: "<=", [S.GreaterThanEqualsToken]: ">=" }[op as number];
      if (cmp) return stringCompare(cmp, l, r);
    }
    if (lk.k === "str" || rk.k === "str") this.internal(at, "string operators other than === and !== are not supported; use a template literal");
    switch (op) {
      case S.PlusToken: return chk ? `keel_add_c(${l}, ${r}, ${L})` : `(${l} + ${r})`;
      case S.MinusToken: return chk ? `keel_sub_c(${l}, ${r}, ${L})` : `(${l} - ${r})`;
      case S.AsteriskToken: return chk ? `keel_mul_c(${l}, ${r}, ${L})` : `(${l} * ${r})`;
      case S.AsteriskAsteriskToken: return chk ? `keel_pow_c(${l}, ${r}, ${L})` : `keel_pow(${l}, ${r}, ${L})`;
      case S.PercentToken: return `keel_mod(${l}, ${r}, ${L})`;
      case S.AmpersandToken: return `((int64_t)((int32_t)${l} & (int32_t)${r}))`;
      case S.BarToken: return `((int64_t)((int32_t)${l} | (int32_t)${r}))`;
      case S.CaretToken: return `((int64_t)((int32_t)${l} ^ (int32_t)${r}))`;
      case S.LessThanLessThanToken: return `keel_shl32(${l}, ${r})`;
      case S.GreaterThanGreaterThanToken: return `keel_sar32(${l}, ${r})`;
      case S.GreaterThanGreaterThanGreaterThanToken: return `keel_shr32(${l}, ${r})`;
      case S.LessThanToken: return `(${l} < ${r})`;
      case S.GreaterThanToken: return `(${l} > ${r})`;
      case S.LessThanEqualsToken: return `(${l} <= ${r})`;
      case S.GreaterThanEqualsToken: return `(${l} >= ${r})`;
    }
    this.internal(at, `operator '${ts.tokenToString(op)}' is not supported here`);
  }

  private compound(b: ts.BinaryExpression, ctx: FnCtx): string {
    const S = ts.SyntaxKind;
    const op = b.operatorToken.kind;
    const base: Partial<Record<ts.SyntaxKind, ts.SyntaxKind>> = {
      [S.PlusEqualsToken]: S.PlusToken,
      [S.MinusEqualsToken]: S.MinusToken,
      [S.AsteriskEqualsToken]: S.AsteriskToken,
      [S.AsteriskAsteriskEqualsToken]: S.AsteriskAsteriskToken,
      [S.PercentEqualsToken]: S.PercentToken,
      [S.SlashEqualsToken]: S.SlashToken,
      [S.AmpersandEqualsToken]: S.AmpersandToken,
      [S.BarEqualsToken]: S.BarToken,
      [S.CaretEqualsToken]: S.CaretToken,
      [S.LessThanLessThanEqualsToken]: S.LessThanLessThanToken,
      [S.GreaterThanGreaterThanEqualsToken]: S.GreaterThanGreaterThanToken,
      [S.GreaterThanGreaterThanGreaterThanEqualsToken]: S.GreaterThanGreaterThanGreaterThanToken,
    };
    if (op === S.QuestionQuestionEqualsToken) {
      const lv = this.lval(b.left, ctx, b.right, true);
      return this.wrap(lv.pre, `(${lv.ref} == NULL ? (${lv.ref} = ${this.exprAs(b.right, lv.k, ctx)}) : ${lv.ref})`);
    }
    const bop = base[op];
    if (bop === undefined) this.internal(b, `operator '${ts.tokenToString(op)}' is not supported`);
    if (op === S.SlashEqualsToken && this.kt(b.left, ctx).k !== "big") this.internal(b, "`/=` is not supported; use x = Math.floor(x / y)");
    const lv = this.lval(b.left, ctx, b.right, true);
    if (lv.k.k === "str" && bop === S.PlusToken && this.managed) return appendAssign(this, b, lv.ref, lv.pre, ctx);
    const rk = this.kt(b.right, ctx);
    const r = this.expr(b.right, ctx);
    const ct = lv.k.k === "big" ? "uint64_t" : "int64_t";
    if (!lv.truncates && lv.pre.length === 0 && !this.hasEffects(b.right)) {
      return `(${lv.ref} = ${this.binop(b, bop, lv.ref, r, lv.k, rk)})`;
    }
    const o = ctx.temp();
    const rv = ctx.temp();
    const n = ctx.temp();
    return `({ ${lv.pre.join(" ")} ${ct} ${o} = ${lv.ref}; ${ct} ${rv} = ${r}; ${ct} ${n} = ${this.binop(b, bop, o, rv, lv.k, rk)}; ${lv.ref} = ${lv.store(n)}; ${n}; })`;
  }

  private property(p: ts.PropertyAccessExpression, ctx: FnCtx): string {
    if (p.questionDotToken) this.internal(p, "optional chaining (?.) is not supported");
    const c = this.constVal(p);
    if (c) return c.big ? bigLit(c.v) : numLit(c.v);
    const name = p.name.text;
    const sym = this.resolveSym(p.name);
    const d = sym?.valueDeclaration;
    if (d && ts.isPropertyDeclaration(d) && this.em.isStatic(d)) {
      const cd = d.parent as ts.ClassDeclaration;
      const inst = this.em.classInst(cd, [], p);
      return this.em.globalName(d, `${inst.cname}__${cIdent(name)}`);
    }
    if (d && ts.isEnumMember(d)) this.internal(p, "enum members must have constant numeric values");
    if (d && (ts.isVariableDeclaration(d) || ts.isFunctionDeclaration(d))) {
      // a namespace import (`m.x`)
      return this.ident(p.name as ts.Identifier, ctx);
    }
    const ot = this.kt(p.expression, ctx);
    if (name === "length" && (ot.k === "arr" || ot.k === "tarr")) {
      const v = this.viewOf(p.expression, ctx);
      if (v) return `((void)keel_nn((void *)${v.h}, ${this.loc(p)}), ${v.h}_len)`;
      return `${this.nullChecked(this.expr(p.expression, ctx), ot, p)}->length`;
    }
    if (name === "size" && ot.k === "map") return `keel_map_size(${this.nullChecked(this.expr(p.expression, ctx), ot, p)})`;
    if (name === "length" && ot.k === "str") {
      const s = strip(p.expression);
      if (ts.isStringLiteral(s) || ts.isNoSubstitutionTemplateLiteral(s)) return `${Buffer.byteLength(s.text, "utf8")}`;
      return `keel_strlen(${this.nullChecked(this.expr(p.expression, ctx), ot, p)})`;
    }
    if (ot.k === "class") {
      const fp = this.em.fieldPath(ot.inst as ClassInst, name);
      if (!fp) this.internal(p, `'${name}' is not a field (methods cannot be used as values)`);
      const obj = p.expression.kind === ts.SyntaxKind.ThisKeyword ? this.expr(p.expression, ctx) : this.nullChecked(this.expr(p.expression, ctx), ot, p);
      return `${obj}->${fp.path}`;
    }
    this.fail(p, BUILTIN_METHOD_VALUE, `'${p.getText()}' of type ${typeName(ot)} used without a call`);
  }

  private element(e: ts.ElementAccessExpression, ctx: FnCtx): string {
    const c = this.constVal(e);
    if (c) return numLit(c.v);
    const at = this.kt(e.expression, ctx);
    if (at.k === "str") {
      // A one-character string from the runtime's table: nothing is allocated.
      const o = this.ordered([e.expression, e.argumentExpression], [this.nullChecked(this.expr(e.expression, ctx), at, e), this.expr(e.argumentExpression, ctx)], [at, NUM], ctx);
      return this.wrap(o.pre, `keel_str_index(${o.vals[0]}, ${o.vals[1]}, ${this.loc(e)})`);
    }
    if (at.k !== "arr" && at.k !== "tarr") this.internal(e, "indexing works on arrays, typed arrays and strings only");
    const v = this.viewOf(e.expression, ctx);
    if (v) return `${this.viewData(v, e)}[keel_idx(${this.expr(e.argumentExpression, ctx)}, ${v.h}_len, ${this.loc(e)})]`;
    let arr = this.nullChecked(this.expr(e.expression, ctx), at, e);
    const idx = this.expr(e.argumentExpression, ctx);
    if (!this.simple(e.expression) && (this.hasEffects(e.expression) || this.hasEffects(e.argumentExpression))) {
      const t = ctx.temp("a");
      const i = ctx.temp("i");
      return `({ ${this.em.decl(withoutNull(at), t)} = ${arr}; int64_t ${i} = ${idx}; ${t}->data[keel_idx(${i}, ${t}->length, ${this.loc(e)})]; })`;
    }
    if (!this.simple(e.expression) && !ts.isElementAccessExpression(strip(e.expression))) {
      arr = `(${arr})`;
    }
    return `${arr}->data[keel_idx(${idx}, ${arr}->length, ${this.loc(e)})]`;
  }

  /**
   * `xs[i] ?? d`: an index out of range reads `undefined` in JavaScript, which `??` replaces by
   * `d`, so here (and only here) an out-of-range read is not a panic. A null element gives `d` too.
   */
  private elementOr(e: ts.ElementAccessExpression, right: ts.Expression, t: KType, ctx: FnCtx): string {
    const at = this.kt(e.expression, ctx);
    if (at.k !== "arr" && at.k !== "tarr" && at.k !== "str") this.internal(e, "indexing works on arrays, typed arrays and strings only");
    const v = ctx.temp();
    if (at.k === "str") {
      const o = this.ordered([e.expression, e.argumentExpression], [this.nullChecked(this.expr(e.expression, ctx), at, e), this.expr(e.argumentExpression, ctx)], [at, NUM], ctx);
      const read = `const char *${v} = keel_str_index_or_null(${o.vals[0]}, ${o.vals[1]});`;
      return `({ ${o.pre.join(" ")} ${read} ${v} != NULL ? ${v} : ${this.exprAs(right, t, ctx)}; })`;
    }
    const a = ctx.temp("a");
    const i = ctx.temp("i");
    const ek: KType = at.k === "arr" ? at.elem : at.kind === "u64" ? BIG : NUM;
    const len = `${a}->length`;
    const read = `${a}->data[${i}]`;
    const head = `${this.em.decl(withoutNull(at), a)} = ${this.nullChecked(this.expr(e.expression, ctx), at, e)}; int64_t ${i} = ${this.expr(e.argumentExpression, ctx)};`;
    const inRange = `(uint64_t)${i} < (uint64_t)${len}`;
    if (!isNullable(ek)) return `({ ${head} ${inRange} ? ${this.coerce(read, ek, t)} : ${this.exprAs(right, t, ctx)}; })`;
    const tn = withNull(t);
    return `({ ${head} ${this.em.decl(tn, v)} = ${inRange} ? ${this.coerce(read, ek, tn)} : NULL; ${v} != NULL ? ${v} : ${this.exprAs(right, t, ctx)}; })`;
  }

  private arrayLiteral(a: ts.ArrayLiteralExpression, want: KType, ctx: FnCtx): string {
    let t = want;
    if (t.k !== "arr") t = this.kt(a, ctx);
    if (t.k !== "arr") this.internal(a, "array literal of an unsupported type");
    const el = t.elem;
    const st = this.em.arrStruct(el);
    const tmp = ctx.temp("arr");
    const parts = [`struct ${st} *${tmp} = keel_new_array(${a.elements.length}, sizeof(${this.em.ctype(el)}), ${this.em.arrTypeId(el)}, ${this.loc(a)});`];
    a.elements.forEach((x, i) => {
      if (ts.isSpreadElement(x)) this.internal(x, "spread is not supported");
      parts.push(`${tmp}->data[${i}] = ${this.exprAs(x, el, ctx)};`);
    });
    return `({ ${parts.join(" ")} ${tmp}; })`;
  }

  private newExpr(n: ts.NewExpression, ctx: FnCtx): string {
    const t = this.kt(n, ctx);
    if (t.k === "map") return newMap(t);
    const args = n.arguments ?? ts.factory.createNodeArray();
    if (t.k === "tarr") {
      const a0 = args[0];
      const ec = TARR_ELEM_C[t.kind];
      const tid = this.em.typeId(Object.keys(TARR_BY_NAME).find((k) => TARR_BY_NAME[k] === t.kind)!);
      if (!a0) return `((struct keel_${t.kind}arr *)keel_new_array(0, sizeof(${ec}), ${tid}, ${this.loc(n)}))`;
      const s0 = strip(a0);
      if (ts.isArrayLiteralExpression(s0)) {
        const tmp = ctx.temp("ta");
        const parts = [`struct keel_${t.kind}arr *${tmp} = keel_new_array(${s0.elements.length}, sizeof(${ec}), ${tid}, ${this.loc(n)});`];
        s0.elements.forEach((x, i) => {
          const v = this.expr(x, ctx);
          const store = t.kind === "u8c" ? `(uint8_t)keel_clamp_u8(${v})` : `(${ec})${v}`;
          parts.push(`${tmp}->data[${i}] = ${store};`);
        });
        return `({ ${parts.join(" ")} ${tmp}; })`;
      }
      const k0 = this.kt(a0, ctx);
      if (k0.k !== "num") this.internal(a0, "typed arrays are created from a length or an array literal");
      return `((struct keel_${t.kind}arr *)keel_new_array(${this.expr(a0, ctx)}, sizeof(${ec}), ${tid}, ${this.loc(n)}))`;
    }
    if (t.k === "arr") {
      const a0 = args[0];
      const parent = n.parent;
      const filled = ts.isPropertyAccessExpression(parent) && parent.name.text === "fill" && ts.isCallExpression(parent.parent);
      if (!filled) this.internal(n, "new Array(n) must be followed by .fill(value) (its elements are undefined otherwise)");
      if (!a0 || args.length !== 1) this.internal(n, "new Array<T>(n) takes exactly one length argument");
      const st = this.em.arrStruct(t.elem);
      return `((struct ${st} *)keel_new_array(${this.expr(a0, ctx)}, sizeof(${this.em.ctype(t.elem)}), ${this.em.arrTypeId(t.elem)}, ${this.loc(n)}))`;
    }
    if (t.k === "class") {
      const inst = t.inst as ClassInst;
      if ((ts.getCombinedModifierFlags(inst.decl) & ts.ModifierFlags.Abstract) !== 0) this.internal(n, "cannot instantiate an abstract class");
      const { params, env, argc } = this.em.ctorParams(inst);
      const kinds = params.map((p) => this.em.toK(this.checker.getTypeAtLocation(p), env, p));
      const a = this.args(n, args, params, kinds, ctx, argc);
      return this.wrap(a.pre, `${inst.newName}(${a.vals.join(", ")})`);
    }
    if (ts.isIdentifier(n.expression) && n.expression.text === "Error") this.internal(n, "Error objects can only be thrown directly: throw new Error(message)");
    this.internal(n, "unsupported new expression");
  }

  // ------------------------------------------------------------ calls

  /**
   * Compiles call arguments for the given parameters: template buffers, conversions, defaults.
   * A callee with `argc` (Emitter.takesArgc) evaluates its own defaults: a missing argument is
   * passed as a zero and the count of passed arguments follows. Only an `@extern` or `@export`
   * function has its defaults evaluated here, in the caller.
   */
  private args(
    call: ts.Node,
    args: readonly ts.Expression[],
    params: readonly ts.ParameterDeclaration[],
    kinds: KType[],
    ctx: FnCtx,
    argc: boolean,
  ): { pre: string[]; vals: string[] } {
    const es: ts.Expression[] = [];
    const cs: string[] = [];
    const ks: KType[] = [];
    const missing: string[] = [];
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      const a = args[i];
      const k = kinds[i]!;
      if (p.dotDotDotToken) this.internal(p, "rest parameters are not supported");
      if (a) {
        es.push(a);
        ks.push(k);
        if (this.isTemplate(a)) cs.push(this.templateArg(a, ctx, p));
        else cs.push(this.exprAs(a, k, ctx));
      } else if (p.initializer && argc) {
        missing.push(`(${this.em.ctype(k)})0`);
      } else if (p.initializer) {
        es.push(p.initializer);
        ks.push(k);
        cs.push(this.exprAs(p.initializer, k, ctx));
      } else {
        this.internal(call, `missing argument for parameter '${p.name.getText()}'`);
      }
    }
    if (args.length > params.length) this.internal(args[params.length]!, "too many arguments");
    const o = this.ordered(es, cs, ks, ctx);
    return argc ? { pre: o.pre, vals: [...o.vals, ...missing, `${args.length}`] } : o;
  }

  /** A template literal passed as a string argument: formatted into a 1024-byte buffer of the caller's frame. */
  private templateArg(a: ts.Expression, ctx: FnCtx, param: ts.ParameterDeclaration | null = null): string {
    if (this.managed && !(param && paramOnlyRead(this.checker, param, this.em))) return heapString(this, a, ctx);
    if (this.managed) {
      // The callee only reads the string (prints it, formats it, measures it): a buffer in the
      // caller's frame that moves to the heap only when it outgrows 1024 bytes.
      const buf = ctx.temp("tbuf");
      ctx.hoisted.push(`char ${buf}[1024];`);
      const sb = ctx.temp("sb");
      const parts = [`struct keel_sb ${sb};`, `keel_sb_init(&${sb}, ${buf}, 1024, false, ${this.loc(a)});`, `${sb}.heap = true;`];
      this.fmt(sb, a, ctx, false, parts);
      return `({ ${parts.join(" ")} keel_sb_cstr(&${sb}); })`;
    }
    const buf = ctx.temp("tbuf");
    ctx.hoisted.push(`char ${buf}[1024];`);
    const sb = ctx.temp("sb");
    const parts = [`struct keel_sb ${sb};`, `keel_sb_init(&${sb}, ${buf}, 1024, false, ${this.loc(a)});`];
    this.fmt(sb, a, ctx, false, parts);
    return `({ ${parts.join(" ")} keel_sb_cstr(&${sb}); })`;
  }

  private targsOf(call: ts.CallExpression, ctx: FnCtx): KType[] {
    const sig = this.checker.getResolvedSignature(call);
    if (!sig) return [];
    const ta = this.checker.getTypeArgumentsForResolvedSignature(sig);
    return (ta ?? []).map((t) => this.em.toK(t, ctx.env, call));
  }

  private isCoreFn(d: ts.Declaration, name: string): boolean {
    return ts.isFunctionDeclaration(d) && d.name?.text === name && /(^|\/)lang\/core\.ts$/.test(d.getSourceFile().fileName);
  }

  private call(c: ts.CallExpression, ctx: FnCtx): string {
    if (c.questionDotToken) this.internal(c, "optional calls (?.) are not supported");
    if (this.managed) {
      const g = stringGlobal(this, c, ctx);
      if (g !== null) return g;
    }
    const callee = strip(c.expression);
    if (callee.kind === ts.SyntaxKind.SuperKeyword) {
      if (!ctx.selfInst?.base) this.internal(c, "super() outside a derived constructor");
      return this.superCall(c, ctx.selfInst, ctx);
    }
    if (ts.isPropertyAccessExpression(callee)) {
      const obj = callee.expression;
      const name = callee.name.text;
      if (isIdent(obj, "console")) {
        if (name !== "log") this.internal(c, `console.${name} is not supported; use console.log`);
        return this.consoleLog(c, ctx);
      }
      if (isIdent(obj, "Math")) return this.math(c, name, ctx);
      if (isIdent(obj, "Number") && (name === "isInteger" || name === "isSafeInteger") && c.arguments.length === 1) {
        // every number is an integer in Keel; a safe one unless an unchecked build let it leave the range
        const v = this.expr(c.arguments[0]!, ctx);
        return name === "isInteger" ? `((void)(${v}), true)` : `keel_is_safe(${v})`;
      }
      if (isIdent(obj, "BigInt") && name === "asUintN") return this.asUintN(c, ctx);
      if (obj.kind === ts.SyntaxKind.SuperKeyword) {
        const inst = ctx.selfInst;
        if (!inst?.base) this.internal(c, "super.method() outside a derived class");
        const found = this.em.findMethod(inst.base, name);
        if (!found || !found.decl.body) this.internal(c, `no implementation of '${name}' in the base class`);
        const fi = this.em.methodInst(found.owner, found.decl, this.targsOf(c, ctx));
        return this.callFn(c, fi, `((struct ${found.owner.cname} *)self)`, ctx);
      }
      const sym = this.resolveSym(callee.name);
      const d = sym?.valueDeclaration;
      if (d && ts.isMethodDeclaration(d) && this.em.isStatic(d)) {
        const cd = d.parent as ts.ClassDeclaration;
        const inst = this.em.classInst(cd, [], c);
        const fi = this.em.staticMethodInst(inst, d, this.targsOf(c, ctx));
        return this.callFn(c, fi, null, ctx);
      }
      if (d && ts.isFunctionDeclaration(d)) return this.callDecl(c, d, ctx); // namespace import
      const ot = this.kt(obj, ctx);
      if (ot.k === "class") return this.methodCall(c, callee, ot, ctx);
      if (ot.k === "str" && this.managed) {
        const m = stringMethod(this, c, obj, name, ctx);
        if (m !== null) return m;
      }
      if (ot.k === "str" && name === "charCodeAt") {
        const i = c.arguments[0];
        if (!i) this.internal(c, "charCodeAt needs an index");
        const o = this.ordered([obj, i], [this.nullChecked(this.expr(obj, ctx), ot, c), this.expr(i, ctx)], [ot, NUM], ctx);
        return this.wrap(o.pre, `keel_char_code(${o.vals[0]}, ${o.vals[1]}, ${this.loc(c)})`);
      }
      if (ot.k === "map") return mapMethod(this, c, obj, name, ot, ctx);
      if (ot.k === "arr" && this.managed) {
        const m = arrayMethod(this, c, obj, name, ctx);
        if (m !== null) return m;
      }
      if ((ot.k === "arr" || ot.k === "tarr") && name === "fill" && c.arguments.length === 1) {
        const v = c.arguments[0]!;
        const vk = ot.k === "arr" ? ot.elem : ot.kind === "u64" ? BIG : NUM;
        const o = this.ordered([obj, v], [this.nullChecked(this.expr(obj, ctx), ot, c), this.exprAs(v, vk, ctx)], [ot, vk], ctx);
        return this.wrap(o.pre, `${this.em.fillHelper(withoutNull(ot))}(${o.vals[0]}, ${o.vals[1]})`);
      }
      if (ot.k === "arr" || ot.k === "tarr") {
        const m = typedArrayMethod(this, c, obj, name, ctx);
        if (m !== null) return m;
      }
      if ((ot.k === "num" || ot.k === "big" || ot.k === "str") && (name === "toString" || name === "padStart" || name === "padEnd")) {
        if (this.managed) return heapString(this, c, ctx);
        this.internal(c, `${name}() produces a new string: use it inside a template literal or console.log`);
      }
      if (ot.k === "fn") return this.indirectCall(c, ctx);
      this.fail(c, BUILTIN_METHOD, `the method '${name}' of type ${typeName(ot)}`);
    }
    if (ts.isIdentifier(callee)) {
      if (callee.text === "BigInt") {
        const a = c.arguments[0]!;
        return `keel_big_of(${this.expr(a, ctx)}, ${this.loc(c)})`;
      }
      if (callee.text === "Number") {
        const a = c.arguments[0]!;
        const k = this.kt(a, ctx);
        const v = this.expr(a, ctx);
        if (k.k === "big") return this.em.opts.checked ? `keel_num_of_c(${v}, ${this.loc(c)})` : `((int64_t)${v})`;
        if (k.k === "bool") return `((int64_t)${v})`;
        if (k.k === "num") return v;
        this.internal(c, "Number() converts bigint and boolean values only");
      }
      const sym0 = this.checker.getSymbolAtLocation(callee);
      if (sym0 && ctx.locals.has(sym0)) return this.indirectCall(c, ctx);
      const sym = this.resolveSym(callee);
      const d = sym?.valueDeclaration ?? sym?.declarations?.[0];
      if (d && ts.isFunctionDeclaration(d)) return this.callDecl(c, d, ctx);
      return this.indirectCall(c, ctx);
    }
    return this.indirectCall(c, ctx);
  }

  private callDecl(c: ts.CallExpression, d0: ts.FunctionDeclaration, ctx: FnCtx): string {
    const d = this.implOf(d0);
    if (this.isCoreFn(d, "panic")) return this.panicCall(c.arguments[0] ?? null, c, ctx);
    if (this.isCoreFn(d, "release")) {
      const a = c.arguments[0]!;
      return `keel_release(${this.expr(a, ctx)})`;
    }
    const fi = this.em.functionInst(d, d.typeParameters?.length ? this.targsOf(c, ctx) : []);
    return this.callFn(c, fi, null, ctx);
  }

  private callFn(c: ts.CallExpression, fi: FnInst, self: string | null, ctx: FnCtx): string {
    const sig = this.signature(fi);
    const a = this.args(c, c.arguments, fi.decl.parameters, sig.params.map((p) => p.k), ctx, this.em.takesArgc(fi.decl));
    const all = self ? [self, ...a.vals] : a.vals;
    return this.wrap(a.pre, `${fi.cname}(${all.join(", ")})`);
  }

  private methodCall(c: ts.CallExpression, callee: ts.PropertyAccessExpression, ot: Extract<KType, { k: "class" }>, ctx: FnCtx): string {
    const inst = ot.inst as ClassInst;
    const name = callee.name.text;
    const found = this.em.findMethod(inst, name);
    const isThis = strip(callee.expression).kind === ts.SyntaxKind.ThisKeyword;
    let obj = this.expr(callee.expression, ctx);
    if (!isThis) obj = this.nullChecked(obj, ot, callee);
    if (!found) {
      const fp = this.em.fieldPath(inst, name);
      if (fp && fp.field.type.k === "fn") return this.indirectCall(c, ctx);
      this.internal(callee, `no method '${name}'`);
    }
    const targs = found.decl.typeParameters?.length ? this.targsOf(c, ctx) : [];
    if (this.em.isVirtual(inst, name) && targs.length === 0) {
      const root = inst.root();
      const vt = `${inst.pathTo(root)}keel_vt`;
      // signature comes from the statically known declaration, instantiated in its owner
      const fi = this.em.methodInst(found.owner, found.decl, []);
      const sig = this.signature(fi);
      const a = this.args(c, c.arguments, found.decl.parameters, sig.params.map((p) => p.k), ctx, this.em.takesArgc(found.decl));
      const t = ctx.temp("o");
      const slot = inst.slotName(name);
      return `({ ${this.em.decl(withoutNull(ot), t)} = ${obj}; ${a.pre.join(" ")} ${t}->${vt}->${slot}(${[t, ...a.vals].join(", ")}); })`;
    }
    const fi = this.em.methodInst(found.owner, found.decl, targs);
    const selfArg = found.owner === inst ? obj : `((struct ${found.owner.cname} *)${obj})`;
    if (this.hasEffects(callee.expression) && c.arguments.some((x) => !this.isConstLike(x))) {
      const t = ctx.temp("o");
      const call = this.callFn(c, fi, found.owner === inst ? t : `((struct ${found.owner.cname} *)${t})`, ctx);
      return `({ ${this.em.decl(withoutNull(ot), t)} = ${obj}; ${call}; })`;
    }
    return this.callFn(c, fi, selfArg, ctx);
  }

  private indirectCall(c: ts.CallExpression, ctx: FnCtx): string {
    const ft = this.kt(c.expression, ctx);
    if (ft.k !== "fn") this.internal(c, "this value cannot be called");
    const f = this.nullChecked(this.expr(c.expression, ctx), ft, c);
    const es: ts.Expression[] = [c.expression];
    const cs: string[] = [f];
    const ks: KType[] = [ft];
    if (c.arguments.length !== ft.params.length)
      this.fail(c, DEFAULT_THROUGH_VALUE, `the call of '${c.expression.getText()}' with ${c.arguments.length} of its ${ft.params.length} arguments`);
    c.arguments.forEach((a, i) => {
      es.push(a);
      ks.push(ft.params[i]!);
      cs.push(this.isTemplate(a) ? this.templateArg(a, ctx) : this.exprAs(a, ft.params[i]!, ctx));
    });
    const o = this.ordered(es, cs, ks, ctx);
    const [fn, ...rest] = o.vals;
    return this.wrap(o.pre, `(${fn})(${rest.join(", ")})`);
  }

  private math(c: ts.CallExpression, name: string, ctx: FnCtx): string {
    const a = c.arguments;
    const L = this.loc(c);
    if (name === "floor" || name === "trunc" || name === "ceil" || name === "round") {
      if (a.length !== 1) this.internal(c, `Math.${name} takes one argument`);
      const x = strip(a[0]!);
      if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.SlashToken) {
        const o = this.ordered([x.left, x.right], [this.expr(x.left, ctx), this.expr(x.right, ctx)], [NUM, NUM], ctx);
        const rv = this.constVal(x.right);
        if (rv && !rv.big && rv.v > 0n && name === "trunc") return this.wrap(o.pre, `(${o.vals[0]} / ${o.vals[1]})`);
        return this.wrap(o.pre, `keel_${name}div(${o.vals[0]}, ${o.vals[1]}, ${L})`);
      }
      return this.expr(a[0]!, ctx);
    }
    const vals = a.map((x) => this.expr(x, ctx));
    const o = this.ordered(a, vals, a.map(() => NUM), ctx);
    switch (name) {
      case "imul":
        if (a.length !== 2) this.internal(c, "Math.imul takes two arguments");
        return this.wrap(o.pre, `keel_imul(${o.vals[0]}, ${o.vals[1]})`);
      case "abs":
      case "sign":
      case "clz32":
        if (a.length !== 1) this.internal(c, `Math.${name} with ${a.length} arguments`);
        return this.wrap(o.pre, `keel_${name}(${o.vals[0]})`);
      case "pow":
        if (a.length !== 2) this.internal(c, `Math.pow with ${a.length} arguments`);
        return this.wrap(o.pre, this.em.opts.checked ? `keel_pow_c(${o.vals[0]}, ${o.vals[1]}, ${L})` : `keel_pow(${o.vals[0]}, ${o.vals[1]}, ${L})`);
      case "min":
      case "max": {
        if (a.length === 0) this.internal(c, `Math.${name}() needs at least one argument`);
        let r = o.vals[0]!;
        for (const v of o.vals.slice(1)) r = `keel_${name}(${r}, ${v})`;
        return this.wrap(o.pre, r);
      }
    }
    this.internal(c, `Math.${name} is not supported`);
  }

  private asUintN(c: ts.CallExpression, ctx: FnCtx): string {
    const n = c.arguments[0] && this.constVal(c.arguments[0]);
    if (!n || n.big || n.v < 0n || n.v > 64n) this.internal(c, "BigInt.asUintN needs a constant width between 0 and 64");
    const cv = this.constVal(c);
    if (cv) return bigLit(cv.v);
    const x = this.expr(c.arguments[1]!, ctx);
    if (n.v === 64n) return `((uint64_t)(${x}))`;
    return `((${x}) & ${bigLit((1n << n.v) - 1n)})`;
  }

  // ------------------------------------------------------------ output and panics

  private panicCall(msg: ts.Expression | null, at: ts.Node, ctx: FnCtx): string {
    const L = this.loc(at);
    if (!msg) return `keel_panic_at("", ${L})`;
    const s = strip(msg);
    if (ts.isStringLiteral(s) || ts.isNoSubstitutionTemplateLiteral(s)) return `keel_panic_at(${cString(s.text)}, ${L})`;
    const buf = ctx.temp("pbuf");
    const sb = ctx.temp("sb");
    const parts = [`char ${buf}[1024];`, `struct keel_sb ${sb};`, `keel_sb_init(&${sb}, ${buf}, 1024, false, ${L});`];
    this.preEvaluate(msg, ctx, parts, this.hasEffects(msg));
    this.fmt(sb, msg, ctx, false, parts);
    parts.push(`keel_panic_at(keel_sb_cstr(&${sb}), ${L});`);
    return `({ ${parts.join(" ")} })`;
  }

  private consoleLog(c: ts.CallExpression, ctx: FnCtx): string {
    const buf = ctx.temp("lbuf");
    const sb = ctx.temp("sb");
    const parts = [`char ${buf}[256];`, `struct keel_sb ${sb};`, `keel_sb_init(&${sb}, ${buf}, 256, true, ${this.loc(c)});`];
    const all = c.arguments.some((a) => this.hasEffects(a));
    for (const a of c.arguments) this.preEvaluate(a, ctx, parts, all);
    if (this.mayFormat(c, ctx)) {
      // Node's util.format, at run time: the text of the format may only be known then.
      const [first, ...rest] = c.arguments as readonly ts.Expression[] as [ts.Expression, ...ts.Expression[]];
      const args = ctx.temp("args");
      parts.push(`struct keel_arg ${args}[${rest.length}] = {${rest.map((a) => this.formatArg(a, ctx)).join(", ")}};`);
      parts.push(`keel_sb_format(&${sb}, ${this.stringArg(first, ctx)}, ${args}, ${rest.length});`);
    } else {
      c.arguments.forEach((a, i) => {
        if (i > 0) parts.push(`keel_sb_putc(&${sb}, ' ');`);
        this.fmt(sb, a, ctx, true, parts);
      });
    }
    parts.push(`keel_sb_endline(&${sb});`);
    for (const a of c.arguments) this.clearPre(a, ctx);
    return `({ ${parts.join(" ")} })`;
  }

  /** Whether Node could find a % directive in console.log's first argument (a string followed by more). */
  private mayFormat(c: ts.CallExpression, ctx: FnCtx): boolean {
    const first = c.arguments[0] && strip(c.arguments[0]);
    if (!first || c.arguments.length < 2 || this.kt(first, ctx).k !== "str") return false;
    if (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) return first.text.includes("%");
    if (ts.isTemplateExpression(first)) {
      // Only the literal text and substituted strings can hold a '%'.
      return [first.head, ...first.templateSpans.map((s) => s.literal)].some((l) => l.text.includes("%")) ||
        first.templateSpans.some((s) => this.kt(s.expression, ctx).k === "str");
    }
    return true;
  }

  /** A string argument as a C string: formatted into a buffer when it is a template or a formatting call. */
  private stringArg(a: ts.Expression, ctx: FnCtx): string {
    const s = strip(a);
    const pre = ctx.pre.get(s);
    if (pre !== undefined) return pre;
    const formatted = ts.isTemplateExpression(s) ||
      (ts.isCallExpression(s) && ts.isPropertyAccessExpression(s.expression) && ["toString", "padStart", "padEnd"].includes(s.expression.name.text));
    return formatted ? this.templateArg(s, ctx) : this.expr(s, ctx);
  }

  /** A `struct keel_arg` initialiser for a console.log argument after a format string. */
  private formatArg(a: ts.Expression, ctx: FnCtx): string {
    const k = this.kt(a, ctx);
    switch (k.k) {
      case "num":
        return `{KEEL_ARG_NUM, .i = ${this.expr(a, ctx)}}`;
      case "big":
        return `{KEEL_ARG_BIG, .u = ${this.expr(a, ctx)}}`;
      case "bool":
        return `{KEEL_ARG_BOOL, .i = ${this.expr(a, ctx)}}`;
      case "str":
        return `{KEEL_ARG_STR, .s = ${this.stringArg(a, ctx)}}`;
      case "null":
        return "{KEEL_ARG_STR, .s = NULL}";
    }
    this.internal(a, `cannot print a value of type ${typeName(k)}; print its fields`);
  }

  /** Evaluates effectful values of a formatted expression up front, in order (see file comment). */
  preEvaluate(e: ts.Expression, ctx: FnCtx, parts: string[], all: boolean): void {
    const s = strip(e);
    if (ts.isTemplateExpression(s)) {
      for (const span of s.templateSpans) this.preEvaluate(span.expression, ctx, parts, all);
      return;
    }
    if (ts.isCallExpression(s) && ts.isPropertyAccessExpression(s.expression) && ["toString", "padStart", "padEnd"].includes(s.expression.name.text)) {
      this.preEvaluate(s.expression.expression, ctx, parts, all);
      for (const a of s.arguments) this.preEvaluate(a, ctx, parts, all);
      return;
    }
    if (all ? this.isConstLike(s) || ts.isStringLiteral(s) || ts.isNoSubstitutionTemplateLiteral(s) : !this.hasEffects(s)) return;
    const k = this.kt(s, ctx);
    if (k.k === "void") this.internal(s, "cannot print a void value");
    const t = ctx.temp("v");
    parts.push(`${this.em.decl(k, t)} = ${this.expr(s, ctx)};`);
    ctx.pre.set(s, t);
  }

  clearPre(e: ts.Node, ctx: FnCtx): void {
    ctx.pre.delete(e);
    ts.forEachChild(e, (n) => this.clearPre(n, ctx));
  }

  /** Appends the formatted value of `e` to builder `sb` (console.log when `top`). */
  fmt(sb: string, e: ts.Expression, ctx: FnCtx, top: boolean, parts: string[]): void {
    const s = strip(e);
    const pre = ctx.pre.get(s);
    if (pre === undefined) {
      if (ts.isStringLiteral(s) || ts.isNoSubstitutionTemplateLiteral(s)) {
        if (s.text.length > 0) parts.push(`keel_sb_str(&${sb}, ${cString(s.text)});`);
        return;
      }
      if (ts.isTemplateExpression(s)) {
        if (s.head.text) parts.push(`keel_sb_str(&${sb}, ${cString(s.head.text)});`);
        for (const span of s.templateSpans) {
          this.fmt(sb, span.expression, ctx, false, parts);
          if (span.literal.text) parts.push(`keel_sb_str(&${sb}, ${cString(span.literal.text)});`);
        }
        return;
      }
      if (ts.isCallExpression(s) && ts.isPropertyAccessExpression(s.expression)) {
        const name = s.expression.name.text;
        const recv = s.expression.expression;
        const rk = ["toString", "padStart", "padEnd"].includes(name) ? this.kt(recv, ctx) : VOID;
        if (name === "toString" && (rk.k === "num" || rk.k === "big")) {
          const radix = s.arguments[0] ? this.expr(s.arguments[0], ctx) : "10";
          parts.push(`keel_sb_radix_${rk.k === "num" ? "i64" : "u64"}(&${sb}, ${this.expr(recv, ctx)}, ${radix});`);
          return;
        }
        if (name === "toString" && rk.k === "bool") {
          parts.push(`keel_sb_bool(&${sb}, ${this.expr(recv, ctx)});`);
          return;
        }
        if (name === "toString" && rk.k === "str") {
          parts.push(`keel_sb_str(&${sb}, ${this.expr(recv, ctx)});`);
          return;
        }
        if ((name === "padStart" || name === "padEnd") && rk.k === "str") {
          const ib = ctx.temp("pb");
          const isb = ctx.temp("psb");
          parts.push(`char ${ib}[256];`, `struct keel_sb ${isb};`, `keel_sb_init(&${isb}, ${ib}, 256, false, ${this.loc(s)});`);
          this.fmt(isb, recv, ctx, false, parts);
          const w = s.arguments[0] ? this.expr(s.arguments[0], ctx) : "0";
          const fill = s.arguments[1] ? this.expr(s.arguments[1], ctx) : '" "';
          parts.push(`keel_sb_pad(&${sb}, ${ib}, ${isb}.len, ${w}, ${fill}, ${name === "padStart"});`);
          return;
        }
      }
    }
    if (pre === undefined && this.managed && ts.isBinaryExpression(s) && s.operatorToken.kind === ts.SyntaxKind.PlusToken && this.kt(s, ctx).k === "str") {
      // a + b + c on strings: one builder for the whole chain, operands in order.
      this.fmt(sb, s.left, ctx, false, parts);
      this.fmt(sb, s.right, ctx, false, parts);
      return;
    }
    const k = this.kt(s, ctx);
    const v = pre ?? this.expr(s, ctx);
    switch (k.k) {
      case "num":
        parts.push(`keel_sb_i64(&${sb}, ${v});`);
        return;
      case "big":
        parts.push(`keel_sb_u64(&${sb}, ${v});`);
        if (top) parts.push(`keel_sb_putc(&${sb}, 'n');`);
        return;
      case "bool":
        parts.push(`keel_sb_bool(&${sb}, ${v});`);
        return;
      case "str":
        parts.push(`keel_sb_str(&${sb}, ${v});`);
        return;
      case "null":
        parts.push(`keel_sb_str(&${sb}, "null");`);
        return;
    }
    this.internal(s, `cannot print a value of type ${typeName(k)}; print its fields`);
  }
}

/**
 * Whether a string parameter is only read by its function: printed, substituted into a template,
 * measured, indexed with charCodeAt or compared, never stored, returned or passed on. A template
 * argument for it can then live in the caller's frame. Overridable methods do not qualify (an
 * override could keep the string).
 */
function paramOnlyRead(checker: ts.TypeChecker, p: ts.ParameterDeclaration, em: Emitter): boolean {
  const fn = p.parent;
  if (!ts.isIdentifier(p.name) || !(ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) || !fn.body) return false;
  if (ts.isMethodDeclaration(fn)) {
    if (!ts.isClassDeclaration(fn.parent) || !ts.isIdentifier(fn.name) || em.virtualNames(fn.parent).has(fn.name.text)) return false;
  }
  const sym = checker.getSymbolAtLocation(p.name);
  let ok = true;
  const visit = (n: ts.Node): void => {
    if (!ok) return;
    if (ts.isIdentifier(n) && n !== p.name && checker.getSymbolAtLocation(n) === sym) {
      let u: ts.Node = n;
      while (ts.isParenthesizedExpression(u.parent)) u = u.parent;
      const at = u.parent;
      const S = ts.SyntaxKind;
      const read =
        ts.isTemplateSpan(at) ||
        (ts.isPropertyAccessExpression(at) && at.expression === u && (at.name.text === "length" || at.name.text === "charCodeAt")) ||
        (ts.isBinaryExpression(at) && [S.EqualsEqualsEqualsToken, S.ExclamationEqualsEqualsToken, S.LessThanToken, S.GreaterThanToken, S.LessThanEqualsToken, S.GreaterThanEqualsToken].includes(at.operatorToken.kind)) ||
        (ts.isCallExpression(at) && ts.isPropertyAccessExpression(at.expression) && ts.isIdentifier(at.expression.expression) && at.expression.expression.text === "console");
      if (!read) ok = false;
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return ok;
}

function isNode(x: ts.Symbol | ts.Node): x is ts.Node {
  return "kind" in x;
}

function withoutNull(k: KType): KType {
  if ("nullable" in k) return { ...k, nullable: false } as KType;
  return k;
}

function withNull(k: KType): KType {
  if ("nullable" in k) return { ...k, nullable: true } as KType;
  return k;
}

export { BOOL, NULL, STR };
