/**
 * What type information makes exact, shared by the transformer and the ESLint plugin's type-aware
 * rules: id fields found by brand whatever they are called, fields inherited across files, nested
 * fields one level deep, and templates given as constants. Every function takes the TypeScript
 * instance it is handed (ts-patch's patched one, or typescript-eslint's), never a second copy.
 */
import type * as ts from 'typescript';
import { BRAND_PROPERTY, type FieldDeclaration, type FieldSet, type ScopeBrand } from '../index.js';

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

  // Our brands are intersections (`string & { __isolationBrand: 'TenantId' }`), possibly in a union
  // with null or undefined: any other type is answered from its flags alone.
  const brandOf = (type: ts.Type): ScopeBrand | undefined => {
    let target = type;
    if (type.isUnion()) {
      const branded = type.types.filter((member) => (member.flags & tsi.TypeFlags.Intersection) !== 0);
      if (branded.length !== 1) return undefined;
      target = branded[0] as ts.Type;
    } else if ((type.flags & tsi.TypeFlags.Intersection) === 0) {
      return undefined;
    }
    const property = checker.getPropertyOfType(target, BRAND_PROPERTY);
    if (property === undefined) return undefined;
    const value = checker.getTypeOfSymbol(property);
    return value.isStringLiteral() && (value.value === 'TenantId' || value.value === 'CapsuleId') ? value.value : undefined;
  };

  // `#private` fields are no item attributes: they are never stored.
  const isPrivateName = (symbol: ts.Symbol): boolean => {
    const declaration = symbol.valueDeclaration;
    return declaration !== undefined && tsi.isPropertyDeclaration(declaration) && tsi.isPrivateIdentifier(declaration.name);
  };
  const isDataProperty = (symbol: ts.Symbol): boolean => (symbol.flags & tsi.SymbolFlags.Property) !== 0 && !symbol.getName().startsWith('__') && !isPrivateName(symbol);

  /** Primitives, unions of primitives (`'a' | 'b'`) and functions have no named sub-fields. */
  const hasNoFields = (type: ts.Type): boolean =>
    (type.flags & primitive) !== 0 || (type.isUnion() && type.types.every((member) => (member.flags & primitive) !== 0)) || type.getCallSignatures().length > 0;

  const nestedOf = (type: ts.Type): FieldSet => {
    const target = checker.getNonNullableType(type);
    if (hasNoFields(target)) return NO_FIELDS;
    const fields = checker
      .getPropertiesOfType(target)
      .filter(isDataProperty)
      .map((symbol) => ({ name: symbol.getName(), brand: brandOf(checker.getTypeOfSymbol(symbol)) }));
    return { fields, complete: true };
  };

  /**
   * A field whose nested fields are computed on first read: the core looks one level down only
   * when an id is not found directly or a template reaches into the field, which is rare.
   */
  class TypedField implements FieldDeclaration {
    #nested: FieldSet | undefined;
    constructor(
      readonly name: string,
      readonly brand: ScopeBrand | undefined,
      readonly inheritedFrom: string | undefined,
      private readonly type: ts.Type,
    ) {}
    get nested(): FieldSet {
      return (this.#nested ??= this.brand === undefined ? nestedOf(this.type) : NO_FIELDS);
    }
  }

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
      const fields: FieldDeclaration[] = [];
      // A field whose type cannot be resolved (an import the program does not load) may be an id of
      // either brand: absence is then not proof.
      let unresolvedField = false;
      for (const property of checker.getPropertiesOfType(instance)) {
        if (!isDataProperty(property)) continue;
        const type = checker.getTypeOfSymbol(property);
        if ((type.flags & tsi.TypeFlags.Any) !== 0) unresolvedField = true;
        const declared = property.declarations?.[0]?.parent;
        // A constructor parameter property belongs to the constructor's class.
        const owner = declared !== undefined && tsi.isConstructorDeclaration(declared) ? declared.parent : declared;
        const ownerName = owner !== undefined && tsi.isClassLike(owner) ? owner.name?.text : undefined;
        fields.push(new TypedField(property.getName(), brandOf(type), ownerName !== undefined && ownerName !== ownName ? ownerName : undefined, type));
      }
      return { fields, complete: !unresolvedField && !extendsUnresolved(node) };
    },
    constant(node) {
      const type = checker.getTypeAtLocation(node);
      return type.isStringLiteral() ? type.value : undefined;
    },
  };
}
