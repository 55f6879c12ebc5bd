/**
 * Fields without a type checker (ESLint without types, `isolation-check`'s parse-only mode): what
 * one file's syntax says. Own properties and constructor parameter properties; brands from
 * annotations naming our `TenantId`/`CapsuleId` imports, directly or through aliases of the same
 * file; fields inherited from classes of the same file; one nested level from inline type literals
 * and same-file interfaces, aliases and classes.
 *
 * What the syntax cannot settle is never guessed. A field whose type is imported (it may be an
 * alias of our brands), inferred from a call, or otherwise out of sight is marked `typeUnknown`:
 * it may be either id, so checks for a missing id stay silent. A base class from elsewhere leaves
 * the set incomplete.
 */
import type * as ts from 'typescript';
import { isScopeBrand, type FieldDeclaration, type FieldSet, type ScopeBrand } from '../index.js';
import { syntacticConstant } from './constants.js';
import type { TypedFields } from './fields.js';
import type { IsolationImports } from './imports.js';
import { literalString, propertyName } from './values.js';

const NO_FIELDS: FieldSet = { fields: [], complete: true };

/** What a field's written type says: a brand, its fields one level down, or nothing certain. */
type TypeReading =
  | { readonly kind: 'brand'; readonly brand: ScopeBrand }
  | { readonly kind: 'object'; readonly nested: FieldSet }
  | { readonly kind: 'unknown' };

const UNKNOWN: TypeReading = { kind: 'unknown' };
const PLAIN: TypeReading = { kind: 'object', nested: NO_FIELDS };

/** Global types that never hold an id, whatever their type arguments (typed mode sees no id in them either). */
const PLAIN_GLOBALS: ReadonlySet<string> = new Set([
  'Date', 'RegExp', 'URL', 'Error', 'Function', 'String', 'Number', 'Boolean', 'BigInt', 'Symbol',
  'Array', 'ReadonlyArray', 'Set', 'ReadonlySet', 'Map', 'ReadonlyMap', 'WeakMap', 'WeakSet', 'Promise',
  'Uint8Array', 'ArrayBuffer', 'Buffer',
]);
/** Global wrappers that keep their argument's fields. */
const TRANSPARENT_GLOBALS: ReadonlySet<string> = new Set(['Readonly', 'Partial', 'Required', 'NonNullable']);

export function syntacticFields(tsi: typeof ts, file: ts.SourceFile, imports: IsolationImports): TypedFields {
  // Top-level classes, aliases and enums by name; interfaces apart, as several merge into one type (or into a class).
  const topLevel = new Map<string, ts.Node>();
  const interfaces = new Map<string, ts.InterfaceDeclaration[]>();
  for (const statement of file.statements) {
    if (tsi.isInterfaceDeclaration(statement)) interfaces.set(statement.name.text, [...(interfaces.get(statement.name.text) ?? []), statement]);
    else if ((tsi.isClassDeclaration(statement) || tsi.isTypeAliasDeclaration(statement) || tsi.isEnumDeclaration(statement)) && statement.name !== undefined) topLevel.set(statement.name.text, statement);
  }

  const readType = (type: ts.TypeNode, seen: ReadonlySet<ts.Node>): TypeReading => {
    if (tsi.isParenthesizedTypeNode(type)) return readType(type.type, seen);
    if (tsi.isTypeLiteralNode(type)) return { kind: 'object', nested: memberFields(type.members, seen) };
    if (tsi.isUnionTypeNode(type)) return readUnion(type, seen);
    if (tsi.isTypeReferenceNode(type)) return readReference(type, seen);
    if (tsi.isTypeOperatorNode(type)) return type.operator === tsi.SyntaxKind.ReadonlyKeyword ? readType(type.type, seen) : PLAIN;
    if (type.kind === tsi.SyntaxKind.AnyKeyword) return UNKNOWN;
    const plain =
      tsi.isLiteralTypeNode(type) || tsi.isArrayTypeNode(type) || tsi.isTupleTypeNode(type) || tsi.isFunctionTypeNode(type) || tsi.isConstructorTypeNode(type) || tsi.isTemplateLiteralTypeNode(type) || isKeywordType(tsi, type);
    return plain ? PLAIN : UNKNOWN;
  };

  /** `TenantId | undefined` is the brand; a union of plain types is plain; any other union is not settled here. */
  const readUnion = (type: ts.UnionTypeNode, seen: ReadonlySet<ts.Node>): TypeReading => {
    const members = type.types.filter((member) => !isNullish(tsi, member));
    if (members.length === 1) return readType(members[0] as ts.TypeNode, seen);
    return members.every((member) => isPlain(readType(member, seen))) ? PLAIN : UNKNOWN;
  };

  const readReference = (type: ts.TypeReferenceNode, seen: ReadonlySet<ts.Node>): TypeReading => {
    const name = type.typeName;
    if (!tsi.isIdentifier(name)) {
      // `iso.TenantId` through a namespace import of ours; anything else qualified is out of sight.
      return tsi.isIdentifier(name.left) && imports.namespaces.has(name.left.text) && isScopeBrand(name.right.text) ? { kind: 'brand', brand: name.right.text } : UNKNOWN;
    }
    const brand = imports.brands.get(name.text);
    if (brand !== undefined) return { kind: 'brand', brand };
    const declaration = topLevel.get(name.text);
    if (declaration !== undefined) return readDeclaration(declaration, seen);
    const merged = interfaces.get(name.text);
    if (merged !== undefined) return seen.has(merged[0] as ts.Node) ? UNKNOWN : { kind: 'object', nested: subFields(interfaceReadings(merged, new Set(seen).add(merged[0] as ts.Node))) };
    const [argument] = type.typeArguments ?? [];
    if (TRANSPARENT_GLOBALS.has(name.text) && argument !== undefined) return readType(argument, seen);
    if (name.text === 'Record' && argument !== undefined) return isKeywordType(tsi, argument) ? PLAIN : UNKNOWN;
    // An import (maybe an alias of our brands), a global of the project, a type parameter.
    return PLAIN_GLOBALS.has(name.text) ? PLAIN : UNKNOWN;
  };

  const readDeclaration = (declaration: ts.Node, seen: ReadonlySet<ts.Node>): TypeReading => {
    if (seen.has(declaration)) return UNKNOWN;
    const inner = new Set(seen).add(declaration);
    if (tsi.isTypeAliasDeclaration(declaration)) return declaration.typeParameters === undefined ? readType(declaration.type, inner) : UNKNOWN;
    if (tsi.isClassDeclaration(declaration)) return { kind: 'object', nested: fieldsOf(declaration, inner, false) };
    return tsi.isEnumDeclaration(declaration) ? PLAIN : UNKNOWN;
  };

  /** The property members of an object type with what their types say; a name the syntax cannot spell leaves them incomplete. */
  const memberReadings = (members: readonly ts.TypeElement[], seen: ReadonlySet<ts.Node>): Readings => {
    const readings: [string, TypeReading][] = [];
    let complete = true;
    for (const member of members) {
      if (!tsi.isPropertySignature(member)) continue;
      const name = memberName(member.name);
      if (name === undefined) complete = false;
      else readings.push([name, member.type === undefined ? UNKNOWN : readType(member.type, seen)]);
    }
    return { readings, complete };
  };

  /** Same-named interfaces merge into one type; one that extends another type leaves it incomplete. */
  const interfaceReadings = (declarations: readonly ts.InterfaceDeclaration[], seen: ReadonlySet<ts.Node>): Readings => {
    const read = memberReadings(declarations.flatMap((declaration) => [...declaration.members]), seen);
    return { ...read, complete: read.complete && declarations.every((declaration) => declaration.heritageClauses === undefined) };
  };

  /** Members of an object type, one level down: each with its brand, or marked when its type is out of sight. */
  const memberFields = (members: readonly ts.TypeElement[], seen: ReadonlySet<ts.Node>): FieldSet => subFields(memberReadings(members, seen));

  /** A name the syntax can spell: a literal one, or a computed one naming a same-file constant. */
  const memberName = (name: ts.PropertyName): string | undefined => propertyName(tsi, name) ?? (tsi.isComputedPropertyName(name) ? syntacticConstant(tsi, name.expression) : undefined);

  const ownFields = (node: ts.ClassLikeDeclaration, seen: ReadonlySet<ts.Node>, nestedToo: boolean): { fields: FieldDeclaration[]; complete: boolean } => {
    const fields: FieldDeclaration[] = [];
    let complete = true;
    const add = (name: string, reading: TypeReading): void => {
      fields.push(nestedToo ? field(name, reading) : subField(name, reading));
    };
    for (const member of node.members) {
      // Static members, `#private` fields and auto-accessors (on the prototype, like getters) are no item attributes.
      if (tsi.isPropertyDeclaration(member) && !isStatic(tsi, member) && !tsi.isPrivateIdentifier(member.name) && !tsi.isAutoAccessorPropertyDeclaration(member)) {
        const name = memberName(member.name);
        if (name === undefined) complete = false;
        else add(name, fieldType(member.type, member.initializer, seen));
      }
      if (tsi.isConstructorDeclaration(member)) {
        for (const parameter of member.parameters) {
          if (tsi.isParameterPropertyDeclaration(parameter, member) && tsi.isIdentifier(parameter.name)) add(parameter.name.text, fieldType(parameter.type, parameter.initializer, seen));
        }
      }
    }
    // Interfaces of the same name merge into a top-level class: their members are its fields too.
    const merged = node.name !== undefined && topLevel.get(node.name.text) === node ? interfaces.get(node.name.text) : undefined;
    if (merged !== undefined) {
      const members = interfaceReadings(merged, seen);
      const names = new Set(fields.map((candidate) => candidate.name));
      for (const [name, reading] of members.readings) if (!names.has(name)) add(name, reading);
      complete &&= members.complete;
    }
    return { fields, complete };
  };

  /** A field's type as written, or, unannotated, as its initializer shows it: a literal is plain, anything else is the checker's to say. */
  const fieldType = (type: ts.TypeNode | undefined, initializer: ts.Expression | undefined, seen: ReadonlySet<ts.Node>): TypeReading => {
    if (type !== undefined) return readType(type, seen);
    return initializer !== undefined && isPlainLiteral(tsi, initializer) ? PLAIN : UNKNOWN;
  };

  const baseOf = (node: ts.ClassLikeDeclaration): ts.ExpressionWithTypeArguments | undefined =>
    node.heritageClauses?.find((clause) => clause.token === tsi.SyntaxKind.ExtendsKeyword)?.types[0];

  const fieldsOf = (node: ts.ClassLikeDeclaration, seen: ReadonlySet<ts.Node>, nestedToo: boolean): FieldSet => {
    const inner = new Set(seen).add(node);
    const own = ownFields(node, inner, nestedToo);
    const base = baseOf(node);
    if (base === undefined) return own;
    const declaration = tsi.isIdentifier(base.expression) ? topLevel.get(base.expression.text) : undefined;
    if (declaration === undefined || !tsi.isClassDeclaration(declaration) || inner.has(declaration)) return { fields: own.fields, complete: false };
    const inherited = fieldsOf(declaration, inner, nestedToo);
    const ownNames = new Set(own.fields.map((candidate) => candidate.name));
    const baseName = declaration.name?.text;
    const fields = [...own.fields];
    for (const candidate of inherited.fields) if (!ownNames.has(candidate.name)) fields.push({ ...candidate, inheritedFrom: candidate.inheritedFrom ?? baseName });
    return { fields, complete: own.complete && inherited.complete };
  };

  return {
    fieldsOf: (node) => fieldsOf(node, new Set(), true),
    constant: (node) => syntacticConstant(tsi, node),
  };
}

/** A field of the declaration: its brand, or its fields one level down, or marked as out of sight. */
function field(name: string, reading: TypeReading): FieldDeclaration {
  if (reading.kind === 'brand') return { name, brand: reading.brand, nested: NO_FIELDS };
  if (reading.kind === 'object') return { name, nested: reading.nested };
  return { name, typeUnknown: true };
}

interface Readings {
  readonly readings: readonly (readonly [string, TypeReading])[];
  readonly complete: boolean;
}

function subFields({ readings, complete }: Readings): FieldSet {
  return { fields: readings.map(([name, reading]) => subField(name, reading)), complete };
}

/** A field one level down: only its brand counts (the core looks no deeper). */
function subField(name: string, reading: TypeReading): FieldDeclaration {
  if (reading.kind === 'brand') return { name, brand: reading.brand };
  return reading.kind === 'unknown' ? { name, typeUnknown: true } : { name };
}

function isPlain(reading: TypeReading): boolean {
  return reading.kind === 'object' && reading.nested === NO_FIELDS;
}

function isStatic(tsi: typeof ts, member: ts.PropertyDeclaration): boolean {
  return tsi.getModifiers(member)?.some((modifier) => modifier.kind === tsi.SyntaxKind.StaticKeyword) === true;
}

const KEYWORD_TYPES = ['StringKeyword', 'NumberKeyword', 'BooleanKeyword', 'BigIntKeyword', 'SymbolKeyword', 'ObjectKeyword', 'UnknownKeyword', 'NeverKeyword', 'UndefinedKeyword', 'NullKeyword', 'VoidKeyword'] as const;

function isKeywordType(tsi: typeof ts, type: ts.TypeNode): boolean {
  return KEYWORD_TYPES.some((keyword) => type.kind === tsi.SyntaxKind[keyword]);
}

function isNullish(tsi: typeof ts, type: ts.TypeNode): boolean {
  return type.kind === tsi.SyntaxKind.UndefinedKeyword || type.kind === tsi.SyntaxKind.VoidKeyword || (tsi.isLiteralTypeNode(type) && type.literal.kind === tsi.SyntaxKind.NullKeyword);
}

/** `'a'`, `` `a${b}` ``, `1`, `true`, `1n`, `[]`: an initializer whose type holds no id. */
function isPlainLiteral(tsi: typeof ts, node: ts.Expression): boolean {
  return (
    literalString(tsi, node) !== undefined ||
    tsi.isTemplateExpression(node) ||
    tsi.isNumericLiteral(node) ||
    tsi.isBigIntLiteral(node) ||
    node.kind === tsi.SyntaxKind.TrueKeyword ||
    node.kind === tsi.SyntaxKind.FalseKeyword ||
    tsi.isArrayLiteralExpression(node)
  );
}
