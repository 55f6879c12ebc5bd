/**
 * Which local names refer to our decorators and id brands, and to AWS SDK exports. Only top-level
 * import declarations are read, once per file and option set; decorators or types of the same
 * name from other modules are not ours and are ignored.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { RUNTIME_MODULE, isDecoratorName, isScopeBrand, type DecoratorName, type ScopeBrand } from '@isolation/core';

export type { DecoratorName };

export interface IsolationImports {
  readonly decorators: ReadonlyMap<string, DecoratorName>;
  readonly brands: ReadonlyMap<string, ScopeBrand>;
  /** Local names of `import * as x from '@isolation/runtime'` (or a wrapper module). */
  readonly namespaces: ReadonlySet<string>;
}

export interface ImportedBinding {
  readonly module: string;
  /** The exported name, or `*` for a namespace import. */
  readonly imported: string;
}

const isolationCache = new WeakMap<TSESTree.Program, Map<string, IsolationImports>>();

export function isolationImports(program: TSESTree.Program, modules: readonly string[]): IsolationImports {
  const key = modules.join('\n');
  let perOptions = isolationCache.get(program);
  if (perOptions === undefined) isolationCache.set(program, (perOptions = new Map()));
  const cached = perOptions.get(key);
  if (cached !== undefined) return cached;

  const sources = new Set([RUNTIME_MODULE, ...modules]);
  const decorators = new Map<string, DecoratorName>();
  const brands = new Map<string, ScopeBrand>();
  const namespaces = new Set<string>();
  for (const binding of importBindings(program, (module) => sources.has(module))) {
    if (binding.imported === '*') namespaces.add(binding.local);
    else if (isDecoratorName(binding.imported)) decorators.set(binding.local, binding.imported);
    else if (isScopeBrand(binding.imported)) brands.set(binding.local, binding.imported);
  }
  const result = { decorators, brands, namespaces };
  perOptions.set(key, result);
  return result;
}

export function* importBindings(
  program: TSESTree.Program,
  accept: (module: string) => boolean,
): Generator<ImportedBinding & { readonly local: string }> {
  for (const statement of program.body) {
    if (statement.type !== 'ImportDeclaration' || !accept(statement.source.value)) continue;
    for (const specifier of statement.specifiers) {
      const local = specifier.local.name;
      const module = statement.source.value;
      if (specifier.type === 'ImportNamespaceSpecifier') yield { module, imported: '*', local };
      else if (specifier.type === 'ImportDefaultSpecifier') yield { module, imported: 'default', local };
      else {
        const imported = specifier.imported.type === 'Identifier' ? specifier.imported.name : specifier.imported.value;
        yield { module, imported, local };
      }
    }
  }
}

/** The decorator a decorator node applies, if it is one of ours: `@Entity(…)`, `@E(…)`, `@iso.Entity(…)`. */
export function decoratorName(decorator: TSESTree.Decorator, imports: IsolationImports): DecoratorName | undefined {
  const callee = decorator.expression.type === 'CallExpression' ? decorator.expression.callee : decorator.expression;
  if (callee.type === 'Identifier') return imports.decorators.get(callee.name);
  if (
    callee.type === 'MemberExpression' &&
    !callee.computed &&
    callee.object.type === 'Identifier' &&
    imports.namespaces.has(callee.object.name) &&
    callee.property.type === 'Identifier' &&
    isDecoratorName(callee.property.name)
  ) {
    return callee.property.name;
  }
  return undefined;
}

/** The id brand a written type names: `TenantId`, an alias of it, or `iso.TenantId`. */
export function annotatedBrand(type: TSESTree.TypeNode | undefined, imports: IsolationImports): ScopeBrand | undefined {
  if (type?.type !== 'TSTypeReference') return undefined;
  const name = type.typeName;
  if (name.type === 'Identifier') {
    return imports.brands.get(name.name) ?? (isScopeBrand(name.name) ? name.name : undefined);
  }
  if (name.type === 'TSQualifiedName' && name.left.type === 'Identifier' && imports.namespaces.has(name.left.name)) {
    return isScopeBrand(name.right.name) ? name.right.name : undefined;
  }
  return undefined;
}
