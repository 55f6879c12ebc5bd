/**
 * Handler parameter types → JSON Schema (OpenAPI 3.1 dialect), through the type checker. Only what
 * maps cleanly onto JSON is described; anything else becomes `{}` ("any value"), never a guess.
 */
import type * as ts from 'typescript';
import { BRAND_PROPERTY } from '@isolation/core';

/** A JSON Schema object as it appears in the document: plain JSON data. */
export type SchemaObject = { readonly [key: string]: unknown };

/**
 * What may appear where: `scalar` (strings, numbers, booleans, literal unions), `flat` (scalars or
 * arrays of scalars), `parameter` (flat, or an object of flat properties: a query object) and
 * `body` (any JSON-shaped type, nested).
 */
export type SchemaMode = 'scalar' | 'flat' | 'parameter' | 'body';

/** Nesting levels of a body schema before the rest is described as `{}`. */
const BODY_DEPTH = 8;

export interface SchemaMapper {
  readonly schemaOf: (type: ts.Type, mode: SchemaMode) => SchemaObject;
  /** Whether `undefined` (or `void`) is one of the type's values: an optional value. */
  readonly acceptsUndefined: (type: ts.Type) => boolean;
}

export function schemaMapper(tsi: typeof ts, checker: ts.TypeChecker): SchemaMapper {
  const F = tsi.TypeFlags;
  const members = (type: ts.Type): readonly ts.Type[] => (type.isUnion() ? type.types : [type]);
  const acceptsUndefined = (type: ts.Type): boolean => members(type).some((member) => (member.flags & (F.Undefined | F.Void)) !== 0);
  const isDataProperty = (symbol: ts.Symbol): boolean => !symbol.getName().startsWith('__');

  const map = (type: ts.Type, mode: SchemaMode, depth: number, seen: ReadonlySet<ts.Type>): SchemaObject => {
    if ((type.flags & (F.Any | F.Unknown | F.Never)) !== 0) return {};
    const all = members(type);
    const values = all.filter((member) => (member.flags & (F.Undefined | F.Void | F.Null)) === 0);
    if (values.length === 0) return {};
    const base = union(values, mode, depth, seen);
    if (Object.keys(base).length === 0) return {};
    return all.some((member) => (member.flags & F.Null) !== 0) ? nullable(base) : base;
  };

  /** Literals of one kind are grouped into one `enum`; other members each get their schema. */
  const union = (values: readonly ts.Type[], mode: SchemaMode, depth: number, seen: ReadonlySet<ts.Type>): SchemaObject => {
    const strings: string[] = [];
    const numbers: number[] = [];
    const booleans = new Set<boolean>();
    const parts: SchemaObject[] = [];
    for (const member of values) {
      if (member.isStringLiteral()) strings.push(member.value);
      else if (member.isNumberLiteral()) numbers.push(member.value);
      else if ((member.flags & F.BooleanLiteral) !== 0) booleans.add(checker.typeToString(member) === 'true');
      else {
        const part = single(member, mode, depth, seen);
        if (Object.keys(part).length === 0) return {};
        parts.push(part);
      }
    }
    if (strings.length > 0) parts.push({ type: 'string', enum: [...new Set(strings)].sort() });
    if (numbers.length > 0) parts.push({ type: 'number', enum: [...new Set(numbers)].sort((a, b) => a - b) });
    if (booleans.size === 2) parts.push({ type: 'boolean' });
    else if (booleans.size === 1) parts.push({ type: 'boolean', enum: [...booleans] });
    const [first] = parts;
    return parts.length === 1 && first !== undefined ? first : { anyOf: parts };
  };

  const single = (type: ts.Type, mode: SchemaMode, depth: number, seen: ReadonlySet<ts.Type>): SchemaObject => {
    if ((type.flags & (F.String | F.TemplateLiteral | F.StringMapping)) !== 0) return { type: 'string' };
    if ((type.flags & F.Number) !== 0) return { type: 'number' };
    if ((type.flags & F.Boolean) !== 0) return { type: 'boolean' };
    if (type.isIntersection()) {
      const branded = brandedPrimitive(type);
      if (branded !== undefined) return branded;
    }
    if (mode === 'scalar' || (type.flags & (F.Object | F.Intersection)) === 0 || seen.has(type) || depth <= 0) return {};
    const inside = new Set(seen).add(type);
    if (checker.isArrayType(type)) {
      const [element] = checker.getTypeArguments(type as ts.TypeReference);
      const items = element === undefined ? {} : map(element, mode === 'body' ? 'body' : 'scalar', depth - 1, inside);
      return { type: 'array', items };
    }
    if (mode === 'flat' || checker.isTupleType(type)) return {};
    return object(type, mode, depth, inside);
  };

  /** `string & { __isolationBrand: 'TenantId' }` is a string at run time. */
  const brandedPrimitive = (type: ts.IntersectionType): SchemaObject | undefined => {
    const primitives = type.types.filter((member) => (member.flags & (F.String | F.Number)) !== 0);
    const [primitive] = primitives;
    if (primitives.length !== 1 || primitive === undefined || checker.getPropertyOfType(type, BRAND_PROPERTY) === undefined) return undefined;
    return (primitive.flags & F.String) !== 0 ? { type: 'string' } : { type: 'number' };
  };

  /** A plain data object: no call or construct signatures, no methods (a `Date`, a class with behaviour). */
  const object = (type: ts.Type, mode: SchemaMode, depth: number, seen: ReadonlySet<ts.Type>): SchemaObject => {
    if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) return {};
    // An object type without a symbol that is not an intersection is one the checker could not
    // resolve: `string[]` without the standard library (a parse-only program) is such a reference.
    if (type.getSymbol() === undefined && !type.isIntersection()) return {};
    const propertyMode: SchemaMode = mode === 'body' ? 'body' : 'flat';
    const properties: Record<string, SchemaObject> = {};
    const required: string[] = [];
    for (const property of checker.getPropertiesOfType(type)) {
      if (!isDataProperty(property)) return {};
      const propertyType = checker.getTypeOfSymbol(property);
      if (checker.getNonNullableType(propertyType).getCallSignatures().length > 0) return {};
      properties[property.getName()] = map(propertyType, propertyMode, depth - 1, seen);
      if ((property.flags & tsi.SymbolFlags.Optional) === 0 && !acceptsUndefined(propertyType)) required.push(property.getName());
    }
    const index = checker.getIndexInfoOfType(type, tsi.IndexKind.String);
    return {
      type: 'object',
      ...(Object.keys(properties).length > 0 ? { properties } : {}),
      ...(required.length > 0 ? { required } : {}),
      ...(index === undefined ? {} : { additionalProperties: map(index.type, propertyMode, depth - 1, seen) }),
    };
  };

  return {
    schemaOf: (type, mode) => map(type, mode, mode === 'body' ? BODY_DEPTH : 2, new Set()),
    acceptsUndefined,
  };
}

/** `T | null`: a `null` type alongside a single type, otherwise `anyOf`. */
function nullable(base: SchemaObject): SchemaObject {
  const type = base['type'];
  if (typeof type === 'string' && base['anyOf'] === undefined) {
    const values = base['enum'];
    return { ...base, type: [type, 'null'], ...(Array.isArray(values) ? { enum: [...(values as unknown[]), null] } : {}) };
  }
  return { anyOf: [base, { type: 'null' }] };
}
