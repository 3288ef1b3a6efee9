// Arrow functions compiled inline: an arrow passed directly to an array's forEach, map, filter,
// some, every or findIndex runs only while that call runs, so keelc compiles its body in place,
// in the loop of the call, where the variables it captures are the enclosing function's own.
// The subset checker allows such an arrow to capture locals, parameters and `this`; the back
// end (toolchain/src/backend/arrays.ts) compiles it in place. Both decide with this function.
import ts from "typescript";

const INLINE_METHODS = new Set(["forEach", "map", "filter", "some", "every", "findIndex"]);

/**
 * What to compile in place of the call of `f`: its expression (an expression body or a block
 * that is one `return e;`), a block (forEach only, without `return`), or null when `f` is not an
 * arrow function compiled inline.
 */
export function inlineCallbackBody(f: ts.Node, checker: ts.TypeChecker): ts.Expression | ts.Block | null {
  if (!ts.isArrowFunction(f) || f.typeParameters || f.modifiers?.length || f.parameters.length > 3) return null;
  if (!f.parameters.every((p) => ts.isIdentifier(p.name) && !p.initializer && !p.dotDotDotToken && !p.questionToken)) return null;
  let arg: ts.Node = f;
  while (ts.isParenthesizedExpression(arg.parent)) arg = arg.parent;
  const call = arg.parent;
  if (!ts.isCallExpression(call) || call.arguments.length !== 1 || call.arguments[0] !== arg) return null;
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !INLINE_METHODS.has(callee.name.text)) return null;
  if (!checker.isArrayType(checker.getNonNullableType(checker.getTypeAtLocation(callee.expression)))) return null;
  const body = f.body;
  if (!ts.isBlock(body)) return body;
  const only = body.statements.length === 1 ? body.statements[0]! : null;
  if (only && ts.isReturnStatement(only) && only.expression) return only.expression;
  return callee.name.text === "forEach" && !returns(body) ? body : null;
}

function returns(n: ts.Node): boolean {
  if (ts.isReturnStatement(n)) return true;
  if (ts.isFunctionLike(n) || ts.isClassLike(n)) return false;
  return ts.forEachChild(n, returns) ?? false;
}
