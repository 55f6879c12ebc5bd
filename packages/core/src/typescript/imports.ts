/**
 * Which local names of a source file refer to our decorators and id brands, and to AWS SDK
 * exports. Only top-level imports are read; same-named decorators from other modules are not ours.
 */
import type * as ts from 'typescript';
import { RUNTIME_MODULE, isDecoratorName, isScopeBrand, type DecoratorName, type ScopeBrand } from '../index.js';

export interface IsolationImports {
  readonly decorators: ReadonlyMap<string, DecoratorName>;
  readonly brands: ReadonlyMap<string, ScopeBrand>;
  /** Local names of `import * as x from '@isolation/runtime'` (or a wrapper module). */
  readonly namespaces: ReadonlySet<string>;
}

export interface ImportedBinding {
  readonly local: string;
  readonly module: string;
  /** The exported name, `default`, or `*` for a namespace import. */
  readonly imported: string;
}

export function* importBindings(tsi: typeof ts, file: ts.SourceFile, accept: (module: string) => boolean): Generator<ImportedBinding> {
  for (const statement of file.statements) {
    if (!tsi.isImportDeclaration(statement) || !tsi.isStringLiteral(statement.moduleSpecifier)) continue;
    const module = statement.moduleSpecifier.text;
    const clause = statement.importClause;
    if (clause === undefined || !accept(module)) continue;
    if (clause.name !== undefined) yield { local: clause.name.text, module, imported: 'default' };
    const bindings = clause.namedBindings;
    if (bindings === undefined) continue;
    if (tsi.isNamespaceImport(bindings)) {
      yield { local: bindings.name.text, module, imported: '*' };
      continue;
    }
    for (const element of bindings.elements) {
      yield { local: element.name.text, module, imported: (element.propertyName ?? element.name).text };
    }
  }
}

export function isolationImports(tsi: typeof ts, file: ts.SourceFile, modules: readonly string[]): IsolationImports {
  const sources = new Set([RUNTIME_MODULE, ...modules]);
  const decorators = new Map<string, DecoratorName>();
  const brands = new Map<string, ScopeBrand>();
  const namespaces = new Set<string>();
  for (const binding of importBindings(tsi, file, (module) => sources.has(module))) {
    if (binding.imported === '*') namespaces.add(binding.local);
    else if (isDecoratorName(binding.imported)) decorators.set(binding.local, binding.imported);
    else if (isScopeBrand(binding.imported)) brands.set(binding.local, binding.imported);
  }
  return { decorators, brands, namespaces };
}

export function hasIsolationImports(imports: IsolationImports): boolean {
  return imports.decorators.size > 0 || imports.namespaces.size > 0;
}

/** The decorator a decorator node applies, if it is one of ours: `@Entity(…)`, `@E(…)`, `@iso.Entity(…)`. */
export function decoratorName(tsi: typeof ts, decorator: ts.Decorator, imports: IsolationImports): DecoratorName | undefined {
  const expression = decorator.expression;
  const callee = tsi.isCallExpression(expression) ? expression.expression : expression;
  if (tsi.isIdentifier(callee)) return imports.decorators.get(callee.text);
  if (tsi.isPropertyAccessExpression(callee) && tsi.isIdentifier(callee.expression) && imports.namespaces.has(callee.expression.text)) {
    const name = callee.name.text;
    return isDecoratorName(name) ? name : undefined;
  }
  return undefined;
}
