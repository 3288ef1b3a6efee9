// Constant bigint expressions, folded exactly. A `+ - * <<` between bigint constants whose exact
// value lies in [0, 2^64) means the same in Node and in C, so the checker accepts it outside
// `BigInt.asUintN(64, ...)` and the back end emits the folded literal. Shared by both so that they
// agree on what is a constant.
import ts from "typescript";

const LIMIT = 1n << 64n;
/** Deeper nesting is not folded (and is then rejected as ordinary bigint arithmetic). */
const MAX_DEPTH = 50;

/** `a op b` exactly for the bigint operators, or null for an operator that is not folded or a value outside [0, 2^64). */
export function bigBinary(op: ts.SyntaxKind, a: bigint, b: bigint): bigint | null {
  const S = ts.SyntaxKind;
  let v: bigint;
  switch (op) {
    case S.PlusToken: v = a + b; break;
    case S.MinusToken: v = a - b; break;
    case S.AsteriskToken: v = a * b; break;
    // A shift count past 64 only grows the value, which the range check below refuses.
    case S.LessThanLessThanToken: v = b > 64n ? LIMIT : a << b; break;
    case S.AmpersandToken: v = a & b; break;
    case S.BarToken: v = a | b; break;
    case S.CaretToken: v = a ^ b; break;
    case S.GreaterThanGreaterThanToken: v = a >> b; break;
    default: return null;
  }
  return v >= 0n && v < LIMIT ? v : null;
}

/**
 * The value of `e` when it is a bigint constant: literals, parentheses, `const` variables with
 * such an initializer, and the operators of bigBinary. Null otherwise.
 */
export function bigConstant(checker: ts.TypeChecker, e: ts.Expression, depth = 0): bigint | null {
  if (depth > MAX_DEPTH) return null;
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (ts.isBigIntLiteral(e)) return BigInt(e.text.slice(0, -1));
  if (ts.isBinaryExpression(e)) {
    const a = bigConstant(checker, e.left, depth + 1);
    const b = a === null ? null : bigConstant(checker, e.right, depth + 1);
    return a === null || b === null ? null : bigBinary(e.operatorToken.kind, a, b);
  }
  if (ts.isIdentifier(e)) {
    let sym = checker.getSymbolAtLocation(e);
    if (sym !== undefined && (sym.flags & ts.SymbolFlags.Alias) !== 0) sym = checker.getAliasedSymbol(sym);
    const d = sym?.valueDeclaration;
    if (d !== undefined && ts.isVariableDeclaration(d) && d.initializer !== undefined && ts.isVariableDeclarationList(d.parent) &&
      (d.parent.flags & ts.NodeFlags.Const) !== 0) {
      return bigConstant(checker, d.initializer, depth + 1);
    }
  }
  return null;
}
