/**
 * What type information makes exact: id fields found by brand whatever they are called, fields
 * inherited across files, nested fields one level deep, and templates given as constants.
 */
import { createRequire } from 'node:module';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { getParserServices } from '@typescript-eslint/utils/eslint-utils';
import type { FieldDeclaration, FieldSet, ScopeBrand } from '@isolation/runtime/rules';
import type * as TypeScript from 'typescript';
import type { ClassNode, TypeInformation } from './extract.js';

const BRAND_PROPERTY = '__isolationBrand';

/**
 * Loaded on first use: only type-aware runs need it, and an ESM import of TypeScript's CommonJS
 * bundle costs every untyped lint run the time to scan it for exports.
 */
let typescript: typeof TypeScript | undefined;
const loadTypeScript = (): typeof TypeScript => (typescript ??= createRequire(import.meta.url)('typescript') as typeof TypeScript);

/** Called only for classes that carry our decorators, so untyped files pay nothing. */
export function typeInformation(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): TypeInformation {
  const ts = loadTypeScript();
  const PRIMITIVE = ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.ESSymbolLike | ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void;
  const services = getParserServices(context);
  const checker = services.program.getTypeChecker();

  const brandOf = (type: TypeScript.Type): ScopeBrand | undefined => {
    const property = checker.getPropertyOfType(checker.getNonNullableType(type), BRAND_PROPERTY);
    if (property === undefined) return undefined;
    const value = checker.getTypeOfSymbol(property);
    return value.isStringLiteral() && (value.value === 'TenantId' || value.value === 'CapsuleId') ? value.value : undefined;
  };

  const isDataProperty = (symbol: TypeScript.Symbol): boolean =>
    (symbol.flags & ts.SymbolFlags.Property) !== 0 && !symbol.getName().startsWith('__');

  const nestedOf = (type: TypeScript.Type, at: TypeScript.Node): FieldSet => {
    const target = checker.getNonNullableType(type);
    if ((target.flags & PRIMITIVE) !== 0 || target.getCallSignatures().length > 0) return { fields: [], complete: true };
    const fields = checker
      .getPropertiesOfType(target)
      .filter(isDataProperty)
      .map((symbol) => ({ name: symbol.getName(), brand: brandOf(checker.getTypeOfSymbolAtLocation(symbol, at)) }));
    return { fields, complete: true };
  };

  return {
    fieldsOf(node: ClassNode): FieldSet {
      const tsNode = services.esTreeNodeToTSNodeMap.get(node);
      const symbol = tsNode.name ? checker.getSymbolAtLocation(tsNode.name) : checker.getTypeAtLocation(tsNode).getSymbol();
      if (symbol === undefined) return { fields: [], complete: false };
      const instance = checker.getDeclaredTypeOfSymbol(symbol);
      const fields: FieldDeclaration[] = checker
        .getPropertiesOfType(instance)
        .filter(isDataProperty)
        .map((property) => {
          const type = checker.getTypeOfSymbolAtLocation(property, tsNode);
          const brand = brandOf(type);
          const owner = property.declarations?.[0]?.parent;
          const ownerName = owner !== undefined && ts.isClassLike(owner) ? owner.name?.text : undefined;
          return {
            name: property.getName(),
            brand,
            nested: brand === undefined ? nestedOf(type, tsNode) : { fields: [], complete: true },
            inheritedFrom: ownerName !== undefined && ownerName !== tsNode.name?.text ? ownerName : undefined,
          };
        });
      return { fields, complete: true };
    },
    constant(node: TSESTree.Expression): string | undefined {
      const type = services.getTypeAtLocation(node);
      return type.isStringLiteral() ? type.value : undefined;
    },
  };
}
