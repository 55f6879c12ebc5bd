/**
 * What type information makes exact, shared by the transformer and the ESLint plugin's type-aware
 * rules: id fields found by brand whatever they are called, fields inherited across files, nested
 * fields one level deep, and templates given as constants. Every function takes the TypeScript
 * instance it is handed (ts-patch's patched one, or typescript-eslint's), never a second copy.
 */
import type * as ts from 'typescript';
import { BRAND_PROPERTY, type FieldDeclaration, type FieldSet, type ScopeBrand } from '@isolation/runtime/rules';

const NO_FIELDS: FieldSet = { fields: [], complete: true };

export interface TypedFields {
  /** The instance fields of a class, own and inherited, with brands and one nested level. */
  readonly fieldsOf: (node: ts.ClassLikeDeclaration) => FieldSet;
  /** The string an expression always evaluates to, when its type is a single string literal. */
  readonly constant: (node: ts.Expression) => string | undefined;
}

export function typedFields(tsi: typeof ts, checker: ts.TypeChecker): TypedFields {
  const primitive =
    tsi.TypeFlags.StringLike | tsi.TypeFlags.NumberLike | tsi.TypeFlags.BooleanLike | tsi.TypeFlags.BigIntLike | tsi.TypeFlags.ESSymbolLike | tsi.TypeFlags.Null | tsi.TypeFlags.Undefined | tsi.TypeFlags.Void;

  const brandOf = (type: ts.Type): ScopeBrand | undefined => {
    const property = checker.getPropertyOfType(checker.getNonNullableType(type), BRAND_PROPERTY);
    if (property === undefined) return undefined;
    const value = checker.getTypeOfSymbol(property);
    return value.isStringLiteral() && (value.value === 'TenantId' || value.value === 'CapsuleId') ? value.value : undefined;
  };

  const isDataProperty = (symbol: ts.Symbol): boolean => (symbol.flags & tsi.SymbolFlags.Property) !== 0 && !symbol.getName().startsWith('__');

  const nestedOf = (type: ts.Type, at: ts.Node): FieldSet => {
    const target = checker.getNonNullableType(type);
    if ((target.flags & primitive) !== 0 || target.getCallSignatures().length > 0) return NO_FIELDS;
    const fields = checker
      .getPropertiesOfType(target)
      .filter(isDataProperty)
      .map((symbol) => ({ name: symbol.getName(), brand: brandOf(checker.getTypeOfSymbolAtLocation(symbol, at)) }));
    return { fields, complete: true };
  };

  /** A base class whose type cannot be resolved may hold the ids: absence is then not proof. */
  const extendsUnresolved = (node: ts.ClassLikeDeclaration): boolean => {
    const base = node.heritageClauses?.find((clause) => clause.token === tsi.SyntaxKind.ExtendsKeyword)?.types[0];
    return base !== undefined && (checker.getTypeAtLocation(base.expression).flags & tsi.TypeFlags.Any) !== 0;
  };

  return {
    fieldsOf(node) {
      const symbol = node.name ? checker.getSymbolAtLocation(node.name) : checker.getTypeAtLocation(node).getSymbol();
      if (symbol === undefined) return { fields: [], complete: false };
      const instance = checker.getDeclaredTypeOfSymbol(symbol);
      const ownName = node.name?.text;
      const fields: FieldDeclaration[] = checker
        .getPropertiesOfType(instance)
        .filter(isDataProperty)
        .map((property) => {
          const type = checker.getTypeOfSymbolAtLocation(property, node);
          const brand = brandOf(type);
          const declared = property.declarations?.[0]?.parent;
          // A constructor parameter property belongs to the constructor's class.
          const owner = declared !== undefined && tsi.isConstructorDeclaration(declared) ? declared.parent : declared;
          const ownerName = owner !== undefined && tsi.isClassLike(owner) ? owner.name?.text : undefined;
          return {
            name: property.getName(),
            brand,
            nested: brand === undefined ? nestedOf(type, node) : NO_FIELDS,
            inheritedFrom: ownerName !== undefined && ownerName !== ownName ? ownerName : undefined,
          };
        });
      return { fields, complete: !extendsUnresolved(node) };
    },
    constant(node) {
      const type = checker.getTypeAtLocation(node);
      return type.isStringLiteral() ? type.value : undefined;
    },
  };
}
