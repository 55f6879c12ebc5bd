/**
 * Fields for the parse-only program (`noResolve`, `noLib`): the checker still resolves everything
 * declared in the project's own files, but a type imported from a package (our `TenantId` and
 * `CapsuleId` brands among them) or a global of the standard library is unresolved. Where the
 * checker answers, its answer stands. Where a field's type is unresolved, its annotation decides,
 * as the ESLint rules do without type information:
 *   - a brand imported from `@isolation/runtime` (or a wrapper module) is that brand;
 *   - a name imported from anywhere else, or declared in the file yet unresolved (an alias of an
 *     import), may be an id of either brand: the field set stays incomplete and the checks for a
 *     missing field stay silent, exactly as in the transformer;
 *   - anything else (a global such as `Date` or `Map<…>`, an array) holds no brand.
 */
import type * as ts from 'typescript';
import { isScopeBrand, type FieldDeclaration, type FieldSet, type ScopeBrand } from '@isolation/runtime/rules';
import { importBindings, isolationImports, type IsolationImports } from '../imports.js';
import { typedFields, type TypedFields } from '../fields.js';

const NO_FIELDS: FieldSet = { fields: [], complete: true };

type Verdict = { readonly kind: 'brand'; readonly brand: ScopeBrand } | { readonly kind: 'plain' } | { readonly kind: 'unresolved' };

const PLAIN: Verdict = { kind: 'plain' };
const UNRESOLVED: Verdict = { kind: 'unresolved' };

interface FileNames {
  readonly isolation: IsolationImports;
  /** Every name the file imports, from any module. */
  readonly imported: ReadonlySet<string>;
  /** Top-level type and class names the file declares. */
  readonly declared: ReadonlySet<string>;
}

export function parseOnlyFields(tsi: typeof ts, checker: ts.TypeChecker, modules: readonly string[]): TypedFields {
  const typed = typedFields(tsi, checker);
  const names = new WeakMap<ts.SourceFile, FileNames>();

  const namesOf = (file: ts.SourceFile): FileNames => {
    let found = names.get(file);
    if (found !== undefined) return found;
    const declared = new Set<string>();
    for (const statement of file.statements) {
      if ((tsi.isTypeAliasDeclaration(statement) || tsi.isInterfaceDeclaration(statement) || tsi.isClassDeclaration(statement) || tsi.isEnumDeclaration(statement)) && statement.name !== undefined) {
        declared.add(statement.name.text);
      }
    }
    const imported = new Set([...importBindings(tsi, file, () => true)].map((binding) => binding.local));
    // `import X = require(…)` and `import X = ns.Y` also bring names in.
    for (const statement of file.statements) if (tsi.isImportEqualsDeclaration(statement)) imported.add(statement.name.text);
    found = { isolation: isolationImports(tsi, file, modules), imported, declared };
    names.set(file, found);
    return found;
  };

  const leftmost = (name: ts.EntityName): ts.Identifier => (tsi.isIdentifier(name) ? name : leftmost(name.left));

  const classify = (node: ts.TypeNode | undefined, file: ts.SourceFile): Verdict => {
    if (node === undefined) return UNRESOLVED; // inferred from an initializer we cannot see through
    if (tsi.isParenthesizedTypeNode(node)) return classify(node.type, file);
    if (tsi.isUnionTypeNode(node)) {
      const verdicts = node.types
        .filter((member) => !(member.kind === tsi.SyntaxKind.UndefinedKeyword || (tsi.isLiteralTypeNode(member) && member.literal.kind === tsi.SyntaxKind.NullKeyword)))
        .map((member) => classify(member, file));
      if (verdicts.some((verdict) => verdict.kind === 'unresolved')) return UNRESOLVED;
      const brands = verdicts.filter((verdict) => verdict.kind === 'brand');
      return brands.length === 1 && verdicts.length === 1 ? (brands[0] as Verdict) : PLAIN;
    }
    if (!tsi.isTypeReferenceNode(node)) return PLAIN;
    const { isolation, imported, declared } = namesOf(file);
    const typeName = node.typeName;
    if (tsi.isIdentifier(typeName)) {
      const brand = isolation.brands.get(typeName.text);
      if (brand !== undefined) return { kind: 'brand', brand };
    } else if (tsi.isIdentifier(typeName.left) && isolation.namespaces.has(typeName.left.text) && isScopeBrand(typeName.right.text)) {
      return { kind: 'brand', brand: typeName.right.text };
    }
    const root = leftmost(typeName).text;
    return imported.has(root) || declared.has(root) ? UNRESOLVED : PLAIN;
  };

  const annotationOf = (declaration: ts.Declaration | undefined): ts.TypeNode | undefined =>
    declaration !== undefined && (tsi.isPropertyDeclaration(declaration) || tsi.isParameter(declaration) || tsi.isPropertySignature(declaration)) ? declaration.type : undefined;

  return {
    constant: typed.constant,
    fieldsOf(node) {
      const found = typed.fieldsOf(node);
      if (found.complete) return found;
      // A base class the checker cannot resolve may hold the ids: absence stays no proof.
      const base = node.heritageClauses?.find((clause) => clause.token === tsi.SyntaxKind.ExtendsKeyword)?.types[0];
      if (base !== undefined && (checker.getTypeAtLocation(base.expression).flags & tsi.TypeFlags.Any) !== 0) return found;
      const symbol = node.name ? checker.getSymbolAtLocation(node.name) : checker.getTypeAtLocation(node).getSymbol();
      if (symbol === undefined) return found;
      const instance = checker.getDeclaredTypeOfSymbol(symbol);
      let complete = true;
      const fields = found.fields.map((field): FieldDeclaration => {
        const property = checker.getPropertyOfType(instance, field.name);
        if (property === undefined || (checker.getTypeOfSymbol(property).flags & tsi.TypeFlags.Any) === 0) return field;
        const declaration = property.declarations?.[0];
        const verdict = classify(annotationOf(declaration), declaration?.getSourceFile() ?? node.getSourceFile());
        if (verdict.kind === 'brand') return { name: field.name, brand: verdict.brand, inheritedFrom: field.inheritedFrom, nested: NO_FIELDS };
        if (verdict.kind === 'plain') return { name: field.name, brand: undefined, inheritedFrom: field.inheritedFrom, nested: undefined };
        complete = false;
        return field;
      });
      return { fields, complete };
    },
  };
}
