/**
 * String constants of one file, read without a type checker: what the checker would call a
 * constant, so that both modes agree. `const PK = 'A#{id}'` (also `as const`, `satisfies`,
 * parentheses, or another such constant) is one; a `let`, a `const` with a type annotation
 * (`const PK: string`), or one widened by `as string`, is not.
 */
import type * as ts from 'typescript';
import { nearestDeclaration } from './scope.js';
import { literalString } from './values.js';

/** The string `node` always holds when it names a same-file constant; undefined otherwise. */
export function syntacticConstant(tsi: typeof ts, node: ts.Expression): string | undefined {
  const seen = new Set<ts.Node>();
  let current: ts.Expression = node;
  for (;;) {
    const value = keepingLiteralType(tsi, current);
    const literal = literalString(tsi, value);
    if (literal !== undefined) return literal;
    if (!tsi.isIdentifier(value)) return undefined;
    const declaration = nearestDeclaration(tsi, value);
    if (declaration === undefined || seen.has(declaration) || !isUntypedConst(tsi, declaration)) return undefined;
    seen.add(declaration);
    current = declaration.initializer;
  }
}

function isUntypedConst(tsi: typeof ts, node: ts.Node): node is ts.VariableDeclaration & { readonly initializer: ts.Expression } {
  return (
    tsi.isVariableDeclaration(node) &&
    tsi.isIdentifier(node.name) &&
    node.type === undefined &&
    node.initializer !== undefined &&
    (tsi.getCombinedNodeFlags(node) & tsi.NodeFlags.BlockScoped) === tsi.NodeFlags.Const
  );
}

/** Steps through what keeps a literal's type (parentheses, `satisfies`, `as const`), never through a widening assertion. */
function keepingLiteralType(tsi: typeof ts, node: ts.Expression): ts.Expression {
  let current = node;
  for (;;) {
    if (tsi.isParenthesizedExpression(current) || tsi.isSatisfiesExpression(current)) current = current.expression;
    else if ((tsi.isAsExpression(current) || tsi.isTypeAssertionExpression(current)) && isConstType(tsi, current.type)) current = current.expression;
    else return current;
  }
}

function isConstType(tsi: typeof ts, type: ts.TypeNode): boolean {
  return tsi.isTypeReferenceNode(type) && tsi.isIdentifier(type.typeName) && type.typeName.text === 'const';
}
