/** Reading decorator option values as the core's `Declared` values, never guessing at non-literals. */
import type * as ts from 'typescript';
import type { Declared, DeclaredList } from '../index.js';

export type OptionLookup =
  | { readonly kind: 'present'; readonly property: ts.PropertyAssignment | ts.ShorthandPropertyAssignment; readonly value: ts.Expression }
  | { readonly kind: 'absent' }
  /** Not written as a property, but a spread (or a shorthand or method) may set it. */
  | { readonly kind: 'opaque'; readonly node: ts.Node };

export interface ValueReader {
  readonly ts: typeof ts;
  readonly file: ts.SourceFile;
  /** Resolves an expression to a constant string through the type checker. */
  readonly constant: (node: ts.Expression) => string | undefined;
}

/** The name a property is written with: `a`, `'a'`, `#a`, `0`, or a computed literal `['a']`; undefined for other computed names. */
export function propertyName(tsi: typeof ts, name: ts.PropertyName | ts.Node): string | undefined {
  if (tsi.isIdentifier(name) || tsi.isStringLiteral(name) || tsi.isNoSubstitutionTemplateLiteral(name) || tsi.isPrivateIdentifier(name) || tsi.isNumericLiteral(name)) return name.text;
  if (tsi.isComputedPropertyName(name)) return literalString(tsi, unwrap(tsi, name.expression));
  return undefined;
}

export function findOption(tsi: typeof ts, options: ts.ObjectLiteralExpression, name: string): OptionLookup {
  let result: OptionLookup = { kind: 'absent' };
  for (const property of options.properties) {
    const key = tsi.isSpreadAssignment(property) ? undefined : propertyName(tsi, property.name);
    // A spread, or a computed name that is no literal (`[KEY]: …`), may set any option.
    if (key === undefined) result = { kind: 'opaque', node: property };
    else if (key !== name) continue;
    else if (tsi.isPropertyAssignment(property)) result = { kind: 'present', property, value: property.initializer };
    else if (tsi.isShorthandPropertyAssignment(property)) result = { kind: 'present', property, value: property.name };
    else result = { kind: 'opaque', node: property };
  }
  return result;
}

/** `['a', 'b'] as const`, `x satisfies T`, `x!` and parentheses carry the value inside. */
export function unwrap(tsi: typeof ts, node: ts.Expression): ts.Expression {
  let current = node;
  while (tsi.isAsExpression(current) || tsi.isSatisfiesExpression(current) || tsi.isNonNullExpression(current) || tsi.isParenthesizedExpression(current) || tsi.isTypeAssertionExpression(current)) {
    current = current.expression;
  }
  return current;
}

export function literalString(tsi: typeof ts, node: ts.Node): string | undefined {
  return tsi.isStringLiteral(node) || tsi.isNoSubstitutionTemplateLiteral(node) ? node.text : undefined;
}

/** What was written instead of a literal, for messages: "the variable `PK`", "the spread `...x`". */
export function describeExpression(tsi: typeof ts, node: ts.Node, file: ts.SourceFile): string {
  const text = node.getText(file);
  const shown = text.length > 40 ? `${text.slice(0, 39)}…` : text;
  if (tsi.isIdentifier(node)) return `the variable \`${shown}\``;
  if (tsi.isCallExpression(node) || tsi.isNewExpression(node)) return `the call \`${shown}\``;
  if (tsi.isSpreadAssignment(node) || tsi.isSpreadElement(node)) return `the spread \`${shown}\``;
  if (tsi.isTemplateExpression(node)) return `the template literal \`${shown}\` with substitutions`;
  return `the expression \`${shown}\``;
}

export function declaredString(written: ts.Expression, reader: ValueReader): Declared<string> {
  const node = unwrap(reader.ts, written);
  const literal = literalString(reader.ts, node);
  if (literal !== undefined) return { kind: 'known', value: literal };
  if (!reader.ts.isSpreadElement(node)) {
    const constant = reader.constant(node);
    if (constant !== undefined) return { kind: 'known', value: constant };
  }
  return { kind: 'unverifiable', found: describeExpression(reader.ts, node, reader.file) };
}

export function declaredOption(options: ts.ObjectLiteralExpression | undefined, argument: ts.Expression | undefined, name: string, reader: ValueReader): Declared<string> | undefined {
  if (options === undefined) return argument === undefined ? undefined : unreadableOptions(argument, reader);
  const found = findOption(reader.ts, options, name);
  if (found.kind === 'absent') return undefined;
  if (found.kind === 'opaque') return { kind: 'unverifiable', found: describeExpression(reader.ts, found.node, reader.file) };
  return declaredString(found.value, reader);
}

export function declaredListOption(options: ts.ObjectLiteralExpression | undefined, argument: ts.Expression | undefined, name: string, reader: ValueReader): DeclaredList | undefined {
  if (options === undefined) return argument === undefined ? undefined : unreadableOptions(argument, reader);
  const found = findOption(reader.ts, options, name);
  if (found.kind === 'absent') return undefined;
  if (found.kind === 'opaque') return { kind: 'unverifiable', found: describeExpression(reader.ts, found.node, reader.file) };
  const value = unwrap(reader.ts, found.value);
  if (!reader.ts.isArrayLiteralExpression(value)) return { kind: 'unverifiable', found: describeExpression(reader.ts, value, reader.file) };
  return {
    kind: 'known',
    value: value.elements.map((element) =>
      reader.ts.isOmittedExpression(element) ? { kind: 'unverifiable', found: 'an empty array slot' } : declaredString(element, reader),
    ),
  };
}

function unreadableOptions<T>(argument: ts.Expression, reader: ValueReader): Declared<T> {
  const tsi = reader.ts;
  const node = unwrap(tsi, argument);
  if (literalString(tsi, node) !== undefined) return { kind: 'unverifiable', found: `the string ${node.getText(reader.file)}`, notOptions: true };
  if (tsi.isNumericLiteral(node) || tsi.isArrayLiteralExpression(node) || node.kind === tsi.SyntaxKind.TrueKeyword || node.kind === tsi.SyntaxKind.FalseKeyword) {
    return { kind: 'unverifiable', found: describeExpression(tsi, node, reader.file).replace(/^the expression/, 'the literal'), notOptions: true };
  }
  return { kind: 'unverifiable', found: `options given as ${describeExpression(tsi, argument, reader.file)}` };
}
