/**
 * Fields without a type checker, for `isolation-check`'s parse-only mode: what one file's syntax
 * says. Own properties and constructor parameter properties; brands from annotations naming our
 * `TenantId`/`CapsuleId` imports; fields inherited from classes of the same file; one nested level
 * from inline type literals and same-file interfaces, type aliases and classes. A base class or a
 * field type from elsewhere leaves the set incomplete, so checks for a missing field stay silent —
 * the policy of the ESLint rules without type information.
 */
import type * as ts from 'typescript';
import { isScopeBrand, type FieldDeclaration, type FieldSet, type ScopeBrand } from '../index.js';
import type { TypedFields } from './fields.js';
import type { IsolationImports } from './imports.js';
import { literalString, propertyName } from './values.js';

const NO_FIELDS: FieldSet = { fields: [], complete: true };

export function syntacticFields(tsi: typeof ts, file: ts.SourceFile, imports: IsolationImports): TypedFields {
  const topLevel = new Map<string, ts.Node>();
  const constants = new Map<string, string>();
  for (const statement of file.statements) {
    if ((tsi.isClassDeclaration(statement) || tsi.isInterfaceDeclaration(statement) || tsi.isTypeAliasDeclaration(statement)) && statement.name !== undefined) topLevel.set(statement.name.text, statement);
    if (tsi.isVariableStatement(statement) && (statement.declarationList.flags & tsi.NodeFlags.Const) !== 0) {
      for (const declaration of statement.declarationList.declarations) {
        const value = declaration.initializer === undefined ? undefined : literalString(tsi, declaration.initializer);
        if (tsi.isIdentifier(declaration.name) && value !== undefined) constants.set(declaration.name.text, value);
      }
    }
  }

  const brandOf = (type: ts.TypeNode | undefined): ScopeBrand | undefined => {
    if (type === undefined || !tsi.isTypeReferenceNode(type)) return undefined;
    const name = type.typeName;
    if (tsi.isIdentifier(name)) return imports.brands.get(name.text);
    return tsi.isIdentifier(name.left) && imports.namespaces.has(name.left.text) && isScopeBrand(name.right.text) ? name.right.text : undefined;
  };

  /** The sub-fields of a field's type: known for literals and same-file declarations, else undefined. */
  const nestedOf = (type: ts.TypeNode | undefined): FieldSet | undefined => {
    if (type === undefined) return undefined;
    if (tsi.isTypeLiteralNode(type)) return memberFields(type.members);
    if (!tsi.isTypeReferenceNode(type)) return NO_FIELDS;
    if (!tsi.isIdentifier(type.typeName)) return undefined;
    const declaration = topLevel.get(type.typeName.text);
    if (declaration === undefined) return undefined;
    if (tsi.isInterfaceDeclaration(declaration)) {
      const members = memberFields(declaration.members);
      return declaration.heritageClauses === undefined ? members : { ...members, complete: false };
    }
    if (tsi.isTypeAliasDeclaration(declaration)) return tsi.isTypeLiteralNode(declaration.type) ? memberFields(declaration.type.members) : undefined;
    if (tsi.isClassDeclaration(declaration)) {
      const own = ownFields(declaration).map(({ name, brand }) => ({ name, brand }));
      return { fields: own, complete: baseOf(declaration) === undefined };
    }
    return undefined;
  };

  const memberFields = (members: ts.NodeArray<ts.TypeElement>): FieldSet => {
    const fields: FieldDeclaration[] = [];
    let complete = true;
    for (const member of members) {
      if (tsi.isIndexSignatureDeclaration(member)) complete = false;
      const name = tsi.isPropertySignature(member) ? propertyName(tsi, member.name) : undefined;
      if (tsi.isPropertySignature(member) && name !== undefined) fields.push({ name, brand: brandOf(member.type) });
    }
    return { fields, complete };
  };

  const ownFields = (node: ts.ClassLikeDeclaration): FieldDeclaration[] => {
    const fields: FieldDeclaration[] = [];
    const add = (name: string, type: ts.TypeNode | undefined): void => {
      const brand = brandOf(type);
      fields.push({ name, brand, nested: brand === undefined ? nestedOf(type) : NO_FIELDS });
    };
    for (const member of node.members) {
      const isStatic = tsi.canHaveModifiers(member) && tsi.getModifiers(member)?.some((modifier) => modifier.kind === tsi.SyntaxKind.StaticKeyword) === true;
      const name = tsi.isPropertyDeclaration(member) && !isStatic ? propertyName(tsi, member.name) : undefined;
      if (tsi.isPropertyDeclaration(member) && name !== undefined) add(name, member.type);
      if (tsi.isConstructorDeclaration(member)) {
        for (const parameter of member.parameters) {
          if (tsi.isParameterPropertyDeclaration(parameter, member) && tsi.isIdentifier(parameter.name)) add(parameter.name.text, parameter.type);
        }
      }
    }
    return fields;
  };

  const baseOf = (node: ts.ClassLikeDeclaration): ts.ExpressionWithTypeArguments | undefined =>
    node.heritageClauses?.find((clause) => clause.token === tsi.SyntaxKind.ExtendsKeyword)?.types[0];

  const fieldsOf = (node: ts.ClassLikeDeclaration, seen = new Set<ts.Node>()): FieldSet => {
    seen.add(node);
    const fields = ownFields(node);
    const base = baseOf(node);
    if (base === undefined) return { fields, complete: true };
    const declaration = tsi.isIdentifier(base.expression) ? topLevel.get(base.expression.text) : undefined;
    if (declaration === undefined || !tsi.isClassDeclaration(declaration) || seen.has(declaration)) return { fields, complete: false };
    const inherited = fieldsOf(declaration, seen);
    const own = new Set(fields.map((field) => field.name));
    const baseName = declaration.name?.text;
    for (const field of inherited.fields) if (!own.has(field.name)) fields.push({ ...field, inheritedFrom: field.inheritedFrom ?? baseName });
    return { fields, complete: inherited.complete };
  };

  return {
    fieldsOf: (node) => fieldsOf(node),
    constant: (node) => (tsi.isIdentifier(node) ? constants.get(node.text) : undefined),
  };
}
