/** Reading decorator option values as the core's `Declared` values, never guessing at non-literals. */
import type { TSESTree } from '@typescript-eslint/utils';
import type { Declared, DeclaredList } from '@isolation/core';

/** Resolves an expression to a constant string where type information allows; undefined otherwise. */
export type ConstantResolver = (node: TSESTree.Expression) => string | undefined;

export type OptionLookup =
  | { readonly kind: 'present'; readonly property: TSESTree.Property; readonly value: TSESTree.Node }
  | { readonly kind: 'absent' }
  /** Not written as a property, but a spread in the object may set it. */
  | { readonly kind: 'spread'; readonly spread: TSESTree.SpreadElement };

export function findOption(options: TSESTree.ObjectExpression, name: string): OptionLookup {
  let result: OptionLookup = { kind: 'absent' };
  for (const property of options.properties) {
    if (property.type === 'SpreadElement') {
      result = { kind: 'spread', spread: property };
    } else if (!property.computed && propertyKeyName(property.key) === name) {
      result = { kind: 'present', property, value: property.value };
    }
  }
  return result;
}

export function propertyKeyName(key: TSESTree.Node): string | undefined {
  if (key.type === 'Identifier') return key.name;
  if (key.type === 'Literal' && typeof key.value === 'string') return key.value;
  return undefined;
}

/** A string literal or an expression-less template literal. */
export function literalString(node: TSESTree.Node): string | undefined {
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** What was written instead of a literal, for messages: "the variable `PK`", "a spread". */
export function describeExpression(node: TSESTree.Node, text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 39)}…` : text;
  switch (node.type) {
    case 'Identifier':
      return `the variable \`${shown}\``;
    case 'CallExpression':
    case 'NewExpression':
      return `the call \`${shown}\``;
    case 'SpreadElement':
      return `the spread \`${shown}\``;
    case 'TemplateLiteral':
      return `the template literal \`${shown}\` with substitutions`;
    default:
      return `the expression \`${shown}\``;
  }
}

export interface ValueReader {
  readonly text: (node: TSESTree.Node) => string;
  readonly constant: ConstantResolver | undefined;
}

export function declaredString(written: TSESTree.Node, reader: ValueReader): Declared<string> {
  const node = unwrapTypeAssertions(written);
  const literal = literalString(node);
  if (literal !== undefined) return { kind: 'known', value: literal };
  if (reader.constant !== undefined && node.type !== 'SpreadElement' && isExpression(node)) {
    const constant = reader.constant(node);
    if (constant !== undefined) return { kind: 'known', value: constant };
  }
  return { kind: 'unverifiable', found: describeExpression(node, reader.text(node)) };
}

export function declaredOption(options: TSESTree.ObjectExpression | undefined, argument: TSESTree.Node | undefined, name: string, reader: ValueReader): Declared<string> | undefined {
  if (options === undefined) return argument === undefined ? undefined : unreadableOptions(argument, reader);
  const found = findOption(options, name);
  if (found.kind === 'absent') return undefined;
  if (found.kind === 'spread') return { kind: 'unverifiable', found: describeExpression(found.spread, reader.text(found.spread)) };
  return declaredString(found.value, reader);
}

export function declaredListOption(options: TSESTree.ObjectExpression | undefined, argument: TSESTree.Node | undefined, name: string, reader: ValueReader): DeclaredList | undefined {
  if (options === undefined) return argument === undefined ? undefined : unreadableOptions(argument, reader);
  const found = findOption(options, name);
  if (found.kind === 'absent') return undefined;
  if (found.kind === 'spread') return { kind: 'unverifiable', found: describeExpression(found.spread, reader.text(found.spread)) };
  const value = unwrapTypeAssertions(found.value);
  if (value.type !== 'ArrayExpression') return { kind: 'unverifiable', found: describeExpression(value, reader.text(value)) };
  return {
    kind: 'known',
    value: value.elements.map((element) =>
      element === null ? { kind: 'unverifiable', found: 'an empty array slot' } : declaredString(element, reader),
    ),
  };
}

/** `['a', 'b'] as const` and `x satisfies T` carry the literal inside. */
export function unwrapTypeAssertions(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (current.type === 'TSAsExpression' || current.type === 'TSSatisfiesExpression' || current.type === 'TSNonNullExpression') {
    current = current.expression;
  }
  return current;
}

function unreadableOptions<T>(argument: TSESTree.Node, reader: ValueReader): Declared<T> {
  return { kind: 'unverifiable', found: `options given as ${describeExpression(argument, reader.text(argument))}` };
}

function isExpression(node: TSESTree.Node): node is TSESTree.Expression {
  return node.type !== 'SpreadElement' && node.type !== 'Property' && !node.type.startsWith('TSType');
}
