// Subset checker: walks the type-checked program and reports every construct outside the language
// contract (docs/language.md), all of them in one run, in source order. The table of codes is in
// ./codes.ts and docs/diagnostics.md.
//
// Not checked: files under a `host/` directory (host-only code) and the bodies of `@extern`
// functions (their host implementations). Their signatures are checked, since keelc compiles them.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { inlineCallbackBody } from "./callbacks.ts";
import type { KeelDiagnostic } from "../diagnostics.ts";
import { bigConstant } from "./bigint-fold.ts";
import * as R from "./codes.ts";
import { ruleFor, subjectFor } from "./codes.ts";
import {
  isArrayLike,
  typedArrayName,
  isBigIntType,
  isBooleanType,
  isNumberType,
  isStringType,
  typeProblem,
} from "./types.ts";

/**
 * `managed`: the program is for a target with a garbage collector (user, hosted), where strings
 * are run-time values (concatenation, templates as values, the string methods of
 * docs/language.md); the kernel target keeps the stricter rules.
 */
export function checkSubset(
  program: ts.Program,
  checker: ts.TypeChecker,
  files: readonly ts.SourceFile[],
  managed = false,
): KeelDiagnostic[] {
  const out: KeelDiagnostic[] = [];
  for (const sf of files) {
    if (sf.isDeclarationFile || isHostFile(sf.fileName) || sf.fileName.includes("/node_modules/")) continue;
    new FileChecker(program, checker, sf, out, managed).run();
  }
  return out;
}

/**
 * True for files under a `host/` directory of their project (never compiled by keelc). Only the
 * path below the project root (the nearest directory with a package.json) counts, so a checkout
 * that itself lives under some `host` directory is still checked.
 */
export function isHostFile(file: string): boolean {
  const abs = path.resolve(file);
  let root = path.dirname(abs);
  while (!fs.existsSync(path.join(root, "package.json"))) {
    const up = path.dirname(root);
    if (up === root) {
      root = path.dirname(abs);
      break;
    }
    root = up;
  }
  return path.relative(root, abs).split(/[\\/]/).includes("host");
}

function isHostSpecifier(spec: string): boolean {
  return spec.split("/").includes("host");
}

/** True when the function declaration carries an `@extern <symbol>` JSDoc tag. */
export function isExtern(node: ts.Node): boolean {
  return ts.getJSDocTags(node).some((t) => t.tagName.text === "extern");
}

const MATH_ALLOWED = new Set(["floor", "ceil", "round", "trunc", "imul", "min", "max", "abs", "sign", "clz32", "pow"]);
const TYPED_ARRAYS = new Set([
  "Uint8Array", "Uint8ClampedArray", "Int8Array", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array", "BigUint64Array",
]);
const BAD_TYPED_ARRAYS = new Set(["Float32Array", "Float64Array", "BigInt64Array", "Float16Array"]);
const STRING_MEMBERS = new Set(["length", "charCodeAt", "toString", "padStart", "padEnd"]);
const ARRAY_MEMBERS = new Set(["length", "fill"]);
/** Typed arrays' members in every target (docs/language.md). */
const TYPED_ARRAY_MEMBERS = new Set([...ARRAY_MEMBERS, "set", "subarray", "slice", "indexOf", "lastIndexOf", "includes"]);
/** Array members of the managed targets (user, hosted), where arrays grow. */
const MANAGED_ARRAY_MEMBERS = new Set([
  ...ARRAY_MEMBERS, "push", "pop", "shift", "unshift", "splice", "slice", "indexOf", "lastIndexOf", "includes", "join", "sort", "forEach",
  "map", "filter", "some", "every", "findIndex",
]);
const FORMAT_CALLS = new Set(["toString", "padStart", "padEnd"]);
/** String members of the managed targets (user, hosted): strings are heap values there. */
export const MANAGED_STRING_MEMBERS = new Set([
  ...STRING_MEMBERS, "slice", "substring", "indexOf", "includes", "startsWith", "endsWith", "split", "trim", "trimStart",
  "trimEnd", "toUpperCase", "toLowerCase", "charAt", "repeat", "lastIndexOf",
]);

function mapKind(checker: ts.TypeChecker, e: ts.Expression): string | null {
  const t = checker.getNonNullableType(checker.getTypeAtLocation(e));
  const s = t.getSymbol();
  const d = s?.declarations?.[0];
  return s && (s.name === "Map" || s.name === "Set") && d?.getSourceFile().isDeclarationFile ? s.name : null;
}

/** `m`, `m.keys()`, `m.values()`, `m.entries()` over a Map or Set: what for...of can iterate besides arrays. */
function isMapIteration(checker: ts.TypeChecker, e: ts.Expression): boolean {
  e = skipParens(e);
  if (mapKind(checker, e)) return true;
  return ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.arguments.length === 0 &&
    ["keys", "values", "entries"].includes(e.expression.name.text) && mapKind(checker, e.expression.expression) !== null;
}

/** `const [k, v]` of a for...of over a Map or its entries(). */
function isEntryBinding(checker: ts.TypeChecker, b: ts.ArrayBindingPattern): boolean {
  const decl = b.parent;
  if (!ts.isVariableDeclaration(decl) || !ts.isVariableDeclarationList(decl.parent) || !ts.isForOfStatement(decl.parent.parent)) return false;
  if (b.elements.length !== 2 || !b.elements.every((x) => ts.isBindingElement(x) && ts.isIdentifier(x.name) && !x.initializer && !x.dotDotDotToken)) return false;
  let e = skipParens(decl.parent.parent.expression);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === "entries") e = e.expression.expression;
  return mapKind(checker, e) === "Map";
}

function skipParensUp(node: ts.Node): { node: ts.Node; parent: ts.Node } {
  let n = node;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  return { node: n, parent: n.parent };
}

function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

function isFunctionLike(n: ts.Node): n is ts.SignatureDeclaration {
  return (
    ts.isFunctionDeclaration(n) ||
    ts.isFunctionExpression(n) ||
    ts.isArrowFunction(n) ||
    ts.isMethodDeclaration(n) ||
    ts.isConstructorDeclaration(n) ||
    ts.isGetAccessorDeclaration(n) ||
    ts.isSetAccessorDeclaration(n)
  );
}

/** Nearest function-like node containing `n` (itself included), or null at module level. */
function containerOf(n: ts.Node): ts.Node | null {
  for (let p: ts.Node | undefined = n; p; p = p.parent) {
    if (isFunctionLike(p)) return p;
    if (ts.isClassStaticBlockDeclaration(p)) return p;
    if (ts.isSourceFile(p)) return null;
  }
  return null;
}

function isTopLevelVariable(d: ts.Node): boolean {
  return ts.isVariableDeclaration(d) && ts.isVariableStatement(d.parent.parent) && ts.isSourceFile(d.parent.parent.parent);
}

/**
 * The directives Node's util.format substitutes in `text` with `n` arguments after it, in order:
 * one per argument while arguments last, `%%` aside (it never takes one).
 */
export function formatDirectives(text: string, n: number): { directive: string; arg: number }[] {
  const out: { directive: string; arg: number }[] = [];
  for (let i = 0; i + 1 < text.length; i++) {
    if (text[i] !== "%") continue;
    const d = text[++i]!;
    if (d !== "%" && out.length < n && "sdifjoOc".includes(d)) out.push({ directive: d, arg: out.length });
  }
  return out;
}

function isLoop(s: ts.Statement): boolean {
  return (
    ts.isForStatement(s) || ts.isForOfStatement(s) || ts.isForInStatement(s) || ts.isWhileStatement(s) || ts.isDoStatement(s)
  );
}

/** `Math.floor` / `Math.trunc` callee test. */
function isMathCall(e: ts.Expression, names: Set<string>): boolean {
  return (
    ts.isPropertyAccessExpression(e) &&
    ts.isIdentifier(e.expression) &&
    e.expression.text === "Math" &&
    names.has(e.name.text)
  );
}

function isAsUintN(e: ts.Expression): boolean {
  return (
    ts.isPropertyAccessExpression(e) &&
    ts.isIdentifier(e.expression) &&
    e.expression.text === "BigInt" &&
    e.name.text === "asUintN"
  );
}

const FLOOR_TRUNC = new Set(["floor", "ceil", "round", "trunc"]);

class FileChecker {
  private readonly hostAliases = new Set<ts.Symbol>();
  /** (closure, symbol) pairs already reported, so each capture is reported once per function. */
  private readonly captured = new Set<string>();

  constructor(
    private readonly program: ts.Program,
    private readonly checker: ts.TypeChecker,
    private readonly sf: ts.SourceFile,
    private readonly out: KeelDiagnostic[],
    private readonly managed: boolean,
  ) {}

  run(): void {
    for (const st of this.sf.statements) this.collectHostImports(st);
    const start = this.out.length;
    this.visit(this.sf);
    // Source order within the file; the walk may find a parent's problem after a child's.
    const mine = this.out.splice(start).sort((a, b) => a.line - b.line || a.col - b.col);
    this.out.push(...mine);
  }

  private report(node: ts.Node, code: number, detail = ""): void {
    const pos = node.getStart(this.sf);
    const { line, character } = this.sf.getLineAndCharacterOfPosition(pos);
    const r = ruleFor(code);
    const what = detail === "" ? subjectFor(code) : detail;
    this.out.push({
      file: this.sf.fileName,
      line: line + 1,
      col: character + 1,
      code,
      message: `${what} is not allowed: ${r.why}; ${r.instead}`,
    });
  }

  private collectHostImports(st: ts.Statement): void {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) return;
    if (!isHostSpecifier(st.moduleSpecifier.text)) return;
    const clause = st.importClause;
    if (!clause) return;
    const add = (id: ts.Identifier): void => {
      const s = this.checker.getSymbolAtLocation(id);
      if (s) this.hostAliases.add(s);
    };
    if (clause.name) add(clause.name);
    const nb = clause.namedBindings;
    if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) add(el.name);
    if (nb && ts.isNamespaceImport(nb)) add(nb.name);
  }

  private isLibSymbol(s: ts.Symbol): boolean {
    const decls = s.declarations;
    if (!decls || decls.length === 0) return true;
    return decls.every((d) => {
      const f = d.getSourceFile();
      // Default libraries, packages, and ambient declarations such as keelc's console.d.ts.
      return f.isDeclarationFile || this.program.isSourceFileDefaultLibrary(f) || f.fileName.includes("/node_modules/");
    });
  }

  /** The symbol an import binding stands for (a package's declaration, or a project module's). */
  private resolveAlias(s: ts.Symbol): ts.Symbol {
    return s.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(s) : s;
  }

  private typeOf(n: ts.Node): ts.Type {
    return this.checker.getTypeAtLocation(n);
  }

  // ---------------------------------------------------------------------------------------------
  // The walk

  private visit(node: ts.Node): void {
    if (ts.isTypeNode(node) && !ts.isExpressionWithTypeArguments(node)) {
      this.checkTypeNode(node, false);
      return;
    }
    const before = this.out.length;
    if (this.checkNode(node)) ts.forEachChild(node, (c) => this.visit(c));
    if (isFunctionLike(node) && this.out.length === before) this.checkInferredReturn(node);
  }

  /** A function without a written return type returns what TypeScript inferred: check it. */
  private checkInferredReturn(f: ts.SignatureDeclaration): void {
    if (f.type || ts.isConstructorDeclaration(f) || ts.isSetAccessorDeclaration(f) || isExtern(f)) return;
    const sig = this.checker.getSignatureFromDeclaration(f);
    if (!sig) return;
    const ret = this.checker.getReturnTypeOfSignature(sig);
    if (ret.flags & (ts.TypeFlags.Void | ts.TypeFlags.Never)) return;
    const code = typeProblem(this.checker, ret, 0, this.managed);
    if (code !== 0) {
      this.report(f.name ?? f, code, `the inferred return type '${this.checker.typeToString(ret)}'`);
    }
  }

  private visitAll(nodes: readonly ts.Node[] | undefined): void {
    if (nodes) for (const n of nodes) this.visit(n);
  }

  /** Checks one node; returns whether its children still need the generic walk. */
  private checkNode(node: ts.Node): boolean {
    if (ts.canHaveDecorators(node)) {
      for (const d of ts.getDecorators(node) ?? []) this.report(d, R.DECORATOR);
    }
    if (ts.canHaveModifiers(node)) {
      for (const m of ts.getModifiers(node) ?? []) {
        if (m.kind === ts.SyntaxKind.DeclareKeyword && !isExtern(node) && !ts.isPropertyDeclaration(node)) {
          this.report(m, R.DECLARE);
        }
        if (m.kind === ts.SyntaxKind.AsyncKeyword) this.report(m, R.ASYNC);
        if (m.kind === ts.SyntaxKind.DefaultKeyword) this.report(m, R.DEFAULT_EXPORT);
        if (m.kind === ts.SyntaxKind.AccessorKeyword) this.report(m, R.ACCESSOR);
      }
    }
    switch (node.kind) {
      case ts.SyntaxKind.Identifier:
        this.checkIdentifier(node as ts.Identifier);
        return false;
      case ts.SyntaxKind.FunctionDeclaration:
        return this.checkFunctionDeclaration(node as ts.FunctionDeclaration);
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.MethodDeclaration:
      case ts.SyntaxKind.Constructor:
        this.checkFunctionLike(node as ts.FunctionLikeDeclaration);
        return true;
      case ts.SyntaxKind.GetAccessor:
      case ts.SyntaxKind.SetAccessor:
        this.report(node, R.ACCESSOR);
        return true;
      case ts.SyntaxKind.Parameter:
        return this.checkParameter(node as ts.ParameterDeclaration);
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.ClassExpression:
        return this.checkClass(node as ts.ClassLikeDeclaration);
      case ts.SyntaxKind.PropertyDeclaration:
        return this.checkProperty(node as ts.PropertyDeclaration);
      case ts.SyntaxKind.IndexSignature:
        this.report(node, R.INDEX_SIGNATURE);
        return false;
      case ts.SyntaxKind.ClassStaticBlockDeclaration:
        this.report(node, R.STATIC_BLOCK);
        return true;
      case ts.SyntaxKind.PrivateIdentifier:
        this.report(node, R.PRIVATE_NAME);
        return false;
      case ts.SyntaxKind.ComputedPropertyName:
        this.report(node, R.COMPUTED_NAME);
        return true;
      case ts.SyntaxKind.InterfaceDeclaration:
        this.report(node, R.OBJECT_TYPE, `interface '${(node as ts.InterfaceDeclaration).name.text}'`);
        return false;
      case ts.SyntaxKind.TypeAliasDeclaration: {
        const t = node as ts.TypeAliasDeclaration;
        this.checkTypeNode(t.type, false);
        return false;
      }
      case ts.SyntaxKind.EnumDeclaration:
        this.checkEnum(node as ts.EnumDeclaration);
        return false;
      case ts.SyntaxKind.ModuleDeclaration:
        this.report(node, R.NAMESPACE);
        return false;
      case ts.SyntaxKind.ImportDeclaration:
        this.checkImport(node as ts.ImportDeclaration);
        return false;
      case ts.SyntaxKind.ExportDeclaration:
        this.checkExportDeclaration(node as ts.ExportDeclaration);
        return false;
      case ts.SyntaxKind.ExportAssignment: {
        const e = node as ts.ExportAssignment;
        this.report(node, e.isExportEquals ? R.EXPORT_ASSIGN : R.DEFAULT_EXPORT);
        return true;
      }
      case ts.SyntaxKind.ImportEqualsDeclaration:
        this.report(node, R.EXPORT_ASSIGN);
        return false;
      case ts.SyntaxKind.VariableDeclarationList:
        if (!(node.flags & ts.NodeFlags.BlockScoped)) this.report(node, R.VAR);
        return true;
      case ts.SyntaxKind.VariableDeclaration:
        return this.checkVariable(node as ts.VariableDeclaration);
      case ts.SyntaxKind.ObjectBindingPattern:
      case ts.SyntaxKind.ArrayBindingPattern:
        // for (const [key, value] of map) in user and hosted programs.
        if (this.managed && ts.isArrayBindingPattern(node) && isEntryBinding(this.checker, node as ts.ArrayBindingPattern)) return true;
        this.report(node, R.DESTRUCTURING);
        return false;
      // Statements
      case ts.SyntaxKind.TryStatement:
        this.report(node, R.TRY);
        return true;
      case ts.SyntaxKind.ForInStatement:
        this.report(node, R.FOR_IN);
        return true;
      case ts.SyntaxKind.WithStatement:
        this.report(node, R.WITH);
        return true;
      case ts.SyntaxKind.DebuggerStatement:
        this.report(node, R.DEBUGGER);
        return false;
      case ts.SyntaxKind.LabeledStatement: {
        const l = node as ts.LabeledStatement;
        if (!isLoop(l.statement)) this.report(node, R.LABEL);
        return true;
      }
      case ts.SyntaxKind.ForOfStatement:
        this.checkForOf(node as ts.ForOfStatement);
        return true;
      case ts.SyntaxKind.SwitchStatement:
        this.checkSwitch(node as ts.SwitchStatement);
        return true;
      case ts.SyntaxKind.ThrowStatement:
        this.checkThrow(node as ts.ThrowStatement);
        return true;
      // Expressions
      case ts.SyntaxKind.NumericLiteral:
        this.checkNumber(node as ts.NumericLiteral);
        return false;
      case ts.SyntaxKind.BigIntLiteral:
        this.checkBigIntLiteral(node as ts.BigIntLiteral);
        return false;
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
      case ts.SyntaxKind.TemplateHead:
      case ts.SyntaxKind.TemplateMiddle:
      case ts.SyntaxKind.TemplateTail:
        this.checkAscii(node as ts.LiteralLikeNode);
        return false;
      case ts.SyntaxKind.TemplateExpression:
        this.checkStringContext(node, "a template literal");
        for (const span of (node as ts.TemplateExpression).templateSpans) this.checkPrintable(span.expression);
        return true;
      case ts.SyntaxKind.TaggedTemplateExpression:
        this.report(node, R.TEMPLATE_CONTEXT, "a tagged template");
        return true;
      case ts.SyntaxKind.RegularExpressionLiteral:
        this.report(node, R.REGEXP);
        return false;
      case ts.SyntaxKind.ObjectLiteralExpression:
        this.report(node, R.OBJECT_LITERAL);
        return true;
      case ts.SyntaxKind.ArrayLiteralExpression:
        if ((node as ts.ArrayLiteralExpression).elements.some((e) => ts.isOmittedExpression(e))) {
          this.report(node, R.NEW_ARRAY, "an array literal with holes");
        }
        return true;
      case ts.SyntaxKind.SpreadElement:
        this.report(node, R.SPREAD);
        return true;
      case ts.SyntaxKind.BinaryExpression:
        this.checkBinary(node as ts.BinaryExpression);
        return true;
      case ts.SyntaxKind.PrefixUnaryExpression:
      case ts.SyntaxKind.PostfixUnaryExpression:
        this.checkUnary(node as ts.PrefixUnaryExpression | ts.PostfixUnaryExpression);
        return true;
      case ts.SyntaxKind.DeleteExpression:
        this.report(node, R.DELETE);
        return true;
      case ts.SyntaxKind.TypeOfExpression:
        this.report(node, R.TYPEOF);
        return true;
      case ts.SyntaxKind.VoidExpression:
        if (!ts.isExpressionStatement(skipParensUp(node).parent)) this.report(node, R.VOID);
        return true;
      case ts.SyntaxKind.YieldExpression:
        return true; // reported on the generator function
      case ts.SyntaxKind.AwaitExpression:
        if (containerOf(node) === null) this.report(node, R.ASYNC, "top-level await");
        return true;
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
        this.checkAssertion(node as ts.AsExpression | ts.TypeAssertion);
        return false;
      case ts.SyntaxKind.SatisfiesExpression:
        this.visit((node as ts.SatisfiesExpression).expression);
        return false;
      case ts.SyntaxKind.NonNullExpression:
        return true;
      case ts.SyntaxKind.PropertyAccessExpression:
        return this.checkPropertyAccess(node as ts.PropertyAccessExpression);
      case ts.SyntaxKind.ElementAccessExpression:
        this.checkElementAccess(node as ts.ElementAccessExpression);
        return true;
      case ts.SyntaxKind.CallExpression:
        this.checkCall(node as ts.CallExpression);
        return true;
      case ts.SyntaxKind.NewExpression:
        return true;
      case ts.SyntaxKind.MetaProperty:
        this.report(node, R.META_PROPERTY);
        return false;
      case ts.SyntaxKind.ThisKeyword:
        this.checkThis(node);
        return false;
      case ts.SyntaxKind.QualifiedName:
        return false;
      default:
        return true;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Types

  /** Checks a written type. `inExtern` admits `object` (release(obj: object) and friends). */
  private checkTypeNode(t: ts.TypeNode, inExtern: boolean): void {
    switch (t.kind) {
      case ts.SyntaxKind.AnyKeyword:
        this.report(t, R.ANY);
        return;
      case ts.SyntaxKind.UnknownKeyword:
        this.report(t, R.UNKNOWN);
        return;
      case ts.SyntaxKind.UndefinedKeyword:
        this.report(t, R.UNDEFINED);
        return;
      case ts.SyntaxKind.SymbolKeyword:
        this.report(t, R.SYMBOL);
        return;
      case ts.SyntaxKind.ObjectKeyword:
        if (!inExtern) this.report(t, R.OBJECT_KEYWORD);
        return;
      case ts.SyntaxKind.VoidKeyword:
        if (!this.isReturnTypePosition(t)) this.report(t, R.UNDEFINED, "'void' as a value type");
        return;
      case ts.SyntaxKind.NumberKeyword:
      case ts.SyntaxKind.BigIntKeyword:
      case ts.SyntaxKind.BooleanKeyword:
      case ts.SyntaxKind.StringKeyword:
      case ts.SyntaxKind.NeverKeyword:
        return;
      case ts.SyntaxKind.ParenthesizedType:
        this.checkTypeNode((t as ts.ParenthesizedTypeNode).type, inExtern);
        return;
      case ts.SyntaxKind.ArrayType:
        this.checkTypeNode((t as ts.ArrayTypeNode).elementType, inExtern);
        return;
      case ts.SyntaxKind.TypeOperator: {
        const op = t as ts.TypeOperatorNode;
        if (op.operator === ts.SyntaxKind.ReadonlyKeyword) this.checkTypeNode(op.type, inExtern);
        else this.report(t, R.TYPE_OPERATOR);
        return;
      }
      case ts.SyntaxKind.UnionType:
        this.checkUnion(t as ts.UnionTypeNode, inExtern);
        return;
      case ts.SyntaxKind.LiteralType:
        this.report(t, (t as ts.LiteralTypeNode).literal.kind === ts.SyntaxKind.NullKeyword ? R.UNION : R.TYPE_OPERATOR);
        return;
      case ts.SyntaxKind.TypeLiteral:
        this.report(t, R.OBJECT_TYPE);
        return;
      case ts.SyntaxKind.TupleType:
        this.report(t, R.TUPLE);
        return;
      case ts.SyntaxKind.FunctionType: {
        const f = t as ts.FunctionTypeNode;
        for (const p of f.parameters) {
          if (p.questionToken) this.report(p, R.OPTIONAL_PARAM);
          if (p.dotDotDotToken) this.report(p, R.REST);
          if (p.type) this.checkTypeNode(p.type, inExtern);
        }
        this.checkTypeNode(f.type, inExtern);
        return;
      }
      case ts.SyntaxKind.TypeReference:
        this.checkTypeReference(t as ts.TypeReferenceNode, inExtern);
        return;
      case ts.SyntaxKind.TypePredicate: {
        const p = t as ts.TypePredicateNode;
        if (p.type) this.checkTypeNode(p.type, inExtern);
        return;
      }
      case ts.SyntaxKind.ConstructorType:
        this.report(t, R.TYPE_OPERATOR, "a constructor type");
        return;
      default:
        // Intersections, keyof, typeof queries, indexed access, mapped, conditional, template
        // literal, import and `this` types.
        this.report(t, R.TYPE_OPERATOR);
        return;
    }
  }

  private isReturnTypePosition(t: ts.TypeNode): boolean {
    const p = t.parent;
    return (isFunctionLike(p) || ts.isFunctionTypeNode(p)) && p.type === t;
  }

  private checkUnion(u: ts.UnionTypeNode, inExtern: boolean): void {
    const isNull = (m: ts.TypeNode): boolean =>
      ts.isLiteralTypeNode(m) && m.literal.kind === ts.SyntaxKind.NullKeyword;
    const undef = u.types.find((m) => m.kind === ts.SyntaxKind.UndefinedKeyword);
    if (undef) {
      this.report(undef, R.UNDEFINED);
      return;
    }
    const rest = u.types.filter((m) => !isNull(m));
    if (u.types.length === 2 && rest.length === 1) {
      const t = this.checker.getTypeFromTypeNode(rest[0]!);
      if (isNumberType(t) || isBigIntType(t) || isBooleanType(t)) {
        this.report(u, R.UNION, `'${u.getText(this.sf)}' (only references can be null)`);
        return;
      }
      this.checkTypeNode(rest[0]!, inExtern);
      return;
    }
    this.report(u, R.UNION);
  }

  private checkTypeReference(t: ts.TypeReferenceNode, inExtern: boolean): void {
    for (const a of t.typeArguments ?? []) this.checkTypeNode(a, inExtern);
    const nameNode = ts.isIdentifier(t.typeName) ? t.typeName : t.typeName.right;
    const sym = this.checker.getSymbolAtLocation(t.typeName);
    if (!sym) return;
    if (this.hostAliases.has(sym)) {
      this.report(t, R.HOST_IMPORT, `host-only type '${nameNode.text}'`);
      return;
    }
    if (sym.flags & ts.SymbolFlags.TypeParameter) return;
    if (!this.isLibSymbol(this.resolveAlias(sym))) {
      if (ts.isQualifiedName(t.typeName)) this.report(t, R.NAMESPACE_IMPORT, "a qualified type name");
      return;
    }
    const name = nameNode.text;
    if (name === "Array" || name === "ReadonlyArray" || TYPED_ARRAYS.has(name)) return;
    if (this.managed && (name === "Map" || name === "Set")) return;
    if (BAD_TYPED_ARRAYS.has(name)) this.report(t, R.TYPED_ARRAY_KIND, `'${name}'`);
    else if (name === "Object") {
      if (!inExtern) this.report(t, R.OBJECT_KEYWORD);
    } else this.report(t, R.LIBRARY, `the library type '${name}'`);
  }

  /** Checks an inferred type (a declaration without a written type). */
  private checkInferred(at: ts.Node, type: ts.Type): void {
    const code = typeProblem(this.checker, type, 0, this.managed);
    if (code !== 0) this.report(at, code, `the inferred type '${this.checker.typeToString(type)}'`);
  }

  // ---------------------------------------------------------------------------------------------
  // Declarations

  private checkSymbolTags(f: ts.Node): void {
    for (const t of ts.getJSDocTags(f)) {
      const name = t.tagName.text;
      if (name !== "extern" && name !== "export") continue;
      const text = (typeof t.comment === "string" ? t.comment : ts.getTextOfJSDocComment(t.comment) ?? "").trim();
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) this.report(t, R.SYMBOL_TAG, `'@${name}' without a C symbol name`);
    }
  }

  private checkFunctionDeclaration(f: ts.FunctionDeclaration): boolean {
    this.checkSymbolTags(f);
    if (isExtern(f)) {
      // The signature is compiled (a C prototype); the body is host code and is not checked.
      for (const p of f.parameters) {
        if (p.questionToken) this.report(p, R.OPTIONAL_PARAM);
        if (p.dotDotDotToken) this.report(p, R.REST);
        if (p.type) this.checkTypeNode(p.type, true);
        if (!ts.isIdentifier(p.name)) this.report(p.name, R.DESTRUCTURING);
      }
      if (f.type) this.checkTypeNode(f.type, true);
      return false;
    }
    if (!f.body) {
      if (!(ts.getCombinedModifierFlags(f) & ts.ModifierFlags.Ambient)) this.report(f, R.OVERLOAD);
    }
    if (containerOf(f.parent) !== null) this.report(f, R.NESTED_FUNCTION, `function '${f.name?.text ?? ""}' declared inside a function`);
    this.checkFunctionLike(f);
    return true;
  }

  private checkFunctionLike(f: ts.FunctionLikeDeclaration): void {
    if ((ts.isArrowFunction(f) || ts.isFunctionExpression(f)) && f.typeParameters) {
      this.report(f, R.GENERIC_VALUE, "a generic function expression");
    }
    if (f.asteriskToken) this.report(f.asteriskToken, R.GENERATOR);
    if ((ts.isMethodDeclaration(f) || ts.isConstructorDeclaration(f)) && !f.body && !f.questionToken) {
      const abstract = ts.getCombinedModifierFlags(f) & ts.ModifierFlags.Abstract;
      if (!abstract) this.report(f, R.OVERLOAD);
    }
    if (ts.isMethodDeclaration(f) && f.questionToken) this.report(f, R.OPTIONAL_FIELD);
  }

  private checkParameter(p: ts.ParameterDeclaration): boolean {
    if (p.questionToken) this.report(p, R.OPTIONAL_PARAM);
    if (p.dotDotDotToken) this.report(p, R.REST);
    return true;
  }

  private checkClass(c: ts.ClassLikeDeclaration): boolean {
    if (ts.isClassExpression(c)) this.report(c, R.NESTED_CLASS, "a class expression");
    else if (!ts.isSourceFile(c.parent)) this.report(c, R.NESTED_CLASS);
    for (const h of c.heritageClauses ?? []) {
      for (const t of h.types) {
        const sym = this.checker.getSymbolAtLocation(t.expression);
        if (h.token === ts.SyntaxKind.ExtendsKeyword && sym && this.isLibSymbol(sym)) {
          this.report(t, R.BUILTIN_BASE, `extending '${t.expression.getText(this.sf)}'`);
        } else if (!ts.isIdentifier(t.expression)) {
          this.report(t, R.NAMESPACE_IMPORT, "a qualified base class");
        }
        for (const a of t.typeArguments ?? []) this.checkTypeNode(a, false);
      }
    }
    if (c.name) this.visit(c.name);
    this.visitAll(c.typeParameters);
    this.visitAll(c.members);
    return false;
  }

  private checkProperty(p: ts.PropertyDeclaration): boolean {
    if (p.questionToken) this.report(p, R.OPTIONAL_FIELD);
    const cls = p.parent;
    if (ts.isClassLike(cls) && cls.typeParameters && ts.getCombinedModifierFlags(p) & ts.ModifierFlags.Static) {
      this.report(p, R.GENERIC_STATIC);
    }
    if (p.exclamationToken || ts.getCombinedModifierFlags(p) & ts.ModifierFlags.Ambient) this.report(p, R.UNINITIALISED_FIELD);
    if (!p.type && p.initializer) {
      const before = this.out.length;
      this.visit(p.name);
      this.visitAll(ts.getModifiers(p));
      this.visit(p.initializer);
      if (this.out.length === before) this.checkInferred(p.name, this.typeOf(p.name));
      return false;
    }
    return true;
  }

  private checkVariable(v: ts.VariableDeclaration): boolean {
    if (!ts.isIdentifier(v.name)) return true; // the binding pattern reports itself
    if (v.type || ts.isCatchClause(v.parent)) return true;
    const before = this.out.length;
    if (v.initializer) this.visit(v.initializer);
    if (this.out.length === before) this.checkInferred(v.name, this.inferredType(v));
    return false;
  }

  /**
   * The type a declaration without annotation gets. An element read `a[i]` is typed `T | undefined`
   * (noUncheckedIndexedAccess), but keelc bounds-checks it, so the element type T is what counts.
   */
  private inferredType(v: ts.VariableDeclaration): ts.Type {
    const init = v.initializer ? skipParens(v.initializer) : null;
    if (init && ts.isElementAccessExpression(init)) {
      const arr = this.checker.getNonNullableType(this.typeOf(init.expression));
      const el = this.checker.getIndexTypeOfType(arr, ts.IndexKind.Number);
      if (el && isArrayLike(this.checker, arr)) return el;
      if (isStringType(arr)) return this.checker.getStringType();
    }
    return this.typeOf(v.name);
  }

  private checkEnum(e: ts.EnumDeclaration): void {
    for (const m of e.members) {
      if (ts.isComputedPropertyName(m.name)) this.report(m.name, R.COMPUTED_NAME);
      const v = this.checker.getConstantValue(m);
      if (typeof v !== "number") this.report(m, R.ENUM_MEMBER, `enum member '${m.name.getText(this.sf)}'`);
      else if (m.initializer) this.visit(m.initializer);
    }
  }

  private checkImport(d: ts.ImportDeclaration): void {
    const spec = d.moduleSpecifier;
    if (ts.isStringLiteral(spec) && !isHostSpecifier(spec.text)) {
      const relative = spec.text.startsWith("./") || spec.text.startsWith("../");
      if (!relative || !spec.text.endsWith(".ts")) this.report(spec, R.IMPORT_PATH, `import of '${spec.text}'`);
    }
    const clause = d.importClause;
    if (!clause) return;
    if (clause.name) this.report(clause.name, R.DEFAULT_EXPORT, "a default import");
    const nb = clause.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) this.report(nb, R.NAMESPACE_IMPORT);
    if (nb && ts.isNamedImports(nb)) {
      for (const el of nb.elements) {
        if ((el.propertyName ?? el.name).text === "default") this.report(el, R.DEFAULT_EXPORT, "a default import");
      }
    }
  }

  private checkExportDeclaration(d: ts.ExportDeclaration): void {
    const spec = d.moduleSpecifier;
    if (spec && ts.isStringLiteral(spec)) {
      if (isHostSpecifier(spec.text)) this.report(spec, R.HOST_IMPORT, `re-export from '${spec.text}'`);
      else if (!(spec.text.startsWith("./") || spec.text.startsWith("../")) || !spec.text.endsWith(".ts")) {
        this.report(spec, R.IMPORT_PATH, `export from '${spec.text}'`);
      }
    }
    if (d.exportClause && ts.isNamespaceExport(d.exportClause)) this.report(d.exportClause, R.NAMESPACE_IMPORT);
    if (d.exportClause && ts.isNamedExports(d.exportClause)) {
      for (const el of d.exportClause.elements) {
        if (el.name.text === "default") this.report(el, R.DEFAULT_EXPORT);
        if (!spec) {
          const s = this.checker.getSymbolAtLocation(el.propertyName ?? el.name);
          if (s && this.hostAliases.has(s)) this.report(el, R.HOST_IMPORT, `re-export of '${el.name.text}'`);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Statements

  private checkForOf(f: ts.ForOfStatement): void {
    if (f.awaitModifier) this.report(f.awaitModifier, R.ASYNC);
    if (!ts.isVariableDeclarationList(f.initializer)) this.report(f.initializer, R.FOR_OF, "for...of into an existing variable");
    const t = this.checker.getNonNullableType(this.typeOf(f.expression));
    if (this.managed && isMapIteration(this.checker, f.expression)) return;
    if (!isArrayLike(this.checker, t) && !isStringType(t)) {
      this.report(f.expression, R.FOR_OF, `for...of over '${this.checker.typeToString(t)}'`);
    }
  }

  private checkSwitch(s: ts.SwitchStatement): void {
    const isIntegral = (t: ts.Type): boolean => isNumberType(t) || isBigIntType(t);
    const dt = this.typeOf(s.expression);
    // A switch over a string compares with ===, so its labels must be strings too.
    const strings = isStringType(dt);
    if (!isIntegral(dt) && !strings) {
      this.report(s.expression, R.SWITCH_KIND, `a switch over '${this.checker.typeToString(dt)}'`);
    }
    const clauses = s.caseBlock.clauses;
    clauses.forEach((c, i) => {
      if (ts.isCaseClause(c) && strings) {
        if (!this.isConstantString(c.expression, 0)) this.report(c.expression, R.SWITCH_KIND, "a case label that is not a string literal or a const string");
      } else if (ts.isCaseClause(c) && !isIntegral(this.typeOf(c.expression))) {
        this.report(c.expression, R.SWITCH_KIND, "a non-numeric case label");
      } else if (ts.isCaseClause(c) && !this.isConstant(c.expression, 0)) {
        this.report(c.expression, R.SWITCH_KIND, "a case label that is not a compile-time constant");
      }
      if (c.statements.length > 0 && i < clauses.length - 1 && this.completesNormally(c.statements)) {
        this.report(c, R.FALLTHROUGH);
      }
    });
  }

  /** Literals, enum members, and const bindings of them, combined with operators. */
  private isConstant(e: ts.Expression, depth: number): boolean {
    if (depth > 16) return false;
    e = skipParens(e);
    if (ts.isNumericLiteral(e) || ts.isBigIntLiteral(e)) return true;
    if (ts.isPrefixUnaryExpression(e)) return this.isConstant(e.operand, depth + 1);
    if (ts.isBinaryExpression(e)) return this.isConstant(e.left, depth + 1) && this.isConstant(e.right, depth + 1);
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      // An enum member (getConstantValue on the access itself answers for const enums only).
      const s = this.checker.getSymbolAtLocation(ts.isPropertyAccessExpression(e) ? e.name : e);
      const d = s ? this.resolveAlias(s).valueDeclaration : undefined;
      return d !== undefined && ts.isEnumMember(d) && this.checker.getConstantValue(d) !== undefined;
    }
    if (ts.isIdentifier(e)) {
      const s = this.checker.getSymbolAtLocation(e);
      const d = s ? this.resolveAlias(s).valueDeclaration : undefined;
      if (!d || !ts.isVariableDeclaration(d) || !d.initializer) return false;
      if (!(ts.getCombinedNodeFlags(d) & ts.NodeFlags.Const)) return false;
      return this.isConstant(d.initializer, depth + 1);
    }
    return false;
  }

  /** A string literal (or template without substitutions), or a `const` bound to one. */
  private isConstantString(e: ts.Expression, depth: number): boolean {
    if (depth > 16) return false;
    e = skipParens(e);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return true;
    if (!ts.isIdentifier(e)) return false;
    const s = this.checker.getSymbolAtLocation(e);
    const d = s ? this.resolveAlias(s).valueDeclaration : undefined;
    if (!d || !ts.isVariableDeclaration(d) || !d.initializer) return false;
    return (ts.getCombinedNodeFlags(d) & ts.NodeFlags.Const) !== 0 && this.isConstantString(d.initializer, depth + 1);
  }

  /** True only when the case visibly falls through (loops and other jumps are given the benefit). */
  private completesNormally(stmts: readonly ts.Statement[]): boolean {
    const last = stmts[stmts.length - 1];
    if (!last) return true;
    if (ts.isBlock(last)) return this.completesNormally(last.statements);
    if (ts.isIfStatement(last)) {
      if (!last.elseStatement) return true;
      return this.completesNormally([last.thenStatement]) || this.completesNormally([last.elseStatement]);
    }
    if (ts.isExpressionStatement(last)) return !(this.typeOf(last.expression).flags & ts.TypeFlags.Never);
    return ts.isVariableStatement(last) || ts.isEmptyStatement(last);
  }

  private checkThrow(t: ts.ThrowStatement): void {
    const e = skipParens(t.expression);
    if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "Error") {
      const s = this.checker.getSymbolAtLocation(e.expression);
      if (s && this.isLibSymbol(s) && (e.arguments?.length ?? 0) <= 1) return;
    }
    this.report(t, R.THROW);
  }

  // ---------------------------------------------------------------------------------------------
  // Expressions

  private checkNumber(n: ts.NumericLiteral): void {
    const text = n.getText(this.sf).replace(/_/g, "");
    const isHex = /^0[xXbBoO]/.test(text);
    if (!isHex && /[.eE]/.test(text)) {
      this.report(n, R.FLOAT_LITERAL, `'${text}'`);
      return;
    }
    const v = Number(text);
    if (!Number.isSafeInteger(v)) this.report(n, R.UNSAFE_LITERAL, `'${text}'`);
  }

  private checkBigIntLiteral(n: ts.BigIntLiteral): void {
    const text = n.text.replace(/_/g, "").replace(/n$/, "");
    if (BigInt(text) >= 1n << 64n) this.report(n, R.UNSAFE_LITERAL, `'${n.text}'`);
  }

  private checkAscii(n: ts.LiteralLikeNode): void {
    if (/[^\x00-\x7f]/.test(n.text)) this.report(n, R.NON_ASCII);
  }

  /** Template literals and format calls: only as call arguments or inside another template. */
  private checkStringContext(node: ts.Node, what: string): void {
    if (this.managed) return;
    const { node: n, parent: p } = skipParensUp(node);
    if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(n as ts.Expression)) return;
    if (ts.isTemplateSpan(p) || ts.isTaggedTemplateExpression(p)) return;
    // x.toString(16).padStart(4, "0"): the receiver of a further format call.
    if (ts.isPropertyAccessExpression(p) && FORMAT_CALLS.has(p.name.text) && ts.isCallExpression(p.parent)) return;
    this.report(node, R.TEMPLATE_CONTEXT, what);
  }

  private checkBinary(b: ts.BinaryExpression): void {
    const op = b.operatorToken.kind;
    const K = ts.SyntaxKind;
    if (op >= K.FirstAssignment && op <= K.LastAssignment) this.checkStaticWrite(b.left);
    const lt = this.typeOf(b.left);
    const rt = this.typeOf(b.right);
    switch (op) {
      case K.EqualsEqualsToken:
      case K.ExclamationEqualsToken:
        this.report(b.operatorToken, R.LOOSE_EQUALITY);
        return;
      case K.InKeyword:
        this.report(b.operatorToken, R.IN);
        return;
      case K.InstanceOfKeyword:
        this.report(b.operatorToken, R.INSTANCEOF);
        return;
      case K.CommaToken: {
        let top: ts.Node = b;
        while (ts.isBinaryExpression(top.parent) && top.parent.operatorToken.kind === K.CommaToken) top = top.parent;
        const f = top.parent;
        if (ts.isForStatement(f) && (f.initializer === top || f.incrementor === top)) return;
        this.report(b.operatorToken, R.COMMA);
        return;
      }
      case K.BarBarEqualsToken:
      case K.AmpersandAmpersandEqualsToken:
      case K.QuestionQuestionEqualsToken:
        this.report(b.operatorToken, R.LOGICAL_ASSIGN);
        return;
      case K.EqualsToken:
        if (ts.isArrayLiteralExpression(b.left) || ts.isObjectLiteralExpression(b.left)) {
          this.report(b.left, R.DESTRUCTURING);
        }
        if (ts.isPropertyAccessExpression(b.left) && b.left.name.text === "length") {
          const s = this.checker.getSymbolAtLocation(b.left.name);
          if (!s || this.isLibSymbol(s)) this.report(b.left, R.ARRAY_LENGTH_WRITE);
        }
        return;
      case K.SlashToken:
      case K.SlashEqualsToken:
        if (isBigIntType(lt)) return;
        if (op === K.SlashEqualsToken || !this.divisionAllowed(b)) this.report(b.operatorToken, R.DIVISION);
        return;
      case K.PlusToken:
      case K.PlusEqualsToken:
        if (isStringType(lt) || isStringType(rt)) {
          if (!this.managed) this.report(b.operatorToken, R.STRING_CONCAT);
          return;
        }
        this.checkBigIntWrap(b, lt);
        return;
      case K.MinusToken:
      case K.AsteriskToken:
      case K.LessThanLessThanToken:
      case K.MinusEqualsToken:
      case K.AsteriskEqualsToken:
      case K.LessThanLessThanEqualsToken:
        this.checkBigIntWrap(b, lt);
        return;
      case K.AsteriskAsteriskToken:
      case K.AsteriskAsteriskEqualsToken: {
        const r = skipParens(b.right);
        if (isBigIntType(lt) || !ts.isNumericLiteral(r) || op === K.AsteriskAsteriskEqualsToken) {
          this.report(b.operatorToken, R.EXPONENT);
        }
        return;
      }
      case K.LessThanToken:
      case K.GreaterThanToken:
      case K.LessThanEqualsToken:
      case K.GreaterThanEqualsToken:
        if (!this.managed && (isStringType(lt) || isStringType(rt))) this.report(b.operatorToken, R.STRING_COMPARE);
        else if (isBigIntType(lt) !== isBigIntType(rt)) this.report(b.operatorToken, R.BIGINT_MIX);
        return;
      default:
        return;
    }
  }

  /** `Math.floor(a / b)`, `Math.trunc(a / b)` or `(a / b) | 0`. */
  private divisionAllowed(b: ts.BinaryExpression): boolean {
    const { node: n, parent: p } = skipParensUp(b);
    if (ts.isCallExpression(p) && isMathCall(p.expression, FLOOR_TRUNC) && p.arguments[0] === n) return true;
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.BarToken && p.left === n) {
      const r = skipParens(p.right);
      return ts.isNumericLiteral(r) && r.text === "0";
    }
    return false;
  }

  private checkBigIntWrap(b: ts.BinaryExpression, lt: ts.Type): void {
    if (!isBigIntType(lt)) return;
    const K = ts.SyntaxKind;
    const compound = [K.PlusEqualsToken, K.MinusEqualsToken, K.AsteriskEqualsToken, K.LessThanLessThanEqualsToken];
    if (compound.includes(b.operatorToken.kind)) this.report(b.operatorToken, R.BIGINT_WRAP);
    else if (!this.insideAsUintN(b) && bigConstant(this.checker, b) === null) this.report(b.operatorToken, R.BIGINT_WRAP);
  }

  private insideAsUintN(e: ts.Node): boolean {
    const { node: n, parent: p } = skipParensUp(e);
    return ts.isCallExpression(p) && isAsUintN(p.expression) && p.arguments[1] === n;
  }

  private checkUnary(u: ts.PrefixUnaryExpression | ts.PostfixUnaryExpression): void {
    const K = ts.SyntaxKind;
    const big = isBigIntType(this.typeOf(u.operand));
    switch (u.operator) {
      case K.PlusToken:
        if (!isNumberType(this.typeOf(u.operand))) this.report(u, R.UNARY_PLUS);
        return;
      case K.PlusPlusToken:
      case K.MinusMinusToken:
        if (big) this.report(u, R.BIGINT_WRAP);
        this.checkStaticWrite(u.operand);
        return;
      case K.MinusToken:
      case K.TildeToken:
        if (big && !this.insideAsUintN(u)) this.report(u, R.BIGINT_WRAP);
        return;
    }
  }

  /** `Sub.count = v` where `count` is a static of a base class: in Node, Sub gets its own `count`. */
  private checkStaticWrite(target: ts.Expression): void {
    let t = skipParens(target);
    while (ts.isNonNullExpression(t)) t = skipParens(t.expression);
    if (!ts.isPropertyAccessExpression(t)) return;
    const d = this.checker.getSymbolAtLocation(t.name)?.valueDeclaration;
    if (!d || !ts.isPropertyDeclaration(d) || !(ts.getCombinedModifierFlags(d) & ts.ModifierFlags.Static)) return;
    const s = this.checker.getSymbolAtLocation(t.expression);
    const via = s && this.resolveAlias(s).valueDeclaration;
    if (via && ts.isClassDeclaration(via) && via !== d.parent) {
      const base = ts.isClassDeclaration(d.parent) ? (d.parent.name?.text ?? "a base class") : "a base class";
      this.report(t, R.STATIC_THROUGH_SUBCLASS, `an assignment to ${base}.${t.name.text} through the subclass ${via.name?.text ?? ""}`);
    }
  }

  private checkAssertion(a: ts.AsExpression | ts.TypeAssertion): void {
    this.visit(a.expression);
    if (ts.isTypeReferenceNode(a.type) && ts.isIdentifier(a.type.typeName) && a.type.typeName.text === "const") return;
    this.checkTypeNode(a.type, false);
    const from = this.typeOf(a.expression);
    const to = this.checker.getTypeFromTypeNode(a.type);
    const same =
      from === to ||
      (this.checker.isTypeAssignableTo(from, to) &&
        this.checker.isTypeAssignableTo(to, from) &&
        this.checker.typeToString(from) === this.checker.typeToString(to));
    if (!same) {
      this.report(a, R.CAST, `a cast from '${this.checker.typeToString(from)}' to '${this.checker.typeToString(to)}'`);
    }
  }

  private checkPropertyAccess(p: ts.PropertyAccessExpression): boolean {
    if (p.questionDotToken) this.report(p, R.OPTIONAL_CHAIN);
    this.visit(p.expression);
    if (ts.isPrivateIdentifier(p.name)) {
      this.report(p.name, R.PRIVATE_NAME);
      return false;
    }
    const recv = skipParens(p.expression);
    if (ts.isMetaProperty(recv)) return false;
    // Members of the global namespaces (Math.x, BigInt.x, ...) are judged with the global.
    if (ts.isIdentifier(recv)) {
      const rs = this.checker.getSymbolAtLocation(recv);
      if (rs && this.isLibSymbol(rs)) return false;
    }
    const sym = this.checker.getSymbolAtLocation(p.name);
    const name = p.name.text;
    if (sym && !this.isLibSymbol(sym)) {
      if (sym.flags & ts.SymbolFlags.Method && !this.isCallee(p)) this.report(p, R.METHOD_VALUE, `method '${name}' used as a value`);
      return false;
    }
    // A member of a built-in type.
    const t = this.checker.getNonNullableType(this.typeOf(p.expression));
    if (isStringType(t)) {
      if (!(this.managed ? MANAGED_STRING_MEMBERS : STRING_MEMBERS).has(name)) this.report(p.name, R.STRING_METHOD, `string method '${name}'`);
      else if (FORMAT_CALLS.has(name) && this.isCallee(p)) this.checkStringContext(p.parent, `'${name}'`);
    } else if (isArrayLike(this.checker, t)) {
      const typed = typedArrayName(t) !== null;
      const members = typed ? TYPED_ARRAY_MEMBERS : this.managed ? MANAGED_ARRAY_MEMBERS : ARRAY_MEMBERS;
      if (!members.has(name)) this.report(p.name, R.BUILTIN_MEMBER, `${typed ? "typed array" : "array"} member '${name}'`);
    } else if ((isNumberType(t) || isBigIntType(t)) && name === "toString") {
      if (this.isCallee(p)) this.checkStringContext(p.parent, `'${name}'`);
    } else if (isNumberType(t) || isBigIntType(t) || isBooleanType(t) || t.getCallSignatures().length > 0) {
      this.report(p.name, R.BUILTIN_MEMBER, `built-in member '${name}'`);
    }
    // Any other receiver is a library object (a Map, a Date, console...) whose creation or
    // import was already reported.
    return false;
  }

  private isCallee(p: ts.Expression): boolean {
    const { node: n, parent: c } = skipParensUp(p);
    return ts.isCallExpression(c) && c.expression === n;
  }

  private checkElementAccess(e: ts.ElementAccessExpression): void {
    if (e.questionDotToken) this.report(e, R.OPTIONAL_CHAIN);
    const t = this.checker.getNonNullableType(this.typeOf(e.expression));
    if (!isArrayLike(this.checker, t) && !isStringType(t)) {
      this.report(e, R.ELEMENT_ACCESS, `indexing '${this.checker.typeToString(t)}'`);
    } else if (!isNumberType(this.typeOf(e.argumentExpression))) {
      this.report(e.argumentExpression, R.ELEMENT_ACCESS, "a non-number index");
    }
  }

  private checkCall(c: ts.CallExpression): void {
    if (c.questionDotToken) this.report(c, R.OPTIONAL_CHAIN);
    if (c.expression.kind === ts.SyntaxKind.ImportKeyword) this.report(c, R.DYNAMIC_IMPORT);
    const e = c.expression;
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "console" && e.name.text === "log") {
      const s = this.checker.getSymbolAtLocation(e.expression);
      if (!s || !this.isLibSymbol(s)) return;
      const [first, ...rest] = c.arguments;
      if (first && rest.length > 0) this.checkFormat(skipParens(first), rest);
      for (const a of c.arguments) this.checkPrintable(a);
    }
  }

  /** console.log(format, ...): the substitutions the runtime cannot make, where the format's text is known. */
  private checkFormat(first: ts.Expression, rest: readonly ts.Expression[]): void {
    const text = this.formatText(first, 0);
    if (text === null) {
      // Substituted strings decide which argument a directive takes, not whether %j is one.
      const literals = ts.isTemplateExpression(first) ? [first.head, ...first.templateSpans.map((s) => s.literal)] : [];
      const bad = literals.flatMap((l) => formatDirectives(l.text, Infinity)).find((x) => "joO".includes(x.directive));
      if (bad) this.report(first, R.FORMAT_DIRECTIVE, `'%${bad.directive}' in a console.log format`);
      return;
    }
    let joO = false;
    for (const { directive: d, arg } of formatDirectives(text, rest.length)) {
      const a = rest[arg]!;
      const t = this.typeOf(a);
      const types = t.isUnion() ? t.types : [t];
      if ("joO".includes(d)) {
        if (!joO) this.report(first, R.FORMAT_DIRECTIVE, `'%${d}' in a console.log format`);
        joO = true;
      } else if ("dif".includes(d) && types.some((m) => m.flags & ts.TypeFlags.StringLike)) {
        this.report(a, R.FORMAT_DIRECTIVE, `'%${d}' of a string in a console.log format`);
      } else if (d === "f" && isBigIntType(t)) this.report(a, R.FORMAT_DIRECTIVE, "'%f' of a bigint in a console.log format");
    }
  }

  /**
   * The text of a format string where it is known before run time: a literal, a `const` holding
   * one, or a template whose substitutions cannot bring a '%' or a directive letter after one
   * (numbers, bigints and null; they stand in as "0").
   */
  private formatText(e: ts.Expression, depth: number): string | null {
    e = skipParens(e);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
    if (ts.isTemplateExpression(e)) {
      const F = ts.TypeFlags;
      const plain = (m: ts.Type): boolean => (m.flags & (F.NumberLike | F.BigIntLike | F.Null)) !== 0 && !(m.flags & F.StringLike);
      for (const span of e.templateSpans) {
        const t = this.typeOf(span.expression);
        if (!(t.isUnion() ? t.types.every(plain) : plain(t))) return null;
      }
      return e.head.text + e.templateSpans.map((s) => "0" + s.literal.text).join("");
    }
    if (ts.isIdentifier(e) && depth < 8) {
      const s = this.checker.getSymbolAtLocation(e);
      const d = s && this.resolveAlias(s).valueDeclaration;
      if (d && ts.isVariableDeclaration(d) && d.initializer && ts.getCombinedNodeFlags(d) & ts.NodeFlags.Const) {
        return this.formatText(d.initializer, depth + 1);
      }
    }
    return null;
  }

  private checkPrintable(e: ts.Expression): void {
    const t = this.typeOf(e);
    const F = ts.TypeFlags;
    const ok = (m: ts.Type): boolean =>
      // undefined: an element read (bounds-checked in C) or already reported where it arose.
      (m.flags & (F.NumberLike | F.BigIntLike | F.BooleanLike | F.StringLike | F.EnumLike | F.Null | F.Undefined | F.Any)) !== 0;
    if (!(t.isUnion() ? t.types.every(ok) : ok(t))) {
      this.report(e, R.NOT_PRINTABLE, `printing '${this.checker.typeToString(t)}'`);
    }
  }

  private checkThis(t: ts.Node): void {
    let crossedArrow = false;
    for (let p = t.parent; p; p = p.parent) {
      if (ts.isArrowFunction(p)) {
        if (!this.managed || inlineCallbackBody(p, this.checker) === null) crossedArrow = true;
        continue;
      }
      if (ts.isFunctionDeclaration(p) || ts.isFunctionExpression(p) || ts.isSourceFile(p)) {
        this.report(t, R.THIS);
        return;
      }
      if (ts.isMethodDeclaration(p) || ts.isConstructorDeclaration(p) || ts.isPropertyDeclaration(p) ||
        ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p) || ts.isClassStaticBlockDeclaration(p)) {
        if (ts.getCombinedModifierFlags(p as ts.Declaration) & ts.ModifierFlags.Static) this.report(t, R.THIS, "'this' in a static member");
        else if (crossedArrow) this.report(t, R.CAPTURE, "a function that captures 'this'");
        return;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Identifiers: captures, host names, library globals

  private checkIdentifier(id: ts.Identifier): void {
    const sym = this.checker.getSymbolAtLocation(id);
    if (!sym) {
      if (id.text === "undefined") this.report(id, R.UNDEFINED);
      return;
    }
    if (this.hostAliases.has(sym)) {
      this.report(id, R.HOST_IMPORT, `host-only name '${id.text}'`);
      return;
    }
    if (this.isLibSymbol(this.resolveAlias(sym))) {
      if (this.isDeclarationName(id) || ts.isImportSpecifier(id.parent) || ts.isImportClause(id.parent)) return;
      this.checkGlobal(id);
      return;
    }
    this.checkCapture(id, sym);
  }

  private isDeclarationName(id: ts.Identifier): boolean {
    const p = id.parent as ts.Node & { name?: ts.Node };
    return p.name === id && !ts.isPropertyAccessExpression(p);
  }

  private checkCapture(id: ts.Identifier, sym: ts.Symbol): void {
    if (sym.flags & ts.SymbolFlags.Function && !this.isDeclarationName(id)) {
      const d = sym.valueDeclaration;
      if (d && ts.isFunctionDeclaration(d) && d.typeParameters && !this.isCallee(id)) {
        this.report(id, R.GENERIC_VALUE, `generic function '${id.text}' used as a value`);
      }
    }
    if (!(sym.flags & ts.SymbolFlags.Variable)) return;
    const decl = sym.valueDeclaration;
    if (!decl || decl.getSourceFile() !== this.sf) return;
    const owner = containerOf(decl);
    // Only a variable declared at the top level of a module is a C global; one declared in a
    // module-level block or loop is a local of the module's init function (per iteration, in JS).
    if (owner === null && isTopLevelVariable(decl)) return;
    const user = containerOf(id);
    if (user === null || user === owner) return;
    // Arrows compiled in place of an array method's call see the enclosing function's variables.
    let u: ts.Node | null = user;
    while (u !== null && u !== owner && this.managed && inlineCallbackBody(u, this.checker) !== null) u = containerOf(u.parent);
    if (u === owner) return;
    const key = `${user.pos}:${id.text}`;
    if (this.captured.has(key)) return;
    this.captured.add(key);
    this.report(id, R.CAPTURE, `a function that captures '${id.text}'`);
  }

  private checkGlobal(id: ts.Identifier): void {
    const name = id.text;
    const { node: n, parent: p } = skipParensUp(id);
    const member = ts.isPropertyAccessExpression(p) && p.expression === n ? p.name.text : null;
    const callee = ts.isCallExpression(p) && p.expression === n ? p : null;
    const ctor = ts.isNewExpression(p) && p.expression === n ? p : null;
    switch (name) {
      case "undefined":
        this.report(id, R.UNDEFINED);
        return;
      case "NaN":
      case "Infinity":
        this.report(id, R.NON_INTEGER_CONSTANT, `'${name}'`);
        return;
      case "arguments":
        this.report(id, R.ARGUMENTS);
        return;
      case "eval":
        this.report(id, R.EVAL);
        return;
      case "Function":
        this.report(id, R.FUNCTION_CTOR);
        return;
      case "Math": {
        if (member === null) this.report(id, R.MATH, "'Math' used as a value");
        else if (!MATH_ALLOWED.has(member)) this.report(p, R.MATH, `'Math.${member}'`);
        else if (FLOOR_TRUNC.has(member)) {
          const call = p.parent;
          const ok = ts.isCallExpression(call) && call.expression === p && call.arguments.length === 1 &&
            ts.isBinaryExpression(skipParens(call.arguments[0]!)) &&
            (skipParens(call.arguments[0]!) as ts.BinaryExpression).operatorToken.kind === ts.SyntaxKind.SlashToken;
          if (!ok) this.report(p, R.FLOOR_ARGUMENT, `'Math.${member}'`);
        } else if (!this.isCallee(p as ts.Expression)) this.report(p, R.MATH, `'Math.${member}' used as a value`);
        else if ((p.parent as ts.CallExpression).arguments.length === 0) this.report(p, R.MATH, `'Math.${member}()' without arguments`);
        else if (member === "pow") {
          // the rule of `**`: a non-negative integer literal exponent keeps the result an integer
          const e = (p.parent as ts.CallExpression).arguments[1];
          if (!e || !ts.isNumericLiteral(skipParens(e)) || !/^\d+$/.test((skipParens(e) as ts.NumericLiteral).text)) this.report(p.parent, R.EXPONENT, "'Math.pow'");
        }
        return;
      }
      case "BigInt": {
        if (callee) {
          const a = callee.arguments;
          if (a.length !== 1 || !isNumberType(this.typeOf(a[0]!))) this.report(callee, R.BIGINT_MIX, "BigInt() of a non-number");
        } else if (member === "asUintN" && this.isCallee(p as ts.Expression)) {
          const call = p.parent as ts.CallExpression;
          const w = call.arguments[0];
          if (!w || !ts.isNumericLiteral(w) || !/^\d+$/.test(w.text) || Number(w.text) > 64) this.report(call, R.BIGINT_WIDTH);
        } else if (member === "asIntN") this.report(p, R.BIGINT_WIDTH);
        else this.report(member === null ? id : p, R.LIBRARY, member === null ? "'BigInt' used as a value" : `'BigInt.${member}'`);
        return;
      }
      case "Number": {
        if (this.managed && member === "parseInt" && this.isCallee(p as ts.Expression)) return;
        if (member === "MAX_SAFE_INTEGER" || member === "MIN_SAFE_INTEGER") return;
        if ((member === "isInteger" || member === "isSafeInteger") && this.isCallee(p as ts.Expression)) {
          const a = (p.parent as ts.CallExpression).arguments;
          if (a.length !== 1 || !isNumberType(this.typeOf(a[0]!))) this.report(p.parent, R.LIBRARY, `'Number.${member}' of something other than a number`);
          return;
        }
        if (callee) {
          const a = callee.arguments;
          const at = a.length === 1 ? this.typeOf(a[0]!) : null;
          if (at === null || !(isBigIntType(at) || isNumberType(at) || isBooleanType(at))) {
            this.report(callee, R.BIGINT_MIX, "Number() of something other than a bigint or boolean");
          }
        } else if (member !== null && ["EPSILON", "MAX_VALUE", "MIN_VALUE", "NaN", "POSITIVE_INFINITY", "NEGATIVE_INFINITY"].includes(member)) {
          this.report(p, R.NON_INTEGER_CONSTANT, `'Number.${member}'`);
        } else this.report(member === null ? id : p, R.LIBRARY, member === null ? "'Number' used as a value" : `'Number.${member}'`);
        return;
      }
      case "Map":
      case "Set":
        if (this.managed && ctor && (ctor.arguments?.length ?? 0) === 0) return;
        if (this.managed && ctor) this.report(ctor, R.LIBRARY, `'new ${name}(...)' with initial entries`);
        else if (!this.managed || member !== null || !ts.isTypeReferenceNode(id.parent)) {
          this.report(member === null ? id : p, R.LIBRARY, member === null ? `'${name}'` : `'${name}.${member}'`);
        }
        return;
      case "String":
        if (this.managed && callee && callee.arguments.length === 1) return;
        if (this.managed && member === "fromCharCode" && this.isCallee(p as ts.Expression) && (p.parent as ts.CallExpression).arguments.length === 1) return;
        this.report(member === null ? id : p, R.LIBRARY, member === null ? "'String'" : `'String.${member}'`);
        return;
      case "console":
        if (member !== "log" || !this.isCallee(p as ts.Expression)) {
          this.report(member === null ? id : p, R.CONSOLE, member === null ? "" : `'console.${member}'`);
        }
        return;
      case "Error":
        if (ctor && ts.isThrowStatement(skipParensUp(ctor).parent)) return;
        if (!ctor || !ts.isThrowStatement(skipParensUp(ctor).parent)) this.report(ctor ?? id, R.THROW);
        return;
      case "Array": {
        if (ctor) {
          const { node: cn, parent: cp } = skipParensUp(ctor);
          const filled = ts.isPropertyAccessExpression(cp) && cp.expression === cn && cp.name.text === "fill" &&
            ts.isCallExpression(cp.parent) && cp.parent.expression === cp;
          if (!filled || (ctor.arguments?.length ?? 0) !== 1) this.report(ctor, R.NEW_ARRAY);
        } else this.report(member === null ? id : p, R.LIBRARY, member === null ? "'Array' used as a value" : `'Array.${member}'`);
        return;
      }
      default:
        if (TYPED_ARRAYS.has(name)) {
          const a0 = ctor?.arguments?.length === 1 ? skipParens(ctor.arguments[0]!) : null;
          if (!a0 || !(isNumberType(this.typeOf(a0)) || ts.isArrayLiteralExpression(a0))) {
            this.report(ctor ?? id, R.NEW_TYPED_ARRAY, `this 'new ${name}(...)'`);
          }
          return;
        }
        if (BAD_TYPED_ARRAYS.has(name)) {
          this.report(id, R.TYPED_ARRAY_KIND, `'${name}'`);
          return;
        }
        this.report(member === null ? id : p, R.LIBRARY, member === null ? `'${name}'` : `'${name}.${member}'`);
    }
  }
}
